/* A dangling symlink opened without following: as a directory it is
 * NOTDIR or LOOP, as a file LOOP. Mirrors dangling_symlink.rs. */
#include "wasitest.h"

#define LINK "dangling_symlink_symlink.cleanup"

int main(void) {
    __wasi_fd_t dir = root_directory();
    __wasi_fd_t fd;
    /* The upstream test skips everything when symlinks cannot be made. */
    if (__wasi_path_symlink("target", dir, LINK) != __WASI_ERRNO_SUCCESS)
        return wt_finish();
    EXPECT_ERRNO(__wasi_path_open(dir, 0, LINK, __WASI_OFLAGS_DIRECTORY, 0, 0,
                                  0, &fd),
                 __WASI_ERRNO_NOTDIR, __WASI_ERRNO_LOOP);
    EXPECT_ERRNO(__wasi_path_open(dir, 0, LINK, 0, 0, 0, 0, &fd),
                 __WASI_ERRNO_LOOP);
    EXPECT_OK(__wasi_path_unlink_file(dir, LINK));
    return wt_finish();
}
