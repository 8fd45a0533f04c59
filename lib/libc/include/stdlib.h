/* The few stdlib functions the kernel (and libfdt) use (lib/string.c). */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);

#endif
