/* fd_filestat_set_times rejects MTIM with MTIM_NOW and ATIM with ATIM_NOW
 * (INVAL). Mirrors fstflags_validate.rs. */
#include "wasitest.h"

#define FILE_NAME "fstflags_validate.cleanup"

int main(void) {
    __wasi_fd_t dir = root_directory();
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT,
                             __WASI_RIGHTS_FD_READ |
                                 __WASI_RIGHTS_FD_FILESTAT_SET_TIMES,
                             0, 0, &fd));
    EXPECT_ERRNO(__wasi_fd_filestat_set_times(
                     fd, 100, 200, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
                 __WASI_ERRNO_INVAL);
    EXPECT_ERRNO(__wasi_fd_filestat_set_times(
                     fd, 100, 200, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
                 __WASI_ERRNO_INVAL);
    EXPECT_OK(__wasi_fd_close(fd));
    return wt_finish();
}
