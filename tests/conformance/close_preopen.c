/* Closing the preopened descriptor 3 works, a descriptor opened from it
 * stays usable, and descriptor 3 is then gone (BADF). Mirrors
 * close_preopen.rs. */
#include "wasitest.h"

int main(void) {
    __wasi_fd_t dir = root_directory();
    const __wasi_fd_t pre = 3;
    CHECK(dir > pre, "root copy %u should be above the preopen", dir);

    MUST_OK(__wasi_fd_close(pre));

    __wasi_fdstat_t st;
    if (EXPECT_OK(__wasi_fd_fdstat_get(dir, &st)))
        CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY, "copy's file type");
    EXPECT_ERRNO(__wasi_fd_fdstat_get(pre, &st), __WASI_ERRNO_BADF);
    return wt_finish();
}
