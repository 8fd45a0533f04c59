/*
 * lib/chacha20.c against RFC 8439: the block function (§2.3.2), the
 * encryption example (§2.4.2) and the keystream vectors of Appendix A.1
 * (checked against OpenSSL's chacha20 too).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/chacha20.h>
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

static const uint8_t key_0_31[32] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

HOST_TEST(rfc8439_2_3_2_block)
{
	static const uint8_t nonce[12] = { 0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
	/* The state after 20 rounds plus the input, as the RFC lists it. */
	static const uint32_t words[16] = {
		0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3,
		0xc7f4d1c7, 0x0368c033, 0x9aaa2204, 0x4e6cd4c3,
		0x466482d2, 0x09aa9f07, 0x05d7c214, 0xa2028bd9,
		0xd19c12b5, 0xb94e16de, 0xe883d0cb, 0x4e3c50a2,
	};
	uint8_t want[64], out[64];
	uint32_t st[16], copy[16];

	unhex(want, "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
		    "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
	chacha20_init(st, key_0_31, 1, nonce);
	CHECK(st[0] == 0x61707865 && st[3] == 0x6b206574);
	CHECK(st[4] == 0x03020100 && st[11] == 0x1f1e1d1c);
	CHECK(st[12] == 1 && st[13] == 0x09000000 && st[14] == 0x4a000000 && st[15] == 0);
	memcpy(copy, st, sizeof(st));
	chacha20_block(st, out);
	CHECK(memcmp(out, want, 64) == 0);
	CHECK(memcmp(copy, st, sizeof(st)) == 0);	/* the state is left alone */
	for (int i = 0; i < 16; i++)
		CHECK((uint32_t)(out[4 * i] | out[4 * i + 1] << 8 | out[4 * i + 2] << 16 |
				 (uint32_t)out[4 * i + 3] << 24) == words[i]);
}

HOST_TEST(rfc8439_2_4_2_encryption)
{
	static const char plain[] = "Ladies and Gentlemen of the class of '99: If I could offer "
				    "you only one tip for the future, sunscreen would be it.";
	static const uint8_t nonce[12] = { 0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
	size_t n = sizeof(plain) - 1;
	uint8_t want[114], out[114], back[114];
	uint32_t st[16];

	CHECK(n == 114);
	unhex(want, "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
		    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
		    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
		    "5af90bbf74a35be6b40b8eedf2785e42874d");
	chacha20_init(st, key_0_31, 1, nonce);
	chacha20_crypt(st, out, (const uint8_t *)plain, n);
	CHECK(memcmp(out, want, n) == 0);
	CHECK(st[12] == 3);			/* two blocks, the second partial */
	/* Decryption is the same operation; in place, too. */
	chacha20_init(st, key_0_31, 1, nonce);
	memcpy(back, out, n);
	chacha20_crypt(st, back, back, n);
	CHECK(memcmp(back, plain, n) == 0);
	/* Any split into pieces of whole blocks gives the same stream. */
	chacha20_init(st, key_0_31, 1, nonce);
	chacha20_crypt(st, back, (const uint8_t *)plain, 64);
	chacha20_crypt(st, back + 64, (const uint8_t *)plain + 64, n - 64);
	CHECK(memcmp(back, want, n) == 0);
}

HOST_TEST(rfc8439_a1_keystreams)
{
	static const struct {
		uint8_t key_byte_at[2];		/* {index, value} of the one non-zero key byte */
		uint32_t counter;
		uint8_t nonce_last;		/* the nonce's last byte (the rest zero) */
		const char *hex;
	} v[] = {
		{ { 0, 0 }, 0, 0, "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
				  "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586" },
		{ { 0, 0 }, 1, 0, "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
				  "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f" },
		{ { 31, 1 }, 1, 0, "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
				   "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0" },
		{ { 1, 0xff }, 2, 0, "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
				     "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096" },
		{ { 0, 0 }, 0, 2, "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
				  "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t key[32] = { 0 }, nonce[12] = { 0 }, want[64], out[64];
		uint32_t st[16];

		key[v[i].key_byte_at[0]] = v[i].key_byte_at[1];
		nonce[11] = v[i].nonce_last;
		unhex(want, v[i].hex);
		chacha20_init(st, key, v[i].counter, nonce);
		chacha20_block(st, out);
		CHECK(memcmp(out, want, 64) == 0);
	}
}

/* chacha20_crypt over every length and an unaligned buffer equals block by block. */
HOST_TEST(crypt_lengths_and_alignment)
{
	static const uint8_t nonce[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	uint8_t ref[300], buf[301], zero[301] = { 0 };
	uint32_t st[16];

	chacha20_init(st, key_0_31, 7, nonce);
	for (int b = 0; b * 64 < (int)sizeof(ref); b++) {
		uint8_t blk[64];

		chacha20_block(st, blk);
		st[12]++;
		memcpy(ref + 64 * b, blk, sizeof(ref) - 64 * b < 64 ? sizeof(ref) - 64 * b : 64);
	}
	for (size_t n = 0; n <= sizeof(ref); n++) {
		chacha20_init(st, key_0_31, 7, nonce);
		memset(buf, 0xee, sizeof(buf));
		chacha20_crypt(st, buf + 1, zero, n);
		CHECK(memcmp(buf + 1, ref, n) == 0);
		CHECK(n == sizeof(ref) || buf[1 + n] == 0xee);
		CHECK(buf[0] == 0xee);
		CHECK(st[12] == 7 + (n + 63) / 64);
	}
}
