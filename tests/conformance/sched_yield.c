/* sched_yield succeeds. Mirrors sched_yield.rs. */
#include "wasitest.h"

int main(void) {
    EXPECT_OK(__wasi_sched_yield());
    return wt_finish();
}
