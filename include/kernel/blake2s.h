/*
 * BLAKE2s (RFC 7693): a hash with 1-32 bytes of output, optionally keyed
 * (a MAC / PRF with a 1-32 byte key).  Incremental: init, any number of
 * updates, final; or blake2s() in one call.
 */
#ifndef KERNEL_BLAKE2S_H
#define KERNEL_BLAKE2S_H

#include <kernel/types.h>

#define BLAKE2S_BLOCK_SIZE	64
#define BLAKE2S_HASH_SIZE	32	/* the largest output, and the usual one */
#define BLAKE2S_KEY_SIZE	32	/* the largest key */

struct blake2s_state {
	uint32_t h[8];			/* chained state */
	uint64_t t;			/* bytes compressed so far */
	uint8_t buf[BLAKE2S_BLOCK_SIZE];	/* input not yet compressed */
	unsigned int buflen;		/* 0..64: a full block waits for more */
	unsigned int outlen;		/* 1..32 */
};

/* Unkeyed, outlen bytes of output (1..32; anything else is clamped). */
void blake2s_init(struct blake2s_state *s, size_t outlen);
/* Keyed with keylen bytes (1..32; 0 is unkeyed, more is cut to 32). */
void blake2s_init_key(struct blake2s_state *s, size_t outlen, const void *key, size_t keylen);
void blake2s_update(struct blake2s_state *s, const void *in, size_t n);
/* Writes s->outlen bytes to out and wipes the state (init again to reuse). */
void blake2s_final(struct blake2s_state *s, uint8_t *out);

/* The hash of in (keyed when keylen > 0) in one call. */
void blake2s(uint8_t *out, size_t outlen, const void *key, size_t keylen, const void *in,
	     size_t n);

#endif
