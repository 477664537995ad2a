/* With O_APPEND, write goes to the end whatever the offset; pwrite does
 * not move the offset and writes at 0 (POSIX) or the end (Linux): the
 * size is then 4 or 7. Mirrors tests/c pwrite-with-append.c. */
#include <fcntl.h>
#include <unistd.h>

#include "wasitest.h"

int main(void) {
    char buf[4] = {0};
    int fd = open("pwrite.cleanup", O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0644);
    if (fd == -1) {
        CHECK(0, "open failed");
        wt_abort();
    }
    CHECK_EQ(write(fd, buf, 2), 2, "first write");
    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0, "seek to 0");
    CHECK_EQ(write(fd, buf, 2), 2, "second write");
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4, "offset after appending");

    CHECK_EQ(pwrite(fd, buf, 3, 0), 3, "pwrite");
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4, "offset after pwrite");
    off_t end = lseek(fd, 0, SEEK_END);
    CHECK(end == 4 || end == 7, "size after pwrite is %lld, expected 4 or 7",
          (long long)end);
    close(fd);
    return wt_finish();
}
