/* path_remove_directory on a non-empty directory is NOTEMPTY; inner first
 * then outer works. Mirrors remove_nonempty_directory.rs. */
#include "wasitest.h"

#define DIR_NAME "remove_nonempty_directory_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    MUST_OK(__wasi_path_create_directory(dir, "dir"));
    MUST_OK(__wasi_path_create_directory(dir, "dir/nested"));
    EXPECT_ERRNO(__wasi_path_remove_directory(dir, "dir"), __WASI_ERRNO_NOTEMPTY);
    EXPECT_OK(__wasi_path_remove_directory(dir, "dir/nested"));
    EXPECT_OK(__wasi_path_remove_directory(dir, "dir"));
    EXPECT_OK(__wasi_fd_close(dir));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
