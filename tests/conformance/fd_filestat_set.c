/* fd_filestat_set_size grows a file; fd_filestat_set_times with MTIM sets
 * mtim only, leaving the size and atim alone. Mirrors
 * fd_filestat_set.rs. */
#include "wasitest.h"

#define FILE_NAME "fd_filestat_set_file.cleanup"

int main(void) {
    __wasi_fd_t dir = root_directory();
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(
        dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT,
        __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
            __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
            __WASI_RIGHTS_FD_FILESTAT_SET_TIMES,
        0, 0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);

    __wasi_filestat_t st;
    MUST_OK(__wasi_fd_filestat_get(fd, &st));
    CHECK_EQ(st.size, 0, "size of a new file");

    EXPECT_OK(__wasi_fd_filestat_set_size(fd, 100));
    MUST_OK(__wasi_fd_filestat_get(fd, &st));
    CHECK_EQ(st.size, 100, "size after set_size");

    /* Unsigned like the upstream's u64: wraps if mtim is below 100. */
    __wasi_timestamp_t old_atim = st.atim;
    __wasi_timestamp_t new_mtim = st.mtim - 100;
    EXPECT_OK(__wasi_fd_filestat_set_times(fd, new_mtim, new_mtim,
                                           __WASI_FSTFLAGS_MTIM));
    MUST_OK(__wasi_fd_filestat_get(fd, &st));
    CHECK_EQ(st.size, 100, "size after set_times");
    CHECK_EQ(st.mtim, new_mtim, "mtim after set_times");
    CHECK_EQ(st.atim, old_atim, "atim after setting mtim only");

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));
    return wt_finish();
}
