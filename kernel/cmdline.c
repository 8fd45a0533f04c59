/* The kernel command line and its "key=value" words. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/cmdline.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>

#ifdef CONFIG_MMU
/*
 * A copy: the loader's memory (a device tree, multiboot data) is freed
 * or reused later.  Loaders pass a few hundred bytes.
 */
static char cmdline_copy[512];
#endif
static const char *cmdline = "";

/*
 * Without an MMU nothing reclaims the memory a command line arrives in
 * (the built-in one is in flash, ARMv6-M reserves what semihosting
 * wrote), so the kernel keeps the pointer: no buffer in static RAM.
 */
void
cmdline_init(const char *s)
{
	if (!s || !*s)
		s = CONFIG_CMDLINE;
#ifdef CONFIG_MMU
	strlcpy(cmdline_copy, s, sizeof(cmdline_copy));
	s = cmdline_copy;
#endif
	cmdline = s;
}

const char *
cmdline_get(void)
{
	return cmdline;
}

int
cmdline_find(const char *line, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	int found = -ENOENT;

	if (size)
		buf[0] = '\0';
	while (*line) {
		const char *word, *end;

		while (isspace(*line))
			line++;
		word = line;
		while (*line && !isspace(*line))
			line++;
		end = line;
		if ((size_t)(end - word) < klen || strncmp(word, key, klen) != 0)
			continue;
		if (word + klen == end) {
			found = 0;		/* bare key */
			if (size)
				buf[0] = '\0';
		} else if (word[klen] == '=') {
			size_t vlen = (size_t)(end - word) - klen - 1;

			found = (int)vlen;
			if (size) {
				size_t n = vlen < size - 1 ? vlen : size - 1;
				memcpy(buf, word + klen + 1, n);
				buf[n] = '\0';
			}
		}
	}
	return found;
}

int
cmdline_value(const char *key, char *buf, size_t size)
{
	return cmdline_find(cmdline, key, buf, size);
}

bool
cmdline_has(const char *key)
{
	return cmdline_find(cmdline, key, NULL, 0) >= 0;
}

int
cmdline_u64(const char *key, uint64_t *out)
{
	char buf[32], *end;
	unsigned long long v;
	int n = cmdline_value(key, buf, sizeof(buf));

	if (n < 0)
		return n;
	if (n == 0 || n >= (int)sizeof(buf))
		return -EINVAL;
	v = strtoull(buf, &end, 0);
	if (end == buf)
		return -EINVAL;
	switch (*end) {
	case 'G': case 'g': v <<= 10; fallthrough;
	case 'M': case 'm': v <<= 10; fallthrough;
	case 'K': case 'k': v <<= 10; end++; break;
	}
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}
