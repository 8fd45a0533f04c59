/*
 * The portable parts of the random number generator: fast key erasure
 * over ChaCha20 and the timing-jitter entropy estimate.  Host-tested
 * (kernel/tests/host/random_host_test.c).
 */
#include <string.h>
#include <kernel/chacha20.h>
#include "random_internal.h"

/* The ChaCha20 state for key at block counter 0, nonce words zero. */
static void
crng_state(uint32_t st[CHACHA20_STATE_WORDS], const uint8_t key[CRNG_KEY_SIZE])
{
	static const uint8_t zero_nonce[CHACHA20_NONCE_SIZE];

	chacha20_init(st, key, 0, zero_nonce);
}

/* Next block; words 12-13 are one 64-bit counter. */
static void
crng_block(uint32_t st[CHACHA20_STATE_WORDS], uint8_t out[CHACHA20_BLOCK_SIZE])
{
	chacha20_block(st, out);
	if (++st[12] == 0)
		st[13]++;
}

size_t
crng_begin(uint8_t key[CRNG_KEY_SIZE], uint32_t state[CHACHA20_STATE_WORDS], uint8_t *out,
	   size_t n)
{
	uint8_t block[CHACHA20_BLOCK_SIZE];
	size_t k = n < CHACHA20_BLOCK_SIZE - CRNG_KEY_SIZE ? n : CHACHA20_BLOCK_SIZE - CRNG_KEY_SIZE;

	crng_state(state, key);
	crng_block(state, block);
	memcpy(key, block, CRNG_KEY_SIZE);
	memcpy(out, block + CRNG_KEY_SIZE, k);
	explicit_bzero(block, sizeof(block));
	return k;
}

void
crng_continue(uint32_t state[CHACHA20_STATE_WORDS], uint8_t *out, size_t n)
{
	uint8_t block[CHACHA20_BLOCK_SIZE];

	while (n >= CHACHA20_BLOCK_SIZE) {
		crng_block(state, out);
		out += CHACHA20_BLOCK_SIZE;
		n -= CHACHA20_BLOCK_SIZE;
	}
	if (n) {
		crng_block(state, block);
		memcpy(out, block, n);
		explicit_bzero(block, sizeof(block));
	}
	explicit_bzero(state, CHACHA20_STATE_WORDS * sizeof(uint32_t));
}

/* ------------------------------------------------------------ estimate */

/* In-place heap sort: no recursion, no allocation. */
static void
sift_down(uint32_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		uint32_t t;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void
sort_u32(uint32_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n; end-- > 1;) {
		uint32_t t = a[0];

		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

/* How often the most common value occurs (a is sorted). */
static size_t
most_common(const uint32_t *a, size_t n)
{
	size_t best = 0, run = 0;

	for (size_t i = 0; i < n; i++) {
		run = (i && a[i] == a[i - 1]) ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	return best;
}

static uint64_t
isqrt64(uint64_t x)
{
	uint64_t r = 0, bit = 1ULL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

unsigned int
log2_ratio_q8(uint64_t num, uint64_t den)
{
	unsigned int ip = 0, frac = 0;
	uint64_t y;

	if (den == 0 || num < den)
		return 0;
	/* Integer part: double den until num / den < 2 (2 den <= num: no overflow). */
	while (num / 2 >= den) {
		den *= 2;
		ip++;
	}
	/* 1 <= num / den < 2: narrow both to 32 bits, so nothing below overflows ... */
	while (den >= 1ULL << 32) {
		num >>= 1;
		den >>= 1;
	}
	/* ... then as a fraction with 30 bits, squared once per result bit. */
	y = ((num - den) << 30) / den + (1ULL << 30);
	for (int i = 7; i >= 0; i--) {
		y = (y * y) >> 30;
		if (y >= 2ULL << 30) {
			y >>= 1;
			frac |= 1u << i;
		}
	}
	return ip * 256 + frac;
}

/* -log2 of the upper 99% bound of "the most common value has frequency c / n". */
static unsigned int
mcv_q8(size_t c, size_t n)
{
	/* SP 800-90B 6.3.1: p_u = p + 2.576 sqrt(p (1 - p) / (n - 1)), in counts ... */
	uint64_t var_q32 = ((uint64_t)c * (n - c) << 32) / (n - 1);
	uint64_t sd_q16 = isqrt64(var_q32);
	uint64_t cu_q16 = ((uint64_t)c << 16) + (2576 * sd_q16 + 999) / 1000;

	/* ... and H = -log2(p_u) = log2(n / (n p_u)). */
	if (cu_q16 >= (uint64_t)n << 16)
		return 0;
	return log2_ratio_q8((uint64_t)n << 16, cu_q16);
}

/*
 * How often a sample equals the one lag places before it, for the lag
 * where that is most common (1..ENTROPY_MAX_LAG), and over how many pairs.
 */
#define ENTROPY_MAX_LAG	16

static size_t
lag_matches(const uint32_t *s, size_t n, size_t *pairs)
{
	size_t best = 0;

	*pairs = n - 1;
	for (size_t lag = 1; lag <= ENTROPY_MAX_LAG && lag < n; lag++) {
		size_t c = 0;

		for (size_t i = lag; i < n; i++)
			c += s[i] == s[i - lag];
		/* Compare c / (n - lag) with best / pairs without dividing. */
		if ((uint64_t)c * *pairs > (uint64_t)best * (n - lag)) {
			best = c;
			*pairs = n - lag;
		}
	}
	return best;
}

unsigned int
entropy_mcv_q8(const uint32_t *samples, size_t n, uint32_t *scratch)
{
	unsigned int h_values, h_deltas, h_lag;
	size_t pairs, c;

	/* Sizes keep the products above within 64 bits. */
	if (n < 16 || n > (1u << 20))
		return 0;
	memcpy(scratch, samples, n * sizeof(*scratch));
	sort_u32(scratch, n);
	h_values = mcv_q8(most_common(scratch, n), n);
	for (size_t i = 0; i + 1 < n; i++)
		scratch[i] = samples[i + 1] - samples[i];
	sort_u32(scratch, n - 1);
	h_deltas = mcv_q8(most_common(scratch, n - 1), n - 1);
	c = lag_matches(samples, n, &pairs);
	h_lag = mcv_q8(c, pairs);
	h_values = h_values < h_deltas ? h_values : h_deltas;
	return h_values < h_lag ? h_values : h_lag;
}
