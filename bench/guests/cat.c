/* Copies standard input to standard output through one 64 KiB buffer,
 * with plain read(2)/write(2) so that every byte crosses the host's I/O
 * path once per call and nothing is buffered twice. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static char buf[64 * 1024];

int main(void)
{
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("cat: read");
            return 1;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(1, buf + done, (size_t)(n - done));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                perror("cat: write");
                return 1;
            }
            done += w;
        }
    }
}
