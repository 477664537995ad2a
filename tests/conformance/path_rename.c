/* path_rename: a directory to a new name and onto an empty directory; not
 * onto a non-empty directory (NOTEMPTY or ACCES) nor onto a file (NOTDIR,
 * or the host lets it replace the file); a file to a new name and onto a
 * file; a file onto a directory fails (ISDIR or ACCES). Mirrors
 * path_rename.rs. */
#include "wasitest.h"

#define DIR_NAME "path_rename_dir.cleanup"

static __wasi_errno_t try_open(__wasi_fd_t dir, const char *path,
                               __wasi_oflags_t oflags) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, 0, path, oflags, 0, 0, 0, &fd);
    if (e == __WASI_ERRNO_SUCCESS) {
        CHECK(fd > 2, "descriptor %u is a standard stream", fd);
        EXPECT_OK(__wasi_fd_close(fd));
    }
    return e;
}

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    const __wasi_oflags_t D = __WASI_OFLAGS_DIRECTORY;

    /* A directory to a new name. */
    MUST_OK(__wasi_path_create_directory(dir, "source"));
    EXPECT_OK(__wasi_path_rename(dir, "source", dir, "target"));
    EXPECT_ERRNO(try_open(dir, "source", D), __WASI_ERRNO_NOENT);
    EXPECT_OK(try_open(dir, "target", D));
    EXPECT_OK(__wasi_path_remove_directory(dir, "target"));

    /* A directory onto an empty directory. */
    MUST_OK(__wasi_path_create_directory(dir, "source"));
    MUST_OK(__wasi_path_create_directory(dir, "target"));
    EXPECT_OK(__wasi_path_rename(dir, "source", dir, "target"));
    EXPECT_ERRNO(try_open(dir, "source", D), __WASI_ERRNO_NOENT);
    EXPECT_OK(try_open(dir, "target", D));
    EXPECT_OK(__wasi_path_remove_directory(dir, "target"));

    /* A directory onto a non-empty directory, then onto a file in it. */
    MUST_OK(__wasi_path_create_directory(dir, "source"));
    MUST_OK(__wasi_path_create_directory(dir, "target"));
    create_file(dir, "target/file");
    EXPECT_ERRNO(__wasi_path_rename(dir, "source", dir, "target"),
                 __WASI_ERRNO_NOTEMPTY, __WASI_ERRNO_ACCES);
    __wasi_errno_t e = __wasi_path_rename(dir, "source", dir, "target/file");
    if (e == __WASI_ERRNO_SUCCESS) {
        EXPECT_OK(__wasi_path_remove_directory(dir, "target/file"));
    } else {
        EXPECT_ERRNO(e, __WASI_ERRNO_NOTDIR);
        EXPECT_OK(__wasi_path_unlink_file(dir, "target/file"));
        EXPECT_OK(__wasi_path_remove_directory(dir, "source"));
    }
    EXPECT_OK(__wasi_path_remove_directory(dir, "target"));

    /* A file to a new name. */
    create_file(dir, "source");
    EXPECT_OK(__wasi_path_rename(dir, "source", dir, "target"));
    EXPECT_ERRNO(try_open(dir, "source", 0), __WASI_ERRNO_NOENT);
    EXPECT_OK(try_open(dir, "target", 0));
    EXPECT_OK(__wasi_path_unlink_file(dir, "target"));

    /* A file onto a file. */
    create_file(dir, "source");
    create_file(dir, "target");
    EXPECT_OK(__wasi_path_rename(dir, "source", dir, "target"));
    EXPECT_ERRNO(try_open(dir, "source", 0), __WASI_ERRNO_NOENT);
    EXPECT_OK(try_open(dir, "target", 0));
    EXPECT_OK(__wasi_path_unlink_file(dir, "target"));

    /* A file onto an empty directory. */
    create_file(dir, "source");
    MUST_OK(__wasi_path_create_directory(dir, "target"));
    EXPECT_ERRNO(__wasi_path_rename(dir, "source", dir, "target"),
                 __WASI_ERRNO_ISDIR, __WASI_ERRNO_ACCES);
    EXPECT_OK(__wasi_path_remove_directory(dir, "target"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "source"));

    EXPECT_OK(__wasi_fd_close(dir));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
