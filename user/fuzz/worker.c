/*
 * A worker: one process (forked by the harness) that makes random system
 * calls from up to FZ_MAX_THREADS threads (CLONE_THREAD where the kernel
 * has it, else processes) until its generation's budget is spent.
 *
 * Set-up, in order: its own session; every signal it could send itself
 * ignored (SIGKILL and SIGSTOP aside), the wake signal's no-op handler;
 * its scratch directory with files, directories, symlinks and a FIFO;
 * the sentinel descriptors and its log at FZ_FD_RESERVED and up; the
 * memory of worker.h; the path and descriptor pools; the protected
 * ranges (everything mapped by then); then it drops to FZ_UID (or, for a
 * root worker, chroots into its directory) and starts its threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

#define STACK_SIZE	(128 * 1024)

extern uintptr_t sentinel_top_page;

static struct fz_worker worker;
static struct fz_thread threads[FZ_MAX_THREADS];
static int thread_pids[FZ_MAX_THREADS];	/* processes standing in for threads */

void
fz_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	RAW3(SYS_write, FZ_FD_LOG, line, n);
}

void
fz_wake_handler(int sig)
{
	(void)sig;
}

static __attribute__((noreturn)) void
die(const char *what)
{
	fz_log("# worker %u: set-up failed: %s: %s", worker.index, what, strerror(errno));
	worker.sh->setup_failed = 1;
	_exit(3);
}

/* ------------------------------------------------------------- logging */

void
log_call(struct fz_thread *t, const struct fz_call *c, const unsigned long *a, long ret)
{
	char args[200];
	int n = 0;

	for (unsigned int i = 0; i < FZ_NARGS && n < (int)sizeof(args); i++)
		n += snprintf(args + n, sizeof(args) - n, "%s%#lx", i ? ", " : "", a[i]);
	if (ret == 0x7eadbeef)
		fz_log("# w%u.%u #%llu %s/%d(%s) ...", t->w->index, t->index,
		       (unsigned long long)t->slot->calls, c->name, c->nr, args);
	else
		fz_log("# w%u.%u #%llu %s/%d(%s) = %ld", t->w->index, t->index,
		       (unsigned long long)t->slot->calls, c->name, c->nr, args, ret);
}

/* --------------------------------------------------------------- memory */

static void *
map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void
setup_memory(struct fz_worker *w, struct fz_rng *rng)
{
	char *spec;

	/* The arena: a part per thread, each followed by a PROT_NONE page. */
	w->arena = map(FZ_MAX_THREADS * (ARENA_PART + FZ_PAGE), PROT_READ | PROT_WRITE);
	for (unsigned int i = 0; i < FZ_MAX_THREADS; i++)
		mprotect(w->arena + i * (ARENA_PART + FZ_PAGE) + ARENA_PART, FZ_PAGE, PROT_NONE);

	/* Specials: read-only, PROT_NONE, edge (RW then PROT_NONE), hole, a last page. */
	spec = map(6 * FZ_PAGE, PROT_READ | PROT_WRITE);
	memset(spec, 0x41, 6 * FZ_PAGE);
	w->ro_page = spec;
	w->none_page = spec + FZ_PAGE;
	w->edge_page = spec + 2 * FZ_PAGE;
	w->hole = spec + 4 * FZ_PAGE;
	mprotect(w->ro_page, FZ_PAGE, PROT_READ);
	mprotect(w->none_page, FZ_PAGE, PROT_NONE);
	mprotect(spec + 3 * FZ_PAGE, FZ_PAGE, PROT_NONE);
	/* The hole is unmapped last (make_hole): the worker's own mappings must not fill it. */

	/* Strings: the path pool; its last bytes run into a PROT_NONE page. */
	w->strings = map(STRINGS_SIZE + FZ_PAGE, PROT_READ | PROT_WRITE);
	mprotect(w->strings + STRINGS_SIZE, FZ_PAGE, PROT_NONE);
	memset(w->strings + STRINGS_SIZE - 64, 'z', 64);
	w->bad_string = w->strings + STRINGS_SIZE - 64;

	/* The canary and what it must stay equal to. */
	w->canary = map(FZ_PAGE, PROT_READ | PROT_WRITE);
	w->canary_copy = map(FZ_PAGE, PROT_READ | PROT_WRITE);
	for (size_t i = 0; i < FZ_PAGE; i++)
		w->canary[i] = w->canary_copy[i] = (unsigned char)rng_next(rng);
	canary_init(w);

	/* The playground: fuzzed memory calls may do anything here. */
	w->play = map(PLAY_SIZE, PROT_NONE);

	/* The last page of user space, for buffers running into the kernel's. */
	{
#if defined(__aarch64__)
		uintptr_t top = 1UL << 48;
#elif defined(__x86_64__)
		uintptr_t top = 0x800000000000UL;
#else
		uintptr_t top = 0xc0000000UL;
#endif
		void *p = mmap((void *)(top - FZ_PAGE), FZ_PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p == (void *)(top - FZ_PAGE)) {
			memset(p, 'A', FZ_PAGE);	/* no NUL: a path here runs into the kernel */
			sentinel_top_page = (uintptr_t)p;
		}
		else if (p != MAP_FAILED)
			munmap(p, FZ_PAGE);
	}
}

/* Unmap the hole now that the worker maps nothing more of its own. */
static void
make_hole(struct fz_worker *w)
{
	munmap(w->hole, FZ_PAGE);
}

/* Every mapping there is now, merged: what fuzzed memory calls avoid. */
static void
protect_all_mappings(struct fz_worker *w)
{
	char buf[8192];
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t len = 0;
	ssize_t n;
	char *line;

	if (fd < 0)
		die("/proc/self/maps");
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	w->nprot = 0;
	for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || w->nprot >= MAX_PROT)
			continue;
		if ((char *)lo == w->play)
			continue;		/* the playground is fair game */
		if (w->nprot && w->prot[w->nprot - 1].hi == lo)
			w->prot[w->nprot - 1].hi = hi;
		else
			w->prot[w->nprot++] = (struct fz_range){ lo, hi };
	}
	/* The hole stays a hole: nothing may be mapped into it. */
	if (w->nprot < MAX_PROT)
		w->prot[w->nprot++] = (struct fz_range){ (uintptr_t)w->hole,
							 (uintptr_t)w->hole + FZ_PAGE };
	/* And the heap may grow: keep brk's next megabytes out of MAP_FIXED too. */
	if (w->nprot < MAX_PROT)
		w->prot[w->nprot++] = (struct fz_range){ w->brk_start, w->brk_start + (16UL << 20) };
}

/* ---------------------------------------------------------------- files */

/* snprintf into a PATH_MAX buffer; paths here are short (truncation is fine). */
static __attribute__((noinline, format(printf, 2, 3))) char *
pathf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return buf;
}

static const char *
add_string(struct fz_worker *w, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p;

	if (w->strings_used + len > STRINGS_SIZE - 128)
		return "";
	p = w->strings + w->strings_used;
	memcpy(p, s, len);
	w->strings_used += len;
	return p;
}

static void
add_path(struct fz_worker *w, const char *s)
{
	if (w->npaths < MAX_PATHS)
		w->paths[w->npaths++] = add_string(w, s);
}

static void
write_file(const char *path, size_t len, off_t at, mode_t mode)
{
	char buf[4096];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die(path);
	memset(buf, 'k', sizeof(buf));
	memcpy(buf, "not a program\n", 14);
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		if (pwrite(fd, buf, n, at) != (ssize_t)n)
			die("pwrite");
		at += (off_t)n;
		len -= n;
	}
	fchmod(fd, mode);
	close(fd);
}

/*
 * The scratch directory's contents, made as root and given to the
 * worker's uid; dir is the directory's real path, name how the worker
 * will name it (the same, or "" for a root worker chrooted into it).
 */
static void
setup_files(struct fz_worker *w, const char *dir, const char *name, const char *shared)
{
	static const char *const files[] = { "f0", "f1", "f2", "f3", "d0", "d0/f", "d1", "l0", "l1",
					     "l2", "l3", "l4", "p0", "x" };
	static const char *const sys[] = {
		"/", "/proc/self/status", "/proc/self/maps", "/proc/self/fd", "/proc/meminfo",
		"/proc/self/stat", "/proc/self/cmdline", "/proc/1/stat", "/proc", "/proc/self",
		"/proc/self/fd/0", "/proc/self/cwd", "/proc/mounts", "/dev/null", "/dev/zero",
		"/dev/full", "/dev/urandom", "/dev/tty", "/dev", "/etc/passwd", "/sys",
	};
	char p[PATH_MAX], q[PATH_MAX];
	char longname[300];

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		die(dir);
#define P(fmt, ...) pathf(p, fmt, __VA_ARGS__)
	write_file(P("%s/f0", dir), 4096, 0, 0644);
	write_file(P("%s/f1", dir), 0, 0, 0600);
	write_file(P("%s/f2", dir), 100, 1 << 20, 0666);
	write_file(P("%s/f3", dir), 10, 0, 0);
	mkdir(P("%s/d0", dir), 0755);
	write_file(P("%s/d0/f", dir), 10, 0, 0644);
	mkdir(P("%s/d1", dir), 0700);
	mkdir(P("%s/x", dir), 0);
	symlink("f0", P("%s/l0", dir));
	symlink("nowhere", P("%s/l1", dir));
	symlink("l2", P("%s/l2", dir));
	symlink("d0", P("%s/l3", dir));
	symlink("/", P("%s/l4", dir));
	mkfifo(P("%s/p0", dir), 0666);
	write_file(P("%s/.sentinel", dir), 4096, 0, 0600);
	symlink(".sentinel", P("%s/.sentinel-link", dir));
	if (w->root) {
		mkdir(P("%s/dev", dir), 0755);
		mknod(P("%s/dev/null", dir), S_IFCHR | 0666, makedev(1, 3));
		mknod(P("%s/dev/zero", dir), S_IFCHR | 0666, makedev(1, 5));
		mknod(P("%s/dev/full", dir), S_IFCHR | 0666, makedev(1, 7));
		mknod(P("%s/dev/urandom", dir), S_IFCHR | 0666, makedev(1, 9));
		mknod(P("%s/dev/tty", dir), S_IFCHR | 0666, makedev(5, 0));
		mkdir(P("%s/etc", dir), 0755);
		write_file(P("%s/etc/passwd", dir), 30, 0, 0644);
		mkdir(P("%s/proc", dir), 0555);
		if (mount("proc", P("%s/proc", dir), "proc", 0, NULL) < 0)
			fz_log("# worker %u: proc in the chroot: %s", w->index, strerror(errno));
	} else {
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			lchown(P("%s/%s", dir, files[i]), FZ_UID, FZ_GID);
		lchown(dir, FZ_UID, FZ_GID);
		lchown(P("%s/.sentinel", dir), FZ_UID, FZ_GID);
		lchown(P("%s/.sentinel-link", dir), FZ_UID, FZ_GID);
	}
#undef P

	/* The path pool: its own entries, new names, the shared directory, odd strings. */
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		pathf(p, "%s/%s", name, files[i]);
		add_path(w, p);
	}
	add_path(w, *name ? name : "/");
	for (int i = 0; i < 12; i++) {
		pathf(p, "%s/n%d", name, i);
		add_path(w, p);
		if (i < 4) {
			pathf(p, "%s/d0/n%d", name, i);
			add_path(w, p);
		}
	}
	if (shared) {
		for (int i = 0; i < 8; i++) {
			pathf(p, "%s/s%d", shared, i);
			add_path(w, p);
		}
	}
	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
		add_path(w, sys[i]);
	add_path(w, "");
	add_path(w, ".");
	add_path(w, "..");
	add_path(w, "n0");
	add_path(w, "f0");
	pathf(p, "%s/f0/", name);
	add_path(w, p);
	pathf(p, "%s/l3/f", name);
	add_path(w, p);
	pathf(p, "%s/d0/../d0/./f", name);
	add_path(w, p);
	pathf(p, "%s//d1///", name);
	add_path(w, p);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	pathf(p, "%s/%s", name, longname);
	add_path(w, p);				/* ENAMETOOLONG */
	memset(q, 'b', sizeof(q) - 1);
	q[sizeof(q) - 1] = '\0';
	for (size_t i = 100; i < sizeof(q) - 1; i += 100)
		q[i] = '/';
	add_path(w, q);				/* longer than PATH_MAX */
	add_path(w, "\xff\xfe/\x01\x7f");
}

/* --------------------------------------------------------------- fd pool */

static int
kind_fd_open(struct fz_worker *w, enum fd_kind kind, unsigned int which)
{
	char p[PATH_MAX];
	const char *home = *w->home ? w->home : "";
	int fds[2];

	switch (kind) {
	case FDK_FILE: {
		static const char *const names[] = { "f0", "f2", "f1", "d0/f" };
		static const int flags[] = { O_RDWR, O_WRONLY | O_APPEND, O_RDONLY, O_RDWR | O_NONBLOCK };

		pathf(p, "%s/%s", home, names[which % 4]);
		return open(p, flags[which % 4]);
	}
	case FDK_DIR:
		pathf(p, "%s/%s", home, which % 2 ? "d0" : ".");
		return open(p, O_RDONLY | O_DIRECTORY);
	case FDK_PIPE_R:
	case FDK_PIPE_W:
		if (pipe2(fds, which % 2 ? O_NONBLOCK : 0) < 0)
			return -1;
		return kind == FDK_PIPE_R ? (close(fds[1]), fds[0]) : (close(fds[0]), fds[1]);
	case FDK_DEV: {
		static const char *const devs[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/urandom" };

		return open(devs[which % 4], O_RDWR);
	}
	case FDK_PROC: {
		static const char *const files[] = { "/proc/self/status", "/proc/meminfo",
						     "/proc/self/maps", "/proc" };

		return open(files[which % 4], O_RDONLY);
	}
	case FDK_FIFO:
		pathf(p, "%s/p0", home);
		return open(p, O_RDWR | O_NONBLOCK);
	case FDK_TTY:
		return open("/dev/tty", O_RDWR | O_NOCTTY | O_NONBLOCK);
	default:
		switch (which % 7) {
		case 0:
			return (int)RAW2(SYS_eventfd2, 0, 0);
		case 1:
			return (int)RAW1(SYS_epoll_create1, 0);
		case 2:
			return (int)RAW2(SYS_memfd_create, "fz", 0);
		case 3:
			return (int)RAW2(SYS_timerfd_create, CLOCK_MONOTONIC, 0);
		case 4:
			return (int)RAW1(SYS_inotify_init1, 0);
		case 5: {
			uint64_t mask = 1ULL << (SIGUSR1 - 1);

			return (int)RAW4(SYS_signalfd4, -1, &mask, 8, 0);
		}
		default:
			if (RAW4(SYS_socketpair, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, fds) < 0)
				return -1;
			return fds[0];
		}
	}
}

/* Fill the pool: a few descriptors of every kind that opens. */
static void
pool_fill(struct fz_worker *w)
{
	static const struct { enum fd_kind kind; unsigned int n; } want[] = {
		{ FDK_FILE, 4 }, { FDK_DIR, 2 }, { FDK_PIPE_R, 2 }, { FDK_PIPE_W, 2 }, { FDK_DEV, 4 },
		{ FDK_PROC, 4 }, { FDK_FIFO, 1 }, { FDK_TTY, 1 }, { FDK_OTHER, 7 },
	};
	unsigned int k = 0;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (unsigned int j = 0; j < want[i].n && k < MAX_FDS; j++) {
			int fd;

			if (k < w->nfds && w->fds[k] >= 0 && RAW2(SYS_fcntl, w->fds[k], F_GETFD) >= 0 &&
			    w->fd_kind[k] == want[i].kind) {
				k++;
				continue;	/* still open (perhaps as something else) */
			}
			fd = kind_fd_open(w, want[i].kind, j);
			if (fd < 0 || fd >= FZ_FD_RESERVED) {
				if (fd >= 0)
					close(fd);
				if (k >= w->nfds)
					continue;
				fd = -1;
			}
			w->fds[k] = fd;
			w->fd_kind[k] = want[i].kind;
			k++;
		}
	}
	if (k > w->nfds)
		w->nfds = k;
}

int
pool_fd(struct fz_thread *t, int kind)
{
	struct fz_worker *w = t->w;
	unsigned int start = (unsigned int)rng_below(&t->rng, w->nfds ? w->nfds : 1);

	for (unsigned int i = 0; i < w->nfds; i++) {
		unsigned int k = (start + i) % w->nfds;

		if ((kind < 0 || w->fd_kind[k] == (enum fd_kind)kind) && w->fds[k] >= 0)
			return w->fds[k];
	}
	return -1;
}

/* Sentinel descriptors (sentinel.c), above FZ_FD_RESERVED. */
static void
setup_sentinel_fds(const char *dir)
{
	char p[PATH_MAX];
	int fds[2];

	pathf(p, "%s/.sentinel", dir);
	if (dup2(open(p, O_RDWR), 990) < 0 || pipe2(fds, O_NONBLOCK) < 0 ||
	    dup2(fds[0], 991) < 0 || dup2(fds[1], 992) < 0 ||
	    dup2(open("/dev/zero", O_RDONLY), 993) < 0 || dup2(open("/dev/null", O_RDWR), 994) < 0 ||
	    dup2(open(dir, O_RDONLY | O_DIRECTORY), 995) < 0 ||
	    dup2(open(dir, O_RDONLY | O_DIRECTORY), FZ_FD_HOME) < 0)
		die("sentinel descriptors");
	/* The originals (low numbers) go: only the reserved copies stay. */
	for (int fd = 3; fd < 64; fd++)
		close(fd);
}

/* ------------------------------------------------------------- threads */

static void
reap_children(void)
{
	while (RAW4(SYS_wait4, -1, 0, WNOHANG | __WALL, 0) > 0)
		;
}

static void
thread_main(void *arg)
{
	struct fz_thread *t = arg;
	struct fz_worker *w = t->w;
	struct fz_shared *sh = w->sh;
	uint64_t n;

	t->slot->tid = (int)RAW0(SYS_gettid);
	if (t->index && !sh->threads_mode)
		RAW2(SYS_prctl, 1 /* PR_SET_PDEATHSIG */, SIGKILL);	/* dies with the worker */
	for (;;) {
		n = __atomic_fetch_add(&sh->done, 1, __ATOMIC_RELAXED);
		if (n >= sh->budget)
			break;
		if (rng_one_in(&t->rng, 16))
			sentinel_one(t);
		else
			call_one(t);
		canary_check(t);
		if (rng_one_in(&t->rng, 32)) {
			RAW1(SYS_fchdir, FZ_FD_HOME);
			if (t->index == 0) {
				reap_children();
				pool_fill(w);
			}
		}
	}
	canary_check(t);
	t->slot->finished = 1;
}

/* The initial stack of a thread: function and argument for fz_clone_thread. */
static void *
thread_stack(void (*fn)(void *), void *arg)
{
	char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	uintptr_t top, sp;

	if (stack == MAP_FAILED)
		return NULL;
	top = ((uintptr_t)stack + STACK_SIZE) & ~(uintptr_t)15;
	/* fz_clone_thread pops the function, then (i386: leaves on top) the argument. */
	sp = sizeof(void *) == 8 ? top - 16 : top - 20;
	((void **)sp)[0] = (void *)fn;
	((void **)sp)[1] = arg;
	return (void *)sp;
}

static void
start_threads(struct fz_worker *w, void **stacks)
{
	const unsigned long thread_flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
					   CLONE_THREAD | CLONE_SYSVSEM;
	unsigned int n = w->o->threads;
	bool threads_ok = true;

	for (unsigned int i = 1; i < n; i++) {
		long r = -EINVAL;

		w->sh->threads_mode = threads_ok;
		if (threads_ok)
			r = fz_clone_thread(thread_flags, stacks[i], NULL, NULL, 0);
		if (r < 0 && threads_ok) {
			threads_ok = false;
			w->sh->threads_mode = 0;
			if (w->gen == 0 && w->index == 0)	/* said once */
				fz_log("# no CLONE_THREAD (%ld): processes instead of threads", r);
		}
		if (r < 0)	/* a process on a copy of the stack */
			r = fz_clone_thread(SIGCHLD, stacks[i], NULL, NULL, 0);
		if (r < 0)
			fz_log("# worker %u: thread %u: clone: %ld", w->index, i, r);
		else if (!threads_ok)
			thread_pids[i] = (int)r;
	}
	w->sh->threads_mode = threads_ok;
}

/* ------------------------------------------------------------------ main */

static void
setup_signals(struct fz_worker *w)
{
	struct sigaction sa;
	struct {
		unsigned long handler, flags, restorer;
		uint64_t mask;
	} k;

	memset(&sa, 0, sizeof(sa));
	memset(&k, 0, sizeof(k));
	k.handler = (unsigned long)SIG_IGN;
	for (int sig = 1; sig < 65; sig++) {
		/*
		 * Faults still kill when ignored: only signals sent are ignored.
		 * Raw, for glibc's own 32 and 33 too.
		 */
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGCONT ||
		    sig == FZ_WAKE_SIG)
			continue;
		RAW4(SYS_rt_sigaction, sig, &k, 0, 8);
	}
	sa.sa_handler = fz_wake_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: a blocked call returns EINTR */
	sigaction(FZ_WAKE_SIG, &sa, NULL);
	sigprocmask(SIG_SETMASK, &sa.sa_mask, NULL);
	if (RAW4(SYS_rt_sigaction, FZ_WAKE_SIG, 0, &k, 8) == 0 && (k.flags & 0x04000000UL))
		w->restorer = k.restorer;
}

void
worker_main(const struct fz_options *o, struct fz_shared *sh, unsigned int index, uint64_t gen,
	    uint64_t seed, bool root)
{
	struct fz_worker *w = &worker;
	struct fz_rng setup_rng;
	char dir[PATH_MAX], shared[PATH_MAX], name[PATH_MAX];
	void *stacks[FZ_MAX_THREADS];
	int null;

	w->o = o;
	w->sh = sh;
	w->index = index;
	w->gen = gen;
	w->root = root;
	w->pid = getpid();
	w->harness = getppid();
	rng_seed(&setup_rng, seed);

	setsid();
	if (dup2(STDOUT_FILENO, FZ_FD_LOG) < 0)
		_exit(3);
	null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (null > 2)
		close(null);
	setup_signals(w);

	pathf(dir, "%s/w%u.%llu", o->scratch, index, (unsigned long long)gen);
	pathf(shared, "%s/shared", o->scratch);
	pathf(name, "%s", root ? "" : dir);
	setup_memory(w, &setup_rng);
	w->strings_used = 0;
	w->home = add_string(w, name);
	setup_files(w, dir, name, root ? NULL : shared);
	setup_sentinel_fds(dir);
	w->kaddrs = sentinel_kaddrs(&w->nkaddrs);
	{
		struct fz_call *calls;

		w->ncalls = calls_init(&calls, root);
		w->calls = calls;
	}
	for (unsigned int i = 1; i < o->threads && i < FZ_MAX_THREADS; i++) {
		threads[i].w = w;
		threads[i].slot = &sh->slot[i];
		threads[i].index = i;
		rng_seed(&threads[i].rng, seed ^ (0x100000001b3ULL * (i + 1)));
		threads[i].arena = w->arena + i * (ARENA_PART + FZ_PAGE);
		stacks[i] = thread_stack(thread_main, &threads[i]);
		if (!stacks[i])
			die("thread stack");
	}
	threads[0].w = w;
	threads[0].slot = &sh->slot[0];
	threads[0].index = 0;
	rng_seed(&threads[0].rng, seed ^ 0x9e3779b97f4a7c15ULL);
	threads[0].arena = w->arena;
#ifdef __x86_64__
	RAW2(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &w->fs_base);
#elif defined(__i386__)
	{
		unsigned int gs;

		__asm__ volatile("movl %%gs, %0" : "=r"(gs));
		w->fs_base = gs >> 3;	/* glibc's TLS entry in the GDT */
		w->tls_desc[0] = gs >> 3;
		RAW1(SYS_get_thread_area, w->tls_desc);
	}
#endif

	w->brk_start = (uintptr_t)RAW1(SYS_brk, 0);	/* after the last malloc */
	make_hole(w);
	protect_all_mappings(w);

	/* Privileges and the view of the file system. */
	if (root) {
		if (chroot(dir) < 0 || chdir("/") < 0)
			die("chroot");
	} else {
		if (chown(shared, FZ_UID, FZ_GID) < 0 && errno != EPERM)
			die("chown shared");
		if (setgroups(0, NULL) < 0 || setresgid(FZ_GID, FZ_GID, FZ_GID) < 0 ||
		    setresuid(FZ_UID, FZ_UID, FZ_UID) < 0)
			die("dropping privileges");
		if (chdir(dir) < 0)
			die("chdir");
	}
	pool_fill(w);

	if (o->verbose)
		fz_log("# worker %u gen %llu seed %#llx: arena %p ro %p none %p edge %p hole %p strings %p canary %p copy %p play %p",
		       index, (unsigned long long)gen, (unsigned long long)seed, (void *)w->arena,
		       (void *)w->ro_page, (void *)w->none_page, (void *)w->edge_page, (void *)w->hole,
		       (void *)w->strings, (void *)w->canary, (void *)w->canary_copy, (void *)w->play);
	start_threads(w, stacks);
	thread_main(&threads[0]);

	/* Wait for the other threads (the harness wakes any that block). */
	for (unsigned int i = 1; i < o->threads && i < FZ_MAX_THREADS; i++) {
		while (!sh->slot[i].finished && sh->slot[i].tid) {
			struct timespec ts = { 0, 2000000 };

			if (!sh->threads_mode) {
				int st;
				long r = RAW4(SYS_wait4, thread_pids[i], &st, WNOHANG, 0);

				if (r != 0)
					break;	/* exited, or not ours */
			}
			RAW2(SYS_nanosleep, &ts, 0);
		}
	}
	RAW1(SYS_exit_group, 0);
	_exit(0);
}
