/* random_get of 32 bytes succeeds. Mirrors tests/assemblyscript
 * random_get-non-zero-length.ts. */
#include "wasitest.h"

int main(void) {
    static uint8_t buf[32];
    EXPECT_OK(__wasi_random_get(buf, sizeof buf));
    return wt_finish();
}
