/* path_readlink writes the target without a NUL and leaves the rest of
 * the buffer alone; a short buffer gets the target's first bytes. Mirrors
 * readlink.rs. */
#include "wasitest.h"

#define DIR_NAME "readlink_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    create_file(dir, "target");
    MUST_OK(__wasi_path_symlink("target", dir, "symlink"));

    uint8_t buf[10] = {0};
    __wasi_size_t used = 0;
    EXPECT_OK(__wasi_path_readlink(dir, "symlink", buf, sizeof buf, &used));
    CHECK_EQ(used, 6, "bytes used");
    CHECK(memcmp(buf, "target", 6) == 0, "buffer does not hold \"target\"");
    CHECK(buf[6] == 0 && buf[7] == 0 && buf[8] == 0 && buf[9] == 0,
          "bytes after the target were touched");

    uint8_t small[4] = {0};
    used = 0;
    EXPECT_OK(__wasi_path_readlink(dir, "symlink", small, sizeof small, &used));
    CHECK_EQ(used, 4, "bytes used in a short buffer");
    CHECK(memcmp(small, "targ", 4) == 0, "short buffer does not hold \"targ\"");

    EXPECT_OK(__wasi_path_unlink_file(dir, "target"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_fd_close(dir));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
