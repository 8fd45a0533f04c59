/*
 * The kernel's cryptographically secure random number generator
 * (docs/random.md).  The design follows Linux's (drivers/char/random.c
 * since 5.18: a BLAKE2s input pool, ChaCha20 generators with fast key
 * erasure, one per CPU); the code is our own.
 *
 *   sources ──► input pool ──extract──► base key ──fast key erasure──► per-CPU keys
 *   (rng-seed,   BLAKE2s of              (reseeded at                 (rekeyed when the
 *    RDSEED,     everything               boot, when 256               base is reseeded)
 *    RNDRRS,     since the last           new bits were                    │
 *    jitter,     extraction               credited, and                    ▼
 *    drivers)                             every 60 s)          get_random_bytes(): one
 *                                                              block rekeys the CPU and
 *                                                              keys the request's stream
 *
 * Locks (in this order; neither is held while taking the other way):
 *   input_pool.lock "random-pool"   the pool's hash, its credit counts
 *   base_crng.lock  "random-crng"   the base key, its generation and age
 *   ready_lock      "random-ready"  the ready flag's waiters (alone)
 * All are taken with interrupts masked (spin_lock_irqsave): every entry
 * point but random_wait_ready() may be called from an interrupt handler.
 * A CPU's pcpu_crng entry is touched only by that CPU with its interrupts
 * masked (no lock: nobody else can reach it, and masking also keeps the
 * caller from migrating and this CPU's handlers from interleaving).
 *
 * Why per-CPU generators rather than one locked generator: a request
 * holds nothing shared once its own CPU's key has moved on (one ChaCha20
 * block with interrupts masked), so CPUs never queue for one another and
 * the keystream for a large request is made with interrupts enabled.  The
 * base lock is taken only when the base key changed (at most once per
 * reseed and CPU).
 */
#define pr_fmt(fmt) "random: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <kernel/blake2s.h>
#include <kernel/chacha20.h>
#include <kernel/cmdline.h>
#include <kernel/compiler.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/random.h>
#include <kernel/slab.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include "random_internal.h"

#define POOL_BITS		256	/* BLAKE2s-256: the most the pool can hold */
#define READY_BITS		256	/* credited before random_ready() */
#define RESEED_INTERVAL		(60UL * CONFIG_HZ)	/* jiffies */

/* What the CPU's seed instruction gives at boot, half of it credited. */
#define ARCH_SEED_BITS		512
#define ARCH_RAND_BITS		256	/* DRBG output: mixed, never credited */
#define ARCH_LONGS(bits)	((bits) / (8 * sizeof(unsigned long)))

/* Timer jitter: rounds of samples, each timing a short memory walk. */
#define JITTER_BATCH		64	/* samples per stretch with interrupts masked */
#define JITTER_MEM		4096	/* bytes the walk touches (a power of 2) */
#define JITTER_STEPS		64	/* accesses per sample */
#define JITTER_SAFETY		4	/* credit a quarter of the estimate ... */
#define JITTER_MAX_Q8		256	/* ... of at most 1 bit per sample */

/* ------------------------------------------------------------ state */

static struct {
	struct spinlock lock;
	struct blake2s_state hash;	/* everything since the last extraction */
	bool started;			/* hash initialised */
	bool ready_claimed;		/* someone is making the generator ready */
	unsigned int credited;		/* bits since boot, at most POOL_BITS */
	unsigned int fresh;		/* bits since the last extraction */
} input_pool = { .lock = SPINLOCK_INIT("random-pool") };

static struct {
	struct spinlock lock;
	uint8_t key[CRNG_KEY_SIZE];
	/* Bumped at each reseed (0: never seeded); read without the lock. */
	unsigned long generation;
	unsigned long seeded_at;	/* jiffies at the last reseed (a word: no tearing) */
} base_crng = { .lock = SPINLOCK_INIT("random-crng") };

/* One per CPU; see the top of the file for what guards it. */
struct pcpu_crng {
	uint8_t key[CRNG_KEY_SIZE];
	unsigned long generation;	/* of the base key this one came from */
	/* Output kept for get_random_u32/u64, wiped as it is handed out. */
	uint8_t batch[CHACHA20_BLOCK_SIZE];
	unsigned int batch_pos;		/* next unused byte; sizeof(batch): empty */
	unsigned long batch_generation;
} __cacheline_aligned_smp;

static struct pcpu_crng pcpu_crng[NR_CPUS];

static struct spinlock ready_lock = SPINLOCK_INIT("random-ready");
static struct wait_queue ready_wq = WAIT_QUEUE_INIT(ready_wq);
static bool crng_ready_flag;		/* set once, under ready_lock */
static bool boot_reported;		/* random_init() printed its line */

static struct random_source_stat sources[RANDOM_MAX_SOURCES];
static unsigned int nr_sources;

/* ------------------------------------------------------------ the pool */

static void
pool_start_locked(void)
{
	if (!input_pool.started) {
		blake2s_init(&input_pool.hash, BLAKE2S_HASH_SIZE);
		input_pool.started = true;
	}
}

/*
 * Mix buf in and credit bits for it; true when this made the pool hold
 * READY_BITS for the first time (the caller then makes the generator ready).
 */
static bool
pool_add(const void *buf, size_t n, unsigned int bits)
{
	uint64_t cycles = arch_cycles();	/* when: a little more to guess */
	unsigned long flags;
	bool claim = false;

	if (n < POOL_BITS / 8 && bits > n * 8)
		bits = (unsigned int)n * 8;	/* at most 8 bits a byte */
	if (bits > POOL_BITS)
		bits = POOL_BITS;
	flags = spin_lock_irqsave(&input_pool.lock);
	pool_start_locked();
	blake2s_update(&input_pool.hash, &cycles, sizeof(cycles));
	blake2s_update(&input_pool.hash, buf, n);
	input_pool.credited = MIN(input_pool.credited + bits, (unsigned int)POOL_BITS);
	input_pool.fresh = MIN(input_pool.fresh + bits, (unsigned int)POOL_BITS);
	if (input_pool.credited >= READY_BITS && !input_pool.ready_claimed) {
		input_pool.ready_claimed = true;
		claim = true;
	}
	spin_unlock_irqrestore(&input_pool.lock, flags);
	return claim;
}

/*
 * A new base key from everything in the pool: seed = the pool's digest;
 * the key and the pool's next starting key are two hashes keyed with the
 * seed (with the CPU's DRBG output and the time in the key's input, when
 * there are any).  The pool then starts over keyed with a value derived
 * from all it held, so nothing is lost, and a later look at the pool
 * reveals neither the seed nor earlier keys.  Called with input_pool.lock.
 */
static void
pool_extract_locked(uint8_t key[CRNG_KEY_SIZE])
{
	static const char key_label[] = "kite crng key";
	static const char chain_label[] = "kite pool chain";
	uint8_t seed[BLAKE2S_HASH_SIZE], next[BLAKE2S_HASH_SIZE];
	struct {
		char label[sizeof(key_label)];
		unsigned long arch[4];
		uint64_t cycles, now;
	} in;
	struct blake2s_state s;

	pool_start_locked();
	blake2s_final(&input_pool.hash, seed);
	memset(&in, 0, sizeof(in));
	memcpy(in.label, key_label, sizeof(key_label));
	for (unsigned int i = 0; i < ARRAY_SIZE(in.arch); i++)
		if (!arch_get_random_long(&in.arch[i]))
			break;
	in.cycles = arch_cycles();
	in.now = time_ns();
	blake2s(key, CRNG_KEY_SIZE, seed, sizeof(seed), &in, sizeof(in));
	blake2s(next, sizeof(next), seed, sizeof(seed), chain_label, sizeof(chain_label));
	blake2s_init_key(&s, BLAKE2S_HASH_SIZE, next, sizeof(next));
	input_pool.hash = s;
	input_pool.fresh = 0;
	explicit_bzero(seed, sizeof(seed));
	explicit_bzero(next, sizeof(next));
	explicit_bzero(&in, sizeof(in));
	explicit_bzero(&s, sizeof(s));
}

/* ------------------------------------------------------------ the keys */

static unsigned long
base_generation(void)
{
	return __atomic_load_n(&base_crng.generation, __ATOMIC_ACQUIRE);
}

/*
 * Extract a new base key, unless another CPU did since the caller saw
 * generation seen (force: regardless).  The pool lock is held across the
 * extraction and the install, so two reseeds cannot cross.
 */
static void
crng_reseed(unsigned long seen, bool force)
{
	uint8_t key[CRNG_KEY_SIZE];
	unsigned long pflags, cflags, gen;

	pflags = spin_lock_irqsave(&input_pool.lock);
	if (!force && base_generation() != seen) {
		spin_unlock_irqrestore(&input_pool.lock, pflags);
		return;
	}
	pool_extract_locked(key);
	cflags = spin_lock_irqsave(&base_crng.lock);
	memcpy(base_crng.key, key, sizeof(key));
	base_crng.seeded_at = (unsigned long)jiffies_read();
	gen = base_crng.generation + 1;
	__atomic_store_n(&base_crng.generation, gen ? gen : 1, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&base_crng.lock, cflags);
	spin_unlock_irqrestore(&input_pool.lock, pflags);
	explicit_bzero(key, sizeof(key));
}

/*
 * Never seeded; a full pool's worth of new credit waiting; or a minute
 * old.  Lockless: a stale answer only means one reseed more or a request
 * later.
 */
static void
crng_maybe_reseed(void)
{
	unsigned long gen = base_generation();

	if (unlikely(gen == 0) || READ_ONCE(input_pool.fresh) >= POOL_BITS ||
	    (unsigned long)jiffies_read() - READ_ONCE(base_crng.seeded_at) >= RESEED_INTERVAL)
		crng_reseed(gen, false);
}

/*
 * This CPU's key from the base key, when the base key changed since:
 * one fast-key-erasure step of the base generator (its block 0 rekeys the
 * base and, from its second half, this CPU).  Interrupts masked.
 */
static void
pcpu_rekey(struct pcpu_crng *c)
{
	uint32_t st[CHACHA20_STATE_WORDS];
	unsigned long flags;

	flags = spin_lock_irqsave(&base_crng.lock);
	crng_begin(base_crng.key, st, c->key, CRNG_KEY_SIZE);
	c->generation = base_crng.generation;
	spin_unlock_irqrestore(&base_crng.lock, flags);
	explicit_bzero(st, sizeof(st));
}

/*
 * Start a request on this CPU (interrupts masked): up to 32 bytes of
 * output now, and st keyed for the rest, which the caller makes with
 * crng_continue() (interrupts as they may be).
 */
static size_t
pcpu_begin(struct pcpu_crng *c, uint32_t st[CHACHA20_STATE_WORDS], uint8_t *out, size_t n)
{
	if (unlikely(c->generation != base_generation()))
		pcpu_rekey(c);
	return crng_begin(c->key, st, out, n);
}

void
get_random_bytes(void *buf, size_t n)
{
	uint32_t st[CHACHA20_STATE_WORDS];
	unsigned long flags;
	size_t done;

	if (!n)
		return;
	crng_maybe_reseed();
	flags = arch_irq_save();
	done = pcpu_begin(&pcpu_crng[cpu_id()], st, buf, n);
	arch_irq_restore(flags);
	crng_continue(st, (uint8_t *)buf + done, n - done);
}

/* size bytes from this CPU's batch, refilled (one request) when short or stale. */
static void
batch_take(void *out, unsigned int size)
{
	uint32_t st[CHACHA20_STATE_WORDS];
	struct pcpu_crng *c;
	unsigned long flags;
	size_t done;

	crng_maybe_reseed();
	flags = arch_irq_save();
	c = &pcpu_crng[cpu_id()];
	if (c->batch_pos + size > sizeof(c->batch) || c->batch_generation != base_generation()) {
		done = pcpu_begin(c, st, c->batch, sizeof(c->batch));
		crng_continue(st, c->batch + done, sizeof(c->batch) - done);
		c->batch_pos = 0;
		c->batch_generation = c->generation;
	}
	memcpy(out, c->batch + c->batch_pos, size);
	memset(c->batch + c->batch_pos, 0, size);
	c->batch_pos += size;
	arch_irq_restore(flags);
}

uint32_t
get_random_u32(void)
{
	uint32_t v;

	batch_take(&v, sizeof(v));
	return v;
}

uint64_t
get_random_u64(void)
{
	uint64_t v;

	batch_take(&v, sizeof(v));
	return v;
}

/* ------------------------------------------------------------ readiness */

bool
random_ready(void)
{
	return __atomic_load_n(&crng_ready_flag, __ATOMIC_ACQUIRE);
}

/* The pool reached READY_BITS (once): a key from it, then tell the waiters. */
static void
crng_make_ready(void)
{
	unsigned long flags;

	crng_reseed(0, true);
	flags = spin_lock_irqsave(&ready_lock);
	__atomic_store_n(&crng_ready_flag, true, __ATOMIC_RELEASE);
	wq_wake_all(&ready_wq);
	spin_unlock_irqrestore(&ready_lock, flags);
	if (READ_ONCE(boot_reported))
		pr_info("crng init done\n");
}

int
random_wait_ready(bool nonblock)
{
	unsigned long flags;

	if (random_ready())
		return 0;
	if (nonblock)
		return -EAGAIN;
	/* Signals will end this wait with -ERESTARTSYS once there are any. */
	flags = spin_lock_irqsave(&ready_lock);
	while (!random_ready())
		wq_wait(&ready_wq, &ready_lock, WAIT_FOREVER);
	spin_unlock_irqrestore(&ready_lock, flags);
	return 0;
}

void
random_add_entropy(const void *buf, size_t n, unsigned int bits)
{
	if (pool_add(buf, n, bits))
		crng_make_ready();
}

unsigned int
random_credited_bits(void)
{
	return READ_ONCE(input_pool.credited);
}

unsigned long
random_reseeds(void)
{
	return base_generation();
}

const struct random_source_stat *
random_boot_sources(unsigned int *n)
{
	*n = nr_sources;
	return sources;
}

/* ------------------------------------------------------------ boot sources */

static struct random_source_stat *
source(const char *name)
{
	for (unsigned int i = 0; i < nr_sources; i++)
		if (strcmp(sources[i].name, name) == 0)
			return &sources[i];
	if (nr_sources == RANDOM_MAX_SOURCES)
		return NULL;
	sources[nr_sources].name = name;
	return &sources[nr_sources++];
}

static void
source_add(const char *name, const void *buf, size_t n, unsigned int bits)
{
	struct random_source_stat *s = source(name);

	bits = (unsigned int)MIN((uint64_t)bits, (uint64_t)n * 8);
	if (s) {
		s->bytes += (unsigned int)n;
		s->credited += bits;
	}
	random_add_entropy(buf, n, bits);
}

/* random.trust_cpu= / random.trust_bootloader= as Linux spells them (default on). */
static bool
cmdline_trust(const char *key)
{
	char v[8];

	if (cmdline_value(key, v, sizeof(v)) < 0)
		return true;
	return !(strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "n") == 0 ||
		 strcmp(v, "no") == 0 || strcmp(v, "false") == 0);
}

/*
 * The boot loader's seed: credited in full (Linux's default; the boot
 * loader already decides what kernel runs) unless random.trust_bootloader
 * =off, or it is too short or one byte repeated (a placeholder, not a
 * seed).  Then wiped.
 */
static void
seed_from_boot_loader(void)
{
	const struct boot_info *bi = boot_info;
	unsigned int bits = 0;
	bool constant = true;
	size_t n;

	if (!bi || !bi->rng_seed || !bi->rng_seed_len)
		return;
	n = bi->rng_seed_len;
	for (size_t i = 1; i < n; i++)
		constant &= bi->rng_seed[i] == bi->rng_seed[0];
	if (constant || n < 8)
		pr_warn("rng-seed: %zu bytes%s: not credited\n", n,
			constant ? " all alike" : ", too short");
	else if (cmdline_trust("random.trust_bootloader"))
		bits = (unsigned int)(n * 8);
	source_add("rng-seed", bi->rng_seed, n, bits);
	explicit_bzero(bi->rng_seed, n);
}

/*
 * words longs of get(); a word of all zeros or ones, or one equal to the
 * word before, fails the health check (a stuck or broken unit: AMD's
 * RDRAND returning all ones after a resume, a RDSEED returning zero with
 * success).  Returns how many words came, 0 if the check failed.
 */
static unsigned int
arch_gather(bool (*get)(unsigned long *), unsigned long *buf, unsigned int words, bool *healthy)
{
	unsigned int n = 0;

	*healthy = true;
	for (; n < words; n++) {
		if (!get(&buf[n]))
			break;
		if (buf[n] == 0 || buf[n] == ~0UL || (n && buf[n] == buf[n - 1]))
			*healthy = false;
	}
	return n;
}

/*
 * The CPU's instructions.  The seed instruction (RDSEED, RNDRRS) is
 * credited at half its bits, and only with random.trust_cpu (default
 * on): it is opaque, and one bad design or erratum should not be enough
 * on its own.  The DRBG instruction (RDRAND, RNDR) is mixed in uncredited:
 * its output is stretched from a seed we cannot see, and it is mixed into
 * every reseed too.
 */
static bool
arch_get_seed(unsigned long *v)
{
	return arch_get_random_seed_long(v);
}

static bool
arch_get_rand(unsigned long *v)
{
	return arch_get_random_long(v);
}

static void
seed_from_cpu(const struct arch_random_caps *caps)
{
	unsigned long buf[ARCH_LONGS(ARCH_SEED_BITS)];
	unsigned int n;
	bool healthy;

	if (caps->seed) {
		n = arch_gather(arch_get_seed, buf, ARRAY_SIZE(buf), &healthy);
		if (!healthy)
			pr_warn("%s: output failed the health check: not credited\n", caps->seed);
		if (n < ARRAY_SIZE(buf))
			pr_warn("%s: %u of %zu words\n", caps->seed, n, ARRAY_SIZE(buf));
		if (n)
			source_add(caps->seed, buf, n * sizeof(buf[0]),
				   healthy && cmdline_trust("random.trust_cpu") ?
				   (unsigned int)(n * sizeof(buf[0]) * 8 / 2) : 0);
	}
	if (caps->rand) {
		n = arch_gather(arch_get_rand, buf, ARCH_LONGS(ARCH_RAND_BITS), &healthy);
		if (!healthy)
			pr_warn("%s: output failed the health check\n", caps->rand);
		if (n)
			source_add(caps->rand, buf, n * sizeof(buf[0]), 0);
	}
	explicit_bzero(buf, sizeof(buf));
}

/*
 * A short walk over mem whose instruction count never depends on the
 * data (no data-dependent branch): on a deterministic machine (QEMU with
 * -icount) it takes the same time on every call, and only caches, the
 * memory system and the clock's own phase make it vary.
 */
static uint32_t
jitter_walk(uint8_t *mem, uint32_t x)
{
	for (unsigned int i = 0; i < JITTER_STEPS; i++) {
		uint32_t at = (x >> 8) & (JITTER_MEM - 1);

		x = x * 1664525u + 1013904223u;
		mem[at] = (uint8_t)(mem[at] + (x >> 24));
		x ^= mem[(at * 97u) & (JITTER_MEM - 1)];
	}
	return x;
}

/*
 * One round of timer jitter: JITTER_SAMPLES timings of jitter_walk() with
 * interrupts masked in stretches (an interrupt would be a big, perhaps
 * predictable outlier).  All of it is mixed in; the credit is a quarter of
 * the SP 800-90B most-common-value estimate, at most a quarter bit per
 * sample (256 bits per round): samples of a counter are not independent,
 * and a deterministic machine gives the same delta every time, so 0.
 */
static unsigned int
jitter_round(uint32_t *samples, uint32_t *scratch, uint8_t *mem)
{
	uint32_t x = (uint32_t)arch_cycles();
	unsigned int h_q8, bits;

	for (unsigned int i = 0; i < JITTER_SAMPLES; i += JITTER_BATCH) {
		unsigned long flags = arch_irq_save();

		for (unsigned int j = i; j < i + JITTER_BATCH; j++) {
			uint64_t t0 = arch_cycles();

			x = jitter_walk(mem, x);
			samples[j] = (uint32_t)(arch_cycles() - t0);
		}
		arch_irq_restore(flags);
	}
	h_q8 = entropy_mcv_q8(samples, JITTER_SAMPLES, scratch);
	bits = (unsigned int)((uint64_t)JITTER_SAMPLES * MIN(h_q8, (unsigned int)JITTER_MAX_Q8) /
			      256 / JITTER_SAFETY);
	pr_debug("jitter: %u.%02u bits per sample estimated, %u credited\n", h_q8 / 256,
		 (h_q8 % 256) * 100 / 256, bits);
	source_add("jitter", samples, JITTER_SAMPLES * sizeof(samples[0]), bits);
	explicit_bzero(samples, JITTER_SAMPLES * sizeof(samples[0]));
	explicit_bzero(scratch, JITTER_SAMPLES * sizeof(scratch[0]));
	return bits;
}

static void
seed_from_jitter(void)
{
	uint32_t *samples = kmalloc(2 * JITTER_SAMPLES * sizeof(uint32_t));
	uint8_t *mem = kmalloc(JITTER_MEM);

	if (!samples || !mem) {
		pr_warn("jitter: no memory\n");
	} else {
		/* Once always (it is mixed in regardless), more only while not ready. */
		for (unsigned int r = 0; r < JITTER_ROUNDS; r++)
			if (!jitter_round(samples, samples + JITTER_SAMPLES, mem) ||
			    random_ready())
				break;
		explicit_bzero(mem, JITTER_MEM);
	}
	kfree(mem);
	kfree(samples);
}

/* What is merely hard to guess: uncredited, but it makes two boots differ. */
static void
seed_from_machine(void)
{
	const struct boot_info *bi = boot_info;
	struct {
		uint64_t cycles, ns, jiffies;
		uintptr_t where;
	} t = { arch_cycles(), time_ns(), jiffies_read(), (uintptr_t)&t };

	random_add_entropy(&t, sizeof(t), 0);
	if (bi) {
		if (bi->machine)
			random_add_entropy(bi->machine, strlen(bi->machine), 0);
		random_add_entropy(bi->mem, bi->nr_mem * sizeof(bi->mem[0]), 0);
	}
	random_add_entropy(cmdline_get(), strlen(cmdline_get()), 0);
}

void
random_init(void)
{
	struct arch_random_caps caps;
	char used[80] = "";

	arch_random_probe(&caps);
	seed_from_machine();
	seed_from_boot_loader();
	seed_from_cpu(&caps);
	seed_from_jitter();
	crng_reseed(0, true);		/* whatever came, ready or not */

	for (unsigned int i = 0; i < nr_sources; i++) {
		pr_debug("%s: %u bytes, %u bits credited\n", sources[i].name, sources[i].bytes,
			 sources[i].credited);
		if (i)
			strlcpy(used + strlen(used), ", ", sizeof(used) - strlen(used));
		strlcpy(used + strlen(used), sources[i].name, sizeof(used) - strlen(used));
	}
	if (random_ready())
		pr_info("crng ready, seeded from %s\n", used);
	else
		pr_warn("crng not ready (%u of %u bits credited), seeded from %s\n",
			random_credited_bits(), READY_BITS, used);
	WRITE_ONCE(boot_reported, true);
}
