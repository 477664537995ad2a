/* Opening a self-referencing symlink is LOOP. Mirrors symlink_loop.rs. */
#include "wasitest.h"

#define DIR_NAME "symlink_loop_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_symlink("symlink", dir, "symlink"));
    EXPECT_ERRNO(__wasi_path_open(dir, 0, "symlink", 0, 0, 0, 0, &fd),
                 __WASI_ERRNO_LOOP);
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
