/*
 * poll_oneoff and sched_yield, raw, plus libc's sleeps (which are built on
 * poll_oneoff).
 *
 *   poll          checks that hold on any WASI host
 *   poll virtual  also checks the sandbox's virtual clock: a clock wait
 *                 advances it instantly by at least the timeout, and a
 *                 subscription that is ready at once does not wait.
 *
 * The host test times the whole run, so "instantly" is checked there.
 */
#include <time.h>
#include <unistd.h>

#include "check.h"

#define NS_PER_S 1000000000ULL

static uint64_t now(void) {
    __wasi_timestamp_t t = 0;
    check_ok("clock_time_get", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC,
                                                     1, &t));
    return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata,
                                       __wasi_clockid_t clock,
                                       uint64_t timeout, int absolute) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = clock;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.precision = 0;
    s.u.u.clock.flags =
        absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, __wasi_eventtype_t type,
                                    __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    if (type == __WASI_EVENTTYPE_FD_READ)
        s.u.u.fd_read.file_descriptor = fd;
    else
        s.u.u.fd_write.file_descriptor = fd;
    return s;
}

static void check_clock_waits(int virtual_clock) {
    __wasi_event_t ev[4];
    __wasi_size_t n = 0;

    /* A relative 5 s wait on the monotonic clock. */
    uint64_t t0 = now();
    __wasi_subscription_t s =
        clock_sub(42, __WASI_CLOCKID_MONOTONIC, 5 * NS_PER_S, 0);
    memset(ev, 0xff, sizeof ev);
    check_ok("poll_oneoff relative clock", __wasi_poll_oneoff(&s, ev, 1, &n));
    check_u64("relative clock events", 1, n);
    check_u64("relative clock userdata", 42, ev[0].userdata);
    check_u64("relative clock error", 0, ev[0].error);
    check_u64("relative clock type", __WASI_EVENTTYPE_CLOCK, ev[0].type);
    uint64_t t1 = now();
    char detail[96];
    snprintf(detail, sizeof detail, "advanced by %" PRIu64 " ns", t1 - t0);
    check_true("clock advanced by the 5 s wait", t1 - t0 >= 5 * NS_PER_S,
               detail);

    /* An absolute wait on the realtime clock, 2 s from now. */
    __wasi_timestamp_t rt = 0;
    check_ok("clock_time_get realtime",
             __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &rt));
    uint64_t deadline = rt + 2 * NS_PER_S;
    s = clock_sub(7, __WASI_CLOCKID_REALTIME, deadline, 1);
    check_ok("poll_oneoff absolute clock", __wasi_poll_oneoff(&s, ev, 1, &n));
    check_u64("absolute clock events", 1, n);
    check_u64("absolute clock userdata", 7, ev[0].userdata);
    check_ok("clock_time_get realtime",
             __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &rt));
    check_true("realtime reached the absolute deadline", rt >= deadline,
               "clock before the deadline");

    /* A deadline in the past fires at once. */
    s = clock_sub(8, __WASI_CLOCKID_MONOTONIC, 0, 1);
    check_ok("poll_oneoff past deadline", __wasi_poll_oneoff(&s, ev, 1, &n));
    check_u64("past deadline events", 1, n);

    /* libc's sleeps go through the same path. */
    t0 = now();
    struct timespec req = {1, 500000000}, rem = {9, 9};
    check_true("nanosleep 1.5 s", nanosleep(&req, &rem) == 0, "returned -1");
    t1 = now();
    check_true("clock advanced by nanosleep", t1 - t0 >= 1500000000ULL,
               "less than 1.5 s");
    t0 = t1;
    check_u64("sleep(3)", 0, sleep(3));
    check_true("clock advanced by sleep", now() - t0 >= 3 * NS_PER_S,
               "less than 3 s");

    if (virtual_clock) {
        /* Twenty hours of sleeping cost no wall time in the sandbox; the
         * host test bounds the run's wall time. */
        t0 = now();
        s = clock_sub(9, __WASI_CLOCKID_MONOTONIC, 72000 * NS_PER_S, 0);
        check_ok("poll_oneoff 20 h", __wasi_poll_oneoff(&s, ev, 1, &n));
        check_true("clock advanced by 20 h", now() - t0 >= 72000 * NS_PER_S,
                   "less than 20 h");
    }
}

static void check_fd_events(int virtual_clock) {
    __wasi_event_t ev[4];
    __wasi_size_t n = 0;

    /* stdout is writable at once. */
    __wasi_subscription_t s = fd_sub(1, __WASI_EVENTTYPE_FD_WRITE, 1);
    memset(ev, 0xff, sizeof ev);
    check_ok("poll_oneoff stdout write", __wasi_poll_oneoff(&s, ev, 1, &n));
    check_u64("stdout write events", 1, n);
    check_u64("stdout write userdata", 1, ev[0].userdata);
    check_u64("stdout write error", 0, ev[0].error);
    check_u64("stdout write type", __WASI_EVENTTYPE_FD_WRITE, ev[0].type);

    /* A ready fd beside a long clock: the fd event comes back and the
     * poll does not wait for the clock. */
    uint64_t t0 = now();
    __wasi_subscription_t two[2] = {
        clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10 * NS_PER_S, 0),
        fd_sub(3, __WASI_EVENTTYPE_FD_WRITE, 1)};
    check_ok("poll_oneoff clock + stdout", __wasi_poll_oneoff(two, ev, 2, &n));
    int saw_fd = 0;
    for (__wasi_size_t i = 0; i < n && i < 2; i++)
        saw_fd |= ev[i].userdata == 3 && ev[i].type == __WASI_EVENTTYPE_FD_WRITE;
    check_true("clock + stdout returns the fd event", saw_fd, "no fd event");
    if (virtual_clock)
        check_true("ready fd does not wait for the clock",
                   now() - t0 < 10 * NS_PER_S, "clock advanced by the timeout");

    /* A regular file is always ready for reading and writing. */
    __wasi_fd_t fd;
    if (check_ok("create poll file",
                 open_at(ROOT_FD, "tmp/poll.txt", __WASI_OFLAGS_CREAT, 0, &fd))) {
        __wasi_subscription_t rw[2] = {fd_sub(4, __WASI_EVENTTYPE_FD_READ, fd),
                                       fd_sub(5, __WASI_EVENTTYPE_FD_WRITE, fd)};
        check_ok("poll_oneoff file", __wasi_poll_oneoff(rw, ev, 2, &n));
        check_u64("file events", 2, n);
        (void)__wasi_fd_close(fd);
    }

    /* A bad fd is reported in its event, or by the call. */
    s = fd_sub(6, __WASI_EVENTTYPE_FD_READ, 99);
    memset(ev, 0, sizeof ev);
    __wasi_errno_t e = __wasi_poll_oneoff(&s, ev, 1, &n);
    if (e == __WASI_ERRNO_SUCCESS) {
        check_u64("bad fd events", 1, n);
        check_errno("bad fd event error", __WASI_ERRNO_BADF, ev[0].error);
    } else {
        check_errno("poll_oneoff bad fd", __WASI_ERRNO_BADF, e);
    }

    /* An unknown subscription tag is invalid. */
    s = fd_sub(10, 9, 1);
    check_errno("poll_oneoff unknown tag", __WASI_ERRNO_INVAL,
                __wasi_poll_oneoff(&s, ev, 1, &n));
    /* Zero subscriptions would block forever: EINVAL. */
    check_errno("poll_oneoff zero subscriptions", __WASI_ERRNO_INVAL,
                __wasi_poll_oneoff(&s, ev, 0, &n));
}

int main(int argc, char **argv) {
    int virtual_clock = argc > 1 && strcmp(argv[1], "virtual") == 0;
    check_ok("sched_yield", __wasi_sched_yield());
    check_clock_waits(virtual_clock);
    check_fd_events(virtual_clock);
    check_ok("sched_yield", __wasi_sched_yield());
    return check_finish("poll");
}
