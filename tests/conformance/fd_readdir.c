/* fd_readdir: an empty directory lists `.` (with the directory's inode)
 * and `..`; a new file shows with its inode and type; a cookie resumes
 * after an entry; 1000 files read through a 256-byte buffer add up to
 * 1002 entries. Mirrors fd_readdir.rs. */
#include "wasitest.h"

#define DIR_NAME "fd_readdir_dir.cleanup"
#define BUF_LEN 256
#define MAX_ENTRIES 64

struct entry {
    __wasi_dirent_t d;
    char name[256];
};

/* Reads from `cookie` into `out`; returns the number of whole entries and
 * sets *eof when the buffer was not filled. */
static size_t read_dir(__wasi_fd_t fd, __wasi_dircookie_t cookie,
                       struct entry *out, size_t max, int *eof) {
    uint8_t buf[BUF_LEN];
    __wasi_size_t used;
    MUST_OK(__wasi_fd_readdir(fd, buf, BUF_LEN, cookie, &used));
    CHECK(used <= BUF_LEN, "readdir used %u of %u bytes", used, BUF_LEN);
    *eof = used < BUF_LEN;
    size_t count = 0, at = 0;
    while (at + sizeof(__wasi_dirent_t) <= used) {
        __wasi_dirent_t d;
        memcpy(&d, buf + at, sizeof d);
        if (at + sizeof d + d.d_namlen > used) break;
        if (count < max) {
            out[count].d = d;
            size_t len = d.d_namlen < 255 ? d.d_namlen : 255;
            memcpy(out[count].name, buf + at + sizeof d, len);
            out[count].name[len] = '\0';
        }
        count++;
        at += sizeof d + d.d_namlen;
    }
    return count;
}

static const struct entry *find(const struct entry *e, size_t n,
                                const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].name, name) == 0) return &e[i];
    return NULL;
}

static void small(__wasi_fd_t dir) {
    struct entry e[MAX_ENTRIES];
    int eof;
    __wasi_filestat_t st;
    MUST_OK(__wasi_fd_filestat_get(dir, &st));

    /* Empty directory: `.` and `..`. */
    size_t n = read_dir(dir, 0, e, MAX_ENTRIES, &eof);
    CHECK(eof, "empty directory not read whole");
    CHECK_EQ(n, 2, "entries of an empty directory");
    const struct entry *dot = find(e, n, ".");
    const struct entry *dotdot = find(e, n, "..");
    CHECK(dot != NULL, "no `.` entry");
    CHECK(dotdot != NULL, "no `..` entry");
    if (dot) {
        CHECK_EQ(dot->d.d_type, __WASI_FILETYPE_DIRECTORY, "type of `.`");
        CHECK_EQ(dot->d.d_ino, st.ino, "inode of `.`");
        CHECK_EQ(dot->d.d_namlen, 1, "name length of `.`");
    }
    if (dotdot) CHECK_EQ(dotdot->d.d_type, __WASI_FILETYPE_DIRECTORY, "type of `..`");

    /* One file. */
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
                             __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                 __WASI_RIGHTS_FD_READDIR |
                                 __WASI_RIGHTS_FD_FILESTAT_GET,
                             0, 0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);
    __wasi_filestat_t fst;
    MUST_OK(__wasi_fd_filestat_get(fd, &fst));
    EXPECT_OK(__wasi_fd_close(fd));

    n = read_dir(dir, 0, e, MAX_ENTRIES, &eof);
    CHECK(eof, "directory not read whole");
    CHECK_EQ(n, 3, "entries with one file");
    if (n != 3) wt_abort();
    __wasi_dircookie_t after_second = e[1].d.d_next;
    char last_name[256];
    strcpy(last_name, e[2].name);
    CHECK(find(e, n, ".") && find(e, n, ".."), "`.` or `..` missing");
    const struct entry *file = find(e, n, "file");
    CHECK(file != NULL, "no `file` entry");
    if (file) {
        CHECK_EQ(file->d.d_type, __WASI_FILETYPE_REGULAR_FILE, "type of file");
        CHECK_EQ(file->d.d_ino, fst.ino, "inode of file");
    }

    /* Resuming after the second entry gives the third. */
    n = read_dir(dir, after_second, e, MAX_ENTRIES, &eof);
    CHECK(eof, "resumed listing not read whole");
    CHECK_EQ(n, 1, "entries after the cookie");
    if (n >= 1)
        CHECK(strcmp(e[0].name, last_name) == 0, "resumed at %s, expected %s",
              e[0].name, last_name);

    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
}

static void lots(__wasi_fd_t dir) {
    char name[32];
    for (int i = 0; i < 1000; i++) {
        __wasi_fd_t fd;
        snprintf(name, sizeof name, "file.%d", i);
        MUST_OK(__wasi_path_open(dir, 0, name, __WASI_OFLAGS_CREAT,
                                 __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                     __WASI_RIGHTS_FD_READDIR |
                                     __WASI_RIGHTS_FD_FILESTAT_GET,
                                 0, 0, &fd));
        CHECK(fd > 2, "descriptor %u is a standard stream", fd);
        MUST_OK(__wasi_fd_close(fd));
    }

    size_t total = 0;
    __wasi_dircookie_t cookie = 0;
    for (int round = 0; round < 10000; round++) {
        struct entry e[MAX_ENTRIES];
        int eof;
        size_t n = read_dir(dir, cookie, e, MAX_ENTRIES, &eof);
        total += n;
        if (eof) break;
        if (n == 0 || n > MAX_ENTRIES) {
            CHECK(0, "a full buffer held %zu whole entries", n);
            break;
        }
        cookie = e[n - 1].d.d_next;
    }
    CHECK_EQ(total, 1002, "entries of 1000 files plus `.` and `..`");

    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "file.%d", i);
        EXPECT_OK(__wasi_path_unlink_file(dir, name));
    }
}

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    small(dir);
    lots(dir);
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
