/*
 * args_get, args_sizes_get, environ_get, environ_sizes_get.
 *
 * Prints every argument as "argv[i]=<arg>", then every environment entry
 * as "env[i]=<entry>" in the order the host gives them, then the summary.
 * Checks that libc's view (argc/argv, environ) agrees with the raw calls,
 * that the sizes the host reports are exact, and that no host variable
 * leaks in: the sandbox grants no environment unless asked.
 */
#include "check.h"

extern char **environ;

static void check_raw_args(int argc, char **argv) {
    __wasi_size_t count = 0, bytes = 0;
    check_ok("args_sizes_get", __wasi_args_sizes_get(&count, &bytes));
    check_u64("args_sizes_get count", (uint64_t)argc, count);

    size_t want_bytes = 0;
    for (int i = 0; i < argc; i++) want_bytes += strlen(argv[i]) + 1;
    check_u64("args_sizes_get bytes", want_bytes, bytes);

    /* One spare pointer and byte: the host must not write past the sizes. */
    uint8_t **ptrs = calloc(count + 1, sizeof *ptrs);
    uint8_t *buf = malloc(bytes + 1);
    ptrs[count] = (uint8_t *)0x1234;
    buf[bytes] = 0x5a;
    check_ok("args_get", __wasi_args_get(ptrs, buf));
    for (__wasi_size_t i = 0; i < count && (int)i < argc; i++)
        check_str("args_get entry", argv[i], (const char *)ptrs[i]);
    check_true("args_get pointer array overrun", ptrs[count] == (uint8_t *)0x1234,
               "host wrote past the pointer array");
    check_true("args_get buffer overrun", buf[bytes] == 0x5a,
               "host wrote past the argument buffer");
    free(ptrs);
    free(buf);
}

static void check_raw_environ(void) {
    size_t libc_count = 0, libc_bytes = 0;
    for (char **e = environ; e && *e; e++) {
        libc_count++;
        libc_bytes += strlen(*e) + 1;
    }

    __wasi_size_t count = 0, bytes = 0;
    check_ok("environ_sizes_get", __wasi_environ_sizes_get(&count, &bytes));
    check_u64("environ_sizes_get count", libc_count, count);
    check_u64("environ_sizes_get bytes", libc_bytes, bytes);

    uint8_t **ptrs = calloc(count + 1, sizeof *ptrs);
    uint8_t *buf = malloc(bytes + 1);
    buf[bytes] = 0x5a;
    check_ok("environ_get", __wasi_environ_get(ptrs, buf));
    for (__wasi_size_t i = 0; i < count && i < libc_count; i++)
        check_str("environ_get entry", environ[i], (const char *)ptrs[i]);
    check_true("environ_get buffer overrun", buf[bytes] == 0x5a,
               "host wrote past the environment buffer");
    free(ptrs);
    free(buf);
}

int main(int argc, char **argv) {
    check_true("argc at least 1", argc >= 1, "argv[0] missing");
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    for (int i = 0; environ && environ[i]; i++)
        printf("env[%d]=%s\n", i, environ[i]);

    check_raw_args(argc, argv);
    check_raw_environ();

    /* Host variables must not leak into the guest. */
    static const char *host_vars[] = {"HOME", "PATH", "USER", "PWD",
                                      "CARGO", "RUST_LOG"};
    for (size_t i = 0; i < sizeof host_vars / sizeof *host_vars; i++) {
        char what[64];
        snprintf(what, sizeof what, "host variable %s not visible",
                 host_vars[i]);
        check_true(what, getenv(host_vars[i]) == NULL, getenv(host_vars[i])
                                                          ? getenv(host_vars[i])
                                                          : "");
    }

    fprintf(stderr, "args_env: stderr works\n");
    return check_finish("args_env");
}
