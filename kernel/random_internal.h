/*
 * The portable parts of the random number generator (kernel/random_lib.c),
 * shared with the host tests, and what the in-kernel tests may look at.
 */
#ifndef KERNEL_RANDOM_INTERNAL_H
#define KERNEL_RANDOM_INTERNAL_H

#include <kernel/chacha20.h>
#include <kernel/types.h>

#define CRNG_KEY_SIZE	CHACHA20_KEY_SIZE

/* Timer jitter at boot: rounds of 32-bit samples, more only while not ready. */
#define JITTER_SAMPLES		1024
#define JITTER_ROUNDS		4

/*
 * Fast key erasure (D. J. Bernstein, "Fast-key-erasure random-number
 * generators", 2017), in two steps so that the first can run with
 * interrupts masked and the second not:
 *
 * crng_begin() computes block 0 of key's ChaCha20 keystream (64-bit block
 * counter in words 12-13, nonce words zero): its first 32 bytes replace
 * key, up to 32 more go to out (the return value says how many: MIN(n,
 * 32)).  state is left holding the old key at block 1, for the rest.
 *
 * crng_continue() writes the next n bytes of that keystream to out, then
 * wipes state: call it even for n == 0.
 *
 * So a request costs one block more than its output, the key in memory
 * never produced any output that still exists, and after the call
 * nothing left can recompute what was handed out.
 */
size_t crng_begin(uint8_t key[CRNG_KEY_SIZE], uint32_t state[CHACHA20_STATE_WORDS],
		  uint8_t *out, size_t n);
void crng_continue(uint32_t state[CHACHA20_STATE_WORDS], uint8_t *out, size_t n);

/*
 * A conservative estimate of the min-entropy per sample of a sequence of
 * timing samples, in 1/256 bit.  NIST SP 800-90B's most common value
 * estimate (§6.3.1: the frequency of the most common value, raised to the
 * upper end of its 99% confidence interval, in -log2) of three things,
 * the smallest: the samples; their differences (a counter that only
 * drifts looks varied, its differences do not); and "a sample equals the
 * one k before it" for the worst lag k up to 16 (a pattern that repeats
 * looks varied both ways, but is predictable).  scratch holds n words.
 * 0 for fewer than 16 samples.
 */
unsigned int entropy_mcv_q8(const uint32_t *samples, size_t n, uint32_t *scratch);

/* floor(256 * log2(num / den)) for num >= den > 0, else 0. */
unsigned int log2_ratio_q8(uint64_t num, uint64_t den);

/* What each source gave at boot, for the tests and docs/random.md. */
struct random_source_stat {
	const char *name;
	unsigned int bytes;		/* mixed into the pool */
	unsigned int credited;		/* bits of entropy counted for them */
};

#define RANDOM_MAX_SOURCES	6
const struct random_source_stat *random_boot_sources(unsigned int *n);

/* Bits credited so far (capped at 256), and how often the base key was reseeded. */
unsigned int random_credited_bits(void);
unsigned long random_reseeds(void);

#endif
