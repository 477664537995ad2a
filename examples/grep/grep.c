/* grep: prints "LINE:TEXT" for each line of /dev/input containing the
 * pattern given as the first argument. Exits 2 without a pattern. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATTERN\n", argv[0]);
        return 2;
    }
    FILE *in = fopen("/dev/input", "r");
    if (!in) {
        fprintf(stderr, "cannot open /dev/input\n");
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0, hits = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[len - 1] = 0;
        if (strstr(line, argv[1])) {
            printf("%ld:%s\n", lineno, line);
            hits++;
        }
    }
    fprintf(stderr, "%s: %ld matching lines\n", argv[0], hits);
    return 0;
}
