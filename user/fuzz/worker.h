/*
 * Inside a worker: its memory layout, pools of descriptors, paths and
 * pids, and the per-thread context the argument generators (args.c), the
 * call table (calls.c) and the sentinel checks (sentinel.c) work on.
 *
 * Memory a worker owns, and who may touch it:
 *   - everything mapped when it started (text, data, heap, stacks, the
 *     shared slots) and the regions below are "protected": no fuzzed
 *     munmap/mprotect/mremap/madvise/MAP_FIXED range may overlap them;
 *   - the arena (one part per thread, each followed by a PROT_NONE page)
 *     is where buffers handed to the kernel live; guard bytes after an
 *     out-buffer must survive the call;
 *   - the special pages: read-only, PROT_NONE, a read-write page whose
 *     neighbour is PROT_NONE (pointers straddling a mapping's end), and a
 *     hole (unmapped page between two mappings);
 *   - the strings region holds the path pool (the kernel only reads it);
 *   - the canary page is never handed to the kernel: it must not change;
 *   - the playground is a reservation that fuzzed memory calls may map,
 *     unmap and protect at will.
 */
#ifndef KITE_FUZZ_WORKER_H
#define KITE_FUZZ_WORKER_H

#include "fuzz.h"

#define ARENA_PART	(64 * 1024)	/* per thread */
#define PLAY_SIZE	(4UL << 20)
#define STRINGS_SIZE	(32 * 1024)
#define GUARD_BYTES	32
#define GUARD_BYTE	0x5a
#define MAX_PROT	96
#define MAX_FDS		48
#define MAX_RECENT	16
#define MAX_PATHS	96
#define MAX_CHILDREN	16

enum fd_kind {
	FDK_FILE, FDK_DIR, FDK_PIPE_R, FDK_PIPE_W, FDK_DEV, FDK_PROC, FDK_FIFO, FDK_TTY,
	FDK_OTHER,
};

struct fz_range {
	uintptr_t lo, hi;		/* [lo, hi) */
};

struct fz_call;

struct fz_worker {
	const struct fz_options *o;
	struct fz_shared *sh;
	unsigned int index;
	uint64_t gen;
	bool root;			/* root in a chroot of home */
	int pid;			/* the worker's process (thread group) */
	int harness;			/* its parent: never signalled */
	const char *home;		/* scratch directory, as the worker names it */

	/* Memory (see above). */
	char *arena;			/* FZ_MAX_THREADS parts */
	char *ro_page, *none_page, *edge_page, *hole;
	char *strings;
	size_t strings_used;
	unsigned char *canary, *canary_copy;
	uint32_t canary_sum;		/* FNV-1a of the canary: which one changed */
	char *play;
	uintptr_t brk_start;
	struct fz_range prot[MAX_PROT];	/* protected: sorted, merged */
	unsigned int nprot;

	/* Descriptors: the pool (refilled), and ones calls returned lately. */
	int fds[MAX_FDS];
	enum fd_kind fd_kind[MAX_FDS];
	unsigned int nfds;
	volatile int recent_fds[MAX_RECENT];
	volatile unsigned int recent_next;

	/* Paths (in the strings region). */
	const char *paths[MAX_PATHS];
	unsigned int npaths;
	const char *bad_string;		/* no NUL before the PROT_NONE page */

	/* Pids it may signal: itself, its threads, its children. */
	volatile int children[MAX_CHILDREN];
	volatile unsigned int child_next;

	/* Addresses calls returned lately (mmap, brk). */
	volatile uintptr_t recent_maps[8];
	volatile unsigned int map_next;

	/* Kernel addresses for this port. */
	const uintptr_t *kaddrs;
	unsigned int nkaddrs;

	/* Calls to draw from. */
	const struct fz_call *calls;
	unsigned int ncalls;

	uintptr_t fs_base;		/* x86-64: the thread pointer to restore; i386: %gs's GDT entry */
	uint32_t tls_desc[4];		/* i386: that entry's struct user_desc, to restore */
	unsigned long restorer;		/* the sa_restorer glibc installs */
};

/* One fuzzing thread. */
struct fz_thread {
	struct fz_worker *w;
	struct fz_slot *slot;
	unsigned int index;
	struct fz_rng rng;
	char *arena;			/* its part: ARENA_PART bytes */
	size_t arena_used;		/* bump allocation for one call's buffers */
	struct {
		unsigned char *p;
		size_t len;
	} guards[FZ_NARGS * 2];		/* out-buffer guards of the call */
	unsigned int nguards;
};

/* ---------------------------------------------------------------- args.c */

/* What a generator makes of an argument's letter in a call's spec. */
unsigned long gen_arg(struct fz_thread *t, const struct fz_call *c, char kind,
		      unsigned long *args, unsigned int i);
/* Scratch memory for one call's buffers (reset before each call). */
void *arena_alloc(struct fz_thread *t, size_t len, size_t align);
void arena_reset(struct fz_thread *t);
/* [p, p + len) lies in t's part of the arena. */
bool arena_ptr(const struct fz_thread *t, unsigned long p, size_t len);
/* A pointer of class "anything": a buffer, a bad pointer, a number. */
unsigned long gen_pointer(struct fz_thread *t, size_t len, bool out);
unsigned long gen_any(struct fz_thread *t);
unsigned long gen_length(struct fz_thread *t);
int gen_fd(struct fz_thread *t);
int gen_pid(struct fz_thread *t, bool for_signal);
int gen_signal(struct fz_thread *t);
const char *gen_path(struct fz_thread *t);
unsigned long gen_flags(struct fz_thread *t);
/* Guard bytes after an out-buffer; checked after the call. */
void guard_add(struct fz_thread *t, void *p, size_t len);
/* Number of guards broken (reported). */
unsigned int guard_check(struct fz_thread *t, const char *call);

/* True if [lo, lo + len) overlaps protected memory (or wraps). */
bool range_protected(const struct fz_worker *w, uintptr_t lo, uintptr_t len);
/* Replace values that would hit the worker's own memory or descriptors. */
unsigned long sanitize_value(struct fz_thread *t, unsigned long v);

void note_fd(struct fz_worker *w, long fd);
void note_child(struct fz_worker *w, long pid);
void note_map(struct fz_worker *w, long addr);

/* ---------------------------------------------------------------- calls.c */

struct fz_call {
	int nr;
	const char *name;
	bool implemented;
	const char *spec;		/* argument letters (args.c) */
	int fixup;			/* enum fixup in calls.c */
	unsigned int weight;
};

/* The calls of this port with their specs, filtered for root or not. */
unsigned int calls_init(struct fz_call **out, bool root);
/* Make one random call on thread t (generate, fix up, issue, check). */
void call_one(struct fz_thread *t);

/* ---------------------------------------------------------------- sentinel.c */

/* The kernel addresses of this port (mapped and unmapped). */
const uintptr_t *sentinel_kaddrs(unsigned int *n);
/* One check that the kernel refuses a kernel address; false on violation. */
bool sentinel_one(struct fz_thread *t);
/* The canary page is unchanged (reports and counts a violation if not). */
bool canary_check(struct fz_thread *t);
void canary_init(struct fz_worker *w);

void violation(struct fz_worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---------------------------------------------------------------- worker.c */

/* Pool descriptor of a kind (or any), -1 if none. */
int pool_fd(struct fz_thread *t, int kind);
/* Log the call t is making (verbose mode). */
void log_call(struct fz_thread *t, const struct fz_call *c, const unsigned long *a, long ret);

#endif
