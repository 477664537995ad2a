/* fd_write of "hello" to stdout reports 5 bytes; the harness checks the
 * output is exactly "hello". Mirrors tests/assemblyscript
 * fd_write-to-stdout.ts. */
#include "wasitest.h"

int main(void) {
    __wasi_size_t n = 0;
    EXPECT_OK(write_buf(1, "hello", 5, &n));
    CHECK_EQ(n, 5, "bytes written");
    return wt_finish();
}
