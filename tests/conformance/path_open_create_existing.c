/* path_open with CREAT|EXCL on an existing file is EXIST. Mirrors
 * path_open_create_existing.rs. */
#include "wasitest.h"

#define DIR_NAME "path_open_create_existing_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;
    create_file(dir, "file");
    EXPECT_ERRNO(__wasi_path_open(dir, 0, "file",
                                  __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0,
                                  0, 0, &fd),
                 __WASI_ERRNO_EXIST);
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
