/* path_remove_directory works with and without a trailing slash on a
 * directory, and on a file fails with NOTDIR (NOENT also accepted with
 * the slash). Mirrors remove_directory_trailing_slashes.rs. */
#include "wasitest.h"

#define FILE_NAME "file.cleanup"
#define DIR_NAME "dir.cleanup"

int main(void) {
    __wasi_fd_t dir = root_directory();
    MUST_OK(__wasi_path_create_directory(dir, DIR_NAME));
    EXPECT_OK(__wasi_path_remove_directory(dir, DIR_NAME));
    MUST_OK(__wasi_path_create_directory(dir, DIR_NAME));
    EXPECT_OK(__wasi_path_remove_directory(dir, DIR_NAME "/"));

    create_file(dir, FILE_NAME);
    EXPECT_ERRNO(__wasi_path_remove_directory(dir, FILE_NAME),
                 __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_remove_directory(dir, FILE_NAME "/"),
                 __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));
    return wt_finish();
}
