/* path_filestat_set_times without SYMLINK_FOLLOW changes the link's own
 * mtim and not the file's; with it, the file's. path_filestat_get follows
 * the same way. Mirrors symlink_filestat.rs. */
#include "wasitest.h"

#define DIR_NAME "symlink_filestat_dir.cleanup"
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);

    __wasi_fdstat_t fst;
    MUST_OK(__wasi_fd_fdstat_get(dir, &fst));
    CHECK(fst.fs_rights_base & __WASI_RIGHTS_PATH_FILESTAT_GET,
          "directory lacks PATH_FILESTAT_GET");

    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
                             __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                 __WASI_RIGHTS_PATH_FILESTAT_GET,
                             0, 0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);

    __wasi_filestat_t file_st, sym_st, st;
    MUST_OK(__wasi_path_filestat_get(dir, 0, "file", &file_st));
    CHECK_EQ(file_st.size, 0, "size of a new file");

    MUST_OK(__wasi_path_symlink("file", dir, "symlink"));
    MUST_OK(__wasi_path_filestat_get(dir, 0, "symlink", &sym_st));

    /* The link's own mtim. */
    __wasi_timestamp_t sym_new = sym_st.mtim - 200;
    EXPECT_OK(__wasi_path_filestat_set_times(dir, 0, "symlink", 0, sym_new,
                                             __WASI_FSTFLAGS_MTIM));
    if (EXPECT_OK(__wasi_path_filestat_get(dir, 0, "symlink", &st)))
        CHECK_EQ(st.mtim, sym_new, "symlink mtim");
    if (EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &st)))
        CHECK_EQ(st.mtim, file_st.mtim, "file mtim after setting the link's");
    if (EXPECT_OK(__wasi_path_filestat_get(dir, FOLLOW, "symlink", &st)))
        CHECK_EQ(st.mtim, file_st.mtim, "mtim through the followed link");

    /* The file's, through the link. */
    EXPECT_OK(__wasi_path_filestat_set_times(dir, FOLLOW, "symlink", 0,
                                             sym_st.mtim, __WASI_FSTFLAGS_MTIM));
    if (EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &st)))
        CHECK_EQ(st.mtim, sym_st.mtim, "file mtim set through the link");

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
