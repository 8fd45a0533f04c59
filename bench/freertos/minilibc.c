/* memset/memcpy for the -nostdlib benchmark image (FreeRTOS's tasks.c and
 * queue.c call them).  Compiled with -fno-builtin and
 * -fno-tree-loop-distribute-patterns so GCC does not turn the loops back
 * into calls to themselves. */
#include <stddef.h>

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}
