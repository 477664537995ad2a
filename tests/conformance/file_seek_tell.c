/* fd_tell follows writes, seeks (CUR and SET, past the end) and reads; a
 * seek before byte 0 is INVAL. Mirrors file_seek_tell.rs. */
#include "wasitest.h"

#define DIR_NAME "file_seek_tell_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
                             __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                 __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL,
                             0, 0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);

    __wasi_filesize_t pos = 99;
    EXPECT_OK(__wasi_fd_tell(fd, &pos));
    CHECK_EQ(pos, 0, "initial offset");

    uint8_t data[100] = {0};
    __wasi_size_t n;
    EXPECT_OK(write_buf(fd, data, sizeof data, &n));
    CHECK_EQ(n, 100, "bytes written");
    EXPECT_OK(__wasi_fd_tell(fd, &pos));
    CHECK_EQ(pos, 100, "offset after writing");

    EXPECT_OK(__wasi_fd_seek(fd, -50, __WASI_WHENCE_CUR, &pos));
    CHECK_EQ(pos, 50, "offset after seeking back 50");
    EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    CHECK_EQ(pos, 0, "offset after seeking to 0");
    EXPECT_OK(__wasi_fd_seek(fd, 1000, __WASI_WHENCE_CUR, &pos));
    EXPECT_ERRNO(__wasi_fd_seek(fd, -2000, __WASI_WHENCE_CUR, &pos),
                 __WASI_ERRNO_INVAL);

    EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    EXPECT_OK(read_buf(fd, data, sizeof data, &n));
    CHECK_EQ(n, 100, "bytes read");
    EXPECT_OK(__wasi_fd_tell(fd, &pos));
    CHECK_EQ(pos, 100, "offset after reading");

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
