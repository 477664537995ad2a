/* Path resolution corner cases: an absolute path is refused, `.`, `..`
 * and repeated slashes inside the directory resolve, a trailing NUL is
 * INVAL or ILSEQ, trailing slashes after a file are NOTDIR or NOENT but
 * fine after a directory, and `..` past the directory is refused. Mirrors
 * interesting_paths.rs. */
#include "wasitest.h"

#define DIR_NAME "interesting_paths_dir.cleanup"

/* path_open taking an explicit length, so a path can hold a NUL byte
 * (wasi-libc's wrapper measures the path with strlen). */
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path,
                      int32_t path_len, int32_t oflags, int64_t base,
                      int64_t inheriting, int32_t fdflags, int32_t out)
    __attribute__((__import_module__("wasi_snapshot_preview1"),
                   __import_name__("path_open")));

/* Opens `path` with no rights and closes it; returns the errno. */
static __wasi_errno_t try_open(__wasi_fd_t dir, const char *path) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, 0, path, 0, 0, 0, 0, &fd);
    if (e == __WASI_ERRNO_SUCCESS) {
        CHECK(fd > 2, "descriptor %u is a standard stream", fd);
        EXPECT_OK(__wasi_fd_close(fd));
    }
    return e;
}

int main(void) {
    __wasi_fd_t base = root_directory();
    MUST_OK(__wasi_path_create_directory(base, DIR_NAME));
    __wasi_fd_t dir;
    MUST_OK(__wasi_path_open(
        base, 0, DIR_NAME, __WASI_OFLAGS_DIRECTORY,
        __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_READDIR |
            __WASI_RIGHTS_PATH_CREATE_FILE | __WASI_RIGHTS_PATH_CREATE_DIRECTORY |
            __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_OPEN |
            __WASI_RIGHTS_PATH_UNLINK_FILE,
        __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READDIR |
            __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_SEEK,
        0, &dir));

    MUST_OK(__wasi_path_create_directory(dir, "dir"));
    MUST_OK(__wasi_path_create_directory(dir, "dir/nested"));
    create_file(dir, "dir/nested/file");

    EXPECT_ERRNO(try_open(dir, "/dir/nested/file"), __WASI_ERRNO_PERM,
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_OK(try_open(dir, "dir/.//nested/../../dir/nested/../nested///./file"));

    static const char with_nul[] = "dir/nested/file\0";
    int32_t out;
    int32_t e = raw_path_open((int32_t)dir, 0, (int32_t)(uintptr_t)with_nul,
                              (int32_t)(sizeof with_nul - 1), 0, 0, 0, 0,
                              (int32_t)(uintptr_t)&out);
    if (e == 0) (void)__wasi_fd_close((__wasi_fd_t)out);
    EXPECT_ERRNO(e, __WASI_ERRNO_INVAL, __WASI_ERRNO_ILSEQ);

    EXPECT_ERRNO(try_open(dir, "dir/nested/file/"), __WASI_ERRNO_NOTDIR,
                 __WASI_ERRNO_NOENT);
    EXPECT_ERRNO(try_open(dir, "dir/nested/file///"), __WASI_ERRNO_NOTDIR,
                 __WASI_ERRNO_NOENT);
    EXPECT_OK(try_open(dir, "dir/nested/"));
    EXPECT_OK(try_open(dir, "dir/nested///"));
    EXPECT_ERRNO(try_open(dir, "dir/nested/../../../" DIR_NAME "/dir/nested/file"),
                 __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);

    EXPECT_OK(__wasi_path_unlink_file(dir, "dir/nested/file"));
    EXPECT_OK(__wasi_path_remove_directory(dir, "dir/nested"));
    EXPECT_OK(__wasi_path_remove_directory(dir, "dir"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
