/* A directory opened asking for FD_SEEK cannot seek and does not get the
 * right. Mirrors directory_seek.rs. */
#include "wasitest.h"

#define DIR_NAME "directory_seek_dir.cleanup"

int main(void) {
    __wasi_fd_t dir = root_directory();
    MUST_OK(__wasi_path_create_directory(dir, DIR_NAME));

    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, DIR_NAME, __WASI_OFLAGS_DIRECTORY,
                             __WASI_RIGHTS_FD_SEEK, 0, 0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);

    __wasi_filesize_t pos;
    EXPECT_ERRNO(__wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos),
                 __WASI_ERRNO_ISDIR, __WASI_ERRNO_NOTCAPABLE,
                 __WASI_ERRNO_BADF);

    __wasi_fdstat_t st;
    if (EXPECT_OK(__wasi_fd_fdstat_get(fd, &st))) {
        CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY, "file type");
        CHECK((st.fs_rights_base & __WASI_RIGHTS_FD_SEEK) == 0,
              "directory has the seek right");
    }

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_remove_directory(dir, DIR_NAME));
    return wt_finish();
}
