/*
 * What random numbers cost: get_random_bytes() for a key-sized and a
 * page-sized request, the batched get_random_u32/u64, and the two
 * primitives underneath (one ChaCha20 block, BLAKE2s of 64 bytes).
 */
#include <kernel/bench.h>
#include <kernel/blake2s.h>
#include <kernel/chacha20.h>
#include <kernel/random.h>

static volatile uint64_t sink;		/* results go here, so the work stays */

BENCH(random, bytes_32)
{
	uint8_t buf[32];

	for (size_t i = 0; i < n; i++)
		get_random_bytes(buf, sizeof(buf));
	sink = buf[0];
	return n;
}

BENCH(random, bytes_4k)
{
	static uint8_t buf[4096];

	for (size_t i = 0; i < n; i++)
		get_random_bytes(buf, sizeof(buf));
	return n;
}

BENCH(random, u32)
{
	uint32_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc ^= get_random_u32();
	sink = acc;
	return n;
}

BENCH(random, u64)
{
	uint64_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc ^= get_random_u64();
	sink = acc;
	return n;
}

BENCH(random, chacha20_block)
{
	static const uint8_t key[CHACHA20_KEY_SIZE], nonce[CHACHA20_NONCE_SIZE];
	uint32_t st[CHACHA20_STATE_WORDS];
	uint8_t out[CHACHA20_BLOCK_SIZE];

	chacha20_init(st, key, 0, nonce);
	for (size_t i = 0; i < n; i++) {
		chacha20_block(st, out);
		st[12]++;
	}
	sink = out[0];
	return n;
}

BENCH(random, blake2s_64)
{
	uint8_t in[64] = { 1 }, out[BLAKE2S_HASH_SIZE] = { 0 };

	for (size_t i = 0; i < n; i++) {
		blake2s(out, sizeof(out), NULL, 0, in, sizeof(in));
		in[0] = out[0];
	}
	sink = out[0];
	return n;
}
