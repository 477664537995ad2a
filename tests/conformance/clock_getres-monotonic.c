/* clock_getres(CLOCK_MONOTONIC) succeeds. Mirrors tests/c clock_getres-monotonic.c. */
#include <time.h>

#include "wasitest.h"

int main(void) {
    struct timespec ts;
    CHECK(clock_getres(CLOCK_MONOTONIC, &ts) == 0, "clock_getres failed");
    return wt_finish();
}
