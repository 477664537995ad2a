/* A regular file is not a terminal: libc's isatty says 0. Mirrors
 * isatty.rs. */
#include <unistd.h>

#include "wasitest.h"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, "isatty_dir.cleanup");

    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd));
    CHECK(fd > 2, "file descriptor %u is a standard stream", fd);
    CHECK(isatty((int)fd) == 0, "a regular file reports being a tty");
    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));

    EXPECT_OK(__wasi_fd_close(dir));
    EXPECT_OK(__wasi_path_remove_directory(base, "isatty_dir.cleanup"));
    return wt_finish();
}
