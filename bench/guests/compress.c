/* A small LZ77 compressor of its own over 8 MiB of generated text: words
 * drawn from a fixed vocabulary by a fixed PRNG, in sentences and lines.
 * Matches are found through a hash of the next 4 bytes and a chain of
 * earlier positions in a 64 KiB window (at most 64 steps down a chain).
 *
 * Format: a token byte LLLLMMMM; a literal run of L (15: more length
 * bytes follow, each adding up to 255), the literals, then, unless the
 * input ends, a 2-byte offset and a match of M + 4 bytes (extended the
 * same way). The output is decompressed again and compared with the
 * input; the program prints both sizes and an FNV-1a hash of the output. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INPUT (8u << 20)
#define WINDOW (1u << 16)
#define HASH_BITS 16
#define MIN_MATCH 4
#define MAX_CHAIN 64

static uint32_t rng = 0x9e3779b9u;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static const char *const words[] = {
    "the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he",
    "was", "for", "on", "are", "as", "with", "his", "they", "at", "be",
    "this", "have", "from", "or", "one", "had", "by", "word", "but", "not",
    "what", "all", "were", "we", "when", "your", "can", "said", "there",
    "use", "an", "each", "which", "she", "do", "how", "their", "if", "will",
    "sandbox", "channel", "memory", "program", "deterministic", "output",
    "session", "manifest", "quota", "object", "storage", "replica",
};
#define WORDS (sizeof words / sizeof words[0])

static void generate(uint8_t *text, uint32_t size)
{
    uint32_t pos = 0, line = 0;
    while (pos < size) {
        /* The smaller of two draws: early words come up far more often. */
        uint32_t r = next(), a = (r & 0xffff) % WORDS, b = (r >> 16) % WORDS;
        const char *w = words[a < b ? a : b];
        size_t len = strlen(w);
        for (size_t i = 0; i < len && pos < size; i++)
            text[pos++] = (uint8_t)w[i];
        line += (uint32_t)len + 1;
        if (pos < size) {
            uint32_t end = next() % 16;
            text[pos++] = end == 0 ? '.' : line > 70 ? '\n' : ' ';
            if (text[pos - 1] == '\n')
                line = 0;
        }
    }
}

static uint32_t hash4(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static uint8_t *put_length(uint8_t *out, uint32_t n)
{
    for (; n >= 255; n -= 255)
        *out++ = 255;
    *out++ = (uint8_t)n;
    return out;
}

static uint32_t compress(const uint8_t *in, uint32_t size, uint8_t *out)
{
    static uint32_t head[1u << HASH_BITS]; /* position + 1 of the latest */
    static uint32_t chain[WINDOW];         /* position + 1 of the one before */
    uint8_t *o = out;
    uint32_t anchor = 0, pos = 0;

    while (pos + MIN_MATCH <= size) {
        /* Longest match among the earlier positions with this hash. */
        uint32_t h = hash4(in + pos), best_len = 0, best_off = 0;
        uint32_t cand = head[h];
        for (int steps = 0; cand && steps < MAX_CHAIN; steps++) {
            uint32_t c = cand - 1;
            if (pos - c > WINDOW - 1)
                break;
            uint32_t len = 0, limit = size - pos;
            while (len < limit && in[c + len] == in[pos + len])
                len++;
            if (len > best_len) {
                best_len = len;
                best_off = pos - c;
            }
            cand = chain[c & (WINDOW - 1)];
        }
        chain[pos & (WINDOW - 1)] = head[h];
        head[h] = pos + 1;
        if (best_len < MIN_MATCH) {
            pos++;
            continue;
        }

        /* A token: the literals since the anchor, then the match. */
        uint32_t lits = pos - anchor, m = best_len - MIN_MATCH;
        *o++ = (uint8_t)((lits < 15 ? lits : 15) << 4 | (m < 15 ? m : 15));
        if (lits >= 15)
            o = put_length(o, lits - 15);
        memcpy(o, in + anchor, lits);
        o += lits;
        *o++ = (uint8_t)best_off;
        *o++ = (uint8_t)(best_off >> 8);
        if (m >= 15)
            o = put_length(o, m - 15);

        /* Index the matched positions too, so later matches find them. */
        for (uint32_t end = pos + best_len, p = pos + 1; p < end; p++) {
            if (p + MIN_MATCH <= size) {
                uint32_t hp = hash4(in + p);
                chain[p & (WINDOW - 1)] = head[hp];
                head[hp] = p + 1;
            }
        }
        pos += best_len;
        anchor = pos;
    }

    /* The last literals, in a token with no match. */
    uint32_t lits = size - anchor;
    *o++ = (uint8_t)((lits < 15 ? lits : 15) << 4);
    if (lits >= 15)
        o = put_length(o, lits - 15);
    memcpy(o, in + anchor, lits);
    o += lits;
    return (uint32_t)(o - out);
}

static uint32_t get_length(const uint8_t **p, uint32_t n)
{
    if (n == 15) {
        uint8_t b;
        do {
            b = *(*p)++;
            n += b;
        } while (b == 255);
    }
    return n;
}

static uint32_t decompress(const uint8_t *in, uint32_t size, uint8_t *out)
{
    const uint8_t *p = in, *end = in + size;
    uint8_t *o = out;
    while (p < end) {
        uint8_t token = *p++;
        uint32_t lits = get_length(&p, token >> 4);
        memcpy(o, p, lits);
        o += lits;
        p += lits;
        if (p >= end)
            break;
        uint32_t off = p[0] | (uint32_t)p[1] << 8;
        p += 2;
        uint32_t len = get_length(&p, token & 15) + MIN_MATCH;
        for (uint32_t i = 0; i < len; i++, o++)
            *o = o[-(long)off];
    }
    return (uint32_t)(o - out);
}

int main(void)
{
    uint8_t *text = malloc(INPUT);
    uint8_t *packed = malloc(INPUT + INPUT / 255 + 16);
    uint8_t *back = malloc(INPUT);
    if (!text || !packed || !back) {
        fputs("compress: out of memory\n", stderr);
        return 1;
    }
    generate(text, INPUT);

    uint32_t packed_size = compress(text, INPUT, packed);
    uint32_t back_size = decompress(packed, packed_size, back);
    if (back_size != INPUT || memcmp(text, back, INPUT) != 0) {
        fputs("compress: the round trip differs\n", stderr);
        return 1;
    }

    uint32_t fnv = 2166136261u;
    for (uint32_t i = 0; i < packed_size; i++)
        fnv = (fnv ^ packed[i]) * 16777619u;
    printf("%u bytes -> %u bytes (%.1f%%), fnv1a %08x, round trip ok\n",
           INPUT, packed_size, 100.0 * packed_size / INPUT, fnv);
    return 0;
}
