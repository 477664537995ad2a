/* lseek follows buffered fread after fflush: 4 after four bytes, 5 after
 * one more (the byte '4'), 0 at SEEK_SET, 8 (the size) at SEEK_END.
 * Mirrors tests/c lseek.c. Fixture: lseek.txt = "01234567". */
#include <unistd.h>

#include "wasitest.h"

int main(void) {
    char buf[4];
    FILE *f = fopen("lseek.txt", "r");
    if (f == NULL) {
        CHECK(0, "fopen(\"lseek.txt\") failed");
        wt_abort();
    }
    int fd = fileno(f);

    CHECK(fread(buf, 1, 4, f) == 4, "first fread short");
    fflush(f);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4, "offset after four bytes");

    CHECK(fread(buf, 1, 1, f) == 1, "second fread short");
    fflush(f);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5, "offset after five bytes");
    CHECK(buf[0] == '4', "fifth byte is '%c', expected '4'", buf[0]);

    CHECK_EQ(lseek(fd, 0, SEEK_SET), 0, "SEEK_SET 0");
    CHECK_EQ(lseek(fd, 0, SEEK_END), 8, "SEEK_END 0");
    fclose(f);
    return wt_finish();
}
