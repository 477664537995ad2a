/* environ_get returns exactly a=text, b=escap " ing and c=new<LF>line, in
 * any order. Mirrors tests/assemblyscript environ_get-multiple-variables.ts
 * (run with those three variables). */
#include "wasitest.h"

int main(void) {
    const char *expected[] = {"a=text", "b=escap \" ing", "c=new\nline"};
    int seen[3] = {0, 0, 0};
    __wasi_size_t count, size;
    MUST_OK(__wasi_environ_sizes_get(&count, &size));
    CHECK_EQ(count, 3, "variable count");
    if (count != 3) wt_abort();

    uint8_t *env[3];
    uint8_t *buf = malloc(size);
    if (!buf) wt_abort();
    MUST_OK(__wasi_environ_get(env, buf));
    for (int i = 0; i < 3; i++) {
        int found = 0;
        for (int j = 0; j < 3; j++)
            if (!seen[j] && strcmp((const char *)env[i], expected[j]) == 0) {
                seen[j] = found = 1;
                break;
            }
        CHECK(found, "unexpected or repeated variable \"%s\"", (const char *)env[i]);
    }
    free(buf);
    return wt_finish();
}
