/*
 * Allocates 1 MiB blocks until malloc fails, keeping every block reachable
 * in a linked list and touching each of its pages, so that neither -O2
 * nor the allocator can skip the work.
 *
 *   memory_bomb        prints "memory_bomb: got N MiB" and exits 0
 *   memory_bomb abort  calls abort() when malloc fails, so the guest traps
 *                      after reaching the memory limit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1024 * 1024)
#define PAGE 65536

struct block {
    struct block *next;
    unsigned char data[BLOCK - sizeof(struct block *)];
};

int main(int argc, char **argv) {
    int abort_on_null = argc > 1 && strcmp(argv[1], "abort") == 0;
    struct block *head = NULL;
    for (;;) {
        struct block *b = malloc(sizeof *b);
        if (b == NULL) {
            if (abort_on_null) abort();
            break;
        }
        for (size_t i = 0; i < sizeof b->data; i += PAGE) b->data[i] = 1;
        b->next = head;
        head = b;
    }

    /* Count by walking the list: the blocks are used, so they stay. */
    unsigned long mib = 0, sum = 0;
    for (struct block *b = head; b; b = b->next) {
        mib++;
        sum += b->data[0];
    }
    printf("memory_bomb: got %lu MiB\n", mib);
    return sum == mib ? 0 : 1;
}
