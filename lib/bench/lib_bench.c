/* What the formatter and the string functions cost on this CPU. */
#include <string.h>
#include <kernel/bench.h>
#include <kernel/printk.h>

BENCH(lib, snprintf_line)
{
	char buf[96];

	for (size_t i = 0; i < n; i++)
		snprintf(buf, sizeof(buf), "[%5llu.%06llu] %s: %d %#x\n",
			 (unsigned long long)i, (unsigned long long)i * 7, "bench", (int)i,
			 (unsigned int)i);
	return n;
}

BENCH(lib, memcpy_4k)
{
	static unsigned long src[512], dst[512];

	for (size_t i = 0; i < n; i++) {
		src[i & 511] = i;
		memcpy(dst, src, sizeof(dst));
	}
	return dst[0] == src[0] ? n : 0;
}
