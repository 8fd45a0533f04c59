/*
 * Freestanding memory and string functions.  Built with -fno-builtin (and
 * GCC's -fno-tree-loop-distribute-patterns) so the compiler does not turn
 * these loops back into calls to themselves.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WORD	sizeof(unsigned long)

/* ARCH_HAS_STRING: the port has its own (arch/<port>/string.S). */
#ifndef ARCH_HAS_STRING
void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & (WORD - 1)) == 0) {
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(unsigned long *)d = *(const unsigned long *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
#endif

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy backwards. */
	while (n--)
		d[n] = s[n];
	return dst;
}

#ifndef ARCH_HAS_STRING
void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned long pattern = (unsigned char)c;

	if (((uintptr_t)d & (WORD - 1)) == 0 && n >= WORD) {
		pattern |= pattern << 8;
		pattern |= pattern << 16;
		if (WORD > 4)
			pattern |= (pattern << 16) << 16;
		for (; n >= WORD; n -= WORD, d += WORD)
			*(unsigned long *)d = pattern;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
#endif

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *
strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return n == 0 ? (char *)haystack : NULL;
}

static int
digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * The C semantics: leading space, optional sign, base 0 detects 0x / 0
 * prefixes, saturation at ULLONG_MAX on overflow, *end after the digits
 * (or at s when there are none).
 */
unsigned long long
strtoull(const char *s, char **end, int base)
{
	const char *p = s, *digits;
	unsigned long long v = 0;
	int neg = 0, overflow = 0;

	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16)
		p += 2, base = 16;
	else if (base == 0)
		base = p[0] == '0' ? 8 : 10;
	digits = p;
	for (; digit_value(*p) < base; p++) {
		unsigned d = (unsigned)digit_value(*p);
		if (v > (~0ULL - d) / (unsigned)base)
			overflow = 1;
		v = v * (unsigned)base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	if (overflow)
		return ~0ULL;
	return neg ? -v : v;
}

unsigned long
strtoul(const char *s, char **end, int base)
{
	unsigned long long v = strtoull(s, end, base);

	if (v > (unsigned long)-1 && -v > (unsigned long)-1)
		return (unsigned long)-1;
	return (unsigned long)v;
}

long
strtol(const char *s, char **end, int base)
{
	return (long)strtoul(s, end, base);
}
