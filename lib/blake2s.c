/*
 * BLAKE2s (RFC 7693 §2-3), portable C: 32-bit words, little-endian
 * byte-wise loads and stores, integer registers only.
 */
#include <string.h>
#include <kernel/blake2s.h>

/* The SHA-256 initial values (RFC 7693 §2.6). */
static const uint32_t blake2s_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* Message word schedule, one row per round (RFC 7693 §2.7). */
static const uint8_t blake2s_sigma[10][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
};

static inline uint32_t
rotr32(uint32_t v, unsigned int n)
{
	return (v >> n) | (v << (32 - n));
}

static inline uint32_t
load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The mixing function G (RFC 7693 §3.1). */
#define G(a, b, c, d, x, y) do {					\
	v[a] = v[a] + v[b] + (x); v[d] = rotr32(v[d] ^ v[a], 16);	\
	v[c] = v[c] + v[d];       v[b] = rotr32(v[b] ^ v[c], 12);	\
	v[a] = v[a] + v[b] + (y); v[d] = rotr32(v[d] ^ v[a], 8);	\
	v[c] = v[c] + v[d];       v[b] = rotr32(v[b] ^ v[c], 7);	\
} while (0)

/* The compression function F (RFC 7693 §3.2); s->t already counts block. */
static void
blake2s_compress(struct blake2s_state *s, const uint8_t block[BLAKE2S_BLOCK_SIZE], bool last)
{
	uint32_t m[16], v[16];

	for (int i = 0; i < 16; i++)
		m[i] = load_le32(block + 4 * i);
	for (int i = 0; i < 8; i++) {
		v[i] = s->h[i];
		v[8 + i] = blake2s_iv[i];
	}
	v[12] ^= (uint32_t)s->t;
	v[13] ^= (uint32_t)(s->t >> 32);
	if (last)
		v[14] = ~v[14];
	for (int r = 0; r < 10; r++) {
		const uint8_t *sg = blake2s_sigma[r];

		G(0, 4, 8, 12, m[sg[0]], m[sg[1]]);
		G(1, 5, 9, 13, m[sg[2]], m[sg[3]]);
		G(2, 6, 10, 14, m[sg[4]], m[sg[5]]);
		G(3, 7, 11, 15, m[sg[6]], m[sg[7]]);
		G(0, 5, 10, 15, m[sg[8]], m[sg[9]]);
		G(1, 6, 11, 12, m[sg[10]], m[sg[11]]);
		G(2, 7, 8, 13, m[sg[12]], m[sg[13]]);
		G(3, 4, 9, 14, m[sg[14]], m[sg[15]]);
	}
	for (int i = 0; i < 8; i++)
		s->h[i] ^= v[i] ^ v[8 + i];
	/* The message may be a secret (a key block, the random pool's input). */
	explicit_bzero(m, sizeof(m));
	explicit_bzero(v, sizeof(v));
}

void
blake2s_init_key(struct blake2s_state *s, size_t outlen, const void *key, size_t keylen)
{
	if (outlen < 1)
		outlen = 1;
	if (outlen > BLAKE2S_HASH_SIZE)
		outlen = BLAKE2S_HASH_SIZE;
	if (keylen > BLAKE2S_KEY_SIZE)
		keylen = BLAKE2S_KEY_SIZE;
	memcpy(s->h, blake2s_iv, sizeof(s->h));
	/* Parameter block word 0: digest length, key length, fanout 1, depth 1. */
	s->h[0] ^= 0x01010000u ^ (uint32_t)(keylen << 8) ^ (uint32_t)outlen;
	s->t = 0;
	s->outlen = (unsigned int)outlen;
	memset(s->buf, 0, sizeof(s->buf));
	s->buflen = 0;
	if (keylen) {
		/* The key, zero-padded, is the first block. */
		memcpy(s->buf, key, keylen);
		s->buflen = BLAKE2S_BLOCK_SIZE;
	}
}

void
blake2s_init(struct blake2s_state *s, size_t outlen)
{
	blake2s_init_key(s, outlen, NULL, 0);
}

void
blake2s_update(struct blake2s_state *s, const void *in, size_t n)
{
	const uint8_t *p = in;
	size_t fill = BLAKE2S_BLOCK_SIZE - s->buflen;

	if (n == 0)
		return;
	/* A full buffer is compressed only once more input shows it is not the last. */
	if (n > fill) {
		memcpy(s->buf + s->buflen, p, fill);
		s->t += BLAKE2S_BLOCK_SIZE;
		blake2s_compress(s, s->buf, false);
		s->buflen = 0;
		p += fill;
		n -= fill;
		while (n > BLAKE2S_BLOCK_SIZE) {
			s->t += BLAKE2S_BLOCK_SIZE;
			blake2s_compress(s, p, false);
			p += BLAKE2S_BLOCK_SIZE;
			n -= BLAKE2S_BLOCK_SIZE;
		}
	}
	memcpy(s->buf + s->buflen, p, n);
	s->buflen += (unsigned int)n;
}

void
blake2s_final(struct blake2s_state *s, uint8_t *out)
{
	uint8_t h[BLAKE2S_HASH_SIZE];

	s->t += s->buflen;
	memset(s->buf + s->buflen, 0, BLAKE2S_BLOCK_SIZE - s->buflen);
	blake2s_compress(s, s->buf, true);
	for (int i = 0; i < 8; i++) {
		h[4 * i] = (uint8_t)s->h[i];
		h[4 * i + 1] = (uint8_t)(s->h[i] >> 8);
		h[4 * i + 2] = (uint8_t)(s->h[i] >> 16);
		h[4 * i + 3] = (uint8_t)(s->h[i] >> 24);
	}
	memcpy(out, h, s->outlen);
	explicit_bzero(h, sizeof(h));
	explicit_bzero(s, sizeof(*s));
}

void
blake2s(uint8_t *out, size_t outlen, const void *key, size_t keylen, const void *in, size_t n)
{
	struct blake2s_state s;

	blake2s_init_key(&s, outlen, key, keylen);
	blake2s_update(&s, in, n);
	blake2s_final(&s, out);
}
