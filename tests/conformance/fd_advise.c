/* fd_advise leaves the size alone; fd_allocate grows the file to
 * offset + len or is NOTSUP. Mirrors fd_advise.rs. */
#include "wasitest.h"

#define FILE_NAME "fd_advise_file.cleanup"

int main(void) {
    __wasi_fd_t dir = root_directory();
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(
        dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT,
        __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
            __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_FILESTAT_GET |
            __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_ALLOCATE,
        0, 0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);

    __wasi_filestat_t st;
    MUST_OK(__wasi_fd_filestat_get(fd, &st));
    CHECK_EQ(st.size, 0, "size of a new file");

    EXPECT_OK(__wasi_fd_filestat_set_size(fd, 100));
    MUST_OK(__wasi_fd_filestat_get(fd, &st));
    CHECK_EQ(st.size, 100, "size after set_size");

    EXPECT_OK(__wasi_fd_advise(fd, 10, 50, __WASI_ADVICE_NORMAL));
    MUST_OK(__wasi_fd_filestat_get(fd, &st));
    CHECK_EQ(st.size, 100, "size after advise");

    __wasi_errno_t e = __wasi_fd_allocate(fd, 100, 100);
    if (e == __WASI_ERRNO_SUCCESS) {
        MUST_OK(__wasi_fd_filestat_get(fd, &st));
        CHECK_EQ(st.size, 200, "size after allocate");
    } else {
        EXPECT_ERRNO(e, __WASI_ERRNO_NOTSUP);
    }

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));
    return wt_finish();
}
