// zerovm-build: freestanding
/*
 * Uses only the `zerovm` import module: no WASI, no libc.
 *
 * 1. Prints the channel table to stdout, one line a handle:
 *    "HANDLE TYPE SIZE READS READ_BYTES WRITES WRITE_BYTES NAME"
 *    (-1 for a limit that is not set).
 * 2. Prints what the calls answer to mistakes: "errors A B C D E F G"
 *    for a bad handle, a negative size, a buffer past memory, a negative
 *    offset, a size of 0, fork() and channel_name's length of stdout.
 * 3. Copies /dev/input to /dev/output (offsets count from 0, so random
 *    channels are copied from the start too), then prints
 *    "copied N" and how it ended: "end", "input quota", "output quota"
 *    or "error -E".
 *
 * Exits with zvm_exit(3) when /dev/input or /dev/output is missing, and
 * with zvm_exit(4) when a write fails; returns from _start otherwise.
 */
#include <zerovm.h>

/* clang may turn loops into these calls; there is no libc to supply them. */
void *memcpy(void *dst, const void *src, unsigned long n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, unsigned long n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

static char line[512];
static int line_len;

static void put(const char *s) {
    while (*s && line_len < (int)sizeof line) line[line_len++] = *s++;
}

static void put_num(long long n) {
    char digits[24];
    int i = 0;
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    if (n < 0) put("-");
    do {
        digits[i++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (i) {
        char c[2] = {digits[--i], 0};
        put(c);
    }
}

static void flush_line(void) {
    put("\n");
    zvm_pwrite(1, line, line_len, 0);
    line_len = 0;
}

static int same(const char *a, int a_len, const char *b) {
    int i = 0;
    for (; i < a_len && b[i]; i++)
        if (a[i] != b[i]) return 0;
    return i == a_len && b[i] == 0;
}

static unsigned char buf[65536];

void _start(void) {
    int count = zvm_channel_count();
    int input = -1, output = -1;

    /* 1. The table. */
    for (int h = 0; h < count; h++) {
        struct zvm_channel_info info;
        char name[256];
        if (zvm_channel_info(h, &info) != 0) {
            put_num(h);
            put(" missing");
            flush_line();
            continue;
        }
        int n = zvm_channel_name(h, name, sizeof name);
        put_num(h);
        put(info.type == ZVM_TYPE_RANDOM ? " random " : " sequential ");
        put_num(info.size);
        for (int i = 0; i < 4; i++) {
            put(" ");
            put_num(info.limits[i] == 0x7fffffffffffffffLL ? -1 : info.limits[i]);
        }
        put(" ");
        if (n == info.name_len && n <= (int)sizeof name) {
            name[n < (int)sizeof name ? n : (int)sizeof name - 1] = 0;
            put(name);
        } else {
            put("?name");
        }
        flush_line();
        if (same(name, n, "/dev/input")) input = h;
        if (same(name, n, "/dev/output")) output = h;
    }

    /* 2. Mistakes. */
    char small[4];
    put("errors ");
    put_num(zvm_pread(count, buf, 1, 0));
    put(" ");
    put_num(zvm_pwrite(1, buf, -1, 0));
    put(" ");
    put_num(zvm_pwrite(1, (void *)0x7ffffff0, 64, 0));
    put(" ");
    put_num(zvm_pwrite(1, buf, 1, -1));
    put(" ");
    put_num(zvm_pwrite(1, buf, 0, 0));
    put(" ");
    put_num(zvm_fork());
    put(" ");
    put_num(zvm_channel_name(1, small, sizeof small));
    flush_line();

    if (input < 0 || output < 0) zvm_exit(3);

    /* 3. The copy. */
    long long total = 0;
    for (;;) {
        int got = zvm_pread(input, buf, sizeof buf, total);
        if (got == 0) {
            put("copied ");
            put_num(total);
            put(" end");
            break;
        }
        if (got < 0) {
            put("copied ");
            put_num(total);
            put(got == -ZVM_EDQUOT ? " input quota" : " error ");
            if (got != -ZVM_EDQUOT) put_num(got);
            break;
        }
        int done = 0;
        while (done < got) {
            int put_n = zvm_pwrite(output, buf + done, got - done, total + done);
            if (put_n <= 0) {
                put("copied ");
                put_num(total + done);
                put(put_n == -ZVM_EDQUOT ? " output quota" : " error ");
                if (put_n != -ZVM_EDQUOT) put_num(put_n);
                flush_line();
                zvm_exit(4);
            }
            done += put_n;
        }
        total += got;
    }
    flush_line();
}
