/*
 * Copies stdin to stdout byte for byte until end of file, with raw reads
 * and writes (no stdio buffering, no newline translation). Prints the
 * byte count to stderr at the end. Exits 1 on a read or write error.
 */
#include <stdio.h>
#include <wasi/api.h>

int main(void) {
    static uint8_t buf[65536];
    uint64_t total = 0;
    for (;;) {
        __wasi_iovec_t in = {buf, sizeof buf};
        __wasi_size_t got = 0;
        __wasi_errno_t e = __wasi_fd_read(0, &in, 1, &got);
        if (e != __WASI_ERRNO_SUCCESS) {
            fprintf(stderr, "cat: read failed: errno %u\n", e);
            return 1;
        }
        if (got == 0) break;
        for (__wasi_size_t done = 0; done < got;) {
            __wasi_ciovec_t out = {buf + done, got - done};
            __wasi_size_t put = 0;
            e = __wasi_fd_write(1, &out, 1, &put);
            if (e != __WASI_ERRNO_SUCCESS || put == 0) {
                fprintf(stderr, "cat: write failed: errno %u\n", e);
                return 1;
            }
            done += put;
        }
        total += got;
    }
    fprintf(stderr, "cat: %llu bytes\n", (unsigned long long)total);
    return 0;
}
