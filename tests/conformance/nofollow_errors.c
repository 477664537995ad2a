/* Opening a symlink without SYMLINK_FOLLOW fails (LOOP, or NOTDIR with
 * O_DIRECTORY; ACCES is also accepted for a link to a directory);
 * following it works for a directory target and is NOTDIR with
 * O_DIRECTORY for a file target. Mirrors nofollow_errors.rs. */
#include "wasitest.h"

#define DIR_NAME "nofollow_errors_dir.cleanup"
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;

    /* A link to a directory. */
    MUST_OK(__wasi_path_create_directory(dir, "target"));
    MUST_OK(__wasi_path_symlink("target", dir, "symlink"));
    EXPECT_ERRNO(__wasi_path_open(dir, 0, "symlink", __WASI_OFLAGS_DIRECTORY, 0,
                                  0, 0, &fd),
                 __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_open(dir, 0, "symlink", 0, 0, 0, 0, &fd),
                 __WASI_ERRNO_LOOP, __WASI_ERRNO_ACCES);
    if (EXPECT_OK(__wasi_path_open(dir, FOLLOW, "symlink",
                                   __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd))) {
        CHECK(fd > 2, "descriptor %u is a standard stream", fd);
        EXPECT_OK(__wasi_fd_close(fd));
    }

    /* A link to a file. */
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_path_remove_directory(dir, "target"));
    MUST_OK(__wasi_path_open(dir, 0, "target", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd));
    EXPECT_OK(__wasi_fd_close(fd));
    MUST_OK(__wasi_path_symlink("target", dir, "symlink"));
    EXPECT_ERRNO(__wasi_path_open(dir, 0, "symlink", __WASI_OFLAGS_DIRECTORY, 0,
                                  0, 0, &fd),
                 __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
    EXPECT_ERRNO(__wasi_path_open(dir, 0, "symlink", 0, 0, 0, 0, &fd),
                 __WASI_ERRNO_LOOP);
    EXPECT_ERRNO(__wasi_path_open(dir, FOLLOW, "symlink",
                                  __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd),
                 __WASI_ERRNO_NOTDIR);

    EXPECT_OK(__wasi_path_unlink_file(dir, "target"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
