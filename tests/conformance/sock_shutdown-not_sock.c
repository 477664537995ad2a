/* shutdown() on stdout, not a socket, is ENOTSOCK. Mirrors tests/c
 * sock_shutdown-not_sock.c. */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wasitest.h"

int main(void) {
    errno = 0;
    CHECK(shutdown(STDOUT_FILENO, SHUT_RD) != 0, "shutdown(stdout) succeeded");
    CHECK(errno == ENOTSOCK, "errno %d, expected ENOTSOCK (%d)", errno, ENOTSOCK);
    return wt_finish();
}
