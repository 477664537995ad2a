/* fd_write to descriptor -31337 (as u32) is BADF. Mirrors
 * tests/assemblyscript fd_write-to-invalid-fd.ts. */
#include "wasitest.h"

int main(void) {
    __wasi_size_t n;
    EXPECT_ERRNO(__wasi_fd_write((__wasi_fd_t)-31337, NULL, 0, &n),
                 __WASI_ERRNO_BADF);
    return wt_finish();
}
