/*
 * Runs channel operations named by its arguments, in order, and prints
 * one result line per operation to stdout (line-buffered, so lines written
 * before a trap are out). Each operation opens its path afresh.
 *
 *   read:PATH:CHUNK      read CHUNK bytes at a time until the end or an
 *                        error: `read PATH 4,4,2,0 "data"` (an error shows
 *                        as its name, like EDQUOT, in place of the 0)
 *   pread:PATH:OFF:LEN   one pread: `pread PATH OFF "data"`
 *   write:PATH:TEXT      one write: `write PATH N`
 *   writes:PATH:CHUNK:K  K writes of CHUNK bytes of 'x': `writes PATH 4,4,1,EDQUOT`
 *                        (stops at the first error)
 *   pwrite:PATH:OFF:TEXT one pwrite: `pwrite PATH N`
 *   mkdir:PATH           `mkdir PATH ok`
 *   args                 `args argv[1] argv[2] ...`
 *   env                  `env K=V` for each variable
 *   time                 `time SECONDS` of the realtime clock
 *   trap                 traps (unreachable)
 *   spin                 loops for ever
 *   grow                 allocates until malloc fails, then traps
 *   exit:N               exits with N
 *   /dev/...             a bare path (an @FILE argument): `file PATH "data"`
 *
 * A failed open prints `open PATH ERRNO`. Errors print by name where the
 * guest knows it (EDQUOT, EBADF, ESPIPE, EINVAL, ENOENT), else `errno N`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *name(int e) {
    static char other[32];
    switch (e) {
    case EDQUOT: return "EDQUOT";
    case EBADF: return "EBADF";
    case ESPIPE: return "ESPIPE";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    default: snprintf(other, sizeof other, "errno %d", e); return other;
    }
}

static char data[1 << 16];

/* `grow` publishes each block here, so the allocations cannot be
 * optimised away. */
void *volatile grow_sink;

/* Splits "a:b:c" in place into at most n fields; returns how many. */
static int split(char *s, char **f, int n) {
    int k = 0;
    f[k++] = s;
    for (char *p = s; *p && k < n; p++)
        if (*p == ':') {
            *p = '\0';
            f[k++] = p + 1;
        }
    return k;
}

static int open_or_say(const char *path, int flags) {
    int fd = open(path, flags);
    if (fd < 0) printf("open %s %s\n", path, name(errno));
    return fd;
}

static void read_all(const char *op, const char *path, size_t chunk) {
    int fd = open_or_say(path, O_RDONLY);
    if (fd < 0) return;
    size_t total = 0;
    printf("%s %s ", op, path);
    for (;;) {
        size_t want = chunk;
        if (want > sizeof data - total) want = sizeof data - total;
        ssize_t n = read(fd, data + total, want);
        if (n < 0) {
            printf("%s", name(errno));
            break;
        }
        printf("%zd", n);
        if (n == 0) break;
        total += (size_t)n;
        printf(",");
    }
    printf(" \"%.*s\"\n", (int)total, data);
    close(fd);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        char *f[4];
        /* Split a copy: `args` shows argv as given. */
        char *op = strdup(argv[i]);
        if (op == NULL) return 3;
        if (op[0] == '/') {
            read_all("file", op, sizeof data);
            continue;
        }
        int k = split(op, f, 4);
        if (strcmp(f[0], "read") == 0 && k == 3) {
            read_all("read", f[1], (size_t)atoi(f[2]));
        } else if (strcmp(f[0], "pread") == 0 && k == 4) {
            int fd = open_or_say(f[1], O_RDONLY);
            if (fd < 0) continue;
            ssize_t n = pread(fd, data, (size_t)atoi(f[3]), atoi(f[2]));
            if (n < 0)
                printf("pread %s %s %s\n", f[1], f[2], name(errno));
            else
                printf("pread %s %s \"%.*s\"\n", f[1], f[2], (int)n, data);
            close(fd);
        } else if (strcmp(f[0], "write") == 0 && k == 3) {
            int fd = open_or_say(f[1], O_WRONLY);
            if (fd < 0) continue;
            ssize_t n = write(fd, f[2], strlen(f[2]));
            if (n < 0)
                printf("write %s %s\n", f[1], name(errno));
            else
                printf("write %s %zd\n", f[1], n);
            close(fd);
        } else if (strcmp(f[0], "writes") == 0 && k == 4) {
            int fd = open_or_say(f[1], O_WRONLY);
            if (fd < 0) continue;
            size_t chunk = (size_t)atoi(f[2]);
            int times = atoi(f[3]);
            memset(data, 'x', chunk);
            printf("writes %s ", f[1]);
            for (int t = 0; t < times; t++) {
                ssize_t n = write(fd, data, chunk);
                if (t > 0) printf(",");
                if (n < 0) {
                    printf("%s", name(errno));
                    break;
                }
                printf("%zd", n);
            }
            printf("\n");
            close(fd);
        } else if (strcmp(f[0], "pwrite") == 0 && k == 4) {
            int fd = open_or_say(f[1], O_RDWR);
            if (fd < 0) continue;
            ssize_t n = pwrite(fd, f[3], strlen(f[3]), atoi(f[2]));
            if (n < 0)
                printf("pwrite %s %s\n", f[1], name(errno));
            else
                printf("pwrite %s %zd\n", f[1], n);
            close(fd);
        } else if (strcmp(f[0], "mkdir") == 0 && k == 2) {
            printf("mkdir %s %s\n", f[1],
                   mkdir(f[1], 0755) == 0 ? "ok" : name(errno));
        } else if (strcmp(f[0], "put") == 0 && k == 3) {
            int fd = open(f[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ssize_t n = fd < 0 ? -1 : write(fd, f[2], strlen(f[2]));
            printf("put %s %s\n", f[1], n < 0 ? name(errno) : "ok");
            if (fd >= 0) close(fd);
        } else if (strcmp(f[0], "args") == 0) {
            printf("args");
            for (int a = 0; a < argc; a++) printf(" %s", argv[a]);
            printf("\n");
        } else if (strcmp(f[0], "env") == 0) {
            for (char **e = environ; *e; e++) printf("env %s\n", *e);
        } else if (strcmp(f[0], "time") == 0) {
            printf("time %lld\n", (long long)time(NULL));
        } else if (strcmp(f[0], "trap") == 0) {
            __builtin_trap();
        } else if (strcmp(f[0], "spin") == 0) {
            for (volatile unsigned long n = 0;; n++) {
            }
        } else if (strcmp(f[0], "grow") == 0) {
            for (;;) {
                char *p = malloc(1 << 20);
                if (p == NULL) __builtin_trap();
                memset(p, 1, 1 << 20);
                grow_sink = p;
            }
        } else if (strcmp(f[0], "exit") == 0 && k == 2) {
            exit(atoi(f[1]));
        } else {
            printf("unknown operation %s\n", argv[i]);
            return 2;
        }
    }
    return 0;
}
