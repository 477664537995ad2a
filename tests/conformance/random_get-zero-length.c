/* random_get of 0 bytes succeeds. Mirrors tests/assemblyscript
 * random_get-zero-length.ts. */
#include "wasitest.h"

int main(void) {
    uint8_t *buf = malloc(1);
    EXPECT_OK(__wasi_random_get(buf, 0));
    free(buf);
    return wt_finish();
}
