/*
 * Self-check helpers shared by the C test guests.
 *
 * Every guest runs its checks, prints one line per failed check to stderr
 * (what was checked, expected vs got), then one deterministic summary line
 * to stdout, and exits 1 if anything failed. The host test then only has to
 * look at the exit code and the summary; the stderr lines say what broke.
 */
#ifndef ZEROVM_GUEST_CHECK_H
#define ZEROVM_GUEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static unsigned check_count;
static unsigned check_failures;

/* The preopened root directory, as the sandbox promises it. */
#define ROOT_FD 3

/* Rights a test asks for when it does not care about rights: every
 * right of files and directories (sockets left out). */
#define ALL_RIGHTS ((__wasi_rights_t)0x0fffffffULL)

static inline const char *errno_name(unsigned e) {
    switch (e) {
    case __WASI_ERRNO_SUCCESS: return "SUCCESS";
    case __WASI_ERRNO_2BIG: return "2BIG";
    case __WASI_ERRNO_ACCES: return "ACCES";
    case __WASI_ERRNO_AGAIN: return "AGAIN";
    case __WASI_ERRNO_BADF: return "BADF";
    case __WASI_ERRNO_BUSY: return "BUSY";
    case __WASI_ERRNO_EXIST: return "EXIST";
    case __WASI_ERRNO_FAULT: return "FAULT";
    case __WASI_ERRNO_FBIG: return "FBIG";
    case __WASI_ERRNO_INVAL: return "INVAL";
    case __WASI_ERRNO_IO: return "IO";
    case __WASI_ERRNO_ISDIR: return "ISDIR";
    case __WASI_ERRNO_LOOP: return "LOOP";
    case __WASI_ERRNO_MFILE: return "MFILE";
    case __WASI_ERRNO_MLINK: return "MLINK";
    case __WASI_ERRNO_NAMETOOLONG: return "NAMETOOLONG";
    case __WASI_ERRNO_NOENT: return "NOENT";
    case __WASI_ERRNO_NOMEM: return "NOMEM";
    case __WASI_ERRNO_NOSPC: return "NOSPC";
    case __WASI_ERRNO_NOSYS: return "NOSYS";
    case __WASI_ERRNO_NOTDIR: return "NOTDIR";
    case __WASI_ERRNO_NOTEMPTY: return "NOTEMPTY";
    case __WASI_ERRNO_NOTSUP: return "NOTSUP";
    case __WASI_ERRNO_PERM: return "PERM";
    case __WASI_ERRNO_RANGE: return "RANGE";
    case __WASI_ERRNO_ROFS: return "ROFS";
    case __WASI_ERRNO_SPIPE: return "SPIPE";
    case __WASI_ERRNO_XDEV: return "XDEV";
    case __WASI_ERRNO_NOTCAPABLE: return "NOTCAPABLE";
    default: return "?";
    }
}

/* Records one check; on failure prints "FAIL what: ..." to stderr. */
static inline int check_true(const char *what, int ok, const char *detail) {
    check_count++;
    if (!ok) {
        check_failures++;
        fprintf(stderr, "FAIL %s: %s\n", what, detail);
    }
    return ok;
}

static inline int check_u64(const char *what, uint64_t expected, uint64_t got) {
    char detail[96];
    snprintf(detail, sizeof detail, "expected %" PRIu64 ", got %" PRIu64,
             expected, got);
    return check_true(what, expected == got, detail);
}

static inline int check_errno(const char *what, unsigned expected, unsigned got) {
    char detail[96];
    snprintf(detail, sizeof detail, "expected errno %s (%u), got %s (%u)",
             errno_name(expected), expected, errno_name(got), got);
    return check_true(what, expected == got, detail);
}

/* For calls where the WASI spec leaves two answers open. */
static inline int check_errno2(const char *what, unsigned a, unsigned b,
                        unsigned got) {
    char detail[128];
    snprintf(detail, sizeof detail,
             "expected errno %s (%u) or %s (%u), got %s (%u)", errno_name(a),
             a, errno_name(b), b, errno_name(got), got);
    return check_true(what, got == a || got == b, detail);
}

static inline int check_ok(const char *what, unsigned got) {
    return check_errno(what, __WASI_ERRNO_SUCCESS, got);
}

static inline int check_str(const char *what, const char *expected,
                     const char *got) {
    char detail[512];
    snprintf(detail, sizeof detail, "expected \"%s\", got \"%s\"", expected,
             got ? got : "(null)");
    return check_true(what, got && strcmp(expected, got) == 0, detail);
}

/* Compares len bytes; got need not be NUL-terminated. */
static inline int check_bytes(const char *what, const char *expected,
                       const void *got, size_t len) {
    char shown[128];
    size_t n = len < sizeof shown - 1 ? len : sizeof shown - 1;
    memcpy(shown, got, n);
    shown[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (shown[i] < 0x20 || shown[i] > 0x7e) shown[i] = '.';
    return check_str(what, expected, strlen(expected) == len &&
                                             memcmp(expected, got, len) == 0
                                         ? expected
                                         : shown);
}

/* path_open relative to dirfd, following symlinks, asking every right. */
static inline __wasi_errno_t open_at(__wasi_fd_t dirfd, const char *path,
                                     __wasi_oflags_t oflags,
                                     __wasi_fdflags_t fdflags,
                                     __wasi_fd_t *fd) {
    *fd = (__wasi_fd_t)-1;
    return __wasi_path_open(dirfd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path,
                            oflags, ALL_RIGHTS, ALL_RIGHTS, fdflags, fd);
}

/* One fd_write of a whole string; returns the errno, stores the count. */
static inline __wasi_errno_t write_str(__wasi_fd_t fd, const char *s,
                                       __wasi_size_t *written) {
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    return __wasi_fd_write(fd, &iov, 1, written);
}

/* One fd_read into buf (NUL-terminated); returns the errno. */
static inline __wasi_errno_t read_str(__wasi_fd_t fd, char *buf, size_t cap,
                                      __wasi_size_t *got) {
    __wasi_iovec_t iov = {(uint8_t *)buf, cap - 1};
    *got = 0;
    __wasi_errno_t e = __wasi_fd_read(fd, &iov, 1, got);
    buf[e == __WASI_ERRNO_SUCCESS ? *got : 0] = '\0';
    return e;
}

/* Prints the summary line and returns the process exit status. */
static inline int check_finish(const char *guest) {
    if (check_failures == 0)
        printf("%s: %u checks passed\n", guest, check_count);
    else
        printf("%s: %u of %u checks failed\n", guest, check_failures,
               check_count);
    fflush(stdout);
    return check_failures == 0 ? 0 : 1;
}

#endif
