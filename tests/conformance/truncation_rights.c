/* O_TRUNC at path_open needs PATH_FILESTAT_SET_SIZE on the directory, not
 * FD_FILESTAT_SET_SIZE: dropping the inheriting FD right keeps truncation
 * working, dropping the base PATH right makes it PERM or NOTCAPABLE.
 * Mirrors truncation_rights.rs. */
#include "wasitest.h"

#define DIR_NAME "truncation_rights_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    create_file(dir, "file");

    __wasi_fdstat_t st;
    MUST_OK(__wasi_fd_fdstat_get(dir, &st));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY, "directory file type");
    CHECK_EQ(st.fs_flags, 0, "directory flags");
    CHECK((st.fs_rights_base & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE) == 0,
          "a directory has FD_FILESTAT_SET_SIZE");

    if (st.fs_rights_base & __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE) {
        __wasi_fd_t fd;
        if (EXPECT_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0,
                                       0, &fd)))
            EXPECT_OK(__wasi_fd_close(fd));

        __wasi_rights_t rbase = st.fs_rights_base;
        __wasi_rights_t rinh = st.fs_rights_inheriting;
        if (rinh & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE) {
            rinh &= ~__WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
            MUST_OK(__wasi_fd_fdstat_set_rights(dir, rbase, rinh));
        }
        if (EXPECT_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0,
                                       0, &fd)))
            EXPECT_OK(__wasi_fd_close(fd));

        rbase &= ~__WASI_RIGHTS_PATH_FILESTAT_SET_SIZE;
        MUST_OK(__wasi_fd_fdstat_set_rights(dir, rbase, rinh));
        MUST_OK(__wasi_fd_fdstat_get(dir, &st));
        CHECK((st.fs_rights_base & __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE) == 0,
              "PATH_FILESTAT_SET_SIZE still granted after dropping it");
        EXPECT_ERRNO(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0,
                                      0, &fd),
                     __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
    } else {
        fprintf(stderr, "no PATH_FILESTAT_SET_SIZE right, skipping\n");
    }

    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
