/* path_unlink_file on a directory fails (ISDIR, PERM or ACCES) with or
 * without a trailing slash; on a file with a trailing slash it is NOTDIR
 * (or NOENT); without it, it works. Mirrors
 * unlink_file_trailing_slashes.rs. */
#include "wasitest.h"

#define DIR_NAME "unlink_file_trailing_slashes_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);

    MUST_OK(__wasi_path_create_directory(dir, "dir"));
    EXPECT_ERRNO(__wasi_path_unlink_file(dir, "dir"), __WASI_ERRNO_ISDIR,
                 __WASI_ERRNO_PERM, __WASI_ERRNO_ACCES);
    EXPECT_ERRNO(__wasi_path_unlink_file(dir, "dir/"), __WASI_ERRNO_ISDIR,
                 __WASI_ERRNO_PERM, __WASI_ERRNO_ACCES);
    EXPECT_OK(__wasi_path_remove_directory(dir, "dir"));

    create_file(dir, "file");
    EXPECT_ERRNO(__wasi_path_unlink_file(dir, "file/"), __WASI_ERRNO_NOTDIR,
                 __WASI_ERRNO_NOENT);
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));

    EXPECT_OK(__wasi_fd_close(dir));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
