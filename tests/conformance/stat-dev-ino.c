/* Two files of one directory share st_dev and differ in st_ino. Mirrors
 * tests/c stat-dev-ino.c. Fixture: `file` and `lseek.txt` in the root. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasitest.h"

int main(void) {
    int a = open("file", O_RDONLY);
    int b = open("lseek.txt", O_RDONLY);
    if (a == -1 || b == -1) {
        CHECK(0, "open failed: file %d, lseek.txt %d", a, b);
        wt_abort();
    }
    struct stat sa, sb;
    CHECK(fstat(a, &sa) == 0, "fstat(file) failed");
    CHECK(fstat(b, &sb) == 0, "fstat(lseek.txt) failed");
    CHECK(sa.st_dev == sb.st_dev, "st_dev differs: %llu vs %llu",
          (unsigned long long)sa.st_dev, (unsigned long long)sb.st_dev);
    CHECK(sa.st_ino != sb.st_ino, "st_ino equal: %llu",
          (unsigned long long)sa.st_ino);
    return wt_finish();
}
