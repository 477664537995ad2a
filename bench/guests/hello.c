/* The smallest whole-process case: start, print one line, exit. */
#include <stdio.h>

int main(void)
{
    puts("hello from a guest");
    return 0;
}
