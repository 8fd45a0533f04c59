/*
 * The kernel's cryptographically secure random numbers (kernel/random.c,
 * CONFIG_RANDOM; docs/random.md).
 *
 * Every call below may be made from a thread on any CPU and from an
 * interrupt handler, except random_wait_ready(), which may sleep.  The
 * generator works from its first use, but its output is only as
 * unpredictable as what was credited: random_ready() says when at least
 * 256 bits of entropy (conservatively counted) have gone into the key.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <kernel/types.h>

/*
 * Once at boot, after the timer runs and the other CPUs are up: seed from
 * every source there is and print "random: crng ready, seeded from ...".
 */
void random_init(void);

/* n random bytes (ChaCha20 with fast key erasure, one generator per CPU). */
void get_random_bytes(void *buf, size_t n);
uint32_t get_random_u32(void);
uint64_t get_random_u64(void);

/*
 * Mix n bytes into the input pool and credit bits of entropy for them (at
 * most 8 per byte; 0 for data that is merely hard to guess, such as a MAC
 * address or a serial number).  Credit what an attacker could not know
 * or predict, and no more.
 */
void random_add_entropy(const void *buf, size_t n, unsigned int bits);

/* At least 256 credited bits have gone into the generator's key. */
bool random_ready(void);

/*
 * For getrandom(2): 0 once random_ready(); until then -EAGAIN if nonblock,
 * else sleep until it is.  Threads only.
 */
int random_wait_ready(bool nonblock);

#endif
