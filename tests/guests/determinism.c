/*
 * Prints everything a sandboxed run could let vary: clock readings,
 * random bytes, file metadata of files it creates (inode numbers, sizes,
 * times, link counts, directory order) and floating-point results whose
 * bits hardware may choose (NaN payloads and signs), denormals and
 * overflow. The host test runs it twice and requires identical stdout,
 * and with another --seed requires that only the "random" line changes.
 *
 * Self-checks only what IEEE 754 fixes; exits 1 if an operation fails.
 */
#include <dirent.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static uint64_t bits_of(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint32_t bits_of_f(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static void print_clocks(void) {
    for (int i = 0; i < 3; i++) {
        __wasi_timestamp_t t = 0;
        check_ok("clock_time_get",
                 __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t));
        printf("realtime %" PRIu64 "\n", t);
    }
    for (int i = 0; i < 2; i++) {
        __wasi_timestamp_t t = 0;
        check_ok("clock_time_get",
                 __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t));
        printf("monotonic %" PRIu64 "\n", t);
    }
    printf("time() %lld\n", (long long)time(NULL));
}

static void print_random(void) {
    uint8_t buf[32];
    check_ok("random_get", __wasi_random_get(buf, sizeof buf));
    printf("random ");
    for (size_t i = 0; i < sizeof buf; i++) printf("%02x", buf[i]);
    printf("\n");
}

static void write_file(const char *path, const char *content) {
    FILE *f = fopen(path, "w");
    if (!check_true("fopen", f != NULL, path)) return;
    fputs(content, f);
    fclose(f);
}

static void print_files(void) {
    check_true("mkdir /tmp/det", mkdir("/tmp/det", 0755) == 0, "failed");
    /* Created out of order, so a listing in creation order would show. */
    write_file("/tmp/det/c.txt", "three\n");
    write_file("/tmp/det/a.txt", "one\n");
    write_file("/tmp/det/b.txt", "two, longer\n");
    check_true("mkdir sub", mkdir("/tmp/det/sub", 0755) == 0, "failed");
    check_true("link", link("/tmp/det/a.txt", "/tmp/det/a-link") == 0,
               "failed");
    check_true("symlink", symlink("b.txt", "/tmp/det/b-sym") == 0, "failed");

    DIR *d = opendir("/tmp/det");
    if (!check_true("opendir", d != NULL, "failed")) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[300];
        snprintf(path, sizeof path, "/tmp/det/%s", e->d_name);
        struct stat st;
        if (!check_true("lstat", lstat(path, &st) == 0, path)) continue;
        printf("entry %-8s type %d ino %llu size %lld nlink %llu "
               "mtime %lld.%09ld atime %lld.%09ld\n",
               e->d_name, (int)e->d_type, (unsigned long long)st.st_ino,
               (long long)st.st_size, (unsigned long long)st.st_nlink,
               (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
               (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
    }
    closedir(d);
}

static void print_floats(void) {
    /* volatile: computed at run time by the engine, not folded by clang. */
    volatile double zero = 0.0, minus_one = -1.0, big = 1e308, one = 1.0;
    volatile float fzero = 0.0f;

    double nan_div = zero / zero;
    double nan_sqrt = sqrt(minus_one);
    float nan_f = fzero / fzero;
    printf("0.0/0.0 bits %016" PRIx64 "\n", bits_of(nan_div));
    printf("sqrt(-1) bits %016" PRIx64 "\n", bits_of(nan_sqrt));
    printf("0.0f/0.0f bits %08" PRIx32 "\n", bits_of_f(nan_f));
    printf("nan+1 bits %016" PRIx64 "\n", bits_of(nan_div + one));
    printf("-nan bits %016" PRIx64 "\n", bits_of(-nan_div));
    check_true("0.0/0.0 is NaN", isnan(nan_div), "not NaN");
    check_true("sqrt(-1) is NaN", isnan(nan_sqrt), "not NaN");

    /* fmin/fmax ignore a quiet NaN operand (C and IEEE 754-2008). */
    double mn = fmin(nan_div, one), mx = fmax(one, nan_div);
    printf("fmin(nan,1) %g fmax(1,nan) %g\n", mn, mx);
    check_true("fmin(nan, 1) == 1", mn == 1.0, "not 1");
    check_true("fmax(1, nan) == 1", mx == 1.0, "not 1");
    /* The wasm instructions f64.min/max propagate NaN instead. */
    double wmin = __builtin_wasm_min_f64(nan_div, one);
    printf("f64.min(nan,1) bits %016" PRIx64 "\n", bits_of(wmin));
    check_true("f64.min(nan, 1) is NaN", isnan(wmin), "not NaN");
    double negz = __builtin_wasm_min_f64(zero, -zero);
    printf("f64.min(0,-0) bits %016" PRIx64 "\n", bits_of(negz));
    check_u64("f64.min(0, -0) is -0", 0x8000000000000000ULL, bits_of(negz));

    /* Denormals are kept, not flushed to zero. */
    double tiny = DBL_MIN;
    volatile double half_min = tiny / 2;
    double smallest = half_min / (double)(1ULL << 51);
    printf("DBL_MIN/2 %a\n", half_min);
    printf("smallest denormal %a %g\n", smallest, smallest);
    check_true("DBL_MIN/2 not flushed", half_min != 0.0, "flushed to zero");
    check_u64("smallest denormal bits", 1, bits_of(smallest));
    check_u64("smallest/2 rounds to 0", 0, bits_of(smallest / 2));

    /* Overflow to infinity, and how printf shows it. */
    double inf = big * 10;
    char shown[32];
    snprintf(shown, sizeof shown, "%g %f %e", inf, -inf, inf);
    printf("1e308*10 %s\n", shown);
    check_str("printf of 1e308*10", "inf -inf inf", shown);
    snprintf(shown, sizeof shown, "%g %f", nan_div, nan_sqrt);
    printf("printf of NaNs %s\n", shown);

    /* Correctly rounded basics and a few libm results. */
    printf("0.1+0.2 %.17g\n", 0.1 + (one * 0.2));
    printf("exp(1) %.17g log(10) %.17g sin(1e22) %.17g pow(2,0.5) %.17g\n",
           exp(one), log(10 * one), sin(1e22 * one), pow(2 * one, 0.5));
    check_true("sqrt(2)^2 != 2", sqrt(2 * one) * sqrt(2 * one) != 2.0,
               "unexpectedly exact");
}

int main(void) {
    print_clocks();
    print_random();
    print_files();
    print_floats();
    print_clocks();
    return check_finish("determinism");
}
