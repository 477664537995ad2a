/* clock_getres(CLOCK_REALTIME) succeeds. Mirrors tests/c clock_getres-realtime.c. */
#include <time.h>

#include "wasitest.h"

int main(void) {
    struct timespec ts;
    CHECK(clock_getres(CLOCK_REALTIME, &ts) == 0, "clock_getres failed");
    return wt_finish();
}
