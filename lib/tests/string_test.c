/* In-kernel tests of lib/string.c, as the target CPU runs it. */
#include <stdlib.h>
#include <string.h>
#include <kernel/ktest.h>

KTEST(string, memcpy_alignments)
{
	unsigned char src[40], dst[48];

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i + 1);
	for (unsigned int off = 0; off < 8; off++) {
		memset(dst, 0, sizeof(dst));
		memcpy(dst + off, src + (8 - off) % 8, 32);
		KEXPECT_EQ(memcmp(dst + off, src + (8 - off) % 8, 32), 0);
		KEXPECT_EQ(dst[off + 32], 0);
		if (off)
			KEXPECT_EQ(dst[off - 1], 0);
	}
}

KTEST(string, memmove_overlap)
{
	char buf[16] = "abcdefghij";

	memmove(buf + 2, buf, 8);
	KEXPECT(memcmp(buf, "ababcdefgh", 10) == 0);
	memmove(buf, buf + 3, 7);
	KEXPECT(memcmp(buf, "bcdefghfgh", 10) == 0);
}

KTEST(string, memset_pattern)
{
	unsigned char buf[37];

	memset(buf, 0x1ab, sizeof(buf));
	for (unsigned int i = 0; i < sizeof(buf); i++)
		KEXPECT_EQ(buf[i], 0xab);
}

KTEST(string, str_functions)
{
	char buf[8];

	KEXPECT_EQ(strlen("kite"), 4);
	KEXPECT_EQ(strnlen("kite", 2), 2);
	KEXPECT(strcmp("abc", "abd") < 0);
	KEXPECT(strcmp("abd", "abc") > 0);
	KEXPECT_EQ(strcmp("same", "same"), 0);
	KEXPECT_EQ(strncmp("abcx", "abcy", 3), 0);
	KEXPECT(strcmp("a\xff", "a\x01") > 0);	/* compares as unsigned char */
	KEXPECT_STREQ(strchr("a,b,c", ','), ",b,c");
	KEXPECT_STREQ(strrchr("a,b,c", ','), ",c");
	KEXPECT(strchr("abc", 'z') == NULL);
	KEXPECT_STREQ(strstr("hello world", "wor"), "world");
	KEXPECT_EQ(strlcpy(buf, "truncated!", sizeof(buf)), 10);
	KEXPECT_STREQ(buf, "truncat");
}

KTEST(string, strtoul_bases)
{
	char *end;

	KEXPECT_EQ(strtoul("0x1f", &end, 0), 31);
	KEXPECT_EQ(*end, '\0');
	KEXPECT_EQ(strtoul("0755", NULL, 0), 493);
	KEXPECT_EQ(strtoul("  42abc", &end, 10), 42);
	KEXPECT_STREQ(end, "abc");
	KEXPECT_EQ(strtoul("zz", &end, 36), 35 * 36 + 35);
	KEXPECT_EQ(strtoull("18446744073709551616", NULL, 10), ~0ULL);
	KEXPECT_EQ(strtoul("nope", &end, 0), 0);
	KEXPECT_STREQ(end, "nope");
}

/*
 * The port's memcpy and memset (arch/<port>/string.S where it has them)
 * at every length to 70 and every alignment of both pointers, with
 * guard bytes on each side, then around a page (not on the RTOS boards).
 */
#ifdef CONFIG_ARCH_ARMV6M
/* 16 KiB of RAM: no page-sized copies, and the buffers on the stack, not the heap's room. */
#define BIG_COPY	0
#define COPY_BUFFER
#else
#define BIG_COPY	4096		/* a page */
#define COPY_BUFFER	static
#endif

KTEST(string, memcpy_memset_every_length_and_alignment)
{
	COPY_BUFFER unsigned char src[BIG_COPY + 96], dst[BIG_COPY + 112];
	bool ok = true;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 3);
	for (size_t so = 0; so < 9; so++)
		for (size_t doff = 0; doff < 9; doff++)
			for (size_t n = 0; n <= 70; n++) {
				memset(dst, 0xee, 96);
				ok &= memcpy(dst + 8 + doff, src + so, n) == dst + 8 + doff;
				for (size_t i = 0; i < 96; i++)
					ok &= dst[i] == (i >= 8 + doff && i < 8 + doff + n ?
							 src[so + i - 8 - doff] : 0xee);
				ok &= memset(dst + 8 + doff, (int)(n + 0x100), n) == dst + 8 + doff;
				for (size_t i = 0; i < 96; i++)
					ok &= dst[i] == (i >= 8 + doff && i < 8 + doff + n ?
							 (unsigned char)n : 0xee);
				if (!ok) {
					ktest_fail(__FILE__, __LINE__, "n %zu src +%zu dst +%zu", n, so, doff);
					return;
				}
			}
#if BIG_COPY
	for (size_t n = BIG_COPY - 9; n <= BIG_COPY + 9; n++) {
		memset(dst, 0xee, sizeof(dst));
		memcpy(dst + 8, src + (n & 7), n);
		ok &= memcmp(dst + 8, src + (n & 7), n) == 0 && dst[7] == 0xee && dst[8 + n] == 0xee;
		memset(dst + 8, 0, n);
		for (size_t i = 0; i < n; i++)
			ok &= dst[8 + i] == 0;
		ok &= dst[7] == 0xee && dst[8 + n] == 0xee;
	}
#endif
	KEXPECT(ok);
}
