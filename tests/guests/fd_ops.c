/*
 * The fd_* calls on regular files, raw, with their error paths:
 * fd_write/read/pread/pwrite/seek/tell, sync/datasync, advise, allocate,
 * fdstat_get/fdstat_set_flags (APPEND), filestat_get/set_size/set_times,
 * renumber and close; plus a stdio round trip through libc.
 *
 * Works in /tmp of the root preopen (fd 3). Prints the summary only.
 */
#include "check.h"

static __wasi_filestat_t fstat_of(__wasi_fd_t fd) {
    __wasi_filestat_t st;
    memset(&st, 0, sizeof st);
    check_ok("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
    return st;
}

static void check_preopen(void) {
    __wasi_prestat_t pre;
    if (!check_ok("fd_prestat_get 3", __wasi_fd_prestat_get(ROOT_FD, &pre)))
        return;
    check_u64("preopen tag", __WASI_PREOPENTYPE_DIR, pre.tag);
    char name[64] = {0};
    if (pre.u.dir.pr_name_len < sizeof name &&
        check_ok("fd_prestat_dir_name",
                 __wasi_fd_prestat_dir_name(ROOT_FD, (uint8_t *)name,
                                            pre.u.dir.pr_name_len)))
        check_str("preopen name", "/", name);
    check_errno("fd_prestat_get 4 (no second preopen)", __WASI_ERRNO_BADF,
                __wasi_fd_prestat_get(4, &pre));
}

/* Writes, reads, seeks, pread/pwrite on one file. */
static void check_read_write(__wasi_fd_t fd) {
    __wasi_size_t n = 0;
    __wasi_filesize_t pos = 99;
    char buf[64];

    /* Gather write from two iovecs. */
    __wasi_ciovec_t out[2] = {{(const uint8_t *)"hello ", 6},
                              {(const uint8_t *)"world", 5}};
    check_ok("fd_write", __wasi_fd_write(fd, out, 2, &n));
    check_u64("fd_write count", 11, n);
    check_ok("fd_tell", __wasi_fd_tell(fd, &pos));
    check_u64("fd_tell after write", 11, pos);

    /* Seek back and scatter-read into three iovecs. */
    check_ok("fd_seek SET 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    check_u64("fd_seek SET result", 0, pos);
    char a[3], b[4], c[10];
    __wasi_iovec_t in[3] = {{(uint8_t *)a, 3}, {(uint8_t *)b, 4},
                            {(uint8_t *)c, 10}};
    check_ok("fd_read scatter", __wasi_fd_read(fd, in, 3, &n));
    check_u64("fd_read scatter count", 11, n);
    check_bytes("scatter iovec 0", "hel", a, 3);
    check_bytes("scatter iovec 1", "lo w", b, 4);
    check_bytes("scatter iovec 2", "orld", c, 4);
    check_ok("fd_read at end", read_str(fd, buf, sizeof buf, &n));
    check_u64("fd_read at end count", 0, n);
    check_ok("fd_read no iovecs", __wasi_fd_read(fd, in, 0, &n));
    check_u64("fd_read no iovecs count", 0, n);

    check_ok("fd_seek END -5", __wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &pos));
    check_u64("fd_seek END result", 6, pos);
    check_ok("fd_read after END seek", read_str(fd, buf, sizeof buf, &n));
    check_str("fd_read after END seek", "world", buf);
    check_ok("fd_seek CUR -3", __wasi_fd_seek(fd, -3, __WASI_WHENCE_CUR, &pos));
    check_u64("fd_seek CUR result", 8, pos);
    check_ok("fd_seek CUR 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos));
    check_u64("fd_seek CUR 0 result", 8, pos);

    /* Bad seeks leave the offset alone. */
    check_errno("fd_seek bad whence", __WASI_ERRNO_INVAL,
                __wasi_fd_seek(fd, 0, 7, &pos));
    check_errno("fd_seek before start", __WASI_ERRNO_INVAL,
                __wasi_fd_seek(fd, -1, __WASI_WHENCE_SET, &pos));
    check_errno("fd_seek CUR before start", __WASI_ERRNO_INVAL,
                __wasi_fd_seek(fd, -100, __WASI_WHENCE_CUR, &pos));
    check_ok("fd_tell", __wasi_fd_tell(fd, &pos));
    check_u64("offset after bad seeks", 8, pos);

    /* pread and pwrite use their own offset and leave the file's alone. */
    __wasi_iovec_t piov = {(uint8_t *)buf, 5};
    memset(buf, 0, sizeof buf);
    check_ok("fd_pread", __wasi_fd_pread(fd, &piov, 1, 6, &n));
    check_u64("fd_pread count", 5, n);
    check_str("fd_pread data", "world", buf);
    __wasi_ciovec_t pw = {(const uint8_t *)"HELLO", 5};
    check_ok("fd_pwrite", __wasi_fd_pwrite(fd, &pw, 1, 0, &n));
    check_u64("fd_pwrite count", 5, n);
    check_ok("fd_tell", __wasi_fd_tell(fd, &pos));
    check_u64("offset after pread/pwrite", 8, pos);
    piov.buf_len = 11;
    memset(buf, 0, sizeof buf);
    check_ok("fd_pread whole", __wasi_fd_pread(fd, &piov, 1, 0, &n));
    check_str("file after pwrite", "HELLO world", buf);
    check_ok("fd_pread past end", __wasi_fd_pread(fd, &piov, 1, 1000, &n));
    check_u64("fd_pread past end count", 0, n);

    /* pwrite past the end extends the file with a zero-filled gap. */
    __wasi_ciovec_t x = {(const uint8_t *)"X", 1};
    check_ok("fd_pwrite past end", __wasi_fd_pwrite(fd, &x, 1, 20, &n));
    check_u64("size after pwrite past end", 21, fstat_of(fd).size);
    piov.buf_len = 10;
    memset(buf, 0x55, sizeof buf);
    check_ok("fd_pread gap", __wasi_fd_pread(fd, &piov, 1, 11, &n));
    check_u64("fd_pread gap count", 10, n);
    int gap_zero = 1;
    for (int i = 0; i < 9; i++) gap_zero &= buf[i] == 0;
    check_true("gap reads as zeros", gap_zero && buf[9] == 'X',
               "gap bytes not zero or X missing");

    /* A seek past the end is allowed; a write there extends the file. */
    check_ok("fd_seek past end",
             __wasi_fd_seek(fd, 30, __WASI_WHENCE_SET, &pos));
    check_ok("fd_write past end", write_str(fd, "Y", &n));
    check_u64("size after write past end", 31, fstat_of(fd).size);
}

static void check_metadata(__wasi_fd_t fd) {
    __wasi_filestat_t st = fstat_of(fd);
    check_u64("filetype", __WASI_FILETYPE_REGULAR_FILE, st.filetype);
    check_u64("nlink", 1, st.nlink);

    /* Truncate, then extend with zeros. */
    check_ok("fd_filestat_set_size 5", __wasi_fd_filestat_set_size(fd, 5));
    check_u64("size after shrink", 5, fstat_of(fd).size);
    char buf[16];
    __wasi_iovec_t piov = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t n = 0;
    memset(buf, 0x55, sizeof buf);
    check_ok("fd_pread after shrink", __wasi_fd_pread(fd, &piov, 1, 0, &n));
    check_u64("fd_pread after shrink count", 5, n);
    check_bytes("data after shrink", "HELLO", buf, 5);
    check_ok("fd_filestat_set_size 8", __wasi_fd_filestat_set_size(fd, 8));
    check_ok("fd_pread after grow", __wasi_fd_pread(fd, &piov, 1, 0, &n));
    check_u64("fd_pread after grow count", 8, n);
    check_true("grown bytes are zero", !buf[5] && !buf[6] && !buf[7],
               "non-zero bytes after set_size grow");

    /* Explicit times, then "now" (which must differ from the explicit
     * value: the sandbox's clock starts at --time, not at 222 ns). */
    check_ok("fd_filestat_set_times explicit",
             __wasi_fd_filestat_set_times(
                 fd, 111, 222, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    st = fstat_of(fd);
    check_u64("atim after set_times", 111, st.atim);
    check_u64("mtim after set_times", 222, st.mtim);
    check_ok("fd_filestat_set_times mtim only",
             __wasi_fd_filestat_set_times(fd, 0, 333, __WASI_FSTFLAGS_MTIM));
    st = fstat_of(fd);
    check_u64("atim untouched", 111, st.atim);
    check_u64("mtim only", 333, st.mtim);
    check_ok("fd_filestat_set_times MTIM_NOW",
             __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    st = fstat_of(fd);
    check_true("mtim after MTIM_NOW changed", st.mtim != 333, "still 333");
    check_u64("atim after MTIM_NOW", 111, st.atim);
    check_errno("set_times ATIM with ATIM_NOW", __WASI_ERRNO_INVAL,
                __wasi_fd_filestat_set_times(
                    fd, 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    check_errno("set_times MTIM with MTIM_NOW", __WASI_ERRNO_INVAL,
                __wasi_fd_filestat_set_times(
                    fd, 1, 1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));

    /* A write sets mtim to "now". Under the sandbox's virtual clock now
     * may well be 0, so start from a time no clock reaches here. */
    const uint64_t far = 1ULL << 62;
    check_ok("fd_filestat_set_times far",
             __wasi_fd_filestat_set_times(fd, 0, far, __WASI_FSTFLAGS_MTIM));
    __wasi_ciovec_t w = {(const uint8_t *)"!", 1};
    check_ok("fd_pwrite for mtim", __wasi_fd_pwrite(fd, &w, 1, 0, &n));
    check_true("write updates mtim", fstat_of(fd).mtim != far, "mtim unchanged");

    /* Hints and syncs succeed on an in-memory file. */
    check_ok("fd_sync", __wasi_fd_sync(fd));
    check_ok("fd_datasync", __wasi_fd_datasync(fd));
    for (__wasi_advice_t a = __WASI_ADVICE_NORMAL; a <= __WASI_ADVICE_NOREUSE;
         a++)
        check_ok("fd_advise", __wasi_fd_advise(fd, 0, 100, a));
    check_errno("fd_advise bad advice", __WASI_ERRNO_INVAL,
                __wasi_fd_advise(fd, 0, 100, 9));

    /* fd_allocate grows a file to offset+len and never shrinks it.
     * Wasmtime answers NOTSUP instead, which is allowed. */
    __wasi_errno_t e = __wasi_fd_allocate(fd, 0, 100);
    check_errno2("fd_allocate", __WASI_ERRNO_SUCCESS, __WASI_ERRNO_NOTSUP, e);
    if (e == __WASI_ERRNO_SUCCESS) {
        check_u64("size after fd_allocate", 100, fstat_of(fd).size);
        check_ok("fd_allocate inside", __wasi_fd_allocate(fd, 0, 10));
        check_u64("size after smaller fd_allocate", 100, fstat_of(fd).size);
    }
}

static void check_append(__wasi_fd_t fd) {
    __wasi_fdstat_t fs;
    check_ok("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &fs));
    check_u64("fdstat filetype", __WASI_FILETYPE_REGULAR_FILE, fs.fs_filetype);
    check_u64("fdstat flags", 0, fs.fs_flags);

    check_ok("fd_filestat_set_size 4", __wasi_fd_filestat_set_size(fd, 4));
    check_ok("fd_fdstat_set_flags APPEND",
             __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    check_ok("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &fs));
    check_u64("fdstat flags after set", __WASI_FDFLAGS_APPEND, fs.fs_flags);

    /* With APPEND, a write after seeking to 0 still lands at the end. */
    __wasi_filesize_t pos;
    __wasi_size_t n;
    check_ok("fd_seek 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    check_ok("fd_write append", write_str(fd, "tail", &n));
    check_u64("size after append", 8, fstat_of(fd).size);
    check_ok("fd_tell", __wasi_fd_tell(fd, &pos));
    check_u64("offset after append", 8, pos);

    /* Clearing APPEND makes writes land at the offset again. */
    check_ok("fd_fdstat_set_flags 0", __wasi_fd_fdstat_set_flags(fd, 0));
    check_ok("fd_seek 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    check_ok("fd_write at 0", write_str(fd, "H", &n));
    check_u64("size after non-append write", 8, fstat_of(fd).size);

    /* APPEND given at open time. */
    __wasi_fd_t afd;
    if (check_ok("path_open APPEND",
                 open_at(ROOT_FD, "tmp/fd_ops.txt", 0, __WASI_FDFLAGS_APPEND,
                         &afd))) {
        check_ok("fd_write via APPEND fd", write_str(afd, "++", &n));
        check_u64("size after APPEND-open write", 10, fstat_of(fd).size);
        char buf[16] = {0};
        __wasi_iovec_t piov = {(uint8_t *)buf, sizeof buf - 1};
        check_ok("fd_pread", __wasi_fd_pread(fd, &piov, 1, 0, &n));
        check_bytes("file after appends", "HELLtail++", buf, n);
        check_ok("fd_close", __wasi_fd_close(afd));
    }
}

static void check_fd_table(__wasi_fd_t fd) {
    __wasi_fd_t other;
    __wasi_size_t n;
    char buf[32];
    if (!check_ok("path_open other",
                  open_at(ROOT_FD, "tmp/fd_other.txt",
                          __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0,
                          &other)))
        return;
    check_ok("fd_write other", write_str(other, "other", &n));

    /* renumber: `other` now names the first file, `fd` is gone. */
    __wasi_filestat_t before = fstat_of(fd);
    check_ok("fd_renumber", __wasi_fd_renumber(fd, other));
    check_u64("renumbered fd is the same file", before.ino,
              fstat_of(other).ino);
    __wasi_filestat_t st;
    check_errno("old fd after renumber", __WASI_ERRNO_BADF,
                __wasi_fd_filestat_get(fd, &st));
    check_errno("fd_renumber from closed fd", __WASI_ERRNO_BADF,
                __wasi_fd_renumber(fd, other));
    check_errno("fd_renumber onto unopened fd", __WASI_ERRNO_BADF,
                __wasi_fd_renumber(other, 1000));

    /* close, then every call on it is EBADF. */
    check_ok("fd_close", __wasi_fd_close(other));
    check_errno("fd_close twice", __WASI_ERRNO_BADF, __wasi_fd_close(other));
    check_errno("fd_write closed", __WASI_ERRNO_BADF,
                write_str(other, "x", &n));
    check_errno("fd_read closed", __WASI_ERRNO_BADF,
                read_str(other, buf, sizeof buf, &n));
    __wasi_filesize_t pos;
    check_errno("fd_seek closed", __WASI_ERRNO_BADF,
                __wasi_fd_seek(other, 0, __WASI_WHENCE_SET, &pos));
    check_errno("fd_write never opened", __WASI_ERRNO_BADF,
                write_str(999, "x", &n));
}

static void check_directory_fd(void) {
    /* Ask only for rights that apply to directories, plus FD_READ so the
     * read below fails for the file type, not for a missing right. */
    __wasi_fd_t dir;
    __wasi_rights_t rights = __WASI_RIGHTS_FD_READ |
                             __WASI_RIGHTS_FD_READDIR |
                             __WASI_RIGHTS_PATH_OPEN |
                             __WASI_RIGHTS_FD_FILESTAT_GET;
    if (!check_ok("path_open tmp as directory",
                  __wasi_path_open(ROOT_FD, 0, "tmp", __WASI_OFLAGS_DIRECTORY,
                                   rights, rights, 0, &dir)))
        return;
    char buf[16];
    __wasi_size_t n;
    check_errno("fd_read on a directory", __WASI_ERRNO_ISDIR,
                read_str(dir, buf, sizeof buf, &n));
    __wasi_fdstat_t fs;
    check_ok("fd_fdstat_get directory", __wasi_fd_fdstat_get(dir, &fs));
    check_u64("directory fdstat filetype", __WASI_FILETYPE_DIRECTORY,
              fs.fs_filetype);
    check_ok("fd_close directory", __wasi_fd_close(dir));

    /* The preopen itself is a directory too. */
    check_errno("fd_read on the preopen", __WASI_ERRNO_ISDIR,
                read_str(ROOT_FD, buf, sizeof buf, &n));
}

static void check_read_only(void) {
    __wasi_fd_t ro;
    __wasi_size_t n;
    __wasi_rights_t rights = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK |
                             __WASI_RIGHTS_FD_TELL |
                             __WASI_RIGHTS_FD_FILESTAT_GET;
    if (!check_ok("path_open read-only",
                  __wasi_path_open(ROOT_FD, 0, "tmp/fd_ops.txt", 0, rights, 0,
                                   0, &ro)))
        return;
    check_errno2("fd_write on read-only fd", __WASI_ERRNO_BADF,
                 __WASI_ERRNO_NOTCAPABLE, write_str(ro, "x", &n));
    check_ok("fd_close read-only", __wasi_fd_close(ro));
}

/* libc's stdio over the same calls. */
static void check_stdio(void) {
    FILE *f = fopen("/tmp/stdio.txt", "w+");
    if (!check_true("fopen w+", f != NULL, "NULL")) return;
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
    check_true("fflush", fflush(f) == 0, "failed");
    rewind(f);
    char line[32];
    int count = 0, ok = 1;
    while (fgets(line, sizeof line, f)) {
        char want[32];
        snprintf(want, sizeof want, "line %d\n", count);
        ok &= strcmp(want, line) == 0;
        count++;
    }
    check_u64("stdio lines read back", 1000, count);
    check_true("stdio lines match", ok, "a line differed");
    check_u64("ftell at end", 8890, (uint64_t)ftell(f));
    check_true("fclose", fclose(f) == 0, "failed");
    check_true("remove", remove("/tmp/stdio.txt") == 0, "failed");
    check_true("fopen after remove", fopen("/tmp/stdio.txt", "r") == NULL,
               "file still there");
}

int main(void) {
    check_preopen();

    __wasi_fd_t fd;
    if (check_ok("path_open create",
                 open_at(ROOT_FD, "tmp/fd_ops.txt",
                         __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0, &fd))) {
        check_true("new fd above the preopen", fd > ROOT_FD, "fd <= 3");
        check_read_write(fd);
        check_metadata(fd);
        check_append(fd);
        check_fd_table(fd);
    }
    check_directory_fd();
    check_read_only();
    check_stdio();
    return check_finish("fd_ops");
}
