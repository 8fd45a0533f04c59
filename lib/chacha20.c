/*
 * ChaCha20 (RFC 8439 §2.1-2.4), portable C: byte-wise little-endian
 * loads and stores (no alignment assumed, any host byte order), integer
 * registers only.
 */
#include <string.h>
#include <kernel/chacha20.h>

static inline uint32_t
rotl32(uint32_t v, unsigned int n)
{
	return (v << n) | (v >> (32 - n));
}

static inline uint32_t
load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void
store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#define QUARTER_ROUND(a, b, c, d) do {					\
	a += b; d ^= a; d = rotl32(d, 16);				\
	c += d; b ^= c; b = rotl32(b, 12);				\
	a += b; d ^= a; d = rotl32(d, 8);				\
	c += d; b ^= c; b = rotl32(b, 7);				\
} while (0)

void
chacha20_init(uint32_t state[CHACHA20_STATE_WORDS], const uint8_t key[CHACHA20_KEY_SIZE],
	      uint32_t counter, const uint8_t nonce[CHACHA20_NONCE_SIZE])
{
	/* "expand 32-byte k" */
	state[0] = 0x61707865;
	state[1] = 0x3320646e;
	state[2] = 0x79622d32;
	state[3] = 0x6b206574;
	for (int i = 0; i < 8; i++)
		state[4 + i] = load_le32(key + 4 * i);
	state[12] = counter;
	for (int i = 0; i < 3; i++)
		state[13 + i] = load_le32(nonce + 4 * i);
}

void
chacha20_block(const uint32_t state[CHACHA20_STATE_WORDS], uint8_t out[CHACHA20_BLOCK_SIZE])
{
	uint32_t x0 = state[0], x1 = state[1], x2 = state[2], x3 = state[3];
	uint32_t x4 = state[4], x5 = state[5], x6 = state[6], x7 = state[7];
	uint32_t x8 = state[8], x9 = state[9], x10 = state[10], x11 = state[11];
	uint32_t x12 = state[12], x13 = state[13], x14 = state[14], x15 = state[15];

	/* Ten double rounds: a column round, then a diagonal round. */
	for (int i = 0; i < 10; i++) {
		QUARTER_ROUND(x0, x4, x8, x12);
		QUARTER_ROUND(x1, x5, x9, x13);
		QUARTER_ROUND(x2, x6, x10, x14);
		QUARTER_ROUND(x3, x7, x11, x15);
		QUARTER_ROUND(x0, x5, x10, x15);
		QUARTER_ROUND(x1, x6, x11, x12);
		QUARTER_ROUND(x2, x7, x8, x13);
		QUARTER_ROUND(x3, x4, x9, x14);
	}
	store_le32(out + 0, x0 + state[0]);
	store_le32(out + 4, x1 + state[1]);
	store_le32(out + 8, x2 + state[2]);
	store_le32(out + 12, x3 + state[3]);
	store_le32(out + 16, x4 + state[4]);
	store_le32(out + 20, x5 + state[5]);
	store_le32(out + 24, x6 + state[6]);
	store_le32(out + 28, x7 + state[7]);
	store_le32(out + 32, x8 + state[8]);
	store_le32(out + 36, x9 + state[9]);
	store_le32(out + 40, x10 + state[10]);
	store_le32(out + 44, x11 + state[11]);
	store_le32(out + 48, x12 + state[12]);
	store_le32(out + 52, x13 + state[13]);
	store_le32(out + 56, x14 + state[14]);
	store_le32(out + 60, x15 + state[15]);
}

void
chacha20_crypt(uint32_t state[CHACHA20_STATE_WORDS], uint8_t *dst, const uint8_t *src, size_t n)
{
	uint8_t ks[CHACHA20_BLOCK_SIZE];

	while (n) {
		size_t k = n < sizeof(ks) ? n : sizeof(ks);

		chacha20_block(state, ks);
		state[12]++;
		for (size_t i = 0; i < k; i++)
			dst[i] = src[i] ^ ks[i];
		dst += k;
		src += k;
		n -= k;
	}
	explicit_bzero(ks, sizeof(ks));
}
