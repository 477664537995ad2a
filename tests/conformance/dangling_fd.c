/* A file unlinked while a descriptor still holds it can be created again
 * under the same name; likewise a directory removed while open. Mirrors
 * dangling_fd.rs. */
#include "wasitest.h"

#define FILE_NAME "dangling_fd_file.cleanup"
#define DIR_NAME "dangling_fd_subdir.cleanup"

int main(void) {
    __wasi_fd_t dir = root_directory();
    __wasi_fd_t fd, held;

    /* A file: create, reopen, unlink while held open, create again. */
    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT, 0, 0, 0, &fd));
    MUST_OK(__wasi_fd_close(fd));
    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, 0, 0, 0, 0, &held));
    CHECK(held > 2, "file descriptor %u is a standard stream", held);
    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));
    MUST_OK(__wasi_path_open(dir, 0, FILE_NAME, __WASI_OFLAGS_CREAT, 0, 0, 0, &fd));
    EXPECT_OK(__wasi_fd_close(fd));
    EXPECT_OK(__wasi_path_unlink_file(dir, FILE_NAME));

    /* A directory: create, open, remove while held open, create again. */
    MUST_OK(__wasi_path_create_directory(dir, DIR_NAME));
    MUST_OK(__wasi_path_open(dir, 0, DIR_NAME, __WASI_OFLAGS_DIRECTORY, 0, 0, 0,
                             &fd));
    CHECK(fd > 2, "directory descriptor %u is a standard stream", fd);
    EXPECT_OK(__wasi_path_remove_directory(dir, DIR_NAME));
    EXPECT_OK(__wasi_path_create_directory(dir, DIR_NAME));
    return wt_finish();
}
