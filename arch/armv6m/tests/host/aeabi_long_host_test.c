/*
 * arch/armv6m/aeabi_long.c, the 64-bit multiply and divide that replace
 * libgcc's on ARMv6-M, against the host's own 64-bit arithmetic: edge
 * cases, then a million pseudo-random operands of every width and sign.
 */
#include <stdint.h>
#include "host_test.h"

uint64_t armv6m_udivmod64(uint64_t n, uint64_t d, uint64_t *rem);
int64_t armv6m_divmod64(int64_t n, int64_t d, int64_t *rem);
uint64_t __aeabi_lmul(uint64_t a, uint64_t b);

static uint64_t state = 0x9e3779b97f4a7c15ull;

/* xorshift64*, cut to a random width so small operands come up too. */
static uint64_t
operand(void)
{
	uint64_t x;

	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	x = state * 0x2545f4914f6cdd1dull;
	return x >> (x & 63);
}

static void
check_unsigned(uint64_t n, uint64_t d)
{
	uint64_t r = ~0ull, q = armv6m_udivmod64(n, d, &r);

	CHECK(__aeabi_lmul(n, d) == n * d);
	if (d) {
		CHECK(q == n / d);
		CHECK(r == n % d);
	} else {
		CHECK(q == 0 && r == n);	/* as ARMv7-M's UDIV: 0 */
	}
}

/* -x without C's overflow at INT64_MIN (it stays INT64_MIN). */
static int64_t
neg(int64_t x)
{
	return (int64_t)(0 - (uint64_t)x);
}

static void
check_signed(int64_t n, int64_t d)
{
	int64_t r, q;

	if (d == 0 || (n == INT64_MIN && d == -1))
		return;				/* undefined in C */
	q = armv6m_divmod64(n, d, &r);
	CHECK(q == n / d);
	CHECK(r == n % d);
}

HOST_TEST(edges)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 0xffff, 0x10000, 0xffffffffull, 0x100000000ull,
		0x100000001ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
		0xfffffffffffffffeull, 0xffffffffffffffffull, 1000000000ull,
		16000000ull, 0x123456789abcdef0ull,
	};

	for (unsigned int i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (unsigned int j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
			check_unsigned(v[i], v[j]);
			check_signed((int64_t)v[i], (int64_t)v[j]);
			check_signed(neg((int64_t)v[i]), (int64_t)v[j]);
			check_signed((int64_t)v[i], neg((int64_t)v[j]));
		}
}

HOST_TEST(random_operands)
{
	for (int i = 0; i < 1000000; i++) {
		uint64_t n = operand(), d = operand();

		check_unsigned(n, d);
		check_signed((int64_t)n, (int64_t)d);
		check_signed(neg((int64_t)n), (int64_t)d);
	}
}
