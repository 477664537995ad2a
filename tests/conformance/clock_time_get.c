/* clock_time_get on the monotonic clock succeeds with precision 1 and 0,
 * and two readings never go backwards. Mirrors clock_time_get.rs. */
#include "wasitest.h"

int main(void) {
    __wasi_timestamp_t t0, t1, t2;
    EXPECT_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0));
    MUST_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t1));
    MUST_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t2));
    CHECK(t1 <= t2, "monotonic clock went back: %llu then %llu",
          (unsigned long long)t1, (unsigned long long)t2);
    return wt_finish();
}
