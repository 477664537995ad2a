/* clock_gettime(CLOCK_REALTIME) succeeds. Mirrors tests/c
 * clock_gettime-realtime.c. */
#include <time.h>

#include "wasitest.h"

int main(void) {
    struct timespec ts;
    CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0, "clock_gettime failed");
    return wt_finish();
}
