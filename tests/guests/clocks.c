/*
 * clock_res_get and clock_time_get, raw and through libc.
 *
 *   clocks            checks that hold on any WASI host (real clocks)
 *   clocks START      also checks the sandbox's virtual clock, started with
 *                     `--time START`: realtime and monotonic are one counter
 *                     that starts at START seconds and advances by exactly
 *                     1000 ns per clock_time_get.
 *
 * Prints the outcome of the CPU-time clocks (which a host may refuse with
 * EINVAL) and the summary.
 */
#include <time.h>

#include "check.h"

#define NS_PER_S 1000000000ULL
#define TICK_NS 1000ULL

static uint64_t now(__wasi_clockid_t id) {
    __wasi_timestamp_t t = 0;
    __wasi_errno_t e = __wasi_clock_time_get(id, 1, &t);
    if (e != __WASI_ERRNO_SUCCESS)
        check_errno("clock_time_get", __WASI_ERRNO_SUCCESS, e);
    return t;
}

static void check_virtual(uint64_t start_s) {
    /* The first reading in the program; nothing before main reads the
     * clock, so it is START plus at most a few ticks. */
    uint64_t base = start_s * NS_PER_S;
    uint64_t t0 = now(__WASI_CLOCKID_REALTIME);
    char detail[128];
    snprintf(detail, sizeof detail,
             "expected %" PRIu64 " ns plus a few us, got %" PRIu64, base, t0);
    check_true("first realtime reading", t0 >= base && t0 - base <= 10 * TICK_NS,
               detail);

    /* Every query advances the shared counter by exactly one tick. */
    uint64_t prev = t0;
    for (int i = 0; i < 50; i++) {
        __wasi_clockid_t id =
            i % 2 ? __WASI_CLOCKID_MONOTONIC : __WASI_CLOCKID_REALTIME;
        uint64_t t = now(id);
        check_u64(id == __WASI_CLOCKID_MONOTONIC ? "monotonic tick"
                                                 : "realtime tick",
                  prev + TICK_NS, t);
        prev = t;
    }

    /* The precision argument changes nothing. */
    __wasi_timestamp_t t = 0;
    check_ok("clock_time_get huge precision",
             __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, UINT64_MAX, &t));
    check_u64("tick with huge precision", prev + TICK_NS, t);

    /* libc's time() and clock_gettime() see the same clock. */
    check_u64("time()", start_s, (uint64_t)time(NULL));
    struct timespec ts;
    check_true("clock_gettime", clock_gettime(CLOCK_REALTIME, &ts) == 0,
               "returned -1");
    check_u64("clock_gettime seconds", start_s, (uint64_t)ts.tv_sec);
}

static void check_any_host(void) {
    __wasi_timestamp_t res = 0;
    check_ok("clock_res_get realtime",
             __wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &res));
    check_true("realtime resolution > 0", res > 0, "got 0");
    check_true("realtime resolution <= 1 s", res <= NS_PER_S, "too coarse");
    res = 0;
    check_ok("clock_res_get monotonic",
             __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res));
    check_true("monotonic resolution > 0", res > 0, "got 0");

    uint64_t prev = now(__WASI_CLOCKID_MONOTONIC);
    int backwards = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t t = now(__WASI_CLOCKID_MONOTONIC);
        if (t < prev) backwards++;
        prev = t;
    }
    check_u64("monotonic readings going backwards", 0, backwards);

    __wasi_timestamp_t t = 0;
    check_errno("clock_time_get unknown clock", __WASI_ERRNO_INVAL,
                __wasi_clock_time_get(99, 1, &t));
    check_errno("clock_res_get unknown clock", __WASI_ERRNO_INVAL,
                __wasi_clock_res_get(99, &t));
}

/* CPU-time clocks may be unsupported: EINVAL or success are both fine. */
static void check_cputime(const char *name, __wasi_clockid_t id) {
    __wasi_timestamp_t res = 0, t = 0;
    __wasi_errno_t e1 = __wasi_clock_res_get(id, &res);
    __wasi_errno_t e2 = __wasi_clock_time_get(id, 1, &t);
    char what[64];
    snprintf(what, sizeof what, "%s clock_res_get", name);
    check_errno2(what, __WASI_ERRNO_SUCCESS, __WASI_ERRNO_INVAL, e1);
    snprintf(what, sizeof what, "%s clock_time_get", name);
    check_errno2(what, __WASI_ERRNO_SUCCESS, __WASI_ERRNO_INVAL, e2);
    printf("%s: %s\n", name, e2 == __WASI_ERRNO_SUCCESS ? "ok" : errno_name(e2));
}

int main(int argc, char **argv) {
    /* The virtual checks must come first: they need the first reading. */
    if (argc > 1) check_virtual(strtoull(argv[1], NULL, 10));
    check_any_host();
    check_cputime("process cputime", __WASI_CLOCKID_PROCESS_CPUTIME_ID);
    check_cputime("thread cputime", __WASI_CLOCKID_THREAD_CPUTIME_ID);
    return check_finish("clocks");
}
