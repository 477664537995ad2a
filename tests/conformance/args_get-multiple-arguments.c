/* args_sizes_get counts 4 arguments and args_get returns them: after the
 * program name, "first", "the \"second\" arg" and "3". Mirrors
 * tests/assemblyscript args_get-multiple-arguments.ts (run with those three
 * arguments). */
#include "wasitest.h"

int main(void) {
    __wasi_size_t argc, size;
    MUST_OK(__wasi_args_sizes_get(&argc, &size));
    CHECK_EQ(argc, 4, "argument count");
    if (argc != 4) wt_abort();

    uint8_t *argv[4];
    uint8_t *buf = malloc(size);
    if (!buf) wt_abort();
    MUST_OK(__wasi_args_get(argv, buf));
    const char *expected[] = {"first", "the \"second\" arg", "3"};
    for (int i = 1; i < 4; i++)
        CHECK(strcmp((const char *)argv[i], expected[i - 1]) == 0,
              "argument %d is \"%s\", expected \"%s\"", i, (const char *)argv[i],
              expected[i - 1]);
    free(buf);
    return wt_finish();
}
