/*
 * The path_* calls and fd_readdir, raw, relative to the root preopen:
 * path_open flags and their errors, directories, unlink, rename, hard
 * links, symlinks (dangling, looping), filestat with and without
 * SYMLINK_FOLLOW, set_times, sorted readdir with cookies, and `..`
 * trying to leave the preopen. Works under /tmp/p. Prints the summary.
 */
#include "check.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

/* Directories are opened asking only for rights that apply to them (the
 * spec lets a host refuse others; Node does). */
#define DIR_RIGHTS                                                          \
    ((__wasi_rights_t)(ALL_RIGHTS &                                         \
                       ~(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |   \
                         __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |    \
                         __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_DATASYNC | \
                         __WASI_RIGHTS_FD_FILESTAT_SET_SIZE)))

static __wasi_errno_t open_flags(const char *path, __wasi_lookupflags_t look,
                                 __wasi_oflags_t oflags, __wasi_fd_t *fd) {
    __wasi_rights_t base =
        oflags & __WASI_OFLAGS_DIRECTORY ? DIR_RIGHTS : ALL_RIGHTS;
    return __wasi_path_open(ROOT_FD, look, path, oflags, base, ALL_RIGHTS, 0,
                            fd);
}

/* Opens with the given oflags; closes on success; returns the errno. */
static __wasi_errno_t try_open(const char *path, __wasi_oflags_t oflags) {
    __wasi_fd_t fd;
    __wasi_errno_t e = open_flags(path, FOLLOW, oflags, &fd);
    if (e == __WASI_ERRNO_SUCCESS) (void)__wasi_fd_close(fd);
    return e;
}

static void make_file(const char *path, const char *content) {
    __wasi_fd_t fd;
    __wasi_size_t n;
    char what[96];
    snprintf(what, sizeof what, "create %s", path);
    if (!check_ok(what, open_at(ROOT_FD, path,
                                __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0,
                                &fd)))
        return;
    check_ok(what, write_str(fd, content, &n));
    (void)__wasi_fd_close(fd);
}

/* Reads a whole (small) file into buf; "" and a failed check if absent. */
static const char *slurp(const char *path, char *buf, size_t cap) {
    __wasi_fd_t fd;
    __wasi_size_t n;
    buf[0] = '\0';
    char what[96];
    snprintf(what, sizeof what, "open %s", path);
    if (!check_ok(what, open_at(ROOT_FD, path, 0, 0, &fd))) return buf;
    check_ok(what, read_str(fd, buf, cap, &n));
    (void)__wasi_fd_close(fd);
    return buf;
}

static __wasi_filestat_t stat_path(const char *path, __wasi_lookupflags_t f) {
    __wasi_filestat_t st;
    memset(&st, 0, sizeof st);
    char what[96];
    snprintf(what, sizeof what, "path_filestat_get %s", path);
    check_ok(what, __wasi_path_filestat_get(ROOT_FD, f, path, &st));
    return st;
}

static __wasi_errno_t stat_errno(const char *path, __wasi_lookupflags_t f) {
    __wasi_filestat_t st;
    return __wasi_path_filestat_get(ROOT_FD, f, path, &st);
}

static void check_open_flags(void) {
    check_ok("mkdir tmp/p", __wasi_path_create_directory(ROOT_FD, "tmp/p"));
    check_errno("mkdir tmp/p again", __WASI_ERRNO_EXIST,
                __wasi_path_create_directory(ROOT_FD, "tmp/p"));
    check_errno("mkdir with missing parent", __WASI_ERRNO_NOENT,
                __wasi_path_create_directory(ROOT_FD, "tmp/nope/sub"));

    check_ok("open CREAT|EXCL new",
             try_open("tmp/p/a", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL));
    check_errno("open CREAT|EXCL existing", __WASI_ERRNO_EXIST,
                try_open("tmp/p/a", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL));
    check_ok("open CREAT existing", try_open("tmp/p/a", __WASI_OFLAGS_CREAT));
    check_errno("open missing", __WASI_ERRNO_NOENT, try_open("tmp/p/none", 0));
    check_errno("open CREAT under missing dir", __WASI_ERRNO_NOENT,
                try_open("tmp/p/nodir/x", __WASI_OFLAGS_CREAT));

    /* TRUNC empties an existing file. */
    make_file("tmp/p/a", "0123456789");
    check_u64("size before TRUNC", 10, stat_path("tmp/p/a", 0).size);
    check_ok("open TRUNC", try_open("tmp/p/a", __WASI_OFLAGS_TRUNC));
    check_u64("size after TRUNC", 0, stat_path("tmp/p/a", 0).size);
    make_file("tmp/p/a", "alpha");
    check_ok("open without TRUNC", try_open("tmp/p/a", 0));
    check_u64("size kept without TRUNC", 5, stat_path("tmp/p/a", 0).size);

    /* A file is not a directory, however it is named. */
    check_errno("open file with DIRECTORY", __WASI_ERRNO_NOTDIR,
                try_open("tmp/p/a", __WASI_OFLAGS_DIRECTORY));
    check_errno("open file with trailing slash", __WASI_ERRNO_NOTDIR,
                try_open("tmp/p/a/", 0));
    check_errno("open through a file", __WASI_ERRNO_NOTDIR,
                try_open("tmp/p/a/x", 0));
    check_errno("stat file with trailing slash", __WASI_ERRNO_NOTDIR,
                stat_errno("tmp/p/a/", FOLLOW));
    check_errno("mkdir over a file", __WASI_ERRNO_EXIST,
                __wasi_path_create_directory(ROOT_FD, "tmp/p/a"));

    /* Directories open with DIRECTORY and with a trailing slash. */
    check_ok("open dir with DIRECTORY", try_open("tmp/p", __WASI_OFLAGS_DIRECTORY));
    check_ok("open dir with trailing slash",
             try_open("tmp/p/", __WASI_OFLAGS_DIRECTORY));
    check_ok("open dir with dot components",
             try_open("./tmp/./p/.", __WASI_OFLAGS_DIRECTORY));
    check_u64("stat dir filetype", __WASI_FILETYPE_DIRECTORY,
              stat_path("tmp/p", 0).filetype);
    check_errno2("open dir with CREAT|EXCL", __WASI_ERRNO_EXIST,
                 __WASI_ERRNO_ISDIR,
                 try_open("tmp/p", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL));

    /* Paths relative to an opened directory fd. */
    __wasi_fd_t dir;
    if (check_ok("open tmp/p dir",
                 open_flags("tmp/p", 0, __WASI_OFLAGS_DIRECTORY, &dir))) {
        __wasi_filestat_t st;
        check_ok("stat relative to dir fd",
                 __wasi_path_filestat_get(dir, 0, "a", &st));
        check_u64("size relative to dir fd", 5, st.size);
        check_ok("mkdir relative to dir fd",
                 __wasi_path_create_directory(dir, "rel"));
        check_u64("rel dir seen from root", __WASI_FILETYPE_DIRECTORY,
                  stat_path("tmp/p/rel", 0).filetype);
        check_ok("rmdir relative to dir fd",
                 __wasi_path_remove_directory(dir, "rel"));
        (void)__wasi_fd_close(dir);
    }
}

static void check_remove(void) {
    check_ok("mkdir tmp/p/full", __wasi_path_create_directory(ROOT_FD, "tmp/p/full"));
    make_file("tmp/p/full/f", "x");
    check_errno("rmdir non-empty", __WASI_ERRNO_NOTEMPTY,
                __wasi_path_remove_directory(ROOT_FD, "tmp/p/full"));
    check_errno("rmdir a file", __WASI_ERRNO_NOTDIR,
                __wasi_path_remove_directory(ROOT_FD, "tmp/p/full/f"));
    check_errno("rmdir missing", __WASI_ERRNO_NOENT,
                __wasi_path_remove_directory(ROOT_FD, "tmp/p/gone"));
    check_errno("unlink a directory", __WASI_ERRNO_ISDIR,
                __wasi_path_unlink_file(ROOT_FD, "tmp/p/full"));
    check_errno("unlink missing", __WASI_ERRNO_NOENT,
                __wasi_path_unlink_file(ROOT_FD, "tmp/p/gone"));
    check_errno("unlink with trailing slash", __WASI_ERRNO_NOTDIR,
                __wasi_path_unlink_file(ROOT_FD, "tmp/p/full/f/"));

    /* An open file survives its unlink. */
    __wasi_fd_t fd;
    if (check_ok("open before unlink", open_at(ROOT_FD, "tmp/p/full/f", 0, 0, &fd))) {
        check_ok("unlink file", __wasi_path_unlink_file(ROOT_FD, "tmp/p/full/f"));
        check_errno("stat after unlink", __WASI_ERRNO_NOENT,
                    stat_errno("tmp/p/full/f", 0));
        char buf[8];
        __wasi_size_t n;
        check_ok("read unlinked open file", read_str(fd, buf, sizeof buf, &n));
        check_str("unlinked file content", "x", buf);
        (void)__wasi_fd_close(fd);
    }
    check_ok("rmdir now empty",
             __wasi_path_remove_directory(ROOT_FD, "tmp/p/full"));
    check_errno("stat removed dir", __WASI_ERRNO_NOENT,
                stat_errno("tmp/p/full", 0));
}

static void check_rename(void) {
    char buf[64];

    /* File over file: the target's content is replaced, source is gone. */
    make_file("tmp/p/r1", "one");
    make_file("tmp/p/r2", "two");
    __wasi_inode_t ino1 = stat_path("tmp/p/r1", 0).ino;
    check_ok("rename file over file",
             __wasi_path_rename(ROOT_FD, "tmp/p/r1", ROOT_FD, "tmp/p/r2"));
    check_str("renamed content", "one", slurp("tmp/p/r2", buf, sizeof buf));
    check_u64("renamed inode kept", ino1, stat_path("tmp/p/r2", 0).ino);
    check_errno("old name gone", __WASI_ERRNO_NOENT, stat_errno("tmp/p/r1", 0));
    check_ok("rename onto itself",
             __wasi_path_rename(ROOT_FD, "tmp/p/r2", ROOT_FD, "tmp/p/r2"));
    check_str("content after self-rename", "one",
              slurp("tmp/p/r2", buf, sizeof buf));
    check_errno("rename missing", __WASI_ERRNO_NOENT,
                __wasi_path_rename(ROOT_FD, "tmp/p/r1", ROOT_FD, "tmp/p/r3"));

    /* Directory over an empty directory; its contents move along. */
    check_ok("mkdir d1", __wasi_path_create_directory(ROOT_FD, "tmp/p/d1"));
    check_ok("mkdir d2", __wasi_path_create_directory(ROOT_FD, "tmp/p/d2"));
    make_file("tmp/p/d1/inner", "in");
    check_ok("rename dir over empty dir",
             __wasi_path_rename(ROOT_FD, "tmp/p/d1", ROOT_FD, "tmp/p/d2"));
    check_str("content moved with dir", "in",
              slurp("tmp/p/d2/inner", buf, sizeof buf));
    check_errno("old dir gone", __WASI_ERRNO_NOENT, stat_errno("tmp/p/d1", 0));

    /* Directory over a non-empty directory, over a file; file over dir. */
    check_ok("mkdir d3", __wasi_path_create_directory(ROOT_FD, "tmp/p/d3"));
    check_errno("rename dir over non-empty dir", __WASI_ERRNO_NOTEMPTY,
                __wasi_path_rename(ROOT_FD, "tmp/p/d3", ROOT_FD, "tmp/p/d2"));
    check_errno("rename dir over file", __WASI_ERRNO_NOTDIR,
                __wasi_path_rename(ROOT_FD, "tmp/p/d3", ROOT_FD, "tmp/p/r2"));
    check_errno("rename file over dir", __WASI_ERRNO_ISDIR,
                __wasi_path_rename(ROOT_FD, "tmp/p/r2", ROOT_FD, "tmp/p/d3"));
    check_errno("rename dir into itself", __WASI_ERRNO_INVAL,
                __wasi_path_rename(ROOT_FD, "tmp/p/d3", ROOT_FD, "tmp/p/d3/sub"));

    /* Across directories. */
    check_ok("rename into another dir",
             __wasi_path_rename(ROOT_FD, "tmp/p/r2", ROOT_FD, "tmp/p/d3/r2"));
    check_str("content after move", "one",
              slurp("tmp/p/d3/r2", buf, sizeof buf));
}

static void check_hard_links(void) {
    char buf[64];
    make_file("tmp/p/orig", "shared");
    check_ok("path_link",
             __wasi_path_link(ROOT_FD, 0, "tmp/p/orig", ROOT_FD, "tmp/p/hard"));
    __wasi_filestat_t a = stat_path("tmp/p/orig", 0);
    __wasi_filestat_t b = stat_path("tmp/p/hard", 0);
    check_u64("hard link nlink (orig)", 2, a.nlink);
    check_u64("hard link nlink (link)", 2, b.nlink);
    check_u64("hard link same inode", a.ino, b.ino);

    /* A write through one name shows through the other. */
    make_file("tmp/p/hard", "changed");
    check_str("write visible via other name", "changed",
              slurp("tmp/p/orig", buf, sizeof buf));

    check_errno("path_link onto existing", __WASI_ERRNO_EXIST,
                __wasi_path_link(ROOT_FD, 0, "tmp/p/orig", ROOT_FD, "tmp/p/hard"));
    check_errno("path_link missing source", __WASI_ERRNO_NOENT,
                __wasi_path_link(ROOT_FD, 0, "tmp/p/none", ROOT_FD, "tmp/p/h2"));
    check_errno("path_link a directory", __WASI_ERRNO_PERM,
                __wasi_path_link(ROOT_FD, 0, "tmp/p/d2", ROOT_FD, "tmp/p/dlink"));

    check_ok("unlink one name", __wasi_path_unlink_file(ROOT_FD, "tmp/p/orig"));
    check_u64("nlink after unlink", 1, stat_path("tmp/p/hard", 0).nlink);
    check_str("content via remaining name", "changed",
              slurp("tmp/p/hard", buf, sizeof buf));
}

static void check_symlinks(void) {
    char buf[64];
    __wasi_size_t n = 0;

    /* A link to a file, read back and stat'ed both ways. */
    check_ok("path_symlink", __wasi_path_symlink("a", ROOT_FD, "tmp/p/sl"));
    memset(buf, 0, sizeof buf);
    check_ok("path_readlink", __wasi_path_readlink(ROOT_FD, "tmp/p/sl",
                                                   (uint8_t *)buf, sizeof buf, &n));
    check_u64("readlink length", 1, n);
    check_bytes("readlink target", "a", buf, n);
    check_errno("readlink on a file", __WASI_ERRNO_INVAL,
                __wasi_path_readlink(ROOT_FD, "tmp/p/a", (uint8_t *)buf,
                                     sizeof buf, &n));
    check_errno("symlink onto existing", __WASI_ERRNO_EXIST,
                __wasi_path_symlink("x", ROOT_FD, "tmp/p/a"));

    __wasi_filestat_t target = stat_path("tmp/p/a", 0);
    __wasi_filestat_t followed = stat_path("tmp/p/sl", FOLLOW);
    __wasi_filestat_t link = stat_path("tmp/p/sl", 0);
    check_u64("followed filetype", __WASI_FILETYPE_REGULAR_FILE, followed.filetype);
    check_u64("followed inode", target.ino, followed.ino);
    check_u64("link filetype", __WASI_FILETYPE_SYMBOLIC_LINK, link.filetype);
    check_u64("link size is target length", 1, link.size);
    check_true("link inode differs", link.ino != target.ino, "same inode");
    check_str("open through symlink", "alpha", slurp("tmp/p/sl", buf, sizeof buf));

    __wasi_fd_t fd;
    check_errno("open symlink without FOLLOW", __WASI_ERRNO_LOOP,
                open_flags("tmp/p/sl", 0, 0, &fd));

    /* A link to a directory works as a path component. */
    check_ok("symlink to dir", __wasi_path_symlink("d3", ROOT_FD, "tmp/p/dl"));
    check_str("file through dir symlink", "one",
              slurp("tmp/p/dl/r2", buf, sizeof buf));
    check_ok("relative ../ target",
             __wasi_path_symlink("../a", ROOT_FD, "tmp/p/d3/up"));
    check_str("open through ../ symlink", "alpha",
              slurp("tmp/p/d3/up", buf, sizeof buf));

    /* Dangling: visible as a link, absent when followed, removable. */
    check_ok("dangling symlink",
             __wasi_path_symlink("nowhere", ROOT_FD, "tmp/p/dang"));
    check_u64("dangling link filetype", __WASI_FILETYPE_SYMBOLIC_LINK,
              stat_path("tmp/p/dang", 0).filetype);
    check_errno("stat dangling followed", __WASI_ERRNO_NOENT,
                stat_errno("tmp/p/dang", FOLLOW));
    check_errno("open dangling", __WASI_ERRNO_NOENT, try_open("tmp/p/dang", 0));
    check_ok("unlink dangling", __wasi_path_unlink_file(ROOT_FD, "tmp/p/dang"));
    check_errno("dangling gone", __WASI_ERRNO_NOENT, stat_errno("tmp/p/dang", 0));

    /* A loop of two links. */
    check_ok("loop link 1", __wasi_path_symlink("loop2", ROOT_FD, "tmp/p/loop1"));
    check_ok("loop link 2", __wasi_path_symlink("loop1", ROOT_FD, "tmp/p/loop2"));
    check_errno("stat loop followed", __WASI_ERRNO_LOOP,
                stat_errno("tmp/p/loop1", FOLLOW));
    check_errno("open loop", __WASI_ERRNO_LOOP, try_open("tmp/p/loop1", 0));
    check_errno("loop as a path component", __WASI_ERRNO_LOOP,
                try_open("tmp/p/loop1/x", 0));
    check_u64("stat loop unfollowed", __WASI_FILETYPE_SYMBOLIC_LINK,
              stat_path("tmp/p/loop1", 0).filetype);
}

static void check_set_times(void) {
    check_ok("path_filestat_set_times",
             __wasi_path_filestat_set_times(ROOT_FD, 0, "tmp/p/a", 6000, 5000,
                                            __WASI_FSTFLAGS_ATIM |
                                                __WASI_FSTFLAGS_MTIM));
    __wasi_filestat_t st = stat_path("tmp/p/a", 0);
    check_u64("path set atim", 6000, st.atim);
    check_u64("path set mtim", 5000, st.mtim);

    /* Through a symlink with FOLLOW, the target's times change. */
    check_ok("path_filestat_set_times FOLLOW",
             __wasi_path_filestat_set_times(ROOT_FD, FOLLOW, "tmp/p/sl", 0, 7000,
                                            __WASI_FSTFLAGS_MTIM));
    check_u64("target mtim via link", 7000, stat_path("tmp/p/a", 0).mtim);
    check_errno("set_times ATIM with ATIM_NOW", __WASI_ERRNO_INVAL,
                __wasi_path_filestat_set_times(
                    ROOT_FD, 0, "tmp/p/a", 1, 1,
                    __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    check_errno("set_times on missing", __WASI_ERRNO_NOENT,
                __wasi_path_filestat_set_times(ROOT_FD, 0, "tmp/p/none", 1, 1,
                                               __WASI_FSTFLAGS_MTIM));
}

/* One directory entry as fd_readdir reported it. */
struct entry {
    char name[32];
    __wasi_filetype_t type;
    __wasi_inode_t ino;
};

/* Lists a directory with fd_readdir through a buffer of buf_len bytes,
 * resuming from the last complete entry's cookie. Returns the count. */
static int list_dir(__wasi_fd_t dir, size_t buf_len, struct entry *out, int max) {
    uint8_t buf[4096];
    __wasi_dircookie_t cookie = __WASI_DIRCOOKIE_START;
    int count = 0;
    for (int rounds = 0; rounds < 100; rounds++) {
        __wasi_size_t used = 0;
        if (!check_ok("fd_readdir",
                      __wasi_fd_readdir(dir, buf, buf_len, cookie, &used)))
            return count;
        size_t off = 0;
        int before = count;
        while (off + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + off, sizeof d);
            if (off + sizeof d + d.d_namlen > used) break; /* truncated */
            if (count < max) {
                size_t len = d.d_namlen < 31 ? d.d_namlen : 31;
                memcpy(out[count].name, buf + off + sizeof d, len);
                out[count].name[len] = '\0';
                out[count].type = d.d_type;
                out[count].ino = d.d_ino;
            }
            count++;
            cookie = d.d_next;
            off += sizeof d + d.d_namlen;
        }
        if (used < buf_len) return count; /* the end of the directory */
        if (count == before) {
            check_true("fd_readdir progress", 0, "entry larger than buffer");
            return count;
        }
    }
    check_true("fd_readdir terminates", 0, "no end after 100 rounds");
    return count;
}

static void check_readdir(void) {
    check_ok("mkdir tmp/p/ls", __wasi_path_create_directory(ROOT_FD, "tmp/p/ls"));
    make_file("tmp/p/ls/zeta", "z");
    make_file("tmp/p/ls/alpha", "a");
    make_file("tmp/p/ls/Mid", "m");
    make_file("tmp/p/ls/mid", "m");
    check_ok("mkdir ls/beta", __wasi_path_create_directory(ROOT_FD, "tmp/p/ls/beta"));
    check_ok("symlink ls/link", __wasi_path_symlink("alpha", ROOT_FD, "tmp/p/ls/link"));

    static const char *names[] = {".", "..", "Mid", "alpha", "beta", "link",
                                  "mid", "zeta"};
    static const __wasi_filetype_t types[] = {
        __WASI_FILETYPE_DIRECTORY,    __WASI_FILETYPE_DIRECTORY,
        __WASI_FILETYPE_REGULAR_FILE, __WASI_FILETYPE_REGULAR_FILE,
        __WASI_FILETYPE_DIRECTORY,    __WASI_FILETYPE_SYMBOLIC_LINK,
        __WASI_FILETYPE_REGULAR_FILE, __WASI_FILETYPE_REGULAR_FILE};
    const int want = 8;

    __wasi_fd_t dir;
    if (!check_ok("open ls", open_flags("tmp/p/ls", 0, __WASI_OFLAGS_DIRECTORY,
                                        &dir)))
        return;

    /* A roomy buffer, then buffers that cut entries in various places
     * (an entry is a 24-byte header and its name, at most 5 bytes here). */
    static const size_t sizes[] = {4096, 29, 30, 33, 40, 64, 100};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        struct entry got[16];
        memset(got, 0, sizeof got);
        int n = list_dir(dir, sizes[s], got, 16);
        char what[64];
        snprintf(what, sizeof what, "readdir count (buffer %zu)", sizes[s]);
        if (!check_u64(what, want, n)) continue;
        for (int i = 0; i < want; i++) {
            snprintf(what, sizeof what, "readdir entry %d (buffer %zu)", i,
                     sizes[s]);
            check_str(what, names[i], got[i].name);
            snprintf(what, sizeof what, "readdir type of %s", names[i]);
            check_u64(what, types[i], got[i].type);
        }
        if (sizes[s] == 4096) {
            check_u64("readdir ino of alpha",
                      stat_path("tmp/p/ls/alpha", 0).ino, got[3].ino);
            check_u64("readdir ino of .", stat_path("tmp/p/ls", 0).ino,
                      got[0].ino);
        }
    }

    /* A cookie past the end gives nothing. */
    uint8_t buf[256];
    __wasi_size_t used = 99;
    check_ok("fd_readdir past end",
             __wasi_fd_readdir(dir, buf, sizeof buf, 1000, &used));
    check_u64("fd_readdir past end used", 0, used);
    (void)__wasi_fd_close(dir);

    __wasi_fd_t file;
    if (check_ok("open a file", open_at(ROOT_FD, "tmp/p/a", 0, 0, &file))) {
        check_errno("fd_readdir on a file", __WASI_ERRNO_NOTDIR,
                    __wasi_fd_readdir(file, buf, sizeof buf, 0, &used));
        (void)__wasi_fd_close(file);
    }
}

/* No path may leave the preopened root. */
static void check_escape(void) {
    const unsigned cap = __WASI_ERRNO_NOTCAPABLE, perm = __WASI_ERRNO_PERM;
    check_errno2("open ..", cap, perm, try_open("..", __WASI_OFLAGS_DIRECTORY));
    check_errno2("open tmp/../..", cap, perm,
                 try_open("tmp/../..", __WASI_OFLAGS_DIRECTORY));
    check_errno2("open ../tmp", cap, perm, try_open("../tmp", 0));
    check_errno2("stat ..", cap, perm, stat_errno("..", 0));
    check_errno2("mkdir ../x", cap, perm,
                 __wasi_path_create_directory(ROOT_FD, "../x"));
    check_errno2("open absolute path", cap, perm,
                 try_open("/tmp", __WASI_OFLAGS_DIRECTORY));
    check_ok("symlink pointing out",
             __wasi_path_symlink("../../..", ROOT_FD, "tmp/p/out"));
    check_errno2("open through symlink pointing out", cap, perm,
                 try_open("tmp/p/out", __WASI_OFLAGS_DIRECTORY));

    /* `..` that stays inside is fine. */
    check_ok("open tmp/../tmp", try_open("tmp/../tmp", __WASI_OFLAGS_DIRECTORY));
    check_ok("open tmp/p/../p/a", try_open("tmp/p/../p/a", 0));
}

int main(void) {
    check_open_flags();
    check_remove();
    check_rename();
    check_hard_links();
    check_symlinks();
    check_set_times();
    check_readdir();
    check_escape();
    return check_finish("paths");
}
