/* Renaming a directory works with a trailing slash on the source, the
 * target, both, or neither. Mirrors path_rename_dir_trailing_slashes.rs. */
#include "wasitest.h"

#define DIR_NAME "path_rename_dir_trailing_slashes_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    MUST_OK(__wasi_path_create_directory(dir, "source"));
    EXPECT_OK(__wasi_path_rename(dir, "source/", dir, "target"));
    EXPECT_OK(__wasi_path_rename(dir, "target", dir, "source/"));
    EXPECT_OK(__wasi_path_rename(dir, "source/", dir, "target/"));
    EXPECT_OK(__wasi_path_rename(dir, "target", dir, "source"));
    EXPECT_OK(__wasi_path_remove_directory(dir, "source"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
