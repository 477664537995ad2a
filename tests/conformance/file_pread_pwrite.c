/* fd_pread and fd_pwrite at offsets, with one and with several iovecs,
 * reading back what was written. Mirrors file_pread_pwrite.rs. */
#include "wasitest.h"

#define DIR_NAME "file_pread_pwrite_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
                             __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK |
                                 __WASI_RIGHTS_FD_WRITE,
                             0, 0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);

    const uint8_t data[4] = {0, 1, 2, 3};
    uint8_t got[4];
    __wasi_size_t n;

    /* One iovec each way. */
    __wasi_ciovec_t c1 = {data, 4};
    EXPECT_OK(__wasi_fd_pwrite(fd, &c1, 1, 0, &n));
    CHECK_EQ(n, 4, "pwrite at 0");
    memset(got, 0, sizeof got);
    __wasi_iovec_t i1 = {got, 4};
    EXPECT_OK(__wasi_fd_pread(fd, &i1, 1, 0, &n));
    CHECK_EQ(n, 4, "pread at 0");
    CHECK(memcmp(got, data, 4) == 0, "pread at 0 read other bytes");

    /* Several iovecs, looping on short writes. */
    size_t off = 0;
    for (int round = 0; off < 4 && round < 16; round++) {
        __wasi_ciovec_t cv[2];
        size_t count = 0, remaining = 4 - off;
        if (remaining > 2) {
            cv[count++] = (__wasi_ciovec_t){data + off, 2};
            remaining -= 2;
        }
        cv[count++] = (__wasi_ciovec_t){data + 4 - remaining, remaining};
        if (!EXPECT_OK(__wasi_fd_pwrite(fd, cv, count, off, &n))) break;
        off += n;
    }
    CHECK_EQ(off, 4, "bytes written through two iovecs");

    /* Several iovecs, looping on short reads until the end. */
    uint8_t all[4] = {0};
    off = 0;
    for (int round = 0; round < 16; round++) {
        uint8_t b[4] = {0};
        __wasi_iovec_t iv[2] = {{b, 2}, {b + 2, 2}};
        if (!EXPECT_OK(__wasi_fd_pread(fd, iv, 2, off, &n))) break;
        if (n == 0) break;
        if (off + n > 4) {
            CHECK(0, "pread at %zu returned %u bytes", off, n);
            break;
        }
        memcpy(all + off, b, n);
        off += n;
    }
    CHECK_EQ(off, 4, "bytes read through two iovecs");
    CHECK(memcmp(all, data, 4) == 0, "two-iovec reads gave other bytes");

    /* A read past the middle is short. */
    memset(got, 0, sizeof got);
    EXPECT_OK(__wasi_fd_pread(fd, &i1, 1, 2, &n));
    CHECK_EQ(n, 2, "pread at 2");
    CHECK(got[0] == 2 && got[1] == 3 && got[2] == 0 && got[3] == 0,
          "pread at 2 gave %u %u %u %u", got[0], got[1], got[2], got[3]);

    /* Overwrite the middle. */
    const uint8_t mid[2] = {1, 0};
    __wasi_ciovec_t c2 = {mid, 2};
    EXPECT_OK(__wasi_fd_pwrite(fd, &c2, 1, 2, &n));
    CHECK_EQ(n, 2, "pwrite at 2");
    memset(got, 0, sizeof got);
    EXPECT_OK(__wasi_fd_pread(fd, &i1, 1, 0, &n));
    CHECK_EQ(n, 4, "pread after overwrite");
    CHECK(got[0] == 0 && got[1] == 1 && got[2] == 1 && got[3] == 0,
          "after overwrite: %u %u %u %u", got[0], got[1], got[2], got[3]);

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
