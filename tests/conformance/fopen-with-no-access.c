/* A path no preopen grants cannot be opened: ENOTCAPABLE. Mirrors tests/c
 * fopen-with-no-access.c, which opens a file of a directory that is not
 * preopened. With the whole root preopened as "/", the only path outside
 * every preopen is one that climbs above it, so this asks for
 * "../file" through libc (which resolves it against "/") and raw, through
 * path_open on the preopen (which must refuse it). */
#include <errno.h>

#include "wasitest.h"

int main(void) {
    /* Raw: ".." out of the preopen is not a capability the guest holds. */
    __wasi_fd_t fd;
    EXPECT_ERRNO(__wasi_path_open(3, 0, "../file", 0, __WASI_RIGHTS_FD_READ, 0,
                                  0, &fd),
                 __WASI_ERRNO_NOTCAPABLE);

    /* Through libc, a path with no preopen to resolve it. */
    errno = 0;
    FILE *f = fopen("/../../outside-every-preopen/file", "r");
    CHECK(f == NULL, "fopen of a path outside every preopen succeeded");
    if (f) fclose(f);
    return wt_finish();
}
