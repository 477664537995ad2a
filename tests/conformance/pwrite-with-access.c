/* pwrite at 0 then at 3 into a new file in writeable/, read back as
 * "vertestng text", then removed. Mirrors tests/c pwrite-with-access.c.
 * Fixture: an empty directory `writeable` in the root. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasitest.h"

static void pwrite_full(int fd, const char *s, int len, int off) {
    int done = 0;
    while (done < len) {
        ssize_t n = pwrite(fd, s + done, (size_t)(len - done), off + done);
        if (n <= 0) {
            CHECK(0, "pwrite at %d returned %zd", off + done, n);
            return;
        }
        done += (int)n;
    }
}

int main(void) {
    const char *path = "writeable/test_pwrite_pread.txt.cleanup";
    const char *full = "very long text";
    int full_len = (int)strlen(full);
    char buf[16] = {0};

    CHECK(access(path, F_OK) != 0, "%s exists before the test", path);

    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd <= 0) {
        CHECK(0, "open for writing gave %d", fd);
        wt_abort();
    }
    pwrite_full(fd, full, full_len, 0);
    pwrite_full(fd, "test", 4, 3);
    CHECK(close(fd) == 0, "close after writing failed");

    fd = open(path, O_RDONLY);
    if (fd <= 0) {
        CHECK(0, "open for reading gave %d", fd);
        wt_abort();
    }
    int got = 0;
    ssize_t n = 0;
    while (got < full_len) {
        n = read(fd, buf + got, sizeof buf - (size_t)got);
        if (n <= 0) {
            CHECK(0, "read returned %zd after %d bytes", n, got);
            break;
        }
        got += (int)n;
    }
    CHECK_EQ(n, full_len, "bytes of the last read");
    CHECK(strncmp(buf, "vertestng text", (size_t)full_len) == 0,
          "read \"%.14s\"", buf);
    CHECK(close(fd) == 0, "close after reading failed");
    CHECK(remove(path) == 0, "remove failed");
    return wt_finish();
}
