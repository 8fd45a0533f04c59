/*
 * Sentinel checks: no kernel memory is read or written by a user
 * request.  Between random calls a worker hands the kernel a kernel
 * address (mapped kernel memory through the linear map and the image,
 * unmapped kernel space, non-canonical addresses, a buffer running from
 * the last user page into kernel space, a length that wraps the address
 * space) as the buffer of a call that would otherwise succeed, on
 * descriptors only the fuzzer holds (FZ_FD_RESERVED and up).  Success is
 * a violation: the kernel read or wrote where it must not.  Any answer
 * but EFAULT differs from Linux and is reported as such.  The canary page
 * is never handed to the kernel: it must never change.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>

#include "worker.h"

/* Descriptors of the sentinel checks, opened by worker.c. */
#define SFD_FILE	990
#define SFD_PIPE_R	991
#define SFD_PIPE_W	992
#define SFD_ZERO	993
#define SFD_NULL	994
#define SFD_DIR		995

static const uintptr_t kaddrs[] = {
#if defined(__aarch64__)
	0xffff000000000000UL,	/* linear map: physical 0 */
	0xffff000040000000UL,	/* linear map: the first RAM of virt */
	0xffff000040210000UL,	/* linear map: inside the kernel image */
	0xffffffff80000000UL,	/* the kernel image */
	0xffffffff80010000UL,
	0xffffff8000000000UL,	/* kernel stacks */
	0x0001000000000000UL,	/* just past user space (48-bit) */
	0x8000000000000000UL,
	0xfffffffffffff000UL,
#elif defined(__x86_64__)
	0xffff888000000000UL,	/* linear map: physical 0 */
	0xffff888000100000UL,	/* linear map: the kernel image */
	0xffffffff80000000UL,	/* the kernel image */
	0xffffffff80100000UL,
	0xffffc90000000000UL,	/* kernel stacks */
	0x0000800000000000UL,	/* the first non-canonical address */
	0xffff800000000000UL,
	0x8000000000000000UL,
	0xfffffffffffff000UL,
#elif defined(__i386__)
	0xc0000000UL,		/* linear map: physical 0 */
	0xc0100000UL,		/* the kernel image */
	0xc0400000UL,
	0xf8000000UL,		/* kernel stacks */
	0xfffff000UL,
	0xffff0000UL,
#endif
};

/* The last user page, when the worker could map it (worker.c). */
uintptr_t sentinel_top_page;

const uintptr_t *
sentinel_kaddrs(unsigned int *n)
{
	*n = sizeof(kaddrs) / sizeof(kaddrs[0]);
	return kaddrs;
}

void
violation(struct fz_worker *w, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	__atomic_fetch_add(&w->sh->violations, 1, __ATOMIC_RELAXED);
	fz_log("# VIOLATION worker %u gen %llu: %s", w->index, (unsigned long long)w->gen, msg);
}

static uint32_t
sum32(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

bool
canary_check(struct fz_thread *t)
{
	struct fz_worker *w = t->w;
	const struct fz_slot *s = t->slot;
	uint32_t sum;

	__atomic_fetch_add(&w->sh->guards, 1, __ATOMIC_RELAXED);
	if (!memcmp(w->canary, w->canary_copy, FZ_PAGE))
		return true;
	sum = sum32(w->canary, FZ_PAGE);
	for (size_t i = 0; i < FZ_PAGE; i++) {
		if (w->canary[i] != w->canary_copy[i]) {
			violation(w, "the canary page%s changed (byte %zu: %#x, copy %#x) after call %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld",
				  sum == w->canary_sum ? "'s copy" : "", i, w->canary[i],
				  w->canary_copy[i], s->nr, s->args[0], s->args[1], s->args[2],
				  s->args[3], s->args[4], s->args[5], s->ret);
			break;
		}
	}
	if (sum == w->canary_sum)
		memcpy(w->canary_copy, w->canary, FZ_PAGE);
	else
		memcpy(w->canary, w->canary_copy, FZ_PAGE);
	return false;
}

void
canary_init(struct fz_worker *w)
{
	w->canary_sum = sum32(w->canary, FZ_PAGE);
}

/* A kernel address (or the straddle) for a buffer of len bytes. */
static uintptr_t
kaddr(struct fz_thread *t, size_t len, const char **what)
{
	if (sentinel_top_page && rng_one_in(&t->rng, 6)) {
		*what = "the last user page running into kernel space";
		(void)len;
		return sentinel_top_page + FZ_PAGE - 1;	/* anything of 2 bytes or more crosses */
	}
	*what = "a kernel address";
	return kaddrs[rng_below(&t->rng, sizeof(kaddrs) / sizeof(kaddrs[0]))] +
	       (rng_one_in(&t->rng, 2) ? 0 : 8 * rng_below(&t->rng, 512));
}

static void
drain_pipe(void)
{
	char buf[512];

	while (RAW3(SYS_read, SFD_PIPE_R, buf, sizeof(buf)) > 0)
		;
}

/*
 * The checks: each makes one call with a kernel address (K) where a
 * buffer goes, everything else valid.
 */
enum sentinel {
	S_READ_ZERO, S_READ_FILE, S_PREAD_FILE, S_READV_ZERO, S_READ_NULL, S_WRITE_FILE,
	S_PWRITE_FILE, S_WRITE_PIPE, S_WRITEV_PIPE, S_WRITE_NULL, S_OPEN_PATH, S_STAT_BUF,
	S_FSTAT_BUF, S_UNAME, S_GETCWD, S_CLOCK_GETTIME, S_GETTIMEOFDAY, S_PIPE2, S_GETDENTS,
	S_READLINK, S_GETRANDOM, S_SIGPROCMASK_SET, S_SIGPROCMASK_OLD, S_SIGACTION_OLD,
	S_GETAFFINITY, S_SYSINFO, S_PRLIMIT_OLD, S_GETRESUID, S_TIMES, S_POLL, S_FIONREAD,
	S_STATFS, S_WAIT4_RUSAGE, S_READ_WRAP, S_WRITE_WRAP, S_SIGALTSTACK, S_NANOSLEEP,
	S_COUNT
};

bool
sentinel_one(struct fz_thread *t)
{
	struct fz_worker *w = t->w;
	enum sentinel s = (enum sentinel)rng_below(&t->rng, S_COUNT);
	const char *what = "";
	uintptr_t k = kaddr(t, 64, &what);
	const char *call = "?";
	long ret, avail = 0;
	int check_pipe = 0;
	bool path = false;		/* a path in the call: its lookup may fail first */

	/* Published like a call: the harness wakes and reports it if it blocks. */
	t->slot->nr = FZ_SENTINEL_NR + s;
	for (unsigned int i = 0; i < FZ_NARGS; i++)
		t->slot->args[i] = i ? 0 : k;
	__atomic_fetch_add(&t->slot->seq, 1, __ATOMIC_SEQ_CST);

	switch (s) {
	case S_READ_ZERO:
		call = "read(/dev/zero)";
		ret = RAW3(SYS_read, SFD_ZERO, k, 64);
		break;
	case S_READ_FILE:
		call = "read(file)";
		RAW3(SYS_lseek, SFD_FILE, 0, SEEK_SET);
		ret = RAW3(SYS_read, SFD_FILE, k, 64);
		break;
	case S_PREAD_FILE:
		call = "pread64(file)";
		ret = RAW4(SYS_pread64, SFD_FILE, k, 64, 0);
		break;
	case S_READV_ZERO: {
		struct { unsigned long base, len; } iov = { k, 64 };

		call = "readv(/dev/zero)";
		ret = RAW3(SYS_readv, SFD_ZERO, &iov, 1);
		break;
	}
	case S_READ_NULL:
		call = "read(/dev/null)";
		ret = RAW3(SYS_read, SFD_NULL, k, 64);
		break;
	case S_WRITE_FILE:
		call = "write(file)";
		ret = RAW3(SYS_write, SFD_FILE, k, 64);
		break;
	case S_PWRITE_FILE:
		call = "pwrite64(file)";
		ret = RAW4(SYS_pwrite64, SFD_FILE, k, 64, 0);
		break;
	case S_WRITE_PIPE:
		call = "write(pipe)";
		drain_pipe();
		ret = RAW3(SYS_write, SFD_PIPE_W, k, 64);
		check_pipe = 1;
		break;
	case S_WRITEV_PIPE: {
		struct { unsigned long base, len; } iov[2] = { { (unsigned long)t->arena, 0 }, { k, 64 } };

		call = "writev(pipe)";
		drain_pipe();
		ret = RAW3(SYS_writev, SFD_PIPE_W, iov, 2);
		check_pipe = 1;
		break;
	}
	case S_WRITE_NULL:
		call = "write(/dev/null)";
		ret = RAW3(SYS_write, SFD_NULL, k, 64);
		break;
	case S_OPEN_PATH:
		call = "openat(path)";
		ret = RAW4(SYS_openat, AT_FDCWD, k, O_RDONLY, 0);
		if (ret >= 0)
			RAW1(SYS_close, ret);
		break;
	case S_STAT_BUF:
		path = true;
		call = "fstatat(\"/\", buf)";
#if defined(SYS_newfstatat)
		ret = RAW4(SYS_newfstatat, AT_FDCWD, "/", k, 0);
#else
		ret = RAW4(SYS_fstatat64, AT_FDCWD, "/", k, 0);
#endif
		break;
	case S_FSTAT_BUF:
		call = "fstat(file, buf)";
#if defined(SYS_fstat64)
		ret = RAW2(SYS_fstat64, SFD_FILE, k);
#else
		ret = RAW2(SYS_fstat, SFD_FILE, k);
#endif
		break;
	case S_UNAME:
		call = "uname";
		ret = RAW1(SYS_uname, k);
		break;
	case S_GETCWD:
		path = true;		/* a removed cwd is ENOENT first */
		call = "getcwd";
		ret = RAW2(SYS_getcwd, k, 256);
		break;
	case S_CLOCK_GETTIME:
		call = "clock_gettime";
		ret = RAW2(SYS_clock_gettime, CLOCK_MONOTONIC, k);
		break;
	case S_GETTIMEOFDAY:
		call = "gettimeofday";
		ret = RAW2(SYS_gettimeofday, k, 0);
		break;
	case S_PIPE2:
		call = "pipe2";
		ret = RAW2(SYS_pipe2, k, O_CLOEXEC);
		break;
	case S_GETDENTS:
		call = "getdents64";
		RAW3(SYS_lseek, SFD_DIR, 0, SEEK_SET);
		ret = RAW3(SYS_getdents64, SFD_DIR, k, 4096);
		break;
	case S_READLINK:
		path = true;
		call = "readlinkat";
		ret = RAW4(SYS_readlinkat, SFD_DIR, ".sentinel-link", k, 64);
		break;
	case S_GETRANDOM:
		call = "getrandom";
		ret = RAW3(SYS_getrandom, k, 16, 1 /* GRND_NONBLOCK */);
		if (ret == -EAGAIN)
			ret = -EFAULT;	/* Linux says so first while its pool is not ready */
		break;
	case S_SIGPROCMASK_SET:
		call = "rt_sigprocmask(set)";
		ret = RAW4(SYS_rt_sigprocmask, SIG_BLOCK, k, 0, 8);
		break;
	case S_SIGPROCMASK_OLD:
		call = "rt_sigprocmask(oldset)";
		ret = RAW4(SYS_rt_sigprocmask, SIG_BLOCK, 0, k, 8);
		break;
	case S_SIGACTION_OLD:
		call = "rt_sigaction(oldact)";
		ret = RAW4(SYS_rt_sigaction, SIGUSR1, 0, k, 8);
		break;
	case S_GETAFFINITY:
		call = "sched_getaffinity";
		ret = RAW3(SYS_sched_getaffinity, 0, 64, k);
		break;
	case S_SYSINFO:
		call = "sysinfo";
		ret = RAW1(SYS_sysinfo, k);
		break;
	case S_PRLIMIT_OLD:
		call = "prlimit64(old)";
		ret = RAW4(SYS_prlimit64, 0, 7 /* RLIMIT_NOFILE */, 0, k);
		break;
	case S_GETRESUID:
		call = "getresuid";
#if defined(SYS_getresuid32)
		ret = RAW3(SYS_getresuid32, k, k + 8, k + 16);
#else
		ret = RAW3(SYS_getresuid, k, k + 8, k + 16);
#endif
		break;
	case S_TIMES:
		call = "times";
		ret = RAW1(SYS_times, k);
		/* times() returns clock ticks: only EFAULT tells a failure. */
		if (ret != -EFAULT)
			ret = ret >= -4095 && ret < 0 ? ret : 0;
		break;
	case S_POLL: {
		struct timespec ts = { 0, 0 };

		call = "ppoll(fds)";
		ret = fz_syscall(SYS_ppoll, (long)k, 1, (long)&ts, 0, 8, 0);
		break;
	}
	case S_FIONREAD:
		call = "ioctl(pipe, FIONREAD)";
		ret = RAW3(SYS_ioctl, SFD_PIPE_R, FIONREAD, k);
		break;
	case S_STATFS:
		path = true;
		call = "statfs(\"/\")";
#if defined(SYS_statfs64)
		ret = RAW3(SYS_statfs64, "/", 84, k);
#else
		ret = RAW2(SYS_statfs, "/", k);
#endif
		break;
	case S_WAIT4_RUSAGE:
		call = "wait4(rusage)";
		ret = RAW4(SYS_wait4, -1, 0, 1 /* WNOHANG */, k);
		if (ret == -ECHILD || ret == 0)
			ret = -EFAULT;	/* no child to report: nothing to check */
		break;
	case S_READ_WRAP:
		/* A user buffer whose length runs past the top of the address space. */
		what = "a length that wraps the address space";
		call = "read(/dev/zero)";
		ret = RAW3(SYS_read, SFD_ZERO, t->arena, -(unsigned long)t->arena + 4096);
		break;
	case S_WRITE_WRAP:
		what = "a length that wraps the address space";
		call = "write(file)";
		ret = RAW3(SYS_write, SFD_FILE, t->arena, -(unsigned long)t->arena + 4096);
		break;
	case S_SIGALTSTACK:
		call = "sigaltstack(old)";
		ret = RAW2(SYS_sigaltstack, 0, k);
		break;
	case S_NANOSLEEP: {
		call = "nanosleep(req)";
		ret = RAW2(SYS_nanosleep, k, 0);
		break;
	}
	default:
		ret = -EFAULT;
		break;
	}
	t->slot->ret = ret;
	__atomic_fetch_add(&t->slot->seq, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&w->sh->sentinels, 1, __ATOMIC_RELAXED);

	if (check_pipe && RAW3(SYS_ioctl, SFD_PIPE_R, FIONREAD, &avail) == 0 && avail > 0) {
		violation(w, "%s of %s (%#lx) put %ld bytes in the pipe", call, what,
			  (unsigned long)k, avail);
		drain_pipe();
		return false;
	}
	if (ret >= 0) {
		violation(w, "%s accepted %s (%#lx): returned %ld", call, what, (unsigned long)k, ret);
		return false;
	}
	if (ret == -ENOSYS)
		return true;		/* not a call this kernel has */
	if (path && (ret == -ENOENT || ret == -EACCES || ret == -ENOTDIR || ret == -ELOOP))
		return true;		/* the fuzzer changed the file system under it */
	if (ret != -EFAULT && ret != -EINTR)
		fz_log("# sentinel: %s with %s (%#lx) returned %ld, Linux gives -EFAULT (-14)",
		       call, what, (unsigned long)k, ret);
	return true;
}
