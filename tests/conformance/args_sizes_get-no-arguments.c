/* args_sizes_get counts only the program name. Mirrors
 * tests/assemblyscript args_sizes_get-no-arguments.ts. */
#include "wasitest.h"

int main(void) {
    __wasi_size_t argc, size;
    MUST_OK(__wasi_args_sizes_get(&argc, &size));
    CHECK_EQ(argc, 1, "argument count");
    return wt_finish();
}
