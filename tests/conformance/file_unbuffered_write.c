/* A byte written through one descriptor is read at once through another
 * descriptor of the same file. Mirrors file_unbuffered_write.rs. */
#include "wasitest.h"

#define DIR_NAME "file_unbuffered_write_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t rd, wr;
    __wasi_size_t n;

    MUST_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
                             __WASI_RIGHTS_FD_READ, 0, 0, &rd));
    CHECK(rd > 2, "descriptor %u is a standard stream", rd);
    MUST_OK(__wasi_path_open(dir, 0, "file", 0, __WASI_RIGHTS_FD_WRITE, 0, 0,
                             &wr));
    CHECK(wr > 2, "descriptor %u is a standard stream", wr);

    const uint8_t one = 1;
    EXPECT_OK(write_buf(wr, &one, 1, &n));
    CHECK_EQ(n, 1, "bytes written");
    uint8_t got = 0;
    EXPECT_OK(read_buf(rd, &got, 1, &n));
    CHECK_EQ(n, 1, "bytes read");
    CHECK_EQ(got, 1, "byte read");

    EXPECT_OK(__wasi_fd_close(wr));
    EXPECT_OK(__wasi_fd_close(rd));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
