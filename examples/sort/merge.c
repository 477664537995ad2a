/* External sort, second pass: merges the sorted runs arriving on every
 * pipe in /dev/in, holding one line per run, and prints the result. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
    FILE *f;
    char *line;
    size_t cap;
    int live;
};

static void next(struct run *r) {
    ssize_t len = getline(&r->line, &r->cap, r->f);
    r->live = len >= 0;
    if (r->live && len > 0 && r->line[len - 1] == '\n')
        r->line[len - 1] = 0;
}

int main(void) {
    struct run runs[256];
    size_t n = 0;
    DIR *d = opendir("/dev/in");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == 256) {
            fprintf(stderr, "more than 256 runs\n");
            return 1;
        }
        char path[512];
        snprintf(path, sizeof path, "/dev/in/%s", e->d_name);
        runs[n].f = fopen(path, "r");
        if (!runs[n].f) {
            fprintf(stderr, "cannot open %s\n", path);
            return 1;
        }
        runs[n].line = NULL;
        runs[n].cap = 0;
        next(&runs[n]);
        n++;
    }
    if (d)
        closedir(d);

    long total = 0;
    for (;;) {
        struct run *best = NULL;
        for (size_t i = 0; i < n; i++)
            if (runs[i].live && (!best || strcmp(runs[i].line, best->line) < 0))
                best = &runs[i];
        if (!best)
            break;
        printf("%s\n", best->line);
        total++;
        next(best);
    }
    for (size_t i = 0; i < n; i++)
        if (ferror(runs[i].f)) {
            fprintf(stderr, "failed to read run %zu\n", i);
            return 1;
        }
    fprintf(stderr, "merged %ld lines from %zu runs\n", total, n);
    return fflush(stdout) == 0 ? 0 : 1;
}
