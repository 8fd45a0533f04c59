/*
 * ChaCha20 (RFC 8439): the block function and a keystream XOR.
 *
 * The state is the 16 words of RFC 8439 §2.3: four constants, the 256-bit
 * key, a block counter and a nonce.  RFC 8439 splits the last four words
 * into a 32-bit counter and a 96-bit nonce (chacha20_init()); the random
 * number generator uses words 12-13 as one 64-bit counter instead, which
 * the block function does not care about.
 */
#ifndef KERNEL_CHACHA20_H
#define KERNEL_CHACHA20_H

#include <kernel/types.h>

#define CHACHA20_KEY_SIZE	32
#define CHACHA20_NONCE_SIZE	12
#define CHACHA20_BLOCK_SIZE	64
#define CHACHA20_STATE_WORDS	16

/* The state of RFC 8439 §2.3 for key, counter and nonce. */
void chacha20_init(uint32_t state[CHACHA20_STATE_WORDS], const uint8_t key[CHACHA20_KEY_SIZE],
		   uint32_t counter, const uint8_t nonce[CHACHA20_NONCE_SIZE]);

/*
 * One keystream block: 20 rounds over a copy of state, added to state,
 * serialised little-endian into out.  The state is not changed: the
 * caller advances the counter (state[12], and state[13] for a 64-bit one).
 */
void chacha20_block(const uint32_t state[CHACHA20_STATE_WORDS], uint8_t out[CHACHA20_BLOCK_SIZE]);

/*
 * dst = src XOR keystream for n bytes, starting at the block the state's
 * 32-bit counter (state[12]) names; the counter is advanced past the
 * blocks used (a partial block counts as used).  dst may equal src.
 */
void chacha20_crypt(uint32_t state[CHACHA20_STATE_WORDS], uint8_t *dst, const uint8_t *src,
		    size_t n);

#endif
