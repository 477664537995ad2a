/*
 * Helpers shared by the conformance guests (the .c files of tests/conformance).
 *
 * Each guest mirrors one test of WebAssembly/wasi-testsuite (preview 1).
 * A failed check prints one line to stderr (source line, what was
 * checked, expected and actual values) and the guest goes on; setup steps
 * whose failure makes the rest meaningless stop the guest at once. The exit
 * status is 0 only when every check passed.
 *
 * Errno checks take the set of answers the upstream test accepts in its
 * permissive mode (no ERRNO_MODE_* variable set): any one of them passes.
 */
#ifndef ZEROVM_WASITEST_H
#define ZEROVM_WASITEST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static int wt_failures;

/* Preview 1 errno names, indexed by number. */
static const char *const wt_errno_names[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT",
    "AGAIN", "ALREADY", "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD",
    "CONNABORTED", "CONNREFUSED", "CONNRESET", "DEADLK", "DESTADDRREQ",
    "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ",
    "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE",
    "MLINK", "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET",
    "NETUNREACH", "NFILE", "NOBUFS", "NODEV", "NOENT", "NOEXEC", "NOLCK",
    "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC", "NOSYS", "NOTCONN",
    "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY",
    "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO",
    "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE",
    "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
};

static inline const char *wt_errno_name(int e) {
    if (e >= 0 && (size_t)e < sizeof wt_errno_names / sizeof *wt_errno_names)
        return wt_errno_names[e];
    return "?";
}

static inline void wt_fail(int line, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "FAIL line %d: ", line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    wt_failures++;
}

/* Stops the guest after a failure the remaining checks depend on. */
static inline void wt_abort(void) {
    fprintf(stderr, "aborting after %d failure(s)\n", wt_failures);
    exit(1);
}

/* Checks that `got` is one of the errnos after it (list ended by -1). */
static inline int wt_expect_errno(int line, const char *what, int got, ...) {
    char expected[256] = "";
    va_list ap;
    int ok = 0;
    va_start(ap, got);
    for (int e = va_arg(ap, int); e != -1; e = va_arg(ap, int)) {
        if (e == got) ok = 1;
        if (expected[0]) strncat(expected, " or ", sizeof expected - strlen(expected) - 1);
        strncat(expected, wt_errno_name(e), sizeof expected - strlen(expected) - 1);
    }
    va_end(ap);
    if (!ok)
        wt_fail(line, "%s: expected %s, got %s (%d)", what, expected,
                wt_errno_name(got), got);
    return ok;
}

/* CHECK(cond, printf-style message): a plain assertion. */
#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) wt_fail(__LINE__, __VA_ARGS__);                         \
    } while (0)

/* CHECK_EQ(a, b, what): two integers must be equal. */
#define CHECK_EQ(a, b, what)                                                 \
    do {                                                                     \
        unsigned long long wt_a = (unsigned long long)(a);                   \
        unsigned long long wt_b = (unsigned long long)(b);                   \
        if (wt_a != wt_b)                                                    \
            wt_fail(__LINE__, "%s: expected %llu, got %llu", what, wt_b,     \
                    wt_a);                                                   \
    } while (0)

/* EXPECT_ERRNO(call, E1, E2, ...): the call fails with one of E1, E2... */
#define EXPECT_ERRNO(expr, ...)                                              \
    wt_expect_errno(__LINE__, #expr, (int)(expr), __VA_ARGS__, -1)

/* EXPECT_OK(call): the call succeeds. */
#define EXPECT_OK(expr) EXPECT_ERRNO(expr, __WASI_ERRNO_SUCCESS)

/* MUST_OK(call): the call succeeds, or the guest stops here. */
#define MUST_OK(expr)                                                        \
    do {                                                                     \
        if (!EXPECT_OK(expr)) wt_abort();                                    \
    } while (0)

/* The exit status: 0 when every check passed. */
static inline int wt_finish(void) {
    if (wt_failures) fprintf(stderr, "%d check(s) failed\n", wt_failures);
    return wt_failures ? 1 : 0;
}

/* A fresh descriptor for the preopened directory named "/", opened with
 * the rights of the preopen (the upstream `root_directory`). */
static inline __wasi_fd_t root_directory(void) {
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != __WASI_ERRNO_SUCCESS) break;
        if (ps.tag != __WASI_PREOPENTYPE_DIR) continue;
        size_t len = ps.u.dir.pr_name_len;
        char name[256];
        if (len >= sizeof name) continue;
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) !=
            __WASI_ERRNO_SUCCESS)
            continue;
        if (len != 1 || name[0] != '/') continue;
        __wasi_fdstat_t st;
        MUST_OK(__wasi_fd_fdstat_get(fd, &st));
        __wasi_fd_t out;
        MUST_OK(__wasi_path_open(fd, 0, ".", __WASI_OFLAGS_DIRECTORY,
                                 st.fs_rights_base, st.fs_rights_inheriting,
                                 0, &out));
        return out;
    }
    fprintf(stderr, "failed to find the preopened directory \"/\"\n");
    exit(1);
}

/* Creates directory `name` in `dir` and opens it with the rights the
 * upstream `create_tmp_dir` asks for. */
static inline __wasi_fd_t create_tmp_dir(__wasi_fd_t dir, const char *name) {
    MUST_OK(__wasi_path_create_directory(dir, name));
    __wasi_rights_t base =
        __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_READDIR |
        __WASI_RIGHTS_PATH_CREATE_FILE | __WASI_RIGHTS_PATH_CREATE_DIRECTORY |
        __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_OPEN |
        __WASI_RIGHTS_PATH_UNLINK_FILE | __WASI_RIGHTS_PATH_LINK_SOURCE |
        __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_READLINK |
        __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_RENAME_TARGET |
        __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE |
        __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_PATH_SYMLINK;
    __wasi_rights_t inheriting =
        __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
        __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_FILESTAT_GET |
        __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_PATH_LINK_SOURCE |
        __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_OPEN |
        __WASI_RIGHTS_PATH_UNLINK_FILE | __WASI_RIGHTS_PATH_FILESTAT_GET |
        __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC |
        __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_ADVISE |
        __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
        __WASI_RIGHTS_FD_FILESTAT_SET_TIMES;
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, name, __WASI_OFLAGS_DIRECTORY, base,
                             inheriting, 0, &fd));
    return fd;
}

/* Creates (or opens) the file `name` in `dir` with no rights, checks the
 * descriptor is above the standard streams, and closes it. */
static inline void create_file(__wasi_fd_t dir, const char *name) {
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, name, __WASI_OFLAGS_CREAT, 0, 0, 0, &fd));
    CHECK(fd > 2, "create_file(%s): descriptor %u is a standard stream",
          name, fd);
    MUST_OK(__wasi_fd_close(fd));
}

/* fd_write of one buffer; returns the errno, stores the count. */
static inline __wasi_errno_t write_buf(__wasi_fd_t fd, const void *buf,
                                       size_t len, __wasi_size_t *n) {
    __wasi_ciovec_t iov = {(const uint8_t *)buf, len};
    *n = 0;
    return __wasi_fd_write(fd, &iov, 1, n);
}

/* fd_read into one buffer; returns the errno, stores the count. */
static inline __wasi_errno_t read_buf(__wasi_fd_t fd, void *buf, size_t len,
                                      __wasi_size_t *n) {
    __wasi_iovec_t iov = {(uint8_t *)buf, len};
    *n = 0;
    return __wasi_fd_read(fd, &iov, 1, n);
}

#endif
