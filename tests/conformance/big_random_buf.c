/* random_get fills a 1024-byte buffer with something other than zeros.
 * Mirrors tests/rust/.../big_random_buf.rs. */
#include "wasitest.h"

int main(void) {
    static uint8_t buf[1024];
    MUST_OK(__wasi_random_get(buf, sizeof buf));
    int nonzero = 0;
    for (size_t i = 0; i < sizeof buf; i++) nonzero |= buf[i] != 0;
    CHECK(nonzero, "random_get returned 1024 zero bytes");
    return wt_finish();
}
