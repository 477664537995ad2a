/* Dropping FD_READ and FD_WRITE with fd_fdstat_set_rights makes reads and
 * writes fail and keeps the other rights; rights cannot be regained.
 * Mirrors fd_fdstat_set_rights.rs. */
#include "wasitest.h"

#define DIR_NAME "rights_dir.cleanup"
#define FILE_NAME "file.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    const __wasi_rights_t rw = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE;
    const __wasi_rights_t all = rw | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL;

    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT, all, 0, 0,
                             &fd));

    /* With the rights, the bytes go in and come back. */
    uint8_t data[4] = {0, 1, 2, 3}, back[4] = {0};
    __wasi_size_t n;
    __wasi_filesize_t pos;
    EXPECT_OK(write_buf(fd, data, sizeof data, &n));
    EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    EXPECT_OK(read_buf(fd, back, sizeof back, &n));
    CHECK_EQ(n, 4, "bytes read back");
    CHECK(memcmp(data, back, 4) == 0, "read bytes differ from written ones");

    /* Drop read and write. */
    __wasi_fdstat_t st;
    MUST_OK(__wasi_fd_fdstat_get(fd, &st));
    MUST_OK(__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~rw,
                                        st.fs_rights_inheriting));
    MUST_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK((st.fs_rights_base & rw) == 0, "read/write rights still present");
    CHECK((st.fs_rights_base & __WASI_RIGHTS_FD_SEEK) != 0, "seek right lost");

    EXPECT_ERRNO(read_buf(fd, back, sizeof back, &n), __WASI_ERRNO_BADF,
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_ERRNO(write_buf(fd, data, sizeof data, &n), __WASI_ERRNO_BADF,
                 __WASI_ERRNO_NOTCAPABLE);

    /* Asking for them back fails. */
    EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base | all,
                                             st.fs_rights_inheriting | all),
                 __WASI_ERRNO_NOTCAPABLE);

    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
