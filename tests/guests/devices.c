/*
 * The sandbox's device files: /dev/null, /dev/zero, /dev/urandom,
 * /dev/random. Checks reads, writes and what path_filestat_get says.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static int open_dev(const char *path, int flags) {
    int fd = open(path, flags);
    char what[64];
    snprintf(what, sizeof what, "open %s", path);
    check_true(what, fd >= 0, "failed");
    return fd;
}

int main(void) {
    char buf[4096];

    /* /dev/null: reads hit end of file at once, writes swallow all. */
    int fd = open_dev("/dev/null", O_RDWR);
    if (fd >= 0) {
        check_u64("read /dev/null", 0, (uint64_t)read(fd, buf, sizeof buf));
        check_u64("write /dev/null", 5, (uint64_t)write(fd, "hello", 5));
        close(fd);
    }

    /* /dev/zero: a full buffer of zeros, as many times as asked. */
    fd = open_dev("/dev/zero", O_RDONLY);
    if (fd >= 0) {
        for (int round = 0; round < 3; round++) {
            memset(buf, 0xaa, sizeof buf);
            ssize_t n = read(fd, buf, sizeof buf);
            check_u64("read /dev/zero", sizeof buf, (uint64_t)n);
            size_t nonzero = 0;
            for (size_t i = 0; i < sizeof buf; i++) nonzero += buf[i] != 0;
            check_u64("non-zero bytes from /dev/zero", 0, nonzero);
        }
        close(fd);
    }

    /* The random devices give what is asked, and not zeros. */
    static const char *randoms[] = {"/dev/urandom", "/dev/random"};
    for (int i = 0; i < 2; i++) {
        fd = open_dev(randoms[i], O_RDONLY);
        if (fd < 0) continue;
        memset(buf, 0, sizeof buf);
        check_u64("read random device", sizeof buf,
                  (uint64_t)read(fd, buf, sizeof buf));
        size_t nonzero = 0;
        for (size_t j = 0; j < sizeof buf; j++) nonzero += buf[j] != 0;
        check_true("random device gives non-zero bytes", nonzero > 3500,
                   "too many zeros in 4096 bytes");
        close(fd);
    }

    /* None of them is a regular file or a directory. */
    static const char *all[] = {"/dev/null", "/dev/zero", "/dev/urandom",
                                "/dev/random"};
    for (int i = 0; i < 4; i++) {
        struct stat st;
        char what[64];
        snprintf(what, sizeof what, "stat %s", all[i]);
        if (!check_true(what, stat(all[i], &st) == 0, "failed")) continue;
        snprintf(what, sizeof what, "%s is a character device", all[i]);
        check_true(what, S_ISCHR(st.st_mode), "other file type");
    }

    return check_finish("devices");
}
