/* proc_exit(0) ends the program with status 0 and does not return (the
 * trap after it would show). Mirrors tests/assemblyscript
 * proc_exit-success.ts. */
#include "wasitest.h"

int main(void) {
    __wasi_proc_exit(0);
}
