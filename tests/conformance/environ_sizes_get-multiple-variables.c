/* environ_sizes_get counts three variables. Mirrors tests/assemblyscript
 * environ_sizes_get-multiple-variables.ts (run with a=b, b=c, c=d). */
#include "wasitest.h"

int main(void) {
    __wasi_size_t count, size;
    MUST_OK(__wasi_environ_sizes_get(&count, &size));
    CHECK_EQ(count, 3, "variable count");
    return wt_finish();
}
