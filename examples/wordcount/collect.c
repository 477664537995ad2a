/* Word-count collector: merges the reducers' sums and prints the whole
 * table, most frequent first (ties by word), as "count word" lines. */
#include "table.h"

static int by_count(const void *a, const void *b) {
    const struct entry *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->word, y->word);
}

int main(void) {
    struct table t = {0};
    size_t n;
    char **peers = list_dir("/dev/in", &n);
    for (size_t i = 0; i < n; i++) {
        FILE *f = open_in("/dev/in", peers[i], "r");
        read_counts(f, &t);
        fclose(f);
    }
    struct entry *e = table_entries(&t);
    qsort(e, t.len, sizeof *e, by_count);
    for (size_t i = 0; i < t.len; i++)
        printf("%ld %s\n", e[i].count, e[i].word);
    fprintf(stderr, "%zu distinct words from %zu reducers\n", t.len, n);
    return 0;
}
