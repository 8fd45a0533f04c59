/*
 * kernel/random_lib.c: fast key erasure against ChaCha20 itself (the key
 * moves on, the output is the keystream after it, the state is wiped),
 * the 64-bit block counter, and the jitter estimate on sequences whose
 * entropy is known.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/chacha20.h>
#include "../../random_internal.h"
#include "host_test.h"

static const uint8_t zero_nonce[12];

/* n bytes of key's keystream from block 0 (64-bit counter, nonce zero). */
static void
keystream(const uint8_t key[32], uint8_t *out, size_t n)
{
	uint32_t st[16];
	uint8_t blk[64];

	chacha20_init(st, key, 0, zero_nonce);
	for (size_t off = 0; off < n; off += 64) {
		chacha20_block(st, blk);
		if (++st[12] == 0)
			st[13]++;
		memcpy(out + off, blk, n - off < 64 ? n - off : 64);
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
xorshift(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

HOST_TEST(fast_key_erasure_matches_chacha20)
{
	uint8_t key[32], old[32], ks[32 + 400], out[400 + 1];
	uint32_t st[16], zero[16] = { 0 };

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(i * 13 + 5);
	for (size_t n = 0; n <= 400; n++) {
		size_t first;

		memcpy(old, key, 32);
		memset(out, 0xee, sizeof(out));
		first = crng_begin(key, st, out, n);
		CHECK(first == (n < 32 ? n : 32));
		crng_continue(st, out + first, n - first);
		keystream(old, ks, 32 + n);
		/* The new key is block 0's first half, the output all that follows. */
		CHECK(memcmp(key, ks, 32) == 0);
		CHECK(memcmp(out, ks + 32, n) == 0);
		CHECK(out[n] == 0xee);
		CHECK(memcmp(st, zero, sizeof(st)) == 0);
		CHECK(memcmp(key, old, 32) != 0);
	}
}

/* Each request starts from the key the last one left: a chain, no repeats. */
HOST_TEST(requests_chain_and_differ)
{
	uint8_t key[32] = { 1 }, prev[64] = { 0 }, out[64], k2[32];
	uint32_t st[16];

	for (int i = 0; i < 1000; i++) {
		size_t first;

		memcpy(k2, key, 32);
		first = crng_begin(key, st, out, sizeof(out));
		crng_continue(st, out + first, sizeof(out) - first);
		CHECK(memcmp(out, prev, sizeof(out)) != 0);
		/* Nothing handed out contains the key now in memory. */
		for (size_t off = 0; off + 32 <= sizeof(out); off++)
			CHECK(memcmp(out + off, key, 32) != 0);
		memcpy(prev, out, sizeof(out));
	}
}

/* Words 12-13 are one 64-bit block counter: the carry reaches word 13. */
HOST_TEST(counter_is_64_bits)
{
	uint8_t key[32] = { 7 }, out[128], want[64];
	uint32_t st[16], ref[16];

	chacha20_init(st, key, 0xffffffffu, zero_nonce);
	crng_continue(st, out, sizeof(out));
	chacha20_init(ref, key, 0xffffffffu, zero_nonce);
	chacha20_block(ref, want);
	CHECK(memcmp(out, want, 64) == 0);
	ref[12] = 0;
	ref[13] = 1;
	chacha20_block(ref, want);
	CHECK(memcmp(out + 64, want, 64) == 0);
}

HOST_TEST(log2_ratio)
{
	CHECK(log2_ratio_q8(1, 1) == 0);
	CHECK(log2_ratio_q8(1, 2) == 0);
	CHECK(log2_ratio_q8(2, 1) == 256);
	CHECK(log2_ratio_q8(1024, 1) == 2560);
	CHECK(log2_ratio_q8(3, 1) == 405);		/* 1.58496 * 256 = 405.75 */
	CHECK(log2_ratio_q8(10, 1) == 850);		/* 3.32193 * 256 = 850.41 */
	CHECK(log2_ratio_q8(3, 2) == 149);		/* 0.58496 * 256 = 149.75 */
	/* Wide operands: 40-bit numbers, ratio 1000 (9.96578 bits = 2551.24). */
	CHECK(log2_ratio_q8(1000ULL << 40, 1ULL << 40) == 2551);
	CHECK(log2_ratio_q8(5, 0) == 0);
}

#define N 1024

HOST_TEST(estimate_known_sequences)
{
	static uint32_t s[N], scratch[N];
	unsigned int h;

	/* Constant: a deterministic machine. */
	for (int i = 0; i < N; i++)
		s[i] = 140;
	CHECK(entropy_mcv_q8(s, N, scratch) == 0);
	/* A counter that drifts: every value new, every difference the same. */
	for (int i = 0; i < N; i++)
		s[i] = 1000 + 3 * (uint32_t)i;
	CHECK(entropy_mcv_q8(s, N, scratch) == 0);
	/* Two values taking turns: the values look like a coin, the differences do not. */
	for (int i = 0; i < N; i++)
		s[i] = 100 + (uint32_t)(i & 1);
	CHECK(entropy_mcv_q8(s, N, scratch) < 64);
	/* A fair coin: at most 1 bit, a little less after the confidence bound. */
	for (int i = 0; i < N; i++)
		s[i] = 100 + (uint32_t)(xorshift() & 1);
	h = entropy_mcv_q8(s, N, scratch);
	CHECK(h > 180 && h < 256);
	/* Uniform over 256 values: 8 bits at most, about 5.7 after the bound. */
	for (int i = 0; i < N; i++)
		s[i] = 5000 + (uint32_t)(xorshift() & 255);
	h = entropy_mcv_q8(s, N, scratch);
	CHECK(h > 4 * 256 && h < 8 * 256);
	/* One value 90% of the time: -log2(0.9) = 0.15 bits before the bound. */
	for (int i = 0; i < N; i++)
		s[i] = xorshift() % 10 ? 77 : 78 + (uint32_t)(xorshift() & 15);
	h = entropy_mcv_q8(s, N, scratch);
	CHECK(h < 40);
	/* A cycle of 7 values: varied, its differences too, but it repeats. */
	for (int i = 0; i < N; i++)
		s[i] = 300 + (uint32_t)(i % 7) * (uint32_t)(i % 7) * 11;
	CHECK(entropy_mcv_q8(s, N, scratch) == 0);
	/* Too few samples to say anything. */
	CHECK(entropy_mcv_q8(s, 15, scratch) == 0);
	/* The input is left alone. */
	for (int i = 0; i < N; i++)
		s[i] = (uint32_t)(N - i);
	entropy_mcv_q8(s, N, scratch);
	for (int i = 0; i < N; i++)
		CHECK(s[i] == (uint32_t)(N - i));
}
