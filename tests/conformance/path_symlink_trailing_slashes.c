/* path_symlink and trailing slashes on the new name: a dangling link at
 * `target/` is NOENT, at `target` fine; onto an existing directory EXIST
 * (or NOENT), with or without the slash; onto an existing file `target/`
 * is NOTDIR, NOENT or EXIST and `target` EXIST (or NOENT). Mirrors
 * path_symlink_trailing_slashes.rs. */
#include "wasitest.h"

#define DIR_NAME "path_symlink_trailing_slashes_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);

    EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target/"),
                 __WASI_ERRNO_NOENT);
    EXPECT_OK(__wasi_path_symlink("source", dir, "target"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "target"));

    MUST_OK(__wasi_path_create_directory(dir, "target"));
    EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target/"),
                 __WASI_ERRNO_EXIST, __WASI_ERRNO_NOENT);
    EXPECT_OK(__wasi_path_remove_directory(dir, "target"));

    MUST_OK(__wasi_path_create_directory(dir, "target"));
    EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target"),
                 __WASI_ERRNO_EXIST, __WASI_ERRNO_NOENT);
    EXPECT_OK(__wasi_path_remove_directory(dir, "target"));

    create_file(dir, "target");
    EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target/"),
                 __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT, __WASI_ERRNO_EXIST);
    EXPECT_OK(__wasi_path_unlink_file(dir, "target"));

    create_file(dir, "target");
    EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target"),
                 __WASI_ERRNO_EXIST, __WASI_ERRNO_NOENT);
    EXPECT_OK(__wasi_path_unlink_file(dir, "target"));

    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
