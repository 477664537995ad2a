/* fdopendir over an opened directory lists exactly file-0 and file-1
 * (besides dot entries), each d_ino matching fstatat's st_ino, the two
 * distinct. Mirrors tests/c fdopendir-with-access.c. Fixture:
 * fopendir.dir/file-0 and fopendir.dir/file-1 in the root. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasitest.h"

int main(void) {
    int dfd = open("fopendir.dir", O_RDONLY | O_DIRECTORY);
    if (dfd == -1) {
        CHECK(0, "open fopendir.dir failed");
        wt_abort();
    }
    DIR *d = fdopendir(dfd);
    if (d == NULL) {
        CHECK(0, "fdopendir failed");
        wt_abort();
    }

    int seen[2] = {0, 0};
    ino_t inodes[2] = {0, 0};
    struct dirent *dp;
    while ((dp = readdir(d)) != NULL) {
        if (dp->d_name[0] == '.') continue;
        int which = -1;
        if (strncmp(dp->d_name, "file-0", 6) == 0) which = 0;
        if (strncmp(dp->d_name, "file-1", 6) == 0) which = 1;
        if (which < 0) {
            CHECK(0, "unexpected entry %s", dp->d_name);
            continue;
        }
        seen[which] = 1;
        inodes[which] = dp->d_ino;

        struct stat st;
        if (fstatat(dfd, dp->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            CHECK(0, "fstatat %s failed", dp->d_name);
            continue;
        }
        CHECK(st.st_ino == dp->d_ino, "%s: st_ino %llu, d_ino %llu", dp->d_name,
              (unsigned long long)st.st_ino, (unsigned long long)dp->d_ino);
    }
    closedir(d);

    CHECK(seen[0], "file-0 not listed");
    CHECK(seen[1], "file-1 not listed");
    CHECK(inodes[0] != inodes[1], "file-0 and file-1 share inode %llu",
          (unsigned long long)inodes[0]);
    return wt_finish();
}
