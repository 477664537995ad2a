/*
 * zerovm.h: the `zerovm` import module, ZeroVM's trap interface for
 * WebAssembly programs that want channels without WASI.
 *
 * Every call answers bytes moved (or 0) on success and a NEGATIVE Linux
 * errno on failure, as the original trap did. Handles 0, 1 and 2 are
 * /dev/stdin, /dev/stdout and /dev/stderr; the other channels follow in
 * the byte order of their aliases. Sequential channels ignore `offset`;
 * random-access channels (type ZVM_TYPE_RANDOM) read and write at it.
 *
 * Needs nothing else: a program may be built with -nostdlib.
 */
#ifndef ZEROVM_H
#define ZEROVM_H

#define ZVM_IMPORT(name) \
    __attribute__((import_module("zerovm"), import_name(name)))

/* The errno values the calls return, negated. */
#define ZVM_EBADF 9    /* reading an output or writing an input */
#define ZVM_EIO 5      /* the host failed, or data was damaged in transit */
#define ZVM_EFAULT 14  /* a negative size */
#define ZVM_EINVAL 22  /* a bad handle, buffer or offset */
#define ZVM_EPIPE 32   /* the other end of a pipe is gone */
#define ZVM_EDQUOT 122 /* a quota of the channel is used up */

/* zvm_channel_info.type */
#define ZVM_TYPE_SEQUENTIAL 0
#define ZVM_TYPE_RANDOM 3

/* What zvm_channel_info fills in: 48 bytes, little-endian. */
struct zvm_channel_info {
    /* reads, read bytes, writes, written bytes; INT64_MAX = no limit */
    long long limits[4];
    long long size; /* a random-access channel's size, else 0 */
    int type;       /* ZVM_TYPE_SEQUENTIAL or ZVM_TYPE_RANDOM */
    int name_len;   /* bytes in the alias */
};

_Static_assert(sizeof(struct zvm_channel_info) == 48,
               "zvm_channel_info is 48 bytes");

/* Reads up to `size` bytes of channel `handle` into `buf`; 0 at the end. */
int zvm_pread(int handle, void *buf, int size, long long offset)
    ZVM_IMPORT("pread");

/* Writes `size` bytes of `buf` to channel `handle`. */
int zvm_pwrite(int handle, const void *buf, int size, long long offset)
    ZVM_IMPORT("pwrite");

/* How many handles there are. */
int zvm_channel_count(void) ZVM_IMPORT("channel_count");

/* Fills `*out` for `handle`; 0 or -ZVM_EINVAL. */
int zvm_channel_info(int handle, struct zvm_channel_info *out)
    ZVM_IMPORT("channel_info");

/* Copies at most `len` bytes of the alias (no NUL); returns its length. */
int zvm_channel_name(int handle, char *buf, int len)
    ZVM_IMPORT("channel_name");

/* Ends the session; `code` is the program's exit code. */
_Noreturn void zvm_exit(int code) ZVM_IMPORT("exit");

/* The snapshot point of daemon mode; returns 0 (no daemon mode yet). */
int zvm_fork(void) ZVM_IMPORT("fork");

#endif
