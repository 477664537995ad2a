/*
 * Calls proc_raise, which wasi-libc no longer declares (the call was
 * dropped from preview 1's later snapshots but modules may still import
 * it). Prints the errno and exits 0 if the host answered NOSYS (no
 * signals in the sandbox) or SUCCESS (a signal that is ignored), 1 for
 * any other errno. A host may also end the guest instead; the host test
 * decides whether that is acceptable.
 */
#include <stdio.h>
#include <wasi/api.h>

__attribute__((import_module("wasi_snapshot_preview1"),
               import_name("proc_raise"))) extern uint16_t
raw_proc_raise(uint32_t signal);

#define WASI_SIGUSR1 10

int main(void) {
    uint16_t e = raw_proc_raise(WASI_SIGUSR1);
    const char *name = e == __WASI_ERRNO_NOSYS      ? "NOSYS"
                       : e == __WASI_ERRNO_SUCCESS ? "SUCCESS"
                                                    : "other";
    printf("proc_raise(SIGUSR1) -> %u (%s)\n", e, name);
    if (e != __WASI_ERRNO_NOSYS && e != __WASI_ERRNO_SUCCESS) {
        fprintf(stderr, "FAIL proc_raise: expected NOSYS or SUCCESS, got %u\n", e);
        return 1;
    }
    return 0;
}
