/*
 * lib/blake2s.c against RFC 7693 (Appendix B "abc", the Appendix E
 * self-test over many lengths, keys and output sizes) and digests from
 * Python's hashlib.blake2s (unkeyed and keyed, truncated outputs),
 * incremental updates split every way.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/blake2s.h>
#include "host_test.h"

static void
unhex(uint8_t *out, const char *hex)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		unsigned int v;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static bool
same_hex(const uint8_t *got, size_t n, const char *hex)
{
	uint8_t want[32];

	if (strlen(hex) != 2 * n)
		return false;
	unhex(want, hex);
	return memcmp(got, want, n) == 0;
}

HOST_TEST(rfc7693_appendix_b_abc)
{
	uint8_t out[32];

	blake2s(out, 32, NULL, 0, "abc", 3);
	CHECK(same_hex(out, 32, "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"));
	blake2s(out, 32, NULL, 0, "", 0);
	CHECK(same_hex(out, 32, "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9"));
}

/* RFC 7693 Appendix E: a deterministic sequence generator ... */
static void
selftest_seq(uint8_t *out, size_t len, uint32_t seed)
{
	uint32_t a = 0xdead4bad * seed, b = 1, t;

	for (size_t i = 0; i < len; i++) {
		t = a + b;
		a = b;
		b = t;
		out[i] = (uint8_t)(t >> 24);
	}
}

/* ... and the hash of the hashes of many inputs, keyed and not. */
HOST_TEST(rfc7693_appendix_e_selftest)
{
	static const size_t md_len[4] = { 16, 20, 28, 32 };
	static const size_t in_len[6] = { 0, 3, 64, 65, 255, 1024 };
	uint8_t in[1024], md[32], key[32];
	struct blake2s_state ctx;

	blake2s_init(&ctx, 32);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 6; j++) {
			selftest_seq(in, in_len[j], (uint32_t)in_len[j]);
			blake2s(md, md_len[i], NULL, 0, in, in_len[j]);
			blake2s_update(&ctx, md, md_len[i]);
			selftest_seq(key, md_len[i], (uint32_t)md_len[i]);
			blake2s(md, md_len[i], key, md_len[i], in, in_len[j]);
			blake2s_update(&ctx, md, md_len[i]);
		}
	blake2s_final(&ctx, md);
	CHECK(same_hex(md, 32, "6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe"));
}

/* hashlib.blake2s(bytes(range(256))[:n], key=bytes(range(32))): the BLAKE2 KAT. */
HOST_TEST(keyed_kat)
{
	static const struct { size_t n; const char *hex; } v[] = {
		{ 0, "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49" },
		{ 1, "40d15fee7c328830166ac3f918650f807e7e01e177258cdc0a39b11f598066f1" },
		{ 2, "6bb71300644cd3991b26ccd4d274acd1adeab8b1d7914546c1198bbe9fc9d803" },
		{ 63, "c65382513f07460da39833cb666c5ed82e61b9e998f4b0c4287cee56c3cc9bcd" },
		{ 64, "8975b0577fd35566d750b362b0897a26c399136df07bababbde6203ff2954ed4" },
		{ 65, "21fe0ceb0052be7fb0f004187cacd7de67fa6eb0938d927677f2398c132317a8" },
		{ 128, "0c311f38c35a4fb90d651c289d486856cd1413df9b0677f53ece2cd9e477c60a" },
		{ 255, "3fb735061abc519dfe979e54c1ee5bfad0a9d858b3315bad34bde999efd724dd" },
	};
	uint8_t key[32], in[256], out[32];

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		blake2s(out, 32, key, 32, in, v[i].n);
		CHECK(same_hex(out, 32, v[i].hex));
	}
}

/* hashlib.blake2s(bytes((i * 7 + 1) & 0xff for i in range(n))): block edges. */
HOST_TEST(unkeyed_lengths)
{
	static const struct { size_t n; const char *hex; } v[] = {
		{ 0, "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9" },
		{ 1, "fc87f4f1d721942d282aa61989c069b290d1447d20d4b811430f47ea0edf9991" },
		{ 3, "f91a7474b1f43009c814ec8bab4374ef7aba753071f735c20ae1b1d5682839d1" },
		{ 55, "84203a1a54be0b3eddb8c258a0723a5ab05d17be19e25d0562850fe87739e1c0" },
		{ 56, "6e677c38dbe4df671fd2f9dbf6b6c8e1506331c5faea7f9a52279a85f3cabb9b" },
		{ 63, "1eb51f779a72302e5fefda03270fda3d9bf02cfdcd0a50d10e52c6e6fafbd4ea" },
		{ 64, "1aa2abc48784c4b7b509e56540ccde672903c613c7aa32c1396e10d716351dfe" },
		{ 65, "6abfa13e2982b1bbba3b960049261555c146e4aa817ef504bac543407bdec579" },
		{ 127, "9b2b103f6b5a7e6b2866054f884ba37862f7a46a9d4cc8a2abc289b569b8a500" },
		{ 128, "967fcb84c270978f862307b30b51e082f41ee21bff4088f1b3c399a1da06d61a" },
		{ 129, "6a26a297d38b1db1f7395f944d33c4f08e5c035b92ff54b2dbf5ba7462ea9133" },
		{ 1000, "62b0885ea8f00f68fde2392ba5b0efdbcd38a523b3b23136232b995e0d1c46c3" },
	};
	uint8_t in[1000], out[32];

	for (int i = 0; i < 1000; i++)
		in[i] = (uint8_t)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		blake2s(out, 32, NULL, 0, in, v[i].n);
		CHECK(same_hex(out, 32, v[i].hex));
	}
}

/* Shorter outputs and keys (hashlib.blake2s(fox, digest_size=d / key=...)). */
HOST_TEST(output_and_key_sizes)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	uint8_t out[32], key[16];

	blake2s(out, 1, NULL, 0, fox, strlen(fox));
	CHECK(same_hex(out, 1, "ba"));
	blake2s(out, 16, NULL, 0, fox, strlen(fox));
	CHECK(same_hex(out, 16, "96fd07258925748a0d2fb1c8a1167a73"));
	blake2s(out, 20, NULL, 0, fox, strlen(fox));
	CHECK(same_hex(out, 20, "5a604fec9713c369e84b0ed68daed7d7504ef240"));
	blake2s(out, 31, NULL, 0, fox, strlen(fox));
	CHECK(same_hex(out, 31, "d02c79180f114f1c18755c9baf5fdbae36588c85316f3c9d8be224285570aa"));
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	blake2s(out, 32, key, 1, fox, strlen(fox));
	CHECK(same_hex(out, 32, "0c4529718cd9f3a359499a3c89a853ebee38cbe1c3e6f9bc247e80dd8e557d73"));
	blake2s(out, 32, key, 16, fox, strlen(fox));
	CHECK(same_hex(out, 32, "30a8998df95cd161a635cbf9ac594e708a9eea5165d3251f606b72a0dae5bba4"));
}

/* Updates of any sizes give the one-call digest; final wipes the state. */
HOST_TEST(incremental_splits)
{
	uint8_t in[300], key[32], want[32], got[32];
	struct blake2s_state s, zero;

	for (int i = 0; i < 300; i++)
		in[i] = (uint8_t)(i ^ 0x5a);
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(0xa0 + i);
	memset(&zero, 0, sizeof(zero));
	for (size_t keylen = 0; keylen <= 32; keylen += 32)
		for (size_t n = 0; n <= 200; n += 1 + n / 16) {
			blake2s(want, 32, key, keylen, in, n);
			for (size_t cut = 0; cut <= n; cut++) {
				blake2s_init_key(&s, 32, key, keylen);
				blake2s_update(&s, in, cut);
				blake2s_update(&s, in + cut, 0);
				blake2s_update(&s, in + cut, n - cut);
				blake2s_final(&s, got);
				CHECK(memcmp(got, want, 32) == 0);
				CHECK(memcmp(&s, &zero, sizeof(s)) == 0);
			}
			/* In pieces of 1..70 bytes. */
			for (size_t step = 1; step <= 70; step += 23) {
				blake2s_init_key(&s, 32, key, keylen);
				for (size_t off = 0; off < n; off += step)
					blake2s_update(&s, in + off, n - off < step ? n - off : step);
				blake2s_final(&s, got);
				CHECK(memcmp(got, want, 32) == 0);
			}
		}
}
