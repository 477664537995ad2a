/* A file opened with APPEND writes at the end whatever the position;
 * after fd_fdstat_set_flags(0) it writes at the position again. Mirrors
 * fd_flags_set.rs. */
#include "wasitest.h"

#define FILE_NAME "fd_flags_set_file.cleanup"

static void write_fill(__wasi_fd_t fd, uint8_t value) {
    uint8_t data[100];
    __wasi_size_t n;
    memset(data, value, sizeof data);
    EXPECT_OK(write_buf(fd, data, sizeof data, &n));
    CHECK_EQ(n, 100, "bytes written");
}

static void read_expect(__wasi_fd_t fd, uint8_t value) {
    uint8_t data[100];
    __wasi_size_t n;
    memset(data, 0xee, sizeof data);
    EXPECT_OK(read_buf(fd, data, sizeof data, &n));
    CHECK_EQ(n, 100, "bytes read");
    for (size_t i = 0; i < sizeof data; i++)
        if (data[i] != value) {
            CHECK(0, "byte %zu is %u, expected %u", i, data[i], value);
            break;
        }
}

static void seek_to(__wasi_fd_t fd, int64_t at) {
    __wasi_filesize_t pos;
    EXPECT_OK(__wasi_fd_seek(fd, at, __WASI_WHENCE_SET, &pos));
}

int main(void) {
    __wasi_fd_t dir = root_directory();
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(
        dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT,
        __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
            __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS,
        0, __WASI_FDFLAGS_APPEND, &fd));

    write_fill(fd, 0);
    seek_to(fd, 0);
    read_expect(fd, 0);

    /* Back at 0, an append-mode write still lands at 100. */
    seek_to(fd, 0);
    write_fill(fd, 1);
    seek_to(fd, 100);
    read_expect(fd, 1);

    /* Without APPEND, writing at 0 overwrites. */
    EXPECT_OK(__wasi_fd_fdstat_set_flags(fd, 0));
    seek_to(fd, 0);
    write_fill(fd, 2);
    seek_to(fd, 0);
    read_expect(fd, 2);

    EXPECT_OK(__wasi_fd_close(fd));
    __wasi_filestat_t st;
    if (EXPECT_OK(__wasi_path_filestat_get(dir, 0, FILE_NAME, &st)))
        CHECK_EQ(st.size, 200, "final size");
    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));
    return wt_finish();
}
