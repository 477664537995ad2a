/* args_sizes_get counts the program name plus three arguments. Mirrors
 * tests/assemblyscript args_sizes_get-multiple-arguments.ts (run with three
 * arguments). */
#include "wasitest.h"

int main(void) {
    __wasi_size_t argc, size;
    MUST_OK(__wasi_args_sizes_get(&argc, &size));
    CHECK_EQ(argc, 4, "argument count");
    return wt_finish();
}
