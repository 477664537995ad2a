/* Sorts 8 Mi 32-bit integers from a fixed PRNG with a quicksort of its
 * own (median of three, insertion sort below 24 elements, recursion into
 * the smaller side), so native and wasm run the same algorithm rather
 * than two libcs' qsort. Checks the order and prints a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define COUNT (8u << 20)

static void insertion_sort(uint32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint32_t v = a[i];
        long j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void swap(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;
    *a = *b;
    *b = t;
}

static void quicksort(uint32_t *a, long n)
{
    while (n > 24) {
        long mid = n / 2;
        if (a[mid] < a[0])
            swap(&a[mid], &a[0]);
        if (a[n - 1] < a[0])
            swap(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid])
            swap(&a[n - 1], &a[mid]);
        uint32_t pivot = a[mid];

        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap(&a[i++], &a[j--]);
        }
        /* a[0..=j] <= pivot <= a[j+1..n]: recurse into the smaller part. */
        long left = j + 1;
        if (left < n - left) {
            quicksort(a, left);
            a += left;
            n -= left;
        } else {
            quicksort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

int main(void)
{
    uint32_t *a = malloc(COUNT * sizeof *a);
    if (!a) {
        fputs("sort: out of memory\n", stderr);
        return 1;
    }
    uint32_t x = 2463534242u; /* xorshift32 */
    for (uint32_t i = 0; i < COUNT; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        a[i] = x;
    }

    quicksort(a, COUNT);

    uint64_t sum = 0;
    for (uint32_t i = 0; i < COUNT; i++) {
        if (i && a[i - 1] > a[i]) {
            fprintf(stderr, "sort: out of order at %u\n", i);
            return 1;
        }
        sum = sum * 31 + a[i];
    }
    printf("sorted %u integers: min %u max %u checksum %016llx\n", COUNT,
           a[0], a[COUNT - 1], (unsigned long long)sum);
    free(a);
    return 0;
}
