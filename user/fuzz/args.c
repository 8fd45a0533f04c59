/*
 * Argument generators: what each letter of a call's spec (calls.c) turns
 * into.  Most values are plausible (a descriptor of the pool, a buffer in
 * the arena, a short time), the rest hostile: bad pointers of every kind
 * (NULL, unmapped, PROT_NONE, read-only, straddling a mapping's end,
 * kernel addresses), huge and negative lengths, closed and random
 * descriptors, random flags.  Nothing generated may hit the worker's own
 * memory or descriptors (worker.h): sanitize_value() sees to that.
 */
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <fcntl.h>

#include "worker.h"

/* --------------------------------------------------------------- memory */

bool
range_protected(const struct fz_worker *w, uintptr_t lo, uintptr_t len)
{
	uintptr_t hi;

	if (!len)
		len = 1;
	hi = lo + len;
	if (hi < lo)
		return true;		/* wraps: never let it near anything */
	for (unsigned int i = 0; i < w->nprot; i++)
		if (lo < w->prot[i].hi && w->prot[i].lo < hi)
			return true;
	return false;
}

/* Memory the kernel may be pointed at: the arena, the specials, strings. */
static bool
pointer_ok(const struct fz_worker *w, uintptr_t v)
{
	uintptr_t arena = (uintptr_t)w->arena;
	uintptr_t spec = (uintptr_t)w->ro_page;
	uintptr_t str = (uintptr_t)w->strings;

	return (v >= arena && v < arena + FZ_MAX_THREADS * (ARENA_PART + FZ_PAGE)) ||
	       (v >= spec && v < spec + 6 * FZ_PAGE) ||
	       (v >= str && v < str + STRINGS_SIZE + FZ_PAGE);
}

unsigned long
sanitize_value(struct fz_thread *t, unsigned long v)
{
	struct fz_worker *w = t->w;

	if (v >= FZ_FD_RESERVED && v < 1024)
		return v - 600;		/* another descriptor number */
	if (v >= 65536 && range_protected(w, v, 1) && !pointer_ok(w, v))
		return (unsigned long)t->arena + rng_below(&t->rng, ARENA_PART / 2);
	return v;
}

bool
arena_ptr(const struct fz_thread *t, unsigned long p, size_t len)
{
	unsigned long a = (unsigned long)t->arena;

	return p >= a && p < a + ARENA_PART && len <= a + ARENA_PART - p;
}

void
arena_reset(struct fz_thread *t)
{
	t->arena_used = 0;
	t->nguards = 0;
}

void *
arena_alloc(struct fz_thread *t, size_t len, size_t align)
{
	size_t off = (t->arena_used + align - 1) & ~(align - 1);

	if (off + len > ARENA_PART / 2)
		return t->arena + ARENA_PART / 2;	/* full: the unguarded half */
	t->arena_used = off + len;
	return t->arena + off;
}

void
guard_add(struct fz_thread *t, void *p, size_t len)
{
	unsigned char *g = (unsigned char *)p + len;

	if (t->nguards >= sizeof(t->guards) / sizeof(t->guards[0]))
		return;
	/* Only in the first half, where buffers never overlap. */
	if (g < (unsigned char *)t->arena || g + GUARD_BYTES > (unsigned char *)t->arena + ARENA_PART / 2)
		return;
	memset(g, GUARD_BYTE, GUARD_BYTES);
	t->guards[t->nguards].p = g;
	t->guards[t->nguards].len = GUARD_BYTES;
	t->nguards++;
}

unsigned int
guard_check(struct fz_thread *t, const char *call)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < t->nguards; i++) {
		for (size_t j = 0; j < t->guards[i].len; j++) {
			if (t->guards[i].p[j] != GUARD_BYTE) {
				violation(t->w, "%s wrote past the end of its buffer (%p, byte %zu of the guard is %#x)",
					  call, (void *)t->guards[i].p, j, t->guards[i].p[j]);
				bad++;
				break;
			}
		}
	}
	__atomic_fetch_add(&t->w->sh->guards, t->nguards, __ATOMIC_RELAXED);
	return bad;
}

/* --------------------------------------------------------------- numbers */

static const unsigned long specials[] = {
	0, 1, 2, 3, 7, 8, 16, 64, 255, 256, 4095, 4096, 4097, 65535, 65536,
	0x7fffffffUL, 0x80000000UL, 0xffffffffUL, ~0UL, ~0UL - 1, ~0UL - 4095,
	(unsigned long)LONG_MAX, (unsigned long)LONG_MIN,
#if ULONG_MAX > 0xffffffffUL
	0x100000000UL, 0x100000003UL, 0xffffffff00000000UL, 0x8000000000000000UL,
#endif
};

static unsigned long
gen_special(struct fz_thread *t)
{
	return specials[rng_below(&t->rng, sizeof(specials) / sizeof(specials[0]))];
}

static long
gen_small(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 10)) {
	case 0:
		return -1 - (long)rng_below(&t->rng, 3);
	case 1:
		return (long)gen_special(t);
	default:
		return (long)rng_below(&t->rng, 65);
	}
}

unsigned long
gen_length(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 16)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2: case 3: case 4:
		return 2 + rng_below(&t->rng, 63);
	case 5: case 6: case 7:
		return rng_below(&t->rng, 4097);
	case 8:
		return FZ_PAGE + rng_below(&t->rng, 3) - 1;
	case 9:
		return rng_below(&t->rng, ARENA_PART);
	case 10:
		return ARENA_PART + FZ_PAGE;	/* past the arena part: EFAULT midway */
	case 11:
		return 1UL << 20;
	case 12:
		return (unsigned long)-1 - rng_below(&t->rng, 4096);
	case 13:
		return 0x7ffff000UL;
	default:
		return gen_special(t);
	}
}

unsigned long
gen_flags(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 10)) {
	case 0: case 1: case 2:
		return 0;
	case 3: case 4: case 5:
		return (1UL << rng_below(&t->rng, 21)) | (rng_one_in(&t->rng, 2) ?
							  1UL << rng_below(&t->rng, 21) : 0);
	case 6: case 7:
		return (uint32_t)rng_next(&t->rng);
	case 8:
		return rng_next(&t->rng) & 0xffff;
	default:
		return rng_one_in(&t->rng, 2) ? ~0UL : (unsigned long)rng_next(&t->rng);
	}
}

/* --------------------------------------------------------------- pointers */

/* A bad pointer: never a usable buffer. */
static unsigned long
gen_bad_pointer(struct fz_thread *t, size_t len)
{
	struct fz_worker *w = t->w;

	switch (rng_below(&t->rng, 9)) {
	case 0:
		return 0;
	case 1:
		return 1 + rng_below(&t->rng, 8191);
	case 2: case 3:
		return w->kaddrs[rng_below(&t->rng, w->nkaddrs)] +
		       (rng_one_in(&t->rng, 2) ? 0 : rng_below(&t->rng, 4096));
	case 4:
		return (unsigned long)w->hole + rng_below(&t->rng, FZ_PAGE);
	case 5:
		return (unsigned long)w->none_page + rng_below(&t->rng, FZ_PAGE);
	case 6:
		return (unsigned long)w->ro_page + rng_below(&t->rng, FZ_PAGE / 2);
	case 7:
		/* Starts in a read-write page, ends in PROT_NONE. */
		return (unsigned long)w->edge_page + FZ_PAGE -
		       (len > 1 && len < FZ_PAGE ? 1 + rng_below(&t->rng, len - 1) : 1 + rng_below(&t->rng, 16));
	default:
		return sanitize_value(t, (unsigned long)rng_next(&t->rng));
	}
}

unsigned long
gen_pointer(struct fz_thread *t, size_t len, bool out)
{
	struct fz_worker *w = t->w;
	unsigned int r = (unsigned int)rng_below(&t->rng, 100);

	if (r < 62) {
		/* A buffer of the arena, with guard bytes after it when it fits. */
		size_t want = len > ARENA_PART / 2 ? 0 : len;
		char *p;

		if (!want && len) {
			/* Longer than the arena: from a part's start, into its PROT_NONE page. */
			return (unsigned long)t->arena + ARENA_PART / 2 + rng_below(&t->rng, ARENA_PART / 2);
		}
		p = arena_alloc(t, want + GUARD_BYTES, rng_one_in(&t->rng, 8) ? 1 : 16);
		if (out)
			guard_add(t, p, want);
		return (unsigned long)p;
	}
	if (r < 66)
		return (unsigned long)w->play + rng_below(&t->rng, PLAY_SIZE);
	if (r < 69) {
		unsigned long m = w->recent_maps[rng_below(&t->rng, 8)];

		if (m && !range_protected(w, m, 1))
			return m;
	}
	return gen_bad_pointer(t, len);
}

unsigned long
gen_any(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 20)) {
	case 0: case 1: case 2: case 3:
		return (unsigned long)gen_small(t);
	case 4: case 5: case 6:
		return gen_pointer(t, 256, false);	/* unknown use: no guard */
	case 7: case 8:
		return gen_bad_pointer(t, 64);
	case 9: case 10:
		return (unsigned long)gen_fd(t);
	case 11: case 12:
		return 0;
	case 13: case 14:
		return sanitize_value(t, (uint32_t)rng_next(&t->rng));
	case 15: case 16:
		return sanitize_value(t, (unsigned long)rng_next(&t->rng));
	default:
		return gen_special(t);
	}
}

/* Random bytes for a structure the kernel reads, word by word sanitized. */
static void
fill_struct(struct fz_thread *t, void *p, size_t len)
{
	unsigned long *wp = p;

	for (size_t i = 0; i < len / sizeof(long); i++)
		wp[i] = rng_one_in(&t->rng, 3) ? gen_any(t) : (unsigned long)gen_small(t);
}

/* -------------------------------------------------------- descriptors, ids */

int
gen_fd(struct fz_thread *t)
{
	struct fz_worker *w = t->w;
	unsigned int r = (unsigned int)rng_below(&t->rng, 100);

	if (r < 60 && w->nfds)
		return w->fds[rng_below(&t->rng, w->nfds)];
	if (r < 75) {
		int fd = w->recent_fds[rng_below(&t->rng, MAX_RECENT)];

		if (fd > 0)
			return fd;
	}
	if (r < 80)
		return (int)rng_below(&t->rng, 3);
	if (r < 84)
		return -1;
	if (r < 86)
		return AT_FDCWD;
	if (r < 90)
		return 700 + (int)rng_below(&t->rng, 100);	/* most likely closed */
	if (r < 95)
		return (int)rng_below(&t->rng, 64);
	switch (rng_below(&t->rng, 4)) {
	case 0:
		return INT_MAX;
	case 1:
		return INT_MIN;
	case 2:
		return 1 << 16;
	default:
		return -1 - (int)rng_below(&t->rng, 1000);
	}
}

static int
gen_dirfd(struct fz_thread *t)
{
	if (rng_below(&t->rng, 10) < 6)
		return AT_FDCWD;
	if (rng_one_in(&t->rng, 2)) {
		int fd = pool_fd(t, FDK_DIR);

		if (fd >= 0)
			return fd;
	}
	return gen_fd(t);
}

int
gen_pid(struct fz_thread *t, bool for_signal)
{
	struct fz_worker *w = t->w;
	int pid;

	switch (rng_below(&t->rng, 12)) {
	case 0: case 1:
		return 0;
	case 2: case 3:
		return w->pid;
	case 4:
		return (int)RAW0(SYS_gettid);
	case 5: case 6:
		pid = w->children[rng_below(&t->rng, MAX_CHILDREN)];
		return pid > 0 ? pid : w->pid;
	case 7:
		return -w->pid;			/* its own process group */
	case 8:
		return 99999 + (int)rng_below(&t->rng, 1000);	/* no such process */
	case 9:
		return rng_one_in(&t->rng, 2) ? INT_MAX : INT_MIN;
	case 10:
		return -99999;
	default:
		if (for_signal)
			return w->pid;
		switch (rng_below(&t->rng, 3)) {
		case 0:
			return -1;
		case 1:
			return 1;
		default:
			return w->harness;
		}
	}
}

int
gen_signal(struct fz_thread *t)
{
	int sig;

	switch (rng_below(&t->rng, 10)) {
	case 0:
		return 0;
	case 1:
		return -1 - (int)rng_below(&t->rng, 2);
	case 2:
		return 65 + (int)rng_below(&t->rng, 100);
	default:
		sig = 1 + (int)rng_below(&t->rng, 64);
		/* Stops and kills of oneself: now and then, not all the time. */
		if ((sig == SIGKILL || sig == SIGSTOP) && !rng_one_in(&t->rng, 8))
			sig = 0;
		return sig;
	}
}

static unsigned long
gen_uid(struct fz_thread *t)
{
	static const unsigned long ids[] = { 0, FZ_UID, 65534, 1000, (unsigned long)-1,
					     (uint32_t)-1, 0xffff, 65535 };

	if (rng_one_in(&t->rng, 8))
		return (uint32_t)rng_next(&t->rng);
	return ids[rng_below(&t->rng, sizeof(ids) / sizeof(ids[0]))];
}

static unsigned long
gen_mode(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 8)) {
	case 0:
		return (uint32_t)rng_next(&t->rng);
	case 1:
		return (rng_below(&t->rng, 16) << 12) | (rng_next(&t->rng) & 07777);
	default:
		return rng_next(&t->rng) & 0777;
	}
}

static unsigned long
gen_offset(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 10)) {
	case 0: case 1: case 2:
		return 0;
	case 3: case 4:
		return rng_below(&t->rng, 8192);
	case 5:
		return FZ_PAGE * rng_below(&t->rng, 64);
	case 6:
		return (unsigned long)-1 - rng_below(&t->rng, 4096);
	default:
		return gen_special(t);
	}
}

/* ------------------------------------------------------------------ paths */

const char *
gen_path(struct fz_thread *t)
{
	struct fz_worker *w = t->w;
	unsigned int r = (unsigned int)rng_below(&t->rng, 100);

	if (r < 88 && w->npaths)
		return w->paths[rng_below(&t->rng, w->npaths)];
	if (r < 91)
		return w->bad_string;
	return (const char *)gen_bad_pointer(t, 256);
}

/* ------------------------------------------------- memory-call arguments */

static unsigned long
gen_mm_addr(struct fz_thread *t)
{
	struct fz_worker *w = t->w;
	unsigned long m;

	switch (rng_below(&t->rng, 20)) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9:
		return (unsigned long)w->play + FZ_PAGE * rng_below(&t->rng, PLAY_SIZE / FZ_PAGE);
	case 10:
		return (unsigned long)w->play + rng_below(&t->rng, PLAY_SIZE);
	case 11: case 12:
		m = w->recent_maps[rng_below(&t->rng, 8)];
		return m ? m : (unsigned long)w->play;
	case 13:
		return 0;
	case 14:
		return w->kaddrs[rng_below(&t->rng, w->nkaddrs)];
	case 15:
		return (unsigned long)w->hole;
	default:
		return sanitize_value(t, (unsigned long)rng_next(&t->rng) & ~(FZ_PAGE - 1));
	}
}

static unsigned long
gen_mm_len(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 12)) {
	case 0:
		return 0;
	case 1: case 2: case 3:
		return FZ_PAGE;
	case 4: case 5: case 6:
		return FZ_PAGE * (1 + rng_below(&t->rng, 64));
	case 7:
		return 1 + rng_below(&t->rng, PLAY_SIZE);
	case 8:
		return PLAY_SIZE;
	case 9:
		return (unsigned long)-FZ_PAGE;
	default:
		return gen_special(t);
	}
}

static unsigned long
gen_prot(struct fz_thread *t)
{
	unsigned long p = rng_below(&t->rng, 8);

	if (rng_one_in(&t->rng, 10))
		p |= rng_one_in(&t->rng, 2) ? PROT_GROWSDOWN : PROT_GROWSUP;
	if (rng_one_in(&t->rng, 20))
		p = (uint32_t)rng_next(&t->rng);
	return p;
}

static unsigned long
gen_mmap_flags(struct fz_thread *t)
{
	static const unsigned long extra[] = {
		MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_POPULATE, MAP_NORESERVE, MAP_GROWSDOWN,
		MAP_STACK, MAP_LOCKED, MAP_NONBLOCK, MAP_HUGETLB, MAP_SYNC, 0x40 /* MAP_32BIT (x86-64) */
	};
	unsigned long f = rng_one_in(&t->rng, 4) ? MAP_SHARED : MAP_PRIVATE;

	if (!rng_one_in(&t->rng, 3))
		f |= MAP_ANONYMOUS;
	while (rng_one_in(&t->rng, 2))
		f |= extra[rng_below(&t->rng, sizeof(extra) / sizeof(extra[0]))];
	if (rng_one_in(&t->rng, 20))
		f = (uint32_t)rng_next(&t->rng);
	if (rng_one_in(&t->rng, 30))
		f &= ~(unsigned long)(MAP_SHARED | MAP_PRIVATE);
	return f;
}

/* ------------------------------------------------------------ structures */

/* A struct timespec (or timeval) the kernel reads: mostly short times. */
static unsigned long
gen_time_in(struct fz_thread *t, bool time64)
{
	long long sec = 0, nsec;
	unsigned long p;

	if (rng_below(&t->rng, 10) >= 8)
		return gen_bad_pointer(t, 16);
	switch (rng_below(&t->rng, 12)) {
	case 0:
		sec = -1;
		break;
	case 1:
		sec = (long long)rng_next(&t->rng);
		break;
	case 2:
		sec = LLONG_MAX;
		break;
	default:
		sec = 0;
	}
	switch (rng_below(&t->rng, 8)) {
	case 0:
		nsec = 999999999;
		break;
	case 1:
		nsec = 1000000000;
		break;
	case 2:
		nsec = -1;
		break;
	case 3:
		nsec = 0;
		break;
	default:
		nsec = (long long)rng_below(&t->rng, 2000000);	/* up to 2 ms */
	}
	p = (unsigned long)arena_alloc(t, 16, 8);
	if (time64 || sizeof(long) == 8) {
		long long *ts = (long long *)p;

		ts[0] = sec;
		ts[1] = nsec;
	} else {
		long *ts = (long *)p;

		ts[0] = (long)sec;
		ts[1] = (long)nsec;
	}
	return p;
}

/* A signal set the kernel reads: never holding the harness's wake signal. */
static unsigned long
gen_sigset_in(struct fz_thread *t)
{
	uint64_t *set;

	if (rng_one_in(&t->rng, 6))
		return gen_bad_pointer(t, 8);
	set = arena_alloc(t, 16, 8);
	set[0] = rng_one_in(&t->rng, 3) ? ~0ULL : rng_next(&t->rng);
	set[1] = rng_next(&t->rng);
	set[0] &= ~(1ULL << (FZ_WAKE_SIG - 1));
	return (unsigned long)set;
}

static unsigned long
gen_sigsetsize(struct fz_thread *t)
{
	static const unsigned long sizes[] = { 0, 4, 16, 128, ~0UL };

	if (rng_below(&t->rng, 10) < 8)
		return 8;
	return sizes[rng_below(&t->rng, sizeof(sizes) / sizeof(sizes[0]))];
}

static unsigned long
gen_count(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 10)) {
	case 0:
		return 0;
	case 1: case 2: case 3:
		return 1;
	case 4: case 5:
		return 2 + rng_below(&t->rng, 7);
	case 6:
		return 1024;
	case 7:
		return 1025;
	default:
		return gen_special(t);
	}
}

/* The count argument following position i, if the spec has one. */
static unsigned long
count_after(const struct fz_call *c, const unsigned long *args, unsigned int i)
{
	for (unsigned int j = i + 1; c->spec[j] && j < FZ_NARGS; j++)
		if (c->spec[j] == 'c' || c->spec[j] == 'N')
			return args[j];
	return 1;
}

static unsigned long
gen_iovec(struct fz_thread *t, unsigned long count)
{
	struct iov {
		unsigned long base, len;
	} *iov;
	size_t n = count > 64 ? 64 : count;

	if (rng_one_in(&t->rng, 8))
		return gen_bad_pointer(t, 16);
	if (!n)
		n = 1;
	iov = arena_alloc(t, n * sizeof(*iov), 16);
	for (size_t i = 0; i < n; i++) {
		iov[i].len = rng_one_in(&t->rng, 4) ? gen_length(t) : rng_below(&t->rng, 512);
		iov[i].base = gen_pointer(t, iov[i].len, false);
	}
	return (unsigned long)iov;
}

static unsigned long
gen_pollfds(struct fz_thread *t, unsigned long count)
{
	struct pfd {
		int fd;
		short events, revents;
	} *p;
	size_t n = count > 64 ? 64 : count;

	if (rng_one_in(&t->rng, 8))
		return gen_bad_pointer(t, 8);
	if (!n)
		n = 1;
	p = arena_alloc(t, n * sizeof(*p), 8);
	for (size_t i = 0; i < n; i++) {
		p[i].fd = gen_fd(t);
		p[i].events = (short)(rng_one_in(&t->rng, 4) ? rng_next(&t->rng) : rng_below(&t->rng, 8));
		p[i].revents = (short)rng_next(&t->rng);
	}
	return (unsigned long)p;
}

static unsigned long
gen_argv(struct fz_thread *t)
{
	unsigned long *v;
	size_t n = rng_below(&t->rng, 6);

	if (rng_one_in(&t->rng, 6))
		return rng_one_in(&t->rng, 2) ? 0 : gen_bad_pointer(t, 8);
	v = arena_alloc(t, (n + 1) * sizeof(*v), sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = rng_one_in(&t->rng, 4) ? gen_bad_pointer(t, 8) : (unsigned long)gen_path(t);
	v[n] = rng_one_in(&t->rng, 10) ? gen_any(t) : 0;
	return (unsigned long)v;
}

static unsigned long
gen_clockid(struct fz_thread *t)
{
	switch (rng_below(&t->rng, 8)) {
	case 0:
		return (unsigned long)(long)gen_small(t);
	case 1:
		/* A CPU clock of a process or thread: ~pid << 3 | type. */
		return (unsigned long)(((~(long)gen_pid(t, false)) << 3) | (long)rng_below(&t->rng, 8));
	default:
		return rng_below(&t->rng, 12);
	}
}

/* ------------------------------------------------------------- dispatch */

unsigned long
gen_arg(struct fz_thread *t, const struct fz_call *c, char kind, unsigned long *args,
	unsigned int i)
{
	bool time64 = strstr(c->name, "time64") != NULL;
	unsigned long len;

	switch (kind) {
	case 'f':
		return (unsigned long)(long)gen_fd(t);
	case 'd':
		return (unsigned long)(long)gen_dirfd(t);
	case 'p':
		return (unsigned long)gen_path(t);
	case 'o':
	case 'i': {
		unsigned long p;

		len = (i + 1 < FZ_NARGS && c->spec[i + 1] == 'l') ? args[i + 1] : 64;
		p = gen_pointer(t, len, kind == 'o');
		if (kind == 'i' && arena_ptr(t, p, 1) && p < (unsigned long)t->arena + ARENA_PART / 2) {
			size_t n = len < ARENA_PART / 2 - (p - (unsigned long)t->arena) ?
				   len : ARENA_PART / 2 - (p - (unsigned long)t->arena);

			for (size_t k = 0; k < n && k < 512; k++)
				((unsigned char *)p)[k] = (unsigned char)rng_next(&t->rng);
		}
		return p;
	}
	case 'l':
		return args[i];			/* made in the first pass */
	case 'K':
		return gen_pointer(t, 512, false);
	case 'k': {
		unsigned long p = gen_pointer(t, 256, false);

		if (arena_ptr(t, p, 256))
			fill_struct(t, (void *)p, 256);
		return p;
	}
	case 'F':
		return gen_flags(t);
	case 'm':
		return gen_mode(t);
	case 'n':
		return (unsigned long)gen_small(t);
	case 'x':
		return (unsigned long)(long)gen_pid(t, false);
	case 's':
		return (unsigned long)(long)gen_signal(t);
	case 'u':
		return gen_uid(t);
	case 'O':
		return gen_offset(t);
	case 'A':
		return gen_mm_addr(t);
	case 'L':
		return gen_mm_len(t);
	case 'r':
		return gen_prot(t);
	case 'M':
		return gen_mmap_flags(t);
	case 't':
		return gen_time_in(t, time64);
	case 'S':
		return gen_sigset_in(t);
	case 'z':
		return gen_sigsetsize(t);
	case 'v':
		return gen_iovec(t, count_after(c, args, i));
	case 'Q':
		return gen_pollfds(t, count_after(c, args, i));
	case 'c':
	case 'N':
		return gen_count(t);
	case 'a':
		return gen_argv(t);
	case 'w':
		return rng_one_in(&t->rng, 6) ? (unsigned long)gen_small(t) : rng_below(&t->rng, 5);
	case 'W':
		return gen_clockid(t);
	default:
		return gen_any(t);
	}
}

/* --------------------------------------------------------------- notes */

void
note_fd(struct fz_worker *w, long fd)
{
	if (fd >= 3 && fd < FZ_FD_RESERVED)
		w->recent_fds[__atomic_fetch_add(&w->recent_next, 1, __ATOMIC_RELAXED) % MAX_RECENT] =
			(int)fd;
}

void
note_child(struct fz_worker *w, long pid)
{
	if (pid > 0)
		w->children[__atomic_fetch_add(&w->child_next, 1, __ATOMIC_RELAXED) % MAX_CHILDREN] =
			(int)pid;
}

void
note_map(struct fz_worker *w, long addr)
{
	if (addr > 0 || (addr < -4095 && addr != 0))
		w->recent_maps[__atomic_fetch_add(&w->map_next, 1, __ATOMIC_RELAXED) % 8] =
			(uintptr_t)addr;
}
