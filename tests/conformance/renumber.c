/* fd_renumber moves a descriptor onto another open one: the source number
 * is closed, the target has the source's fdstat, and renumbering onto a
 * closed number is BADF. Mirrors renumber.rs. */
#include "wasitest.h"

#define DIR_NAME "renumber_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    CHECK(dir > 3, "directory %u should be above the preopen", dir);
    const __wasi_rights_t rw = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE;

    __wasi_fd_t from, to;
    MUST_OK(__wasi_path_open(dir, 0, "file1", __WASI_OFLAGS_CREAT, rw, 0, 0, &from));
    CHECK(from > 2, "descriptor %u is a standard stream", from);
    __wasi_fdstat_t st_from;
    MUST_OK(__wasi_fd_fdstat_get(from, &st_from));
    MUST_OK(__wasi_path_open(dir, 0, "file2", __WASI_OFLAGS_CREAT, rw, 0, 0, &to));
    CHECK(to > 2, "descriptor %u is a standard stream", to);

    MUST_OK(__wasi_fd_renumber(from, to));
    EXPECT_ERRNO(__wasi_fd_close(from), __WASI_ERRNO_BADF);

    __wasi_fdstat_t st_to;
    if (EXPECT_OK(__wasi_fd_fdstat_get(to, &st_to))) {
        CHECK_EQ(st_to.fs_filetype, st_from.fs_filetype, "file type");
        CHECK_EQ(st_to.fs_flags, st_from.fs_flags, "flags");
        CHECK_EQ(st_to.fs_rights_base, st_from.fs_rights_base, "base rights");
        CHECK_EQ(st_to.fs_rights_inheriting, st_from.fs_rights_inheriting,
                 "inheriting rights");
    }
    EXPECT_ERRNO(__wasi_fd_renumber(to, from), __WASI_ERRNO_BADF);

    EXPECT_OK(__wasi_fd_close(to));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file1"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file2"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
