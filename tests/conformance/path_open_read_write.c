/* Rights requested at path_open decide what a descriptor may do: a
 * read-only descriptor reads but cannot write, a write-only one writes but
 * cannot read, a read-write one does both. Mirrors
 * path_open_read_write.rs. */
#include "wasitest.h"

#define FILE_NAME "file.cleanup"

int main(void) {
    __wasi_fd_t dir = root_directory();
    create_file(dir, FILE_NAME);

    uint8_t buf[100];
    uint8_t ones[50], twos[25];
    memset(ones, 1, sizeof ones);
    memset(twos, 2, sizeof twos);
    __wasi_size_t n;
    __wasi_fdstat_t st;
    __wasi_fd_t fd;

    /* Read only. */
    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, 0, __WASI_RIGHTS_FD_READ, 0, 0,
                             &fd));
    MUST_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READ, "read-only lacks FD_READ");
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE), "read-only has FD_WRITE");
    EXPECT_OK(read_buf(fd, buf, sizeof buf, &n));
    CHECK_EQ(n, 0, "bytes read from the empty file");
    EXPECT_ERRNO(write_buf(fd, ones, sizeof ones, &n), __WASI_ERRNO_BADF,
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_OK(__wasi_fd_close(fd));

    /* Write only. */
    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, 0, __WASI_RIGHTS_FD_WRITE, 0, 0,
                             &fd));
    MUST_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_READ), "write-only has FD_READ");
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE, "write-only lacks FD_WRITE");
    EXPECT_ERRNO(read_buf(fd, buf, sizeof buf, &n), __WASI_ERRNO_BADF,
                 __WASI_ERRNO_NOTCAPABLE);
    EXPECT_OK(write_buf(fd, ones, sizeof ones, &n));
    CHECK_EQ(n, sizeof ones, "bytes written write-only");
    EXPECT_OK(__wasi_fd_close(fd));

    /* Read and write. */
    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, 0,
                             __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                 __WASI_RIGHTS_FD_FILESTAT_GET,
                             0, 0, &fd));
    MUST_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READ, "read-write lacks FD_READ");
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE, "read-write lacks FD_WRITE");
    EXPECT_OK(read_buf(fd, buf, sizeof buf, &n));
    CHECK_EQ(n, sizeof ones, "bytes read back");
    EXPECT_OK(write_buf(fd, twos, sizeof twos, &n));
    CHECK_EQ(n, sizeof twos, "bytes written read-write");
    __wasi_filestat_t fst;
    if (EXPECT_OK(__wasi_fd_filestat_get(fd, &fst)))
        CHECK_EQ(fst.size, sizeof ones + sizeof twos, "final size");
    EXPECT_OK(__wasi_fd_close(fd));

    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));
    return wt_finish();
}
