/* External sort, first pass: sorts the lines of /dev/input (one part of
 * the data) in memory, keeps the sorted run as /dev/output and streams it
 * to every merger in /dev/out. Lines compare as bytes. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what) {
    fprintf(stderr, "%s\n", what);
    exit(1);
}

static int by_bytes(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void put_all(FILE *f, char **lines, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (fputs(lines[i], f) < 0 || fputc('\n', f) < 0)
            die("failed to write the run");
    if (fclose(f) != 0)
        die("failed to write the run");
}

int main(void) {
    FILE *in = fopen("/dev/input", "r");
    if (!in)
        die("cannot open /dev/input");
    size_t n = 0, cap = 1024;
    char **lines = malloc(cap * sizeof(char *));
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, in)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = 0;
        if (n == cap && !(lines = realloc(lines, (cap *= 2) * sizeof(char *))))
            die("out of memory");
        if (!(lines[n++] = strdup(line)))
            die("out of memory");
    }
    qsort(lines, n, sizeof(char *), by_bytes);

    FILE *run = fopen("/dev/output", "w");
    if (!run)
        die("cannot open /dev/output");
    put_all(run, lines, n);

    DIR *d = opendir("/dev/out");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "/dev/out/%s", e->d_name);
        FILE *f = fopen(path, "w");
        if (!f)
            die("cannot open a merger's pipe");
        put_all(f, lines, n);
    }
    if (d)
        closedir(d);
    return 0;
}
