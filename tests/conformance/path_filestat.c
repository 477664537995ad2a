/* fdflags given to path_open show in fd_fdstat_get (APPEND, and SYNC when
 * accepted); path_filestat_get reports size; path_filestat_set_times sets
 * mtim and rejects MTIM|MTIM_NOW and ATIM|ATIM_NOW without touching the
 * times. Mirrors path_filestat.rs. */
#include "wasitest.h"

#define DIR_NAME "path_filestat_dir.cleanup"

static __wasi_errno_t open_file(__wasi_fd_t dir, __wasi_fdflags_t flags,
                                __wasi_fd_t *fd) {
    return __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
                            __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                __WASI_RIGHTS_PATH_FILESTAT_GET,
                            0, flags, fd);
}

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);

    __wasi_fdstat_t fst;
    MUST_OK(__wasi_fd_fdstat_get(dir, &fst));
    CHECK(fst.fs_rights_base & __WASI_RIGHTS_PATH_FILESTAT_GET,
          "directory lacks PATH_FILESTAT_GET");

    __wasi_fd_t fd;
    __wasi_fdflags_t flags = __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC;
    __wasi_errno_t e = open_file(dir, flags, &fd);
    if (e == __WASI_ERRNO_NOTSUP) {
        flags = __WASI_FDFLAGS_APPEND;
        e = open_file(dir, flags, &fd);
    }
    MUST_OK(e);
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);

    MUST_OK(__wasi_fd_fdstat_get(fd, &fst));
    CHECK(fst.fs_flags & __WASI_FDFLAGS_APPEND, "APPEND flag not reported");
    if (flags & __WASI_FDFLAGS_SYNC)
        CHECK(fst.fs_flags & __WASI_FDFLAGS_SYNC, "SYNC flag not reported");

    __wasi_filestat_t st;
    MUST_OK(__wasi_path_filestat_get(dir, 0, "file", &st));
    CHECK_EQ(st.size, 0, "size of a new file");

    __wasi_timestamp_t new_mtim = st.mtim - 100;
    EXPECT_OK(__wasi_path_filestat_set_times(dir, 0, "file", 0, new_mtim,
                                             __WASI_FSTFLAGS_MTIM));
    MUST_OK(__wasi_path_filestat_get(dir, 0, "file", &st));
    CHECK_EQ(st.mtim, new_mtim, "mtim after set_times");

    EXPECT_ERRNO(__wasi_path_filestat_set_times(
                     dir, 0, "file", 0, new_mtim,
                     __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
                 __WASI_ERRNO_INVAL);
    MUST_OK(__wasi_path_filestat_get(dir, 0, "file", &st));
    CHECK_EQ(st.mtim, new_mtim, "mtim after a rejected set_times");

    EXPECT_ERRNO(__wasi_path_filestat_set_times(
                     dir, 0, "file", 0, 0,
                     __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
                 __WASI_ERRNO_INVAL);

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
