/* Word-count reducer: sums the counts every mapper sends (read from
 * /dev/in, one peer after another) and sends the sums, by word, to every
 * peer in /dev/out. */
#include "table.h"

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
    qsort(e, t.len, sizeof *e, by_word);
    char **outs = list_dir("/dev/out", &n);
    for (size_t k = 0; k < n; k++) {
        FILE *f = open_in("/dev/out", outs[k], "w");
        for (size_t i = 0; i < t.len; i++)
            fprintf(f, "%s %ld\n", e[i].word, e[i].count);
        if (fclose(f) != 0)
            die("failed to send sums");
    }
    return 0;
}
