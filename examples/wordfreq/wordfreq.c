/*
 * wordfreq: counts the words of every text file under a directory and
 * prints the most frequent ones. An ordinary POSIX C program: in the
 * sandbox it walks a tar image mounted read-only, writes its table to a
 * scratch file in /tmp, and stamps the report with the virtual clock.
 *
 *   wordfreq DIR [TOP]
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct word {
    char *text;
    long count;
    struct word *next;
};

#define BUCKETS 65536
static struct word *table[BUCKETS];
static long distinct, total, files;

static unsigned long hash(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static void count(const char *w)
{
    unsigned long b = hash(w) % BUCKETS;
    for (struct word *p = table[b]; p; p = p->next)
        if (strcmp(p->text, w) == 0) {
            p->count++;
            total++;
            return;
        }
    struct word *n = malloc(sizeof *n);
    if (!n || !(n->text = strdup(w))) {
        fprintf(stderr, "wordfreq: out of memory\n");
        exit(1);
    }
    n->count = 1;
    n->next = table[b];
    table[b] = n;
    distinct++;
    total++;
}

static void scan_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    char w[256];
    size_t len = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (isalpha(c) || (c == '\'' && len > 0)) {
            if (len < sizeof w - 1)
                w[len++] = (char)tolower(c);
        } else if (len > 0) {
            w[len] = 0;
            count(w);
            len = 0;
        }
    }
    if (len > 0) {
        w[len] = 0;
        count(w);
    }
    fclose(f);
    files++;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        exit(1);
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            scan_dir(path);
        else if (S_ISREG(st.st_mode))
            scan_file(path);
        free(names[i]);
    }
    free(names);
}

static int by_count(const void *a, const void *b)
{
    const struct word *x = *(struct word *const *)a;
    const struct word *y = *(struct word *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->text, y->text);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: wordfreq DIR [TOP]\n");
        return 2;
    }
    int top = argc > 2 ? atoi(argv[2]) : 10;
    scan_dir(argv[1]);

    struct word **all = malloc((size_t)distinct * sizeof *all);
    long k = 0;
    for (int b = 0; b < BUCKETS; b++)
        for (struct word *p = table[b]; p; p = p->next)
            all[k++] = p;
    qsort(all, (size_t)distinct, sizeof *all, by_count);

    /* The whole table goes to a scratch file, the top to stdout. */
    FILE *out = fopen("/tmp/wordfreq.tsv", "w");
    if (!out) {
        perror("/tmp/wordfreq.tsv");
        return 1;
    }
    for (long i = 0; i < distinct; i++)
        fprintf(out, "%s\t%ld\n", all[i]->text, all[i]->count);
    fclose(out);
    struct stat st;
    stat("/tmp/wordfreq.tsv", &st);

    time_t now = time(NULL);
    char stamp[64];
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
    printf("%ld files, %ld words, %ld distinct (table: %lld bytes), at %s\n",
           files, total, distinct, (long long)st.st_size, stamp);
    for (long i = 0; i < distinct && i < top; i++)
        printf("%7ld  %s\n", all[i]->count, all[i]->text);
    return 0;
}
