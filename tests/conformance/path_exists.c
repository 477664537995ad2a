/* path_filestat_get with and without SYMLINK_FOLLOW on a directory, a
 * file, and symlinks to each: a link stats as a link unless followed.
 * Mirrors path_exists.rs. */
#include "wasitest.h"

#define DIR_NAME "path_exists_dir.cleanup"
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static void expect_type(__wasi_fd_t dir, __wasi_lookupflags_t flags,
                        const char *path, __wasi_filetype_t type) {
    __wasi_filestat_t st;
    if (EXPECT_OK(__wasi_path_filestat_get(dir, flags, path, &st)))
        CHECK(st.filetype == type, "type of %s (flags %u): expected %u, got %u",
              path, flags, type, st.filetype);
}

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);

    MUST_OK(__wasi_path_create_directory(dir, "subdir"));
    expect_type(dir, 0, "subdir", __WASI_FILETYPE_DIRECTORY);
    expect_type(dir, FOLLOW, "subdir", __WASI_FILETYPE_DIRECTORY);

    create_file(dir, "subdir/file");
    expect_type(dir, 0, "subdir/file", __WASI_FILETYPE_REGULAR_FILE);
    expect_type(dir, FOLLOW, "subdir/file", __WASI_FILETYPE_REGULAR_FILE);

    MUST_OK(__wasi_path_symlink("subdir/file", dir, "link1"));
    expect_type(dir, 0, "link1", __WASI_FILETYPE_SYMBOLIC_LINK);
    expect_type(dir, FOLLOW, "link1", __WASI_FILETYPE_REGULAR_FILE);

    MUST_OK(__wasi_path_symlink("subdir", dir, "link2"));
    expect_type(dir, 0, "link2", __WASI_FILETYPE_SYMBOLIC_LINK);
    expect_type(dir, FOLLOW, "link2", __WASI_FILETYPE_DIRECTORY);

    EXPECT_OK(__wasi_path_unlink_file(dir, "link1"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "link2"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "subdir/file"));
    EXPECT_OK(__wasi_path_remove_directory(dir, "subdir"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
