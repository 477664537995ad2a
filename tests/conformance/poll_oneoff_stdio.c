/* poll_oneoff over the standard streams: stdin read against a 200 ms
 * clock gives at least one event, each a successful clock or stdin event;
 * stdout and stderr both become writable before the clock fires. Mirrors
 * poll_oneoff_stdio.rs. */
#include "wasitest.h"

#define TIMEOUT_NS 200000000ULL
#define CLOCK_ID 0x12345678ULL
#define STDIN_ID 0x87654321ULL

static __wasi_subscription_t clock_sub(void) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = CLOCK_ID;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s.u.u.clock.timeout = TIMEOUT_NS;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, uint8_t tag,
                                    __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = tag;
    if (tag == __WASI_EVENTTYPE_FD_READ)
        s.u.u.fd_read.file_descriptor = fd;
    else
        s.u.u.fd_write.file_descriptor = fd;
    return s;
}

static void stdin_read(void) {
    __wasi_subscription_t in[2] = {
        clock_sub(), fd_sub(STDIN_ID, __WASI_EVENTTYPE_FD_READ, 0)};
    __wasi_event_t out[2];
    __wasi_size_t n;
    memset(out, 0, sizeof out);
    MUST_OK(__wasi_poll_oneoff(in, out, 2, &n));
    CHECK(n >= 1, "stdin poll gave %u events", n);
    for (__wasi_size_t i = 0; i < n && i < 2; i++) {
        if (out[i].type == __WASI_EVENTTYPE_CLOCK) {
            EXPECT_ERRNO(out[i].error, __WASI_ERRNO_SUCCESS);
            CHECK_EQ(out[i].userdata, CLOCK_ID, "clock event userdata");
        } else if (out[i].type == __WASI_EVENTTYPE_FD_READ) {
            EXPECT_ERRNO(out[i].error, __WASI_ERRNO_SUCCESS);
            CHECK_EQ(out[i].userdata, STDIN_ID, "stdin event userdata");
        } else {
            CHECK(0, "unexpected event type %u", out[i].type);
        }
    }
}

static void stdout_stderr_write(void) {
    int pending[3] = {0, 1, 1}; /* indexed by userdata 1 and 2 */
    for (int round = 0; round < 10 && (pending[1] || pending[2]); round++) {
        __wasi_subscription_t in[3];
        __wasi_size_t count = 0;
        for (int ud = 1; ud <= 2; ud++)
            if (pending[ud])
                in[count++] = fd_sub((uint64_t)ud, __WASI_EVENTTYPE_FD_WRITE,
                                     (__wasi_fd_t)ud);
        in[count++] = clock_sub();
        __wasi_event_t out[3];
        __wasi_size_t n;
        memset(out, 0, sizeof out);
        MUST_OK(__wasi_poll_oneoff(in, out, count, &n));
        for (__wasi_size_t i = 0; i < n && i < 3; i++) {
            uint64_t ud = out[i].userdata;
            if (ud == CLOCK_ID) {
                CHECK(0, "timed out with stdout %d / stderr %d pending",
                      pending[1], pending[2]);
                return;
            }
            if ((ud == 1 || ud == 2) && pending[ud]) {
                pending[ud] = 0;
                CHECK_EQ(out[i].type, __WASI_EVENTTYPE_FD_WRITE, "event type");
                EXPECT_ERRNO(out[i].error, __WASI_ERRNO_SUCCESS);
            } else {
                CHECK(0, "unknown userdata %llu", (unsigned long long)ud);
                return;
            }
        }
    }
    CHECK(!pending[1] && !pending[2], "stdout or stderr never became writable");
}

int main(void) {
    stdin_read();
    stdout_stderr_write();
    return wt_finish();
}
