/* Opening with CREAT|TRUNC empties a file that had content. Mirrors
 * file_truncation.rs. */
#include "wasitest.h"

#define DIR_NAME "file_truncation_dir.cleanup"
#define FILE_NAME "test.txt"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t fd;
    __wasi_size_t n;
    const char content[] = "this content will be truncated!";

    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT,
                             __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
    EXPECT_OK(write_buf(fd, content, strlen(content), &n));
    CHECK_EQ(n, strlen(content), "bytes written");
    EXPECT_OK(__wasi_fd_close(fd));

    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME,
                             __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                             __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READ, 0,
                             0, &fd));
    uint8_t buf[100];
    EXPECT_OK(read_buf(fd, buf, sizeof buf, &n));
    CHECK_EQ(n, 0, "bytes read after truncation");
    EXPECT_OK(__wasi_fd_close(fd));

    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
