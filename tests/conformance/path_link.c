/* path_link: a hard link in the same or another directory is the same
 * file (equal filestat, equal fdstat); linking onto an existing file, the
 * file itself, a directory, or `name/` fails; linking a directory fails;
 * a dangling symlink and a symlink loop can be linked (not followed); a
 * followed dangling link fails. Mirrors path_link.rs. */
#include "wasitest.h"

#define DIR_NAME "path_link_dir.cleanup"

static const __wasi_rights_t TEST_RIGHTS =
    __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_PATH_LINK_SOURCE |
    __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_FD_FILESTAT_GET |
    __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_UNLINK_FILE;

static __wasi_fd_t open_with(__wasi_fd_t dir, const char *name,
                             __wasi_oflags_t oflags) {
    __wasi_fd_t fd;
    MUST_OK(__wasi_path_open(dir, 0, name, oflags, TEST_RIGHTS, TEST_RIGHTS,
                             0, &fd));
    CHECK(fd > 2, "descriptor %u is a standard stream", fd);
    return fd;
}

/* Whether the host lets a descriptor keep its own rights (NOTSUP: it has
 * no rights to speak of). */
static int supports_rights(__wasi_fd_t fd) {
    __wasi_fdstat_t st;
    MUST_OK(__wasi_fd_fdstat_get(fd, &st));
    return __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base,
                                       st.fs_rights_inheriting) !=
           __WASI_ERRNO_NOTSUP;
}

static void same_file(__wasi_fd_t a, __wasi_fd_t b) {
    __wasi_filestat_t fa, fb;
    MUST_OK(__wasi_fd_filestat_get(a, &fa));
    MUST_OK(__wasi_fd_filestat_get(b, &fb));
    CHECK_EQ(fb.dev, fa.dev, "dev");
    CHECK_EQ(fb.ino, fa.ino, "ino");
    CHECK_EQ(fb.atim, fa.atim, "atim");
    CHECK_EQ(fb.ctim, fa.ctim, "ctim");
    CHECK_EQ(fb.mtim, fa.mtim, "mtim");
    CHECK_EQ(fb.size, fa.size, "size");
    CHECK_EQ(fb.nlink, fa.nlink, "nlink");
    CHECK_EQ(fb.filetype, fa.filetype, "filetype");

    __wasi_fdstat_t sa, sb;
    MUST_OK(__wasi_fd_fdstat_get(a, &sa));
    MUST_OK(__wasi_fd_fdstat_get(b, &sb));
    CHECK_EQ(sb.fs_flags, sa.fs_flags, "fs_flags");
    CHECK_EQ(sb.fs_filetype, sa.fs_filetype, "fs_filetype");
    if (supports_rights(a)) {
        CHECK_EQ(sb.fs_rights_base, sa.fs_rights_base, "fs_rights_base");
        CHECK_EQ(sb.fs_rights_inheriting, sa.fs_rights_inheriting,
                 "fs_rights_inheriting");
    }
}

int main(void) {
    __wasi_fd_t base = root_directory();
    __wasi_fd_t dir = create_tmp_dir(base, DIR_NAME);
    __wasi_fd_t file = open_with(dir, "file", __WASI_OFLAGS_CREAT);

    /* Same directory. */
    MUST_OK(__wasi_path_link(dir, 0, "file", dir, "link"));
    __wasi_fd_t link = open_with(dir, "link", 0);
    same_file(file, link);
    EXPECT_OK(__wasi_fd_close(link));
    EXPECT_OK(__wasi_path_unlink_file(dir, "link"));

    /* Another directory. */
    MUST_OK(__wasi_path_create_directory(dir, "subdir"));
    __wasi_fd_t sub = open_with(dir, "subdir", __WASI_OFLAGS_DIRECTORY);
    MUST_OK(__wasi_path_link(dir, 0, "file", sub, "link"));
    link = open_with(sub, "link", 0);
    same_file(file, link);
    EXPECT_OK(__wasi_path_unlink_file(sub, "link"));
    EXPECT_OK(__wasi_fd_close(sub));
    EXPECT_OK(__wasi_fd_close(link));
    EXPECT_OK(__wasi_fd_close(file));
    EXPECT_OK(__wasi_path_remove_directory(dir, "subdir"));

    /* Onto an existing file, onto itself, onto a directory. */
    create_file(dir, "link");
    EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "link"),
                 __WASI_ERRNO_EXIST);
    EXPECT_OK(__wasi_path_unlink_file(dir, "link"));
    EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "file"),
                 __WASI_ERRNO_EXIST);
    MUST_OK(__wasi_path_create_directory(dir, "link"));
    EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "link"),
                 __WASI_ERRNO_EXIST);
    EXPECT_OK(__wasi_path_remove_directory(dir, "link"));

    /* A directory as the source. */
    MUST_OK(__wasi_path_create_directory(dir, "subdir"));
    sub = open_with(dir, "subdir", __WASI_OFLAGS_DIRECTORY);
    EXPECT_ERRNO(__wasi_path_link(dir, 0, "subdir", dir, "link"),
                 __WASI_ERRNO_PERM, __WASI_ERRNO_ACCES);
    EXPECT_OK(__wasi_fd_close(sub));
    EXPECT_OK(__wasi_path_remove_directory(dir, "subdir"));

    /* A trailing slash on the new name. */
    EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "link/"),
                 __WASI_ERRNO_NOENT);

    /* A dangling symlink, not followed, can be linked. */
    MUST_OK(__wasi_path_symlink("target", dir, "symlink"));
    EXPECT_OK(__wasi_path_link(dir, 0, "symlink", dir, "link"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "link"));

    /* So can a symlink loop. */
    MUST_OK(__wasi_path_symlink("symlink", dir, "symlink"));
    EXPECT_OK(__wasi_path_link(dir, 0, "symlink", dir, "link"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
    EXPECT_OK(__wasi_path_unlink_file(dir, "link"));

    /* A dangling symlink as the new name is an existing name. */
    MUST_OK(__wasi_path_symlink("target", dir, "symlink"));
    EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "symlink"),
                 __WASI_ERRNO_EXIST);
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));

    /* Following a dangling symlink as the source fails. */
    MUST_OK(__wasi_path_symlink("target", dir, "symlink"));
    EXPECT_ERRNO(__wasi_path_link(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                                  "symlink", dir, "link"),
                 __WASI_ERRNO_INVAL, __WASI_ERRNO_NOENT);
    EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));

    EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
    EXPECT_OK(__wasi_path_remove_directory(base, DIR_NAME));
    return wt_finish();
}
