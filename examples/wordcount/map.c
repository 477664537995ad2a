/* Word-count mapper: counts the words of /dev/input and sends each word's
 * count to one reducer, chosen by a hash of the word among the peers
 * listed in /dev/out (sorted by name). */
#include <ctype.h>

#include "table.h"

int main(void) {
    FILE *in = fopen("/dev/input", "r");
    if (!in)
        die("cannot open /dev/input");

    struct table t = {0};
    size_t cap = 64, len = 0;
    char *word = malloc(cap);
    int c;
    do {
        c = fgetc(in);
        if (c != EOF && isascii(c) && isalnum(c)) {
            if (len + 1 >= cap && !(word = realloc(word, cap *= 2)))
                die("out of memory");
            word[len++] = (char)tolower(c);
        } else if (len > 0) {
            word[len] = 0;
            table_add(&t, word, 1);
            len = 0;
        }
    } while (c != EOF);
    fclose(in);

    size_t n;
    char **peers = list_dir("/dev/out", &n);
    if (n == 0)
        die("no reducers in /dev/out");
    FILE **outs = malloc(n * sizeof(FILE *));
    for (size_t i = 0; i < n; i++)
        outs[i] = open_in("/dev/out", peers[i], "w");

    /* Word order makes the bytes sent the same on every run. */
    struct entry *e = table_entries(&t);
    qsort(e, t.len, sizeof *e, by_word);
    for (size_t i = 0; i < t.len; i++)
        fprintf(outs[fnv(e[i].word) % n], "%s %ld\n", e[i].word, e[i].count);
    for (size_t i = 0; i < n; i++)
        if (fclose(outs[i]) != 0)
            die("failed to send counts");
    return 0;
}
