/*
 * kite-fuzz: what the harness (main.c), the workers (worker.c), the
 * argument generators (args.c), the call table (calls.c), the sentinel
 * checks (sentinel.c) and the leak check (leak.c) share.  README.md
 * describes the program.
 */
#ifndef KITE_FUZZ_H
#define KITE_FUZZ_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FZ_MAX_WORKERS	16
#define FZ_MAX_THREADS	4		/* fuzzing threads per worker */
#define FZ_NARGS	6
#define FZ_PAGE		4096UL

/*
 * Descriptors from here up belong to the fuzzer (its log, its scratch
 * directory): no fuzzed call gets them.
 */
#define FZ_FD_RESERVED	900
#define FZ_FD_LOG	999		/* the console, for reports */
#define FZ_FD_HOME	998		/* the worker's scratch directory */

/*
 * The harness interrupts a call blocked for long with this signal (a
 * no-op handler without SA_RESTART: the call returns EINTR).  Fuzzed
 * calls never get to block, ignore or take over its handler.
 */
#define FZ_WAKE_SIG	40

/* ---------------------------------------------------------------- rng */

struct fz_rng {
	uint64_t s[4];
};

void rng_seed(struct fz_rng *r, uint64_t seed);
uint64_t rng_next(struct fz_rng *r);
uint64_t splitmix64(uint64_t *x);

static inline uint64_t
rng_below(struct fz_rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

/* True one time in n. */
static inline bool
rng_one_in(struct fz_rng *r, uint64_t n)
{
	return rng_below(r, n) == 0;
}

/* --------------------------------------------------- shared with the harness */

/* A slot's nr while a sentinel check runs: FZ_SENTINEL_NR + its number. */
#define FZ_SENTINEL_NR	100000

/* One fuzzing thread's state, readable by the harness (shared memory). */
struct fz_slot {
	volatile int tid;		/* 0: no thread */
	volatile int finished;
	volatile uint64_t seq __attribute__((aligned(8)));	/* odd while a call is in progress */
	volatile uint64_t calls __attribute__((aligned(8)));
	volatile long nr;		/* the call in progress, or the last one */
	volatile unsigned long args[FZ_NARGS];
	volatile long ret;
};

#define FZ_STAT_NR	512

/* One worker's state, shared with the harness. */
struct fz_shared {
	struct fz_slot slot[FZ_MAX_THREADS];
	volatile uint64_t budget __attribute__((aligned(8)));	/* calls this generation makes */
	volatile uint64_t done __attribute__((aligned(8)));		/* calls taken from the budget (atomic) */
	volatile uint64_t sentinels __attribute__((aligned(8)));	/* sentinel checks made */
	volatile uint64_t violations __attribute__((aligned(8)));	/* kernel-memory and canary violations */
	volatile uint64_t guards __attribute__((aligned(8)));	/* guard and canary checks made */
	volatile int threads_mode;	/* 1: CLONE_THREAD threads, 0: processes */
	volatile int setup_failed;
	/* Per call number below FZ_STAT_NR: made, and returned >= 0 (-S). */
	volatile uint32_t made[FZ_STAT_NR], succeeded[FZ_STAT_NR];
};

/* ---------------------------------------------------------------- options */

struct fz_options {
	uint64_t seed;
	uint64_t calls;			/* in all, over every worker */
	unsigned int seconds;		/* 0: no time limit */
	unsigned int workers;
	unsigned int threads;		/* per worker */
	unsigned int root_workers;	/* of them, running as root in a chroot */
	uint64_t generation;		/* calls before a worker is replaced */
	const char *scratch;
	bool leak_check;
	bool verbose;			/* log every call */
	bool stats;			/* print which calls succeeded */
	long tolerance_pages;		/* leak check: MemFree may drop this much */
	long tolerance_objs;		/* leak check: per slab cache */
};

/* ---------------------------------------------------------------- raw.S */

long fz_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
long fz_syscall_fork(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
long fz_clone_thread(unsigned long flags, void *sp, int *ptid, int *ctid, unsigned long tls);

#define RAW0(nr)			fz_syscall((nr), 0, 0, 0, 0, 0, 0)
#define RAW1(nr, a)			fz_syscall((nr), (long)(a), 0, 0, 0, 0, 0)
#define RAW2(nr, a, b)			fz_syscall((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define RAW3(nr, a, b, c)		fz_syscall((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define RAW4(nr, a, b, c, d)		fz_syscall((nr), (long)(a), (long)(b), (long)(c), \
						   (long)(d), 0, 0)
#define RAW5(nr, a, b, c, d, e)		fz_syscall((nr), (long)(a), (long)(b), (long)(c), \
						   (long)(d), (long)(e), 0)

/* ---------------------------------------------------------------- worker */

/* The state one worker process keeps (worker.c); its threads share it. */
struct fz_worker;

/*
 * Run worker index (generation gen) until its budget is spent; never
 * returns.  root: as root in a chroot of its scratch directory, else as
 * an unprivileged user.
 */
void worker_main(const struct fz_options *o, struct fz_shared *sh, unsigned int index,
		 uint64_t gen, uint64_t seed, bool root) __attribute__((noreturn));

/* Write a line to the console (the worker's log descriptor), atomically. */
void fz_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The uid and gid of the unprivileged workers. */
#define FZ_UID		4242
#define FZ_GID		4242

/* ---------------------------------------------------------------- leak.c */

struct fz_mem_snapshot;
struct fz_mem_snapshot *leak_snapshot(void);
/* Print the differences; true if within the tolerances. */
bool leak_compare(const struct fz_mem_snapshot *before, const struct fz_mem_snapshot *after,
		  const struct fz_options *o);
void leak_drop_caches(void);

#endif
