/*
 * The calls the fuzzer makes: this port's system-call table (generated
 * from kernel/syscall.tbl: calls_gen.h), each call's argument spec (the
 * letters of args.c), and the fix-ups that keep a call from ending the
 * run or the machine: no signal to the harness or init, no reboot, no
 * exec of a real program, no munmap of the fuzzer's own memory, no
 * device node of the console, no blocking of the harness's wake signal.
 * Then one call: generate, fix up, publish in the shared slot, issue,
 * note what it returned (descriptors, children, mappings) and check the
 * guard bytes.
 */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "worker.h"

struct fz_call_def {
	int nr;
	const char *name;
	int implemented;
};
#include "calls_gen.h"

enum fixup {
	FIX_NONE, FIX_DENY, FIX_KILL, FIX_TGKILL, FIX_FORK, FIX_CLONE, FIX_CLONE3, FIX_EXEC,
	FIX_EXECAT, FIX_EXIT, FIX_SIGACTION, FIX_SIGNAL, FIX_SIGRETURN, FIX_MMAP, FIX_OLD_MMAP,
	FIX_MM_RANGE, FIX_MREMAP, FIX_BRK, FIX_ARCH_PRCTL, FIX_SET_THREAD_AREA, FIX_PRCTL,
	FIX_REBOOT, FIX_MOUNT, FIX_MKNOD, FIX_MKNODAT, FIX_SELF_PID, FIX_SETPRIORITY,
	FIX_SCHED_SET, FIX_SYSLOG, FIX_CLOSE_RANGE, FIX_FCNTL, FIX_IOCTL, FIX_PSELECT,
	FIX_RETURNS_FD, FIX_PIPE, FIX_SETRLIMIT, FIX_NICE,
};

struct spec {
	const char *name;
	const char *args;
	enum fixup fix;
};

/*
 * Argument letters (args.c): f fd, d dirfd, p path, o/i out/in buffer
 * whose length is the next l, K/k structure out/in, F flags, m mode,
 * n small int, x pid, s signal, u id, O offset, A/L memory address and
 * length, r prot, M mmap flags, t time in, S signal set in, z its size,
 * v iovec array and c its count, Q pollfd array, N count, a argv, w
 * which/how, W clock id, * anything.
 */
static const struct spec specs[] = {
	{ "read", "fol", FIX_NONE },
	{ "write", "fil", FIX_NONE },
	{ "open", "pFm", FIX_RETURNS_FD },
	{ "openat", "dpFm", FIX_RETURNS_FD },
	{ "openat2", "dpkl", FIX_RETURNS_FD },
	{ "creat", "pm", FIX_RETURNS_FD },
	{ "close", "f", FIX_NONE },
	{ "close_range", "ffF", FIX_CLOSE_RANGE },
	{ "stat", "pK", FIX_NONE },
	{ "lstat", "pK", FIX_NONE },
	{ "fstat", "fK", FIX_NONE },
	{ "stat64", "pK", FIX_NONE },
	{ "lstat64", "pK", FIX_NONE },
	{ "fstat64", "fK", FIX_NONE },
	{ "oldstat", "pK", FIX_NONE },
	{ "oldlstat", "pK", FIX_NONE },
	{ "oldfstat", "fK", FIX_NONE },
	{ "newfstatat", "dpKF", FIX_NONE },
	{ "fstatat64", "dpKF", FIX_NONE },
	{ "statx", "dpFFK", FIX_NONE },
	{ "statfs", "pK", FIX_NONE },
	{ "fstatfs", "fK", FIX_NONE },
	{ "statfs64", "pnK", FIX_NONE },
	{ "fstatfs64", "fnK", FIX_NONE },
	{ "poll", "Qcn", FIX_NONE },
	{ "ppoll", "QctSz", FIX_NONE },
	{ "ppoll_time64", "QctSz", FIX_NONE },
	{ "select", "NKKKt", FIX_NONE },
	{ "_newselect", "NKKKt", FIX_NONE },
	{ "pselect6", "NKKKtk", FIX_PSELECT },
	{ "pselect6_time64", "NKKKtk", FIX_PSELECT },
	{ "lseek", "fOw", FIX_NONE },
	{ "_llseek", "fOOKw", FIX_NONE },
	{ "mmap", "ALrMfO", FIX_MMAP },
	{ "mmap2", "ALrMfO", FIX_MMAP },
	{ "mprotect", "ALr", FIX_MM_RANGE },
	{ "pkey_mprotect", "ALrn", FIX_MM_RANGE },
	{ "munmap", "AL", FIX_MM_RANGE },
	{ "madvise", "ALn", FIX_MM_RANGE },
	{ "msync", "ALF", FIX_MM_RANGE },
	{ "mlock", "AL", FIX_MM_RANGE },
	{ "mlock2", "ALF", FIX_MM_RANGE },
	{ "munlock", "AL", FIX_MM_RANGE },
	{ "mincore", "ALK", FIX_MM_RANGE },
	{ "remap_file_pages", "ALrOF", FIX_MM_RANGE },
	{ "mremap", "ALLFA", FIX_MREMAP },
	{ "brk", "A", FIX_BRK },
	{ "rt_sigaction", "skKz", FIX_SIGACTION },
	{ "sigaction", "skK", FIX_SIGACTION },
	{ "signal", "s*", FIX_SIGNAL },
	{ "rt_sigprocmask", "wSKz", FIX_NONE },
	{ "sigprocmask", "wkK", FIX_NONE },
	{ "rt_sigpending", "Kz", FIX_NONE },
	{ "sigpending", "K", FIX_NONE },
	{ "rt_sigsuspend", "Sz", FIX_NONE },
	{ "rt_sigtimedwait", "SKtz", FIX_NONE },
	{ "rt_sigtimedwait_time64", "SKtz", FIX_NONE },
	{ "rt_sigqueueinfo", "xsk", FIX_KILL },
	{ "rt_tgsigqueueinfo", "xxsk", FIX_TGKILL },
	{ "rt_sigreturn", "", FIX_SIGRETURN },
	{ "sigreturn", "", FIX_SIGRETURN },
	{ "sigaltstack", "kK", FIX_NONE },
	{ "ioctl", "f**", FIX_IOCTL },
	{ "pread64", "folO", FIX_NONE },
	{ "pwrite64", "filO", FIX_NONE },
	{ "readv", "fvc", FIX_NONE },
	{ "writev", "fvc", FIX_NONE },
	{ "preadv", "fvcOO", FIX_NONE },
	{ "pwritev", "fvcOO", FIX_NONE },
	{ "preadv2", "fvcOOF", FIX_NONE },
	{ "pwritev2", "fvcOOF", FIX_NONE },
	{ "access", "pm", FIX_NONE },
	{ "faccessat", "dpm", FIX_NONE },
	{ "faccessat2", "dpmF", FIX_NONE },
	{ "pipe", "K", FIX_PIPE },
	{ "pipe2", "KF", FIX_PIPE },
	{ "sched_yield", "", FIX_NONE },
	{ "dup", "f", FIX_RETURNS_FD },
	{ "dup2", "ff", FIX_RETURNS_FD },
	{ "dup3", "ffF", FIX_RETURNS_FD },
	{ "pause", "", FIX_NONE },
	{ "nanosleep", "tK", FIX_NONE },
	{ "clock_nanosleep", "WFtK", FIX_NONE },
	{ "clock_nanosleep_time64", "WFtK", FIX_NONE },
	{ "getitimer", "wK", FIX_NONE },
	{ "setitimer", "wkK", FIX_NONE },
	{ "alarm", "n", FIX_NONE },
	{ "getpid", "", FIX_NONE },
	{ "fork", "", FIX_FORK },
	{ "vfork", "", FIX_FORK },
	{ "clone", "F*KK*", FIX_CLONE },
	{ "clone3", "kn", FIX_CLONE3 },
	{ "execve", "paa", FIX_EXEC },
	{ "execveat", "dpaaF", FIX_EXECAT },
	{ "exit", "n", FIX_EXIT },
	{ "exit_group", "n", FIX_EXIT },
	{ "wait4", "xKFK", FIX_NONE },
	{ "waitpid", "xKF", FIX_NONE },
	{ "waitid", "wxKFK", FIX_NONE },
	{ "kill", "xs", FIX_KILL },
	{ "tkill", "xs", FIX_KILL },
	{ "tgkill", "xxs", FIX_TGKILL },
	{ "uname", "K", FIX_NONE },
	{ "olduname", "K", FIX_NONE },
	{ "oldolduname", "K", FIX_NONE },
	{ "fcntl", "f**", FIX_FCNTL },
	{ "fcntl64", "f**", FIX_FCNTL },
	{ "flock", "fF", FIX_NONE },
	{ "fsync", "f", FIX_NONE },
	{ "fdatasync", "f", FIX_NONE },
	{ "syncfs", "f", FIX_NONE },
	{ "sync", "", FIX_NONE },
	{ "truncate", "pO", FIX_NONE },
	{ "ftruncate", "fO", FIX_NONE },
	{ "truncate64", "pOO", FIX_NONE },
	{ "ftruncate64", "fOO", FIX_NONE },
	{ "fallocate", "fwOO", FIX_NONE },
	{ "getdents", "fol", FIX_NONE },
	{ "getdents64", "fol", FIX_NONE },
	{ "readdir", "fKn", FIX_NONE },
	{ "getcwd", "ol", FIX_NONE },
	{ "chdir", "p", FIX_NONE },
	{ "fchdir", "f", FIX_NONE },
	{ "chroot", "p", FIX_NONE },
	{ "rename", "pp", FIX_NONE },
	{ "renameat", "dpdp", FIX_NONE },
	{ "renameat2", "dpdpF", FIX_NONE },
	{ "mkdir", "pm", FIX_NONE },
	{ "mkdirat", "dpm", FIX_NONE },
	{ "rmdir", "p", FIX_NONE },
	{ "link", "pp", FIX_NONE },
	{ "linkat", "dpdpF", FIX_NONE },
	{ "unlink", "p", FIX_NONE },
	{ "unlinkat", "dpF", FIX_NONE },
	{ "symlink", "pp", FIX_NONE },
	{ "symlinkat", "pdp", FIX_NONE },
	{ "readlink", "pol", FIX_NONE },
	{ "readlinkat", "dpol", FIX_NONE },
	{ "chmod", "pm", FIX_NONE },
	{ "fchmod", "fm", FIX_NONE },
	{ "fchmodat", "dpmF", FIX_NONE },
	{ "chown", "puu", FIX_NONE },
	{ "fchown", "fuu", FIX_NONE },
	{ "lchown", "puu", FIX_NONE },
	{ "chown32", "puu", FIX_NONE },
	{ "fchown32", "fuu", FIX_NONE },
	{ "lchown32", "puu", FIX_NONE },
	{ "fchownat", "dpuuF", FIX_NONE },
	{ "mknod", "pm*", FIX_MKNOD },
	{ "mknodat", "dpm*", FIX_MKNODAT },
	{ "umask", "m", FIX_NONE },
	{ "utime", "pk", FIX_NONE },
	{ "utimes", "pk", FIX_NONE },
	{ "futimesat", "dpk", FIX_NONE },
	{ "utimensat", "dpkF", FIX_NONE },
	{ "utimensat_time64", "dpkF", FIX_NONE },
	{ "gettimeofday", "KK", FIX_NONE },
	{ "settimeofday", "kk", FIX_NONE },
	{ "time", "K", FIX_NONE },
	{ "stime", "k", FIX_NONE },
	{ "clock_gettime", "WK", FIX_NONE },
	{ "clock_gettime64", "WK", FIX_NONE },
	{ "clock_settime", "Wk", FIX_NONE },
	{ "clock_settime64", "Wk", FIX_NONE },
	{ "clock_getres", "WK", FIX_NONE },
	{ "clock_getres_time64", "WK", FIX_NONE },
	{ "getrlimit", "nK", FIX_NONE },
	{ "ugetrlimit", "nK", FIX_NONE },
	{ "setrlimit", "nk", FIX_SETRLIMIT },
	{ "prlimit64", "xnkK", FIX_SELF_PID },
	{ "getrusage", "nK", FIX_NONE },
	{ "sysinfo", "K", FIX_NONE },
	{ "times", "K", FIX_NONE },
	{ "getppid", "", FIX_NONE },
	{ "getpgrp", "", FIX_NONE },
	{ "setsid", "", FIX_NONE },
	{ "getsid", "x", FIX_NONE },
	{ "setpgid", "xx", FIX_NONE },
	{ "getpgid", "x", FIX_NONE },
	{ "setuid", "u", FIX_NONE },
	{ "setgid", "u", FIX_NONE },
	{ "setuid32", "u", FIX_NONE },
	{ "setgid32", "u", FIX_NONE },
	{ "setreuid", "uu", FIX_NONE },
	{ "setregid", "uu", FIX_NONE },
	{ "setreuid32", "uu", FIX_NONE },
	{ "setregid32", "uu", FIX_NONE },
	{ "setresuid", "uuu", FIX_NONE },
	{ "setresgid", "uuu", FIX_NONE },
	{ "setresuid32", "uuu", FIX_NONE },
	{ "setresgid32", "uuu", FIX_NONE },
	{ "getresuid", "KKK", FIX_NONE },
	{ "getresgid", "KKK", FIX_NONE },
	{ "getresuid32", "KKK", FIX_NONE },
	{ "getresgid32", "KKK", FIX_NONE },
	{ "setfsuid", "u", FIX_NONE },
	{ "setfsgid", "u", FIX_NONE },
	{ "setfsuid32", "u", FIX_NONE },
	{ "setfsgid32", "u", FIX_NONE },
	{ "getgroups", "nK", FIX_NONE },
	{ "getgroups32", "nK", FIX_NONE },
	{ "setgroups", "nk", FIX_NONE },
	{ "setgroups32", "nk", FIX_NONE },
	{ "sched_getaffinity", "xnK", FIX_NONE },
	{ "sched_setaffinity", "xnk", FIX_SELF_PID },
	{ "sched_setscheduler", "xwk", FIX_SCHED_SET },
	{ "sched_setparam", "xk", FIX_SCHED_SET },
	{ "sched_setattr", "xkF", FIX_SCHED_SET },
	{ "setpriority", "wxn", FIX_SETPRIORITY },
	{ "nice", "n", FIX_NICE },
	{ "getpriority", "wx", FIX_NONE },
	{ "prctl", "*****", FIX_PRCTL },
	{ "arch_prctl", "**", FIX_ARCH_PRCTL },
	{ "set_thread_area", "k", FIX_SET_THREAD_AREA },
	{ "get_thread_area", "K", FIX_NONE },
	{ "set_tid_address", "K", FIX_NONE },
	{ "set_robust_list", "kn", FIX_NONE },
	{ "get_robust_list", "xKK", FIX_NONE },
	{ "getrandom", "olF", FIX_NONE },
	{ "sethostname", "il", FIX_NONE },
	{ "setdomainname", "il", FIX_NONE },
	{ "mount", "ppp**", FIX_MOUNT },
	{ "umount", "p", FIX_NONE },
	{ "umount2", "pF", FIX_NONE },
	{ "reboot", "****", FIX_REBOOT },
	{ "syslog", "wol", FIX_SYSLOG },
	{ "eventfd", "n", FIX_RETURNS_FD },
	{ "eventfd2", "nF", FIX_RETURNS_FD },
	{ "epoll_create", "n", FIX_RETURNS_FD },
	{ "epoll_create1", "F", FIX_RETURNS_FD },
	{ "epoll_ctl", "fwfk", FIX_NONE },
	{ "epoll_wait", "fKnn", FIX_NONE },
	{ "epoll_pwait", "fKnnSz", FIX_NONE },
	{ "memfd_create", "pF", FIX_RETURNS_FD },
	{ "signalfd4", "fSzF", FIX_RETURNS_FD },
	{ "signalfd", "fSz", FIX_RETURNS_FD },
	{ "timerfd_create", "WF", FIX_RETURNS_FD },
	{ "timerfd_settime", "fFkK", FIX_NONE },
	{ "timerfd_gettime", "fK", FIX_NONE },
	{ "inotify_init1", "F", FIX_RETURNS_FD },
	{ "inotify_add_watch", "fpF", FIX_NONE },
	{ "socket", "nnn", FIX_RETURNS_FD },
	{ "socketpair", "nnnK", FIX_PIPE },
	{ "sendfile", "ffKl", FIX_NONE },
	{ "sendfile64", "ffKl", FIX_NONE },
	{ "splice", "fKfKlF", FIX_NONE },
	{ "tee", "fflF", FIX_NONE },
	{ "copy_file_range", "fKfKlF", FIX_NONE },
	{ "getcpu", "KKK", FIX_NONE },
	{ "personality", "*", FIX_NONE },
	{ "pidfd_open", "xF", FIX_SELF_PID },
	{ "process_vm_readv", "xvcvcF", FIX_SELF_PID },
	{ "process_vm_writev", "xvcvcF", FIX_SELF_PID },
	{ "ptrace", "*x**", FIX_DENY },
	{ "swapon", "pF", FIX_DENY },
	{ "swapoff", "p", FIX_DENY },
	{ "kexec_load", "****", FIX_DENY },
	{ "kexec_file_load", "*****", FIX_DENY },
	{ "init_module", "il*", FIX_DENY },
	{ "finit_module", "f*F", FIX_DENY },
	{ "delete_module", "pF", FIX_DENY },
	{ "pivot_root", "pp", FIX_DENY },
	{ "acct", "p", FIX_DENY },
	{ "vm86", "**", FIX_DENY },
	{ "vm86old", "*", FIX_DENY },
	{ "iopl", "n", FIX_DENY },
	{ "ioperm", "***", FIX_DENY },
	{ "modify_ldt", "wkn", FIX_NONE },
};

/* Calls that would end the run or the machine if root made them. */
static const char *const root_denied[] = {
	"settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex",
	"clock_adjtime", "clock_adjtime64", "vhangup",
};

static const struct spec *
spec_of(const char *name)
{
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (!strcmp(specs[i].name, name))
			return &specs[i];
	return NULL;
}

unsigned int
calls_init(struct fz_call **out, bool root)
{
	size_t n = sizeof(fz_call_defs) / sizeof(fz_call_defs[0]);
	struct fz_call *c = calloc(n, sizeof(*c));
	unsigned int k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct fz_call_def *d = &fz_call_defs[i];
		const struct spec *s = spec_of(d->name);
		enum fixup fix = s ? s->fix : FIX_NONE;
		bool denied = fix == FIX_DENY;

		for (size_t j = 0; root && j < sizeof(root_denied) / sizeof(root_denied[0]); j++)
			if (!strcmp(root_denied[j], d->name))
				denied = true;
		if (denied)
			continue;
		c[k].nr = d->nr;
		c[k].name = d->name;
		c[k].implemented = d->implemented;
		c[k].spec = s ? s->args : "******";
#ifdef __i386__
		if (!strcmp(d->name, "mmap"))
			fix = FIX_OLD_MMAP;
#endif
		c[k].fixup = fix;
		/* Implemented calls often, the others (-ENOSYS at once) now and then. */
		c[k].weight = d->implemented ? 20 : 1;
		switch (fix) {
		case FIX_EXIT:
			c[k].weight = 1;	/* ends the thread or the worker */
			break;
		case FIX_FORK:
		case FIX_CLONE:
		case FIX_CLONE3:
		case FIX_EXEC:
		case FIX_EXECAT:
		case FIX_SIGRETURN:
			if (d->implemented)
				c[k].weight = 4;	/* slow: a process each */
			break;
		default:
			break;
		}
		k++;
	}
	*out = c;
	return k;
}

/* -------------------------------------------------------------- fix-ups */

/* Signalling these would hit init, the harness or everyone. */
static bool
harmful_pid(const struct fz_worker *w, long pid)
{
	return pid == -1 || pid == 1 || pid == w->harness || pid == -w->harness;
}

/* A pid that may be the target of a change: the worker's own kinds. */
static long
own_pid(struct fz_thread *t, long pid)
{
	if (harmful_pid(t->w, pid) || (pid > 0 && pid < 100 && pid != t->w->pid))
		return t->w->pid;
	return pid;
}

/* A clone exit signal that does not stop or kill the worker. */
static unsigned long
safe_exit_signal(unsigned long flags)
{
	unsigned long sig = flags & 0xff;

	if (sig == SIGKILL || sig == SIGSTOP || sig == FZ_WAKE_SIG)
		flags = (flags & ~0xffUL) | SIGCHLD;
	return flags;
}


/* The largest mapping a call may make succeed: memory is not unlimited. */
#define MAX_MAP		(16UL << 20)

static void
fix_mm_range(struct fz_thread *t, unsigned long *addr, unsigned long *len)
{
	struct fz_worker *w = t->w;

	if (!range_protected(w, *addr, *len))
		return;
	*addr = (unsigned long)w->play + FZ_PAGE * rng_below(&t->rng, PLAY_SIZE / FZ_PAGE);
	if (range_protected(w, *addr, *len))
		*len = FZ_PAGE * (1 + rng_below(&t->rng, 16));
	if (range_protected(w, *addr, *len))
		*len = FZ_PAGE;
}

static void
fix_map_len(struct fz_thread *t, unsigned long *len)
{
	/* Huge lengths fail; large ones that would succeed are capped. */
	if (*len > MAX_MAP && *len < (1UL << (sizeof(long) == 8 ? 40 : 31)) &&
	    !rng_one_in(&t->rng, 20))
		*len = MAX_MAP;
}

extern void fz_wake_handler(int sig);

/*
 * A handler the worker survives: SIG_DFL, SIG_IGN or a no-op function
 * (one time in ten the random one stays: the signal's delivery then
 * crashes the worker, which the harness counts and restarts).  glibc's
 * restorer with SA_RESTORER where the port uses one.  The kernel's
 * struct sigaction: handler, flags, restorer, mask; i386's old one:
 * handler, mask (one word), flags, restorer.
 */
static void
fix_sigaction(struct fz_thread *t, unsigned long *a, bool old_abi)
{
	const unsigned long sa_restorer = 0x04000000UL;
	unsigned int fi = old_abi ? 2 : 1, ri = old_abi ? 3 : 2;
	unsigned long *act;

	if ((long)a[0] == FZ_WAKE_SIG)
		a[0] = FZ_WAKE_SIG + 1;
	if (!arena_ptr(t, a[1], 4 * sizeof(long) + 8))
		return;
	act = (unsigned long *)a[1];
	switch (rng_below(&t->rng, 10)) {
	case 0: case 1: case 2: case 3:
		act[0] = rng_below(&t->rng, 2);		/* SIG_DFL, SIG_IGN */
		break;
	case 9:
		break;
	default:
		act[0] = (unsigned long)fz_wake_handler;
		break;
	}
	if (!rng_one_in(&t->rng, 10))
		act[fi] &= ~(unsigned long)SA_ONSTACK;
	if (rng_one_in(&t->rng, 10))
		return;				/* flags and restorer as drawn */
	if (t->w->restorer) {
		act[fi] |= sa_restorer;
		act[ri] = t->w->restorer;
	} else {
		act[fi] &= ~sa_restorer;
	}
}

static const unsigned long fcntl_cmds[] = {
	F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK, F_SETLK, F_SETLKW, F_SETOWN,
	F_GETOWN, F_SETSIG, F_GETSIG, F_SETLEASE, F_GETLEASE, F_NOTIFY, F_DUPFD_CLOEXEC,
	F_SETPIPE_SZ, F_GETPIPE_SZ, F_ADD_SEALS, F_GET_SEALS, F_OFD_GETLK, F_OFD_SETLK,
	F_OFD_SETLKW, 12, 13, 14,
};

static const unsigned long ioctl_cmds[] = {
	0x5401, 0x5402, 0x5403, 0x5404, 0x5409, 0x540a, 0x540b, 0x540c, 0x540d, 0x540e,
	0x540f, 0x5410, 0x5413, 0x5414, 0x541b, 0x5421, 0x5422, 0x5423, 0x5424, 0x5429,
	0x5450, 0x5451, 0x5452, 0x80081272, 0x80086601, 0x40086602, 0x541c,
	0x80045430, 0x40045431,
};

static const unsigned long prctl_options[] = {
	1, 2, 3, 4, 7, 8, 15, 16, 22, 23, 24, 29, 30, 36, 37, 38, 39, 40, 41, 42, 0x53564d41,
};

static const char *const fstypes[] = {
	"tmpfs", "proc", "ramfs", "sysfs", "ext2", "vfat", "bogus", "", "tmpfs", "proc",
};

static const char *const mount_data[] = {
	"size=8m", "size=8m,mode=0700", "size=1k,nr_inodes=4", "size=8m,uid=4242,gid=4242",
	"size=8m,mode=01777", "size=50%", "hidepid=2", "size=8m,bogus", "nr_inodes=0,size=2m",
	"size=-1", "size=8m,size=9m", "mode=0", "size=8m,,,",
};

/* Major numbers a root worker must not make device nodes of. */
static bool
dangerous_dev(unsigned long dev)
{
	unsigned int maj = major((dev_t)dev), min = minor((dev_t)dev);

	return (maj == 1 && min != 3 && min != 5 && min != 7 && min != 8 && min != 9) ||
	       maj == 4 || (maj == 5 && min != 0) || maj == 7 || maj == 8 || maj == 9 ||
	       maj == 10 || maj == 204 || maj == 229 || (maj >= 250 && maj <= 260);
}

static void
fix_dev(struct fz_thread *t, unsigned long *dev)
{
	static const unsigned int ok[][2] = { { 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 },
					      { 5, 0 }, { 0, 0 }, { 300, 1 }, { 4095, 255 } };

	if (rng_one_in(&t->rng, 2)) {
		unsigned int i = (unsigned int)rng_below(&t->rng, sizeof(ok) / sizeof(ok[0]));

		*dev = (unsigned long)makedev(ok[i][0], ok[i][1]);
	}
	if (t->w->root && dangerous_dev(*dev))
		*dev = (unsigned long)makedev(1, 3);
}

/*
 * Adjust the arguments of c; false: do not make the call (it is done some
 * other way, or not at all).
 */
static bool
fix_args(struct fz_thread *t, const struct fz_call *c, unsigned long *a)
{
	struct fz_worker *w = t->w;

	switch (c->fixup) {
	case FIX_KILL:
		if (harmful_pid(w, (long)a[0]))
			a[0] = (unsigned long)(long)w->pid;
		if (!strcmp(c->name, "tkill") && rng_one_in(&t->rng, 2))
			a[0] = (unsigned long)RAW0(SYS_gettid);
		return true;
	case FIX_TGKILL:
		if (harmful_pid(w, (long)a[0]))
			a[0] = (unsigned long)(long)w->pid;
		if (harmful_pid(w, (long)a[1]) || rng_one_in(&t->rng, 2))
			a[1] = (unsigned long)RAW0(SYS_gettid);
		return true;
	case FIX_SELF_PID:
		a[0] = (unsigned long)own_pid(t, (long)a[0]);
		return true;
	case FIX_SETPRIORITY:
		if (a[0] == 2 /* PRIO_USER */ && (a[1] == 0 || (uint32_t)a[1] == 0))
			a[1] = FZ_UID;
		else
			a[1] = (unsigned long)own_pid(t, (long)a[1]);
		if ((long)a[2] < 0 && w->root)
			a[2] = (unsigned long)-(long)a[2];	/* never above the harness */
		return true;
	case FIX_NICE:
		if ((long)a[0] < 0 && w->root)
			a[0] = (unsigned long)-(long)a[0];
		return true;
	case FIX_SCHED_SET:
		a[0] = (unsigned long)own_pid(t, (long)a[0]);
		if (!strcmp(c->name, "sched_setscheduler") && (a[1] == 1 || a[1] == 2 || a[1] == 6))
			a[1] = 0;	/* no real-time policy that would starve the harness */
		if (!strcmp(c->name, "sched_setattr") && arena_ptr(t, a[1], 16))
			((uint32_t *)a[1])[1] = (uint32_t)rng_below(&t->rng, 2) * 3;
		return true;
	case FIX_SETRLIMIT:
		return true;
	case FIX_FORK:
	case FIX_CLONE:
		if (c->fixup == FIX_CLONE)
			a[0] = safe_exit_signal(a[0]);
		return true;
	case FIX_CLONE3:
		if (arena_ptr(t, a[0], 88)) {
			uint64_t *ca = (uint64_t *)a[0];

			ca[0] = safe_exit_signal(ca[0]) & ~0xffULL;	/* flags: no signal here */
			if (ca[4] == SIGKILL || ca[4] == SIGSTOP || ca[4] == FZ_WAKE_SIG)
				ca[4] = SIGCHLD;
			if (rng_one_in(&t->rng, 2))
				a[1] = 88;
		}
		return true;
	case FIX_EXEC:
	case FIX_EXECAT: {
		/* Only what cannot succeed: no real program ever runs. */
		static const char *const never[] = { "/dev/null", "/proc/self/status", "/",
						     "/no/such/program" };
		unsigned int i = c->fixup == FIX_EXEC ? 0 : 1;

		switch (rng_below(&t->rng, 3)) {
		case 0:
			a[i] = 0;
			break;
		case 1:
			a[i] = (unsigned long)w->kaddrs[rng_below(&t->rng, w->nkaddrs)];
			break;
		default:
			a[i] = (unsigned long)never[rng_below(&t->rng, 4)];
			break;
		}
		if (c->fixup == FIX_EXECAT)
			a[0] = (unsigned long)(long)AT_FDCWD;
		if (c->fixup == FIX_EXECAT && (a[4] & AT_EMPTY_PATH))
			a[4] &= ~(unsigned long)AT_EMPTY_PATH;	/* the fd could be anything */
		return true;
	}
	case FIX_EXIT:
		return true;
	case FIX_SIGACTION:
		fix_sigaction(t, a, !strcmp(c->name, "sigaction"));
		return true;
	case FIX_SIGNAL:
		if ((long)a[0] == FZ_WAKE_SIG)
			a[0] = FZ_WAKE_SIG + 1;
		a[1] = rng_below(&t->rng, 2);	/* SIG_DFL or SIG_IGN */
		return true;
	case FIX_SIGRETURN:
		return true;
	case FIX_MMAP:
		fix_map_len(t, &a[1]);
		if (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE))
			fix_mm_range(t, &a[0], &a[1]);
		if ((a[3] & (MAP_POPULATE | MAP_LOCKED)) && a[1] > MAX_MAP)
			a[3] &= ~(unsigned long)(MAP_POPULATE | MAP_LOCKED);
		return true;
	case FIX_OLD_MMAP: {
		/* i386's old mmap: the six arguments in a structure. */
		unsigned long *m = arena_alloc(t, 6 * sizeof(long), sizeof(long));

		m[0] = a[0];
		m[1] = a[1];
		m[2] = a[2];
		m[3] = a[3];
		m[4] = a[4];
		m[5] = a[5];
		fix_map_len(t, &m[1]);
		if (m[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE))
			fix_mm_range(t, &m[0], &m[1]);
		if ((m[3] & (MAP_POPULATE | MAP_LOCKED)) && m[1] > MAX_MAP)
			m[3] &= ~(unsigned long)(MAP_POPULATE | MAP_LOCKED);
		if (rng_below(&t->rng, 8))
			a[0] = (unsigned long)m;
		return true;
	}
	case FIX_MM_RANGE:
		fix_mm_range(t, &a[0], &a[1]);
		return true;
	case FIX_MREMAP:
		fix_mm_range(t, &a[0], &a[1]);
		fix_map_len(t, &a[2]);
		if (a[3] & 2 /* MREMAP_FIXED */)
			fix_mm_range(t, &a[4], &a[2]);
		if (a[3] & 4 /* MREMAP_DONTUNMAP */)
			fix_mm_range(t, &a[0], &a[2]);
		return true;
	case FIX_BRK:
		if (a[0] && (a[0] < w->brk_start || a[0] > w->brk_start + MAX_MAP))
			a[0] = w->brk_start + FZ_PAGE * rng_below(&t->rng, MAX_MAP / FZ_PAGE);
		return true;
	case FIX_ARCH_PRCTL:
		if (rng_below(&t->rng, 4)) {
			static const unsigned long codes[] = { 0x1001, 0x1002, 0x1003, 0x1004,
							       0x1011, 0x1012, 0x2001, 0x3001 };

			a[0] = codes[rng_below(&t->rng, sizeof(codes) / sizeof(codes[0]))];
		}
		if (a[0] == 0x1012 /* ARCH_SET_CPUID */)
			a[1] = 1;
		return true;
	case FIX_SET_THREAD_AREA:
		if (arena_ptr(t, a[0], 16)) {
			int *ud = (int *)a[0];

			if (rng_below(&t->rng, 4))
				ud[0] = rng_one_in(&t->rng, 2) ? -1 : 6 + (int)rng_below(&t->rng, 4);
			if (ud[0] == (int)w->fs_base)
				ud[0] = -1;	/* not the entry glibc's %gs uses */
		}
		return true;
	case FIX_PRCTL:
		if (rng_below(&t->rng, 4))
			a[0] = prctl_options[rng_below(&t->rng, sizeof(prctl_options) / sizeof(long))];
		if (a[0] == 35 /* PR_SET_MM */ || a[0] == 57 /* PR_SET_SYSCALL_USER_DISPATCH */)
			a[0] = 16;
		if (a[0] == 1 /* PR_SET_PDEATHSIG */ && (a[1] == SIGKILL || a[1] == SIGSTOP))
			a[1] = 0;
		return true;
	case FIX_REBOOT:
		if (w->root || a[0] == 0xfee1deadUL)
			a[0] = 0xfee1deadUL ^ 1;	/* never the real magic */
		return true;
	case FIX_MOUNT:
		if (rng_below(&t->rng, 8)) {
			const char *fs = fstypes[rng_below(&t->rng, sizeof(fstypes) / sizeof(fstypes[0]))];
			char *s = arena_alloc(t, 16, 1);

			strcpy(s, fs);
			a[2] = (unsigned long)s;
		}
		if (rng_below(&t->rng, 4)) {
			const char *d = mount_data[rng_below(&t->rng, sizeof(mount_data) / sizeof(mount_data[0]))];
			char *s = arena_alloc(t, 64, 1);

			strcpy(s, d);
			a[4] = (unsigned long)s;
		}
		if (rng_below(&t->rng, 3))
			a[3] &= 0xffffff;	/* MS_* bits */
		/* A root worker never mounts devtmpfs: the console's node is there. */
		if (w->root && arena_ptr(t, a[2], 16))
			((char *)a[2])[15] = '\0';
		if (w->root && (!arena_ptr(t, a[2], 16) || strstr((char *)a[2], "dev")))
			a[2] = (unsigned long)"tmpfs";
		return true;
	case FIX_MKNOD:
		fix_dev(t, &a[2]);
		return true;
	case FIX_MKNODAT:
		fix_dev(t, &a[3]);
		return true;
	case FIX_SYSLOG:
		if (w->root && (a[0] == 6 || a[0] == 7 || a[0] == 8))
			a[0] = 10;	/* never silence the console */
		return true;
	case FIX_CLOSE_RANGE:
		if ((unsigned int)a[0] >= FZ_FD_RESERVED)
			return false;
		if ((unsigned int)a[1] >= FZ_FD_RESERVED)
			a[1] = FZ_FD_RESERVED - 1;
		return true;
	case FIX_FCNTL:
		if (rng_below(&t->rng, 8))
			a[1] = fcntl_cmds[rng_below(&t->rng, sizeof(fcntl_cmds) / sizeof(long))];
		if (a[1] == F_SETOWN || a[1] == 15 /* F_SETOWN_EX */)
			a[2] = (unsigned long)own_pid(t, (long)a[2]);
		if (a[1] == F_SETSIG && (a[2] == SIGKILL || a[2] == SIGSTOP))
			a[2] = 0;
		if ((a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC) && a[2] >= FZ_FD_RESERVED &&
		    a[2] < 1024)
			a[2] -= 600;
		if ((a[1] >= F_GETLK && a[1] <= F_SETLKW) || (a[1] >= 12 && a[1] <= 14) ||
		    (a[1] >= F_OFD_GETLK && a[1] <= F_OFD_SETLKW)) {
			if (rng_below(&t->rng, 4)) {
				short *fl = arena_alloc(t, 64, 8);

				memset(fl, 0, 64);
				fl[0] = (short)rng_below(&t->rng, 4);	/* l_type */
				fl[1] = (short)rng_below(&t->rng, 4);	/* l_whence */
				((long *)fl)[1] = (long)rng_below(&t->rng, 8192);
				((long *)fl)[2] = (long)rng_below(&t->rng, 8192);
				a[2] = (unsigned long)fl;
			}
		}
		return true;
	case FIX_IOCTL:
		if (rng_below(&t->rng, 4))
			a[1] = ioctl_cmds[rng_below(&t->rng, sizeof(ioctl_cmds) / sizeof(long))];
		if (a[1] == 0x5412 /* TIOCSTI */)
			a[1] = 0x541b;
		return true;
	case FIX_PSELECT:
		if (arena_ptr(t, a[5], 2 * sizeof(long))) {
			unsigned long *ss = (unsigned long *)a[5];
			uint64_t *set = arena_alloc(t, 16, 8);

			set[0] = rng_next(&t->rng) & ~(1ULL << (FZ_WAKE_SIG - 1));
			ss[0] = rng_one_in(&t->rng, 6) ? gen_any(t) : (unsigned long)set;
			ss[1] = rng_one_in(&t->rng, 6) ? gen_any(t) : 8;
			if (ss[0] != (unsigned long)set && range_protected(w, ss[0], 8) &&
			    !arena_ptr(t, ss[0], 8))
				ss[0] = (unsigned long)set;
		}
		return true;
	default:
		return true;
	}
}

/* ---------------------------------------------------------------- issue */

/*
 * rt_sigreturn with random bytes where the frame should be, in a child
 * of its own: the kernel must refuse or contain whatever it finds there
 * (a privileged processor state, kernel selectors, a bad magic).
 */
extern void fz_sigreturn_jump(void *sp, long nr) __attribute__((noreturn));

static long
sigreturn_probe(struct fz_thread *t, const struct fz_call *c)
{
	int ready[2];
	long pid, r;
	char byte;

	if (RAW2(SYS_pipe2, ready, O_CLOEXEC) < 0)
		return -1;
	pid = fz_syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0) {
		unsigned long *frame = (unsigned long *)(t->arena + ARENA_PART / 2);

		for (size_t i = 0; i < 1024; i++)
			frame[i] = rng_one_in(&t->rng, 4) ? gen_any(t) : (unsigned long)rng_next(&t->rng);
		RAW1(SYS_close, ready[0]);
		RAW3(SYS_write, ready[1], "x", 1);
		fz_sigreturn_jump(frame + 16, c->nr);
	}
	RAW1(SYS_close, ready[1]);
	if (pid > 0) {
		RAW3(SYS_read, ready[0], &byte, 1);
		for (int i = 0; i < 3; i++)
			RAW0(SYS_sched_yield);
		RAW2(SYS_kill, pid, SIGKILL);
		r = RAW4(SYS_wait4, pid, 0, __WALL, 0);
		(void)r;
	}
	RAW1(SYS_close, ready[0]);
	return pid;
}

void
call_one(struct fz_thread *t)
{
	struct fz_worker *w = t->w;
	const struct fz_call *c;
	struct fz_call any;
	unsigned long a[FZ_NARGS];
	uint64_t total = 0, pick;
	long ret;

	/* Draw a call: by weight, or now and then a number from nowhere. */
	if (rng_one_in(&t->rng, 100)) {
		any.nr = rng_one_in(&t->rng, 2) ? (int)rng_below(&t->rng, 1100) :
						 (int)rng_next(&t->rng);
		any.name = "?";
		any.implemented = false;
		any.spec = "******";
		any.fixup = FIX_DENY;
		any.weight = 0;
		for (unsigned int i = 0; i < w->ncalls; i++)
			if (w->calls[i].nr == any.nr)
				any.nr = -1 - any.nr;	/* known ones come from the table */
		c = &any;
	} else {
		for (unsigned int i = 0; i < w->ncalls; i++)
			total += w->calls[i].weight;
		pick = rng_below(&t->rng, total);
		c = &w->calls[0];
		for (unsigned int i = 0; i < w->ncalls; i++) {
			if (pick < w->calls[i].weight) {
				c = &w->calls[i];
				break;
			}
			pick -= w->calls[i].weight;
		}
	}

	arena_reset(t);
	for (unsigned int i = 0; i < FZ_NARGS; i++)
		a[i] = c->spec[i] == 'l' ? gen_length(t) : 0;
	for (unsigned int i = 0; i < FZ_NARGS; i++) {
		char kind = i < strlen(c->spec) ? c->spec[i] : '*';

		if (kind != 'l')
			a[i] = gen_arg(t, c, kind, a, i);
		a[i] = sanitize_value(t, a[i]);
	}
	if (c->fixup == FIX_DENY && c != &any)
		return;
	if (!fix_args(t, c, a))
		return;

	t->slot->nr = c->nr;
	for (unsigned int i = 0; i < FZ_NARGS; i++)
		t->slot->args[i] = a[i];
	__atomic_fetch_add(&t->slot->seq, 1, __ATOMIC_SEQ_CST);
	if (w->o->verbose)
		log_call(t, c, a, 0x7eadbeef);

	switch (c->fixup) {
	case FIX_FORK:
	case FIX_CLONE:
	case FIX_CLONE3:
		ret = fz_syscall_fork(c->nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
				      (long)a[4], (long)a[5]);
		note_child(w, ret);
		break;
	case FIX_SIGRETURN:
		ret = sigreturn_probe(t, c);
		break;
	case FIX_EXIT:
		t->slot->finished = 1;
		/* fallthrough */
	default:
		ret = fz_syscall(c->nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
				 (long)a[5]);
		break;
	}

	t->slot->ret = ret;
	__atomic_fetch_add(&t->slot->seq, 1, __ATOMIC_SEQ_CST);
	if (c->nr >= 0 && c->nr < FZ_STAT_NR) {
		__atomic_fetch_add(&w->sh->made[c->nr], 1, __ATOMIC_RELAXED);
		if (ret >= 0 || ret < -4095)
			__atomic_fetch_add(&w->sh->succeeded[c->nr], 1, __ATOMIC_RELAXED);
	}
	if (w->o->verbose)
		log_call(t, c, a, ret);

	switch (c->fixup) {
	case FIX_EXIT:
		t->slot->finished = 0;	/* it failed */
		break;
	case FIX_RETURNS_FD:
		note_fd(w, ret);
		break;
	case FIX_FCNTL:
		if (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC)
			note_fd(w, ret);
		break;
	case FIX_PIPE:
		if (ret == 0 && arena_ptr(t, a[c->spec[0] == 'K' ? 0 : 3], 8)) {
			int *fds = (int *)a[c->spec[0] == 'K' ? 0 : 3];

			note_fd(w, fds[0]);
			note_fd(w, fds[1]);
		}
		break;
	case FIX_MMAP:
	case FIX_OLD_MMAP:
	case FIX_MREMAP:
		if (ret != -1 && (ret > 0 || ret < -4095))
			note_map(w, ret);
		break;
	case FIX_ARCH_PRCTL:
#ifdef __x86_64__
		if (a[0] == 0x1002 /* ARCH_SET_FS */)
			RAW2(SYS_arch_prctl, 0x1002, w->fs_base);
#endif
		break;
	case FIX_SET_THREAD_AREA:
#ifdef __i386__
		/* A kernel with one TLS slot hands out glibc's for -1: put it back. */
		if (ret == 0) {
			unsigned int sel = (unsigned int)w->fs_base * 8 + 3;

			RAW1(SYS_set_thread_area, w->tls_desc);
			/* The return may have nulled %gs (the slot was emptied): reload it. */
			__asm__ volatile("movl %0, %%gs" :: "r"(sel));
		}
#endif
		break;
	default:
		break;
	}
	if (c->implemented)
		guard_check(t, c->name);
	t->slot->calls++;
}
