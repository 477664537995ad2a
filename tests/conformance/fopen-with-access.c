/* fopen("file", "r") of a file in the preopened root works. Mirrors tests/c
 * fopen-with-access.c. Fixture: `file` in the root. */
#include "wasitest.h"

int main(void) {
    FILE *f = fopen("file", "r");
    if (f == NULL) {
        CHECK(0, "fopen(\"file\") failed");
        wt_abort();
    }
    CHECK(fclose(f) == 0, "fclose failed");
    return wt_finish();
}
