/* path_open without CREAT on a missing file is NOENT. Mirrors
 * path_open_missing.rs. */
#include "wasitest.h"

#define DIR_NAME "path_open_missing_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;
    EXPECT_ERRNO(__wasi_path_open(dir, 0, "file", 0, 0, 0, 0, &fd),
                 __WASI_ERRNO_NOENT);
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
