/* path_open of "." with the NONBLOCK fdflag succeeds. Mirrors
 * path_open_nonblock.rs. */
#include "wasitest.h"

int main(void) {
    __wasi_fd_t dir = root_directory();
    __wasi_fd_t fd;
    EXPECT_OK(__wasi_path_open(dir, 0, ".", 0, 0, 0, __WASI_FDFLAGS_NONBLOCK,
                               &fd));
    return wt_finish();
}
