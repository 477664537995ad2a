/* fd_allocate grows a file to offset + len, never shrinks it, or is
 * NOTSUP. Mirrors file_allocate.rs. */
#include "wasitest.h"

#define DIR_NAME "file_allocate_dir.cleanup"

static __wasi_filesize_t size_of(__wasi_fd_t fd) {
    __wasi_filestat_t st;
    MUST_OK(__wasi_fd_filestat_get(fd, &st));
    return st.size;
}

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
                             __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                 __WASI_RIGHTS_FD_ALLOCATE |
                                 __WASI_RIGHTS_FD_FILESTAT_GET,
                             0, 0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);
    CHECK_EQ(size_of(fd), 0, "size of a new file");

    __wasi_errno_t e = __wasi_fd_allocate(fd, 0, 100);
    if (e == __WASI_ERRNO_SUCCESS) {
        CHECK_EQ(size_of(fd), 100, "size after allocate(0, 100)");
        EXPECT_OK(__wasi_fd_allocate(fd, 10, 10));
        CHECK_EQ(size_of(fd), 100, "size after allocate(10, 10)");
        EXPECT_OK(__wasi_fd_allocate(fd, 90, 20));
        CHECK_EQ(size_of(fd), 110, "size after allocate(90, 20)");
    } else {
        EXPECT_ERRNO(e, __WASI_ERRNO_NOTSUP);
    }

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
