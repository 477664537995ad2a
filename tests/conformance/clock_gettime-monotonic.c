/* Two clock_gettime(CLOCK_MONOTONIC) readings strictly increase. Mirrors
 * tests/c clock_gettime-monotonic.c. */
#include <time.h>

#include "wasitest.h"

int main(void) {
    struct timespec a, b;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "first reading failed");
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "second reading failed");
    if (a.tv_sec == b.tv_sec)
        CHECK(a.tv_nsec < b.tv_nsec, "nsec did not increase: %ld then %ld",
              (long)a.tv_nsec, (long)b.tv_nsec);
    else
        CHECK(a.tv_sec < b.tv_sec, "sec went back: %lld then %lld",
              (long long)a.tv_sec, (long long)b.tv_sec);
    return wt_finish();
}
