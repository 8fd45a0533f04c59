/*
 * The 64-bit multiply and divide helpers the compilers call on ARMv6-M
 * (the ARM run-time ABI's __aeabi_lmul, __aeabi_uldivmod and
 * __aeabi_ldivmod), in place of libgcc's, which are compiled to use
 * r8-r11.  These are compiled like the rest of the kernel, which keeps off
 * r8-r11 (meson.build: GCC's -ffixed-r8..r11; every image checked), so a
 * preempted thread never has anything there and PendSV does not save them
 * (<asm/thread.h>).  aeabi_long.S returns a quotient and its remainder in
 * r0-r3, as the ABI wants.  Built with ARMV6M_HIGH_REGS_FIXED: both
 * compilers.
 */
#include <stdint.h>

uint64_t armv6m_udivmod64(uint64_t n, uint64_t d, uint64_t *rem);
int64_t armv6m_divmod64(int64_t n, int64_t d, int64_t *rem);
uint64_t __aeabi_lmul(uint64_t a, uint64_t b);

/* 32 x 32 -> 64 bits from 16-bit halves: MULS keeps only the low 32 bits. */
static inline uint64_t
mul32_wide(uint32_t a, uint32_t b)
{
	uint32_t al = a & 0xffff, ah = a >> 16, bl = b & 0xffff, bh = b >> 16;
	uint32_t ll = al * bl, hh = ah * bh;
	uint32_t t = al * bh + (ll >> 16);	/* < 2^32: no carry lost */
	uint32_t mid = (t & 0xffff) + ah * bl;	/* < 2^32 too */
	uint32_t lo = (mid << 16) | (ll & 0xffff);
	uint32_t hi = hh + (t >> 16) + (mid >> 16);

	return (uint64_t)hi << 32 | lo;
}

uint64_t
__aeabi_lmul(uint64_t a, uint64_t b)
{
	uint32_t alo = (uint32_t)a, ahi = (uint32_t)(a >> 32);
	uint32_t blo = (uint32_t)b, bhi = (uint32_t)(b >> 32);

	/* The high words' products only reach the upper half, mod 2^64. */
	return mul32_wide(alo, blo) + ((uint64_t)(alo * bhi + ahi * blo) << 32);
}

static inline unsigned int
clz64(uint64_t x)
{
	uint32_t hi = (uint32_t)(x >> 32);

	return hi ? (unsigned int)__builtin_clz(hi) : 32 + (unsigned int)__builtin_clz((uint32_t)x);
}

/* x << s for 0 <= s < 64, in 32-bit halves (no call to __aeabi_llsl). */
static inline uint64_t
shl64(uint64_t x, unsigned int s)
{
	uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);

	if (s >= 32)
		return (uint64_t)(lo << (s - 32)) << 32;
	if (s == 0)
		return x;
	return (uint64_t)(hi << s | lo >> (32 - s)) << 32 | (uint32_t)(lo << s);
}

/*
 * One quotient digit of algorithm D in base 2^16: num holds the partial
 * remainder's top two digits, next its following one, and dn1:dn0 the
 * normalised divisor d.  The guess from dn1 alone is corrected at most
 * twice; *rest is the partial remainder after the digit (mod 2^32, where
 * it fits).
 */
static inline uint32_t
div_digit(uint32_t num, uint32_t next, uint32_t d, uint32_t dn1, uint32_t dn0, uint32_t *rest)
{
	const uint32_t b = 0x10000;
	uint32_t q = num / dn1, rhat = num - q * dn1;

	while (q >= b || q * dn0 > (rhat << 16) + next) {
		q--;
		rhat += dn1;
		if (rhat >= b)
			break;
	}
	*rest = (num << 16) + next - q * d;
	return q;
}

/*
 * (hi:lo) / d for hi < d, so the quotient fits 32 bits (*r the
 * remainder): Knuth's algorithm D in base 2^16, two digits, each guessed
 * from the normalised divisor's top half and corrected at most twice.
 * Arithmetic is mod 2^32 where the true values are known to fit.
 */
static uint32_t
div64by32(uint32_t hi, uint32_t lo, uint32_t d, uint32_t *r)
{
	unsigned int s = (unsigned int)__builtin_clz(d);
	uint32_t dn1, dn0, n32, n10, n1, n0, n21, rem, q1, q0;

	d <<= s;				/* top bit set */
	dn1 = d >> 16;
	dn0 = d & 0xffff;
	n32 = s ? hi << s | lo >> (32 - s) : hi;
	n10 = lo << s;
	n1 = n10 >> 16;
	n0 = n10 & 0xffff;

	q1 = div_digit(n32, n1, d, dn1, dn0, &n21);
	q0 = div_digit(n21, n0, d, dn1, dn0, &rem);
	*r = rem >> s;
	return q1 << 16 | q0;
}

/*
 * n / d and n % d.  A divisor of 32 bits (what the kernel divides by:
 * clock rates, NSEC_PER_SEC) takes one or two 64-by-32 steps; a wider one,
 * whose quotient fits 32 bits, restoring long division from the divisor
 * aligned under the dividend's top bit.  A divisor of 0 gives a quotient
 * of 0 and the dividend back, as ARMv7-M's UDIV (the kernel never divides
 * by zero on purpose).
 */
uint64_t
armv6m_udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint32_t nhi = (uint32_t)(n >> 32), nlo = (uint32_t)n;
	uint64_t q = 0;
	unsigned int shift;

	if (d == 0 || n < d) {
		*rem = n;
		return 0;
	}
	if ((d >> 32) == 0) {
		uint32_t d32 = (uint32_t)d, qhi = 0, qlo, r;

		if (nhi == 0) {			/* both fit 32 bits: the core's helper */
			qlo = nlo / d32;
			*rem = nlo - qlo * d32;
			return qlo;
		}
		if (nhi >= d32) {
			qhi = nhi / d32;
			nhi -= qhi * d32;
		}
		qlo = div64by32(nhi, nlo, d32, &r);
		*rem = r;
		return (uint64_t)qhi << 32 | qlo;
	}
	shift = clz64(d) - clz64(n);
	d = shl64(d, shift);
	for (unsigned int i = 0; i <= shift; i++) {
		q <<= 1;
		if (n >= d) {
			n -= d;
			q |= 1;
		}
		d >>= 1;
	}
	*rem = n;
	return q;
}

/* Truncating, as C: the remainder has the dividend's sign. */
int64_t
armv6m_divmod64(int64_t n, int64_t d, int64_t *rem)
{
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t ur, uq = armv6m_udivmod64(un, ud, &ur);

	/* Negated unsigned, so INT64_MIN / -1 wraps instead of being undefined. */
	*rem = (int64_t)(n < 0 ? -ur : ur);
	return (int64_t)((n < 0) != (d < 0) ? -uq : uq);
}
