/* proc_exit(33) ends the program with status 33 and does not return.
 * Mirrors tests/assemblyscript proc_exit-failure.ts. */
#include "wasitest.h"

int main(void) {
    __wasi_proc_exit(33);
}
