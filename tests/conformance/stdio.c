/* Each standard stream can be renumbered onto a file descriptor: the
 * target stays open and the stream's number is closed. Mirrors stdio.rs.
 * Failures are reported through the exit status only, since stderr itself
 * is renumbered away. */
#include "wasitest.h"

#define DIR_NAME "stdio_dir.cleanup"
#define FILE_NAME "file.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    int bad = 0;
    for (__wasi_fd_t from = 0; from <= 2; from++) {
        __wasi_fd_t to;
        __wasi_fdstat_t st;
        if (__wasi_path_open(dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT, 0, 0, 0,
                             &to) != __WASI_ERRNO_SUCCESS)
            return 10 + (int)from;
        bad |= __wasi_fd_renumber(from, to) != __WASI_ERRNO_SUCCESS;
        bad |= __wasi_fd_fdstat_get(to, &st) != __WASI_ERRNO_SUCCESS;
        bad |= __wasi_fd_fdstat_get(from, &st) == __WASI_ERRNO_SUCCESS;
        bad |= __wasi_path_unlink_file(dir, FILE_NAME) != __WASI_ERRNO_SUCCESS;
        if (bad) return 20 + (int)from;
    }
    if (__wasi_path_remove_directory(base, DIR_NAME) != __WASI_ERRNO_SUCCESS)
        return 30;
    return 0;
}
