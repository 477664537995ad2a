/* Symlinks to a file and to a directory open when followed (the directory
 * with O_DIRECTORY); a symlink to the absolute path "/" is refused.
 * Mirrors symlink_create.rs. */
#include "wasitest.h"

#define DIR_NAME "symlink_create_dir.cleanup"
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;

    /* To a file. */
    MUST_OK(__wasi_path_open(dir, 0, "target", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd));
    EXPECT_OK(__wasi_fd_close(fd));
    MUST_OK(__wasi_path_symlink("target", dir, "symlink"));
    if (EXPECT_OK(__wasi_path_open(dir, FOLLOW, "symlink", 0, 0, 0, 0, &fd))) {
        CHECK(fd > 2, "descriptor %u is a standard stream", fd);
        EXPECT_OK(__wasi_fd_close(fd));
    }
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "target"));

    /* To a directory. */
    MUST_OK(__wasi_path_create_directory(dir, "target"));
    MUST_OK(__wasi_path_symlink("target", dir, "symlink"));
    if (EXPECT_OK(__wasi_path_open(dir, FOLLOW, "symlink",
                                   __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd))) {
        CHECK(fd > 2, "descriptor %u is a standard stream", fd);
        EXPECT_OK(__wasi_fd_close(fd));
    }
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_path_remove_directory(dir, "target"));

    /* To the root, by absolute path. */
    __wasi_errno_t e = __wasi_path_symlink("/", dir, "symlink");
    CHECK(e != __WASI_ERRNO_SUCCESS, "a symlink to \"/\" was created");
    if (e == __WASI_ERRNO_SUCCESS) (void)__wasi_path_unlink_file(dir, "symlink");

    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
