/* environ_sizes_get counts no variables when none are given. Mirrors
 * tests/assemblyscript environ_sizes_get-no-variables.ts. */
#include "wasitest.h"

int main(void) {
    __wasi_size_t count, size;
    MUST_OK(__wasi_environ_sizes_get(&count, &size));
    CHECK_EQ(count, 0, "variable count");
    return wt_finish();
}
