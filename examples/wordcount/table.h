/* A word -> count hash table and the helpers the three word-count
 * programs share: listing a channel directory, reading "word count"
 * lines. Words are runs of ASCII letters and digits, lower-cased. */
#ifndef WORDCOUNT_TABLE_H
#define WORDCOUNT_TABLE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *word;
    long count;
};

struct table {
    struct entry *slots;
    size_t cap, len;
};

static inline void die(const char *what) {
    fprintf(stderr, "%s\n", what);
    exit(1);
}

static inline unsigned long fnv(const char *s) {
    unsigned long h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h = (h * 16777619u) & 0xffffffffu;
    }
    return h;
}

static inline void table_grow(struct table *t);

static inline void table_add(struct table *t, const char *word, long n) {
    if (t->cap == 0 || (t->len + 1) * 2 > t->cap)
        table_grow(t);
    size_t i = fnv(word) & (t->cap - 1);
    while (t->slots[i].word) {
        if (strcmp(t->slots[i].word, word) == 0) {
            t->slots[i].count += n;
            return;
        }
        i = (i + 1) & (t->cap - 1);
    }
    t->slots[i].word = strdup(word);
    if (!t->slots[i].word)
        die("out of memory");
    t->slots[i].count = n;
    t->len++;
}

static inline void table_grow(struct table *t) {
    struct table bigger = {0};
    bigger.cap = t->cap ? t->cap * 2 : 1024;
    bigger.slots = calloc(bigger.cap, sizeof(struct entry));
    if (!bigger.slots)
        die("out of memory");
    for (size_t i = 0; i < t->cap; i++) {
        struct entry *e = &t->slots[i];
        if (e->word) {
            size_t j = fnv(e->word) & (bigger.cap - 1);
            while (bigger.slots[j].word)
                j = (j + 1) & (bigger.cap - 1);
            bigger.slots[j] = *e;
            bigger.len++;
        }
    }
    free(t->slots);
    *t = bigger;
}

/* The table's entries packed at the front, t->len of them. */
static struct entry *table_entries(struct table *t) {
    size_t k = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].word)
            t->slots[k++] = t->slots[i];
    return t->slots;
}

/* The names in the channel directory `dir` (/dev/in or /dev/out),
 * sorted; NULL-terminated. */
static char **list_dir(const char *dir, size_t *count) {
    DIR *d = opendir(dir);
    size_t n = 0, cap = 16;
    char **names = malloc(cap * sizeof(char *));
    if (!names)
        die("out of memory");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            if (n + 1 >= cap) {
                cap *= 2;
                names = realloc(names, cap * sizeof(char *));
                if (!names)
                    die("out of memory");
            }
            names[n++] = strdup(e->d_name);
        }
        closedir(d);
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *x = names[j];
            names[j] = names[j - 1];
            names[j - 1] = x;
        }
    names[n] = NULL;
    *count = n;
    return names;
}

static FILE *open_in(const char *dir, const char *name, const char *mode) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, mode);
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    return f;
}

/* Adds every "word count" line of `f` to `t`. */
static inline void read_counts(FILE *f, struct table *t) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        char *space = strrchr(line, ' ');
        if (!space)
            die("malformed count line");
        *space = 0;
        table_add(t, line, strtol(space + 1, NULL, 10));
    }
    free(line);
}

static inline int by_word(const void *a, const void *b) {
    return strcmp(((const struct entry *)a)->word, ((const struct entry *)b)->word);
}

#endif
