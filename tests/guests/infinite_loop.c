/*
 * Never ends: the host must stop it by fuel or by wall-clock timeout.
 * The counter is volatile so the loop cannot be optimised away (an
 * infinite loop without side effects is undefined behaviour in C).
 */
#include <stdio.h>

static volatile unsigned long counter;

int main(void) {
    printf("infinite_loop: started\n");
    fflush(stdout);
    for (;;) counter++;
}
