/*
 * lib/crc32.c: known vectors (the values zlib and Python's binascii.crc32
 * give), a bit-at-a-time reference on random data, and chaining.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include <kernel/crc32.h>

/* The definition, one bit at a time. */
static uint32_t
crc32_bitwise(uint32_t crc, const unsigned char *p, size_t len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

HOST_TEST(known_vectors)
{
	unsigned char zeros[32], ones[32], all[256];
	const char *fox = "The quick brown fox jumps over the lazy dog";

	memset(zeros, 0, sizeof(zeros));
	memset(ones, 0xff, sizeof(ones));
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	CHECK(crc32(0, "", 0) == 0);
	CHECK(crc32(0, NULL, 0) == 0);
	CHECK(crc32(0, "a", 1) == 0xe8b7be43u);
	CHECK(crc32(0, "123456789", 9) == 0xcbf43926u);
	CHECK(crc32(0, fox, strlen(fox)) == 0x414fa339u);
	CHECK(crc32(0, zeros, sizeof(zeros)) == 0x190a55adu);
	CHECK(crc32(0, ones, sizeof(ones)) == 0xff6cab0bu);
	CHECK(crc32(0, all, sizeof(all)) == 0x29058c73u);
}

HOST_TEST(matches_bitwise_reference)
{
	static unsigned char buf[4099];

	srand(1);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rand();
	for (size_t len = 0; len < sizeof(buf); len += 1 + len / 3)
		CHECK(crc32(0, buf, len) == crc32_bitwise(0, buf, len));
	/* Any starting value, not only 0. */
	CHECK(crc32(0xdeadbeefu, buf, 100) == crc32_bitwise(0xdeadbeefu, buf, 100));
}

HOST_TEST(chaining_equals_one_pass)
{
	const char *s = "123456789";

	for (size_t cut = 0; cut <= 9; cut++)
		CHECK(crc32(crc32(0, s, cut), s + cut, 9 - cut) == 0xcbf43926u);
	/* Empty pieces change nothing. */
	CHECK(crc32(crc32(0, s, 9), s, 0) == 0xcbf43926u);
}
