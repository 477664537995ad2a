/*
 * Exits with the status given as argv[1], by exit() or, with a second
 * argument "return", by returning it from main. Prints what it does first
 * so the host test can see that stdout is flushed before the exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: exit_code STATUS [return]\n");
        return 64;
    }
    int status = atoi(argv[1]);
    int by_return = argc > 2 && strcmp(argv[2], "return") == 0;
    printf("exit_code: %s %d\n", by_return ? "returning" : "exiting", status);
    if (by_return) return status;
    exit(status);
}
