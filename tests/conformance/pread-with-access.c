/* pread at offset 4 of "pread-test" reads "d-t", looping on short reads.
 * Mirrors tests/c pread-with-access.c. Fixture: pread.txt = "pread-test". */
#include <fcntl.h>
#include <unistd.h>

#include "wasitest.h"

int main(void) {
    const char *expected = "d-t";
    int len = (int)strlen(expected);
    char buf[16] = {0};

    int fd = open("pread.txt", O_RDONLY);
    if (fd <= 0) {
        CHECK(0, "open(\"pread.txt\") gave %d", fd);
        wt_abort();
    }
    int off = 0;
    while (off < len) {
        ssize_t n = pread(fd, buf + off, (size_t)(len - off), 4 + off);
        if (n <= 0) {
            CHECK(0, "pread at %d returned %zd", 4 + off, n);
            break;
        }
        off += (int)n;
    }
    CHECK(strncmp(buf, expected, (size_t)len) == 0, "read \"%.3s\", expected \"%s\"",
          buf, expected);
    CHECK(close(fd) == 0, "close failed");
    return wt_finish();
}
