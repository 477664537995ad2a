/*
 * A small file tool for the host tests of mounts (--dir, --dir-ro,
 * --image). Runs its commands in order and stops at the first error:
 *
 *   cat PATH            prints the file
 *   write PATH TEXT     creates or truncates PATH and writes TEXT
 *   append PATH TEXT    appends TEXT
 *   mkdir PATH          creates a directory
 *   rm PATH             removes a file
 *   rmdir PATH          removes an empty directory
 *   mv FROM TO          renames
 *   ls PATH             lists the entries (not . and ..) as
 *                       "NAME TYPE SIZE" in the order readdir gives them
 *   stat PATH           prints "PATH TYPE SIZE"
 *
 * An error prints "fsutil: COMMAND PATH: ERRNO-NAME" to stderr and exits 1.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *errno_text(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EXDEV: return "EXDEV";
    case ENOSPC: return "ENOSPC";
    default: return strerror(e);
    }
}

static int fail(const char *cmd, const char *path) {
    fprintf(stderr, "fsutil: %s %s: %s\n", cmd, path, errno_text(errno));
    exit(1);
}

static char type_char(mode_t m) {
    return S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISREG(m) ? 'f' : '?';
}

static void do_cat(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) fail("cat", path);
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, n, stdout);
    if (n < 0) fail("cat", path);
    close(fd);
}

static void do_write(const char *cmd, const char *path, const char *text,
                     int flags) {
    int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
    if (fd < 0) fail(cmd, path);
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len) fail(cmd, path);
    if (close(fd) != 0) fail(cmd, path);
}

static void do_ls(const char *path) {
    DIR *d = opendir(path);
    if (!d) fail("ls", path);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char full[1024];
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(full, &st) != 0) fail("ls", full);
        printf("%s %c %lld\n", e->d_name, type_char(st.st_mode),
               S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
    }
    closedir(d);
}

static void do_stat(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) fail("stat", path);
    printf("%s %c %lld\n", path, type_char(st.st_mode),
           S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc;) {
        const char *cmd = argv[i];
        int two = !strcmp(cmd, "write") || !strcmp(cmd, "append") ||
                  !strcmp(cmd, "mv");
        int need = two ? 2 : 1;
        if (i + need >= argc) {
            fprintf(stderr, "fsutil: %s needs %d argument(s)\n", cmd, need);
            return 2;
        }
        const char *a = argv[i + 1], *b = two ? argv[i + 2] : NULL;
        if (!strcmp(cmd, "cat")) do_cat(a);
        else if (!strcmp(cmd, "write")) do_write(cmd, a, b, O_TRUNC);
        else if (!strcmp(cmd, "append")) do_write(cmd, a, b, O_APPEND);
        else if (!strcmp(cmd, "mkdir")) { if (mkdir(a, 0755)) fail(cmd, a); }
        else if (!strcmp(cmd, "rm")) { if (unlink(a)) fail(cmd, a); }
        else if (!strcmp(cmd, "rmdir")) { if (rmdir(a)) fail(cmd, a); }
        else if (!strcmp(cmd, "mv")) { if (rename(a, b)) fail(cmd, a); }
        else if (!strcmp(cmd, "ls")) do_ls(a);
        else if (!strcmp(cmd, "stat")) do_stat(a);
        else {
            fprintf(stderr, "fsutil: unknown command %s\n", cmd);
            return 2;
        }
        fflush(stdout);
        i += 1 + need;
    }
    return 0;
}
