/* path_open relative to a file descriptor is NOTDIR or NOTCAPABLE.
 * Mirrors path_open_dirfd_not_dir.rs. */
#include "wasitest.h"

#define DIR_NAME "path_open_dirfd_not_dir_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t file, fd;
    MUST_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, 0, 0, 0, &file));
    EXPECT_ERRNO(__wasi_path_open(file, 0, "foo", __WASI_OFLAGS_CREAT, 0, 0, 0,
                                  &fd),
                 __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOTCAPABLE);
    EXPECT_OK(__wasi_fd_close(file));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
