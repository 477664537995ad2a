/* The preopen "/" carries the directory rights userland expects (base and
 * inheriting); "." reopens with the same rights, with none, with
 * O_DIRECTORY and none, with O_DIRECTORY and FD_READ; O_DIRECTORY with
 * FD_READ|FD_WRITE is ISDIR. Mirrors path_open_preopen.rs. */
#include "wasitest.h"

static const struct {
    __wasi_rights_t right;
    const char *name;
} DIR_BASE[] = {
    {__WASI_RIGHTS_PATH_CREATE_DIRECTORY, "PATH_CREATE_DIRECTORY"},
    {__WASI_RIGHTS_PATH_CREATE_FILE, "PATH_CREATE_FILE"},
    {__WASI_RIGHTS_PATH_LINK_SOURCE, "PATH_LINK_SOURCE"},
    {__WASI_RIGHTS_PATH_LINK_TARGET, "PATH_LINK_TARGET"},
    {__WASI_RIGHTS_PATH_OPEN, "PATH_OPEN"},
    {__WASI_RIGHTS_FD_READDIR, "FD_READDIR"},
    {__WASI_RIGHTS_PATH_READLINK, "PATH_READLINK"},
    {__WASI_RIGHTS_PATH_RENAME_SOURCE, "PATH_RENAME_SOURCE"},
    {__WASI_RIGHTS_PATH_RENAME_TARGET, "PATH_RENAME_TARGET"},
    {__WASI_RIGHTS_PATH_SYMLINK, "PATH_SYMLINK"},
    {__WASI_RIGHTS_PATH_REMOVE_DIRECTORY, "PATH_REMOVE_DIRECTORY"},
    {__WASI_RIGHTS_PATH_UNLINK_FILE, "PATH_UNLINK_FILE"},
    {__WASI_RIGHTS_PATH_FILESTAT_GET, "PATH_FILESTAT_GET"},
    {__WASI_RIGHTS_PATH_FILESTAT_SET_TIMES, "PATH_FILESTAT_SET_TIMES"},
    {__WASI_RIGHTS_FD_FILESTAT_GET, "FD_FILESTAT_GET"},
    {__WASI_RIGHTS_FD_FILESTAT_SET_TIMES, "FD_FILESTAT_SET_TIMES"},
};

static const struct {
    __wasi_rights_t right;
    const char *name;
} FILE_EXTRA[] = {
    {__WASI_RIGHTS_FD_DATASYNC, "FD_DATASYNC"},
    {__WASI_RIGHTS_FD_READ, "FD_READ"},
    {__WASI_RIGHTS_FD_SEEK, "FD_SEEK"},
    {__WASI_RIGHTS_FD_FDSTAT_SET_FLAGS, "FD_FDSTAT_SET_FLAGS"},
    {__WASI_RIGHTS_FD_SYNC, "FD_SYNC"},
    {__WASI_RIGHTS_FD_TELL, "FD_TELL"},
    {__WASI_RIGHTS_FD_WRITE, "FD_WRITE"},
    {__WASI_RIGHTS_FD_ADVISE, "FD_ADVISE"},
    {__WASI_RIGHTS_FD_ALLOCATE, "FD_ALLOCATE"},
    {__WASI_RIGHTS_FD_FILESTAT_GET, "FD_FILESTAT_GET"},
    {__WASI_RIGHTS_FD_FILESTAT_SET_SIZE, "FD_FILESTAT_SET_SIZE"},
    {__WASI_RIGHTS_FD_FILESTAT_SET_TIMES, "FD_FILESTAT_SET_TIMES"},
    {__WASI_RIGHTS_POLL_FD_READWRITE, "POLL_FD_READWRITE"},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

int main(void) {
    /* The first preopen named "/". */
    __wasi_fd_t pre = 0;
    for (__wasi_fd_t fd = 3; fd < 1024 && pre == 0; fd++) {
        __wasi_prestat_t ps;
        char name[8];
        if (__wasi_fd_prestat_get(fd, &ps) != __WASI_ERRNO_SUCCESS) continue;
        if (ps.tag != __WASI_PREOPENTYPE_DIR || ps.u.dir.pr_name_len != 1)
            continue;
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, 1) ==
                __WASI_ERRNO_SUCCESS &&
            name[0] == '/')
            pre = fd;
    }
    if (pre == 0) {
        CHECK(0, "no preopen named \"/\"");
        wt_abort();
    }

    __wasi_fdstat_t st;
    MUST_OK(__wasi_fd_fdstat_get(pre, &st));
    printf("preopen dir: \"/\" base %llu inheriting %llu\n",
           (unsigned long long)st.fs_rights_base,
           (unsigned long long)st.fs_rights_inheriting);
    for (size_t i = 0; i < COUNT(DIR_BASE); i++) {
        CHECK((st.fs_rights_base & DIR_BASE[i].right) == DIR_BASE[i].right,
              "fs_rights_base lacks %s", DIR_BASE[i].name);
        CHECK((st.fs_rights_inheriting & DIR_BASE[i].right) == DIR_BASE[i].right,
              "fs_rights_inheriting lacks %s", DIR_BASE[i].name);
    }
    for (size_t i = 0; i < COUNT(FILE_EXTRA); i++)
        CHECK((st.fs_rights_inheriting & FILE_EXTRA[i].right) ==
                  FILE_EXTRA[i].right,
              "fs_rights_inheriting lacks %s", FILE_EXTRA[i].name);

    __wasi_fd_t fd;
    EXPECT_OK(__wasi_path_open(pre, 0, ".", 0, st.fs_rights_base,
                               st.fs_rights_inheriting, 0, &fd));
    EXPECT_OK(__wasi_path_open(pre, 0, ".", 0, 0, 0, 0, &fd));
    EXPECT_OK(__wasi_path_open(pre, 0, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
    EXPECT_OK(__wasi_path_open(pre, 0, ".", __WASI_OFLAGS_DIRECTORY,
                               __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    EXPECT_ERRNO(__wasi_path_open(pre, 0, ".", __WASI_OFLAGS_DIRECTORY,
                                  __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE,
                                  0, 0, &fd),
                 __WASI_ERRNO_ISDIR);
    return wt_finish();
}
