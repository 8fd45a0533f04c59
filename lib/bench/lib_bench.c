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

/* 1 KiB: big enough to reach the word loop, small for a 16 KiB board. */
BENCH(lib, memcpy_1k)
{
	static unsigned long src[1024 / sizeof(long)], dst[1024 / sizeof(long)];

	for (size_t i = 0; i < n; i++) {
		src[i % ARRAY_SIZE(src)] = i;
		memcpy(dst, src, sizeof(dst));
	}
	return dst[0] == src[0] ? n : 0;
}
