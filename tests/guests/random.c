/*
 * random_get, getentropy() and reads of /dev/urandom and /dev/random.
 *
 * Prints hex of the bytes from each source (so the host test can compare
 * runs and seeds), then the summary. Checks that the sources work, that
 * two draws differ, and that a large draw looks like random bytes rather
 * than a constant or a short repeating pattern.
 */
#include <fcntl.h>
#include <unistd.h>

#include "check.h"

static void print_hex(const char *label, const uint8_t *buf, size_t len) {
    printf("%s ", label);
    for (size_t i = 0; i < len; i++) printf("%02x", buf[i]);
    printf("\n");
}

static void read_device(const char *path, uint8_t *buf, size_t len) {
    int fd = open(path, O_RDONLY);
    char what[64];
    snprintf(what, sizeof what, "open %s", path);
    if (!check_true(what, fd >= 0, "failed")) return;
    ssize_t n = read(fd, buf, len);
    snprintf(what, sizeof what, "read %s", path);
    check_u64(what, len, (uint64_t)n);
    close(fd);
}

int main(void) {
    uint8_t a[32] = {0}, b[32] = {0};
    check_ok("random_get 32", __wasi_random_get(a, sizeof a));
    check_ok("random_get 32 again", __wasi_random_get(b, sizeof b));
    print_hex("random_get", a, sizeof a);
    print_hex("random_get", b, sizeof b);
    check_true("two draws differ", memcmp(a, b, sizeof a) != 0, "identical");

    uint8_t zero[32] = {0};
    check_true("draw not all zero", memcmp(a, zero, sizeof a) != 0,
               "32 zero bytes");
    check_ok("random_get 0 bytes", __wasi_random_get(a, 0));

    uint8_t e[16] = {0};
    check_true("getentropy", getentropy(e, sizeof e) == 0, "returned -1");
    print_hex("getentropy", e, sizeof e);

    uint8_t u[16] = {0}, r[16] = {0};
    read_device("/dev/urandom", u, sizeof u);
    read_device("/dev/random", r, sizeof r);
    print_hex("/dev/urandom", u, sizeof u);
    print_hex("/dev/random", r, sizeof r);
    check_true("/dev/urandom not all zero", memcmp(u, zero, sizeof u) != 0,
               "16 zero bytes");

    /* 64 KiB: every byte value should appear (missing one by chance has
     * probability about 1e-111), and no 256-byte period. */
    enum { BIG = 65536 };
    uint8_t *big = malloc(BIG);
    check_ok("random_get 64 KiB", __wasi_random_get(big, BIG));
    unsigned seen[256] = {0}, distinct = 0;
    for (size_t i = 0; i < BIG; i++) seen[big[i]]++;
    for (int v = 0; v < 256; v++) distinct += seen[v] != 0;
    check_u64("distinct byte values in 64 KiB", 256, distinct);
    check_true("64 KiB not periodic", memcmp(big, big + 256, BIG - 256) != 0,
               "repeats every 256 bytes");
    free(big);

    return check_finish("random");
}
