/* shutdown() on descriptor 3, assumed closed, is EBADF. Mirrors tests/c
 * sock_shutdown-invalid_fd.c, which assumes no preopen sits at 3. */
#include <errno.h>
#include <sys/socket.h>

#include "wasitest.h"

int main(void) {
    errno = 0;
    CHECK(shutdown(3, SHUT_RD) != 0, "shutdown(3) succeeded");
    CHECK(errno == EBADF, "errno %d, expected EBADF (%d)", errno, EBADF);
    return wt_finish();
}
