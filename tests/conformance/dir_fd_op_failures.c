/* File operations on a directory descriptor fail: reads, writes, seeks,
 * tell, allocate and set_size; fd_prestat_dir_name rejects a too-short
 * buffer and accepts a longer one. Mirrors dir_fd_op_failures.rs. */
#include "wasitest.h"

#define E_FILE_OP __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE

int main(void) {
    __wasi_fd_t dir = root_directory();
    __wasi_filestat_t fst;
    MUST_OK(__wasi_fd_filestat_get(dir, &fst));
    CHECK_EQ(fst.filetype, __WASI_FILETYPE_DIRECTORY, "root file type");

    /* The first preopened directory. */
    __wasi_fd_t pre = 0;
    size_t name_len = 0;
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != __WASI_ERRNO_SUCCESS) break;
        if (ps.tag == __WASI_PREOPENTYPE_DIR) {
            pre = fd;
            name_len = ps.u.dir.pr_name_len;
            break;
        }
    }
    if (pre == 0) {
        CHECK(0, "no preopened directory");
        wt_abort();
    }
    uint8_t name[300];
    EXPECT_ERRNO(__wasi_fd_prestat_dir_name(pre, name, 0), __WASI_ERRNO_INVAL,
                 __WASI_ERRNO_NAMETOOLONG);
    if (name_len + 1 <= sizeof name)
        EXPECT_OK(__wasi_fd_prestat_dir_name(pre, name, name_len + 1));

    uint8_t buf[128] = {0};
    __wasi_iovec_t iov = {buf, sizeof buf};
    __wasi_ciovec_t ciov = {buf, sizeof buf};
    __wasi_size_t n;
    __wasi_filesize_t pos;
    EXPECT_ERRNO(__wasi_fd_read(dir, &iov, 1, &n), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_pread(dir, &iov, 1, 0, &n), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_write(dir, &ciov, 1, &n), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_pwrite(dir, &ciov, 1, 0, &n), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_seek(dir, 0, __WASI_WHENCE_CUR, &pos), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_seek(dir, 0, __WASI_WHENCE_SET, &pos), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_seek(dir, 0, __WASI_WHENCE_END, &pos), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_tell(dir, &pos), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_allocate(dir, 0, 1), E_FILE_OP);
    EXPECT_ERRNO(__wasi_fd_filestat_set_size(dir, 0), __WASI_ERRNO_ISDIR,
                 __WASI_ERRNO_INVAL, __WASI_ERRNO_BADF,
                 __WASI_ERRNO_NOTCAPABLE);
    return wt_finish();
}
