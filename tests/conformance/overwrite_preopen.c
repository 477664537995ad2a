/* fd_renumber onto the preopened descriptor 3 replaces it: 3 then names
 * the renumbered directory (same dev and inode) and the old number is
 * closed. Mirrors overwrite_preopen.rs. */
#include "wasitest.h"

#define DIR_NAME "overwrite_preopen_dir.cleanup"

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    const __wasi_fd_t pre = 3;
    CHECK(dir > pre, "directory %u should be above the preopen", dir);

    __wasi_filestat_t before, after;
    MUST_OK(__wasi_fd_filestat_get(dir, &before));
    MUST_OK(__wasi_fd_renumber(dir, pre));
    if (EXPECT_OK(__wasi_fd_filestat_get(pre, &after))) {
        CHECK_EQ(after.dev, before.dev, "dev after renumber");
        CHECK_EQ(after.ino, before.ino, "ino after renumber");
    }
    __wasi_fdstat_t st;
    EXPECT_ERRNO(__wasi_fd_fdstat_get(dir, &st), __WASI_ERRNO_BADF);
    EXPECT_OK(__wasi_fd_close(pre));

    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
