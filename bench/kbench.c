/*
 * kbench: the cost of common system operations, the same static program on
 * Kite and on Linux (issue 10 item 7; docs/bench.md).  Each row times an
 * operation with clock_gettime(CLOCK_MONOTONIC) and prints
 *
 *   kbench <row> <ns_per_op> <iters> <min_ns> <max_ns>
 *   kbench <row> unsupported <ERRNO-NAME>      (the kernel lacks something)
 *   kbench <row> failed <what>                 (crashed, or a wrong result)
 *
 * <ns_per_op> is the median of --runs (3) timed runs of <iters> operations
 * each, <min_ns>/<max_ns> their extremes; <iters> is calibrated so that a
 * run lasts about --target-ms (50).  Under QEMU's -icount shift=0 one
 * nanosecond of virtual time is one guest instruction, so the figures are
 * instructions per operation and repeat from run to run.
 *
 *   kbench [--quick] [--runs N] [--target-ms MS] [--strict] [--timeout S]
 *          [--tiny PATH] [ROW...]
 *   kbench --list | --exit
 *
 * --quick   2 ms runs (a smoke test: the figures are rough)
 * --runs, --target-ms   timed runs per row (3), length of one run (50 ms)
 * --strict  exit status 1 when a row is unsupported or failed
 * --timeout hang guard per row, in seconds (default 20)
 * --tiny    the tiny static ELF that fork_exec_tiny runs (default: kbench-tiny
 *           beside this program)
 * --exit    exit at once: the static glibc program that fork_exec_glibc runs
 *           is this one
 *
 * Every row runs in a forked child with a watchdog process beside it (not
 * alarm(): a kernel may lack interval timers), so a kernel without threads
 * or futexes, or a hang, costs one row and not the run.  As pid 1 (an
 * initramfs's /init) it mounts a tmpfs on /tmp first and powers the machine
 * off at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 15
#define MMAP_BYTES (4u << 20)
#define FILE_BYTES (1u << 20)
#define IO_CHUNK 4096u

static uint64_t target_ns = 50000000;   /* one timed run: 50 ms */
static int runs = 3;                    /* timed runs per row: the median is printed */
static unsigned int timeout_s = 20;
static char self_path[4096];
static char tiny_path[4096];
static char work_dir[4096];     /* the scratch directory on the tmpfs */

/* One line, one write(2): lines from a child and its parent never mix. */
static void __attribute__((format(printf, 1, 2)))
out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (int done = 0; done < n;) {
		ssize_t w = write(STDOUT_FILENO, buf + done, (size_t)(n - done));
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return;
		}
		done += (int)w;
	}
}

static const char *
errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "EUNKNOWN";
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * A row: setup() once (0 or a positive errno: unsupported), then op(n)
 * does n operations and returns 0 or a positive errno.  The row's child
 * exits with status 0 (a figure printed), 2 (unsupported, printed) or 3
 * (failed, printed).
 */
struct row {
	const char *name;
	const char *what;
	int (*setup)(void);
	int (*op)(unsigned long n);
};

static void __attribute__((noreturn))
unsupported(const char *row, int err)
{
	out("kbench %s unsupported %s\n", row, errname(err));
	_exit(2);
}

static void __attribute__((noreturn))
failed(const char *row, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("kbench %s failed %s\n", row, msg);
	_exit(3);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The timed span of one run: from before op() to after it, unless the op
 * moves the ends past its own set-up and tear-down (a child or a thread
 * that serves the loop) with clock_restart() and clock_stop().
 */
static uint64_t t_start, t_stop;

static void
clock_restart(void)
{
	t_start = now_ns();
}

static void
clock_stop(void)
{
	t_stop = now_ns();
}

/* Times n operations; an error ends the row (and the child). */
static uint64_t
timed(const struct row *r, unsigned long n)
{
	t_stop = 0;
	t_start = now_ns();
	int err = r->op(n);
	if (!t_stop)
		t_stop = now_ns();
	uint64_t t = t_stop - t_start;

	if (err > 0)
		unsupported(r->name, err);
	if (err < 0)
		failed(r->name, "wrong result");
	return t ? t : 1;
}

/*
 * Calibration doubles the count until a run lasts an eighth of the target
 * (those runs warm caches and fault in what the row touches), scales it to
 * the target, then times the runs.
 */
static void __attribute__((noreturn))
row_main(const struct row *r)
{
	if (r->setup) {
		int err = r->setup();

		if (err)
			unsupported(r->name, err);
	}
	unsigned long n = 1;
	uint64_t t;
	for (;;) {
		t = timed(r, n);
		if (t >= target_ns / 8 || n >= (1ul << 30))
			break;
		n *= 2;
	}
	uint64_t scaled = (uint64_t)n * target_ns / t;
	n = scaled ? (unsigned long)scaled : 1;
	uint64_t per_op[MAX_RUNS];
	for (int i = 0; i < runs; i++)
		per_op[i] = timed(r, n);
	qsort(per_op, (size_t)runs, sizeof(per_op[0]), cmp_u64);
	out("kbench %s %.1f %lu %.1f %.1f\n", r->name, (double)per_op[runs / 2] / n, n,
	    (double)per_op[0] / n, (double)per_op[runs - 1] / n);
	_exit(0);
}

/* ------------------------------------------------------------ the rows */

static int
op_getppid(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (syscall(SYS_getppid) < 0)
			return errno;
	return 0;
}

/* Pipe ping-pong: a byte to the child and back is one operation. */
static int
op_pipe_pingpong(unsigned long n)
{
	int there[2], back[2];

	if (pipe(there) || pipe(back))
		return errno;
	pid_t pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		char c;

		close(there[1]);
		close(back[0]);
		while (read(there[0], &c, 1) == 1)
			if (write(back[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	int err = 0;
	/* Round 0 is outside the timed span: the child has started then. */
	for (unsigned long i = 0; i <= n && !err; i++) {
		char c = (char)i, d;

		if (i == 1)
			clock_restart();
		if (write(there[1], &c, 1) != 1 || read(back[0], &d, 1) != 1)
			err = errno ? errno : EIO;
		else if (d != c)
			err = -1;
	}
	clock_stop();
	close(there[1]);
	close(back[0]);
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		err = err ? err : -1;
	return err;
}

static int
op_fork_exit(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return errno;
		if (pid == 0)
			_exit(0);
		int status;
		if (waitpid(pid, &status, 0) != pid)
			return errno;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			return -1;
	}
	return 0;
}

/*
 * The same with 4 MiB of touched anonymous memory in the parent: what fork
 * and exit cost per resident page.  The parent does not write the pages
 * again, so each fork finds them as the last one left them.
 */
static char *fork_mem;

static int
setup_fork_mem(void)
{
	long page = sysconf(_SC_PAGESIZE);

	fork_mem = mmap(NULL, MMAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (fork_mem == MAP_FAILED)
		return errno;
	madvise(fork_mem, MMAP_BYTES, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < MMAP_BYTES; off += (size_t)page)
		fork_mem[off] = 1;
	return 0;
}

/*
 * fork + execve + wait.  Each child reports a failed execve through a
 * close-on-exec pipe (nothing arrives when the exec worked), so a kernel
 * that cannot run the program says why.
 */
static int
fork_exec(const char *path, char *const argv[], unsigned long n)
{
	static char *const envp[] = {NULL};

	for (unsigned long i = 0; i < n; i++) {
		int p[2];

		if (pipe2(p, O_CLOEXEC))
			return errno;
		pid_t pid = fork();
		if (pid < 0)
			return errno;
		if (pid == 0) {
			execve(path, argv, envp);
			int err = errno;
			if (write(p[1], &err, sizeof(err)) < 0)
				_exit(126);
			_exit(127);
		}
		close(p[1]);
		int err = 0;
		ssize_t got = read(p[0], &err, sizeof(err));
		close(p[0]);
		int status;
		if (waitpid(pid, &status, 0) != pid)
			return errno;
		if (got == sizeof(err))
			return err ? err : -1;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			return -1;
	}
	return 0;
}

static int
op_fork_exec_glibc(unsigned long n)
{
	char *const argv[] = {self_path, "--exit", NULL};

	return fork_exec(self_path, argv, n);
}

static int
op_fork_exec_tiny(unsigned long n)
{
	char *const argv[] = {tiny_path, NULL};

	return fork_exec(tiny_path, argv, n);
}

static int
setup_tiny(void)
{
	return access(tiny_path, X_OK) ? errno : 0;
}

/*
 * 4 MiB of fresh anonymous memory, a write to every page, unmapped again:
 * 1024 page faults (MADV_NOHUGEPAGE: Linux's transparent huge pages
 * would make it two).
 */
static int
op_mmap_touch(unsigned long n)
{
	long page = sysconf(_SC_PAGESIZE);

	for (unsigned long i = 0; i < n; i++) {
		char *p = mmap(NULL, MMAP_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return errno;
		madvise(p, MMAP_BYTES, MADV_NOHUGEPAGE);   /* a hint: errors do not matter */
		for (size_t off = 0; off < MMAP_BYTES; off += (size_t)page)
			p[off] = 1;
		if (munmap(p, MMAP_BYTES))
			return errno;
	}
	return 0;
}

static char io_buf[IO_CHUNK];
static char *read_buf = io_buf;     /* where tmpfs_read_* reads to */
static char data_path[4200];

/* A fresh 1 MiB file (O_TRUNC frees the last run's pages) in 4 KiB writes. */
static int
op_tmpfs_write(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		int fd = open(data_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0)
			return errno;
		for (unsigned int off = 0; off < FILE_BYTES; off += IO_CHUNK)
			if (write(fd, io_buf, IO_CHUNK) != IO_CHUNK) {
				int err = errno ? errno : EIO;
				close(fd);
				return err;
			}
		if (close(fd))
			return errno;
	}
	return 0;
}

static int
setup_file(void)
{
	memset(io_buf, 'k', sizeof(io_buf));
	return op_tmpfs_write(1);
}

static int
op_tmpfs_read(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		int fd = open(data_path, O_RDONLY);

		if (fd < 0)
			return errno;
		for (unsigned int off = 0; off < FILE_BYTES; off += IO_CHUNK)
			if (read(fd, read_buf, IO_CHUNK) != IO_CHUNK) {
				int err = errno ? errno : EIO;
				close(fd);
				return err;
			}
		if (close(fd))
			return errno;
	}
	return read_buf[IO_CHUNK - 1] == 'k' ? 0 : -1;
}

/* The read row again into anonymous memory instead of the program's .bss. */
static int
setup_file_anon(void)
{
	read_buf = mmap(NULL, IO_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (read_buf == MAP_FAILED)
		return errno;
	return setup_file();
}

static int
op_open_close(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		int fd = open(data_path, O_RDONLY);

		if (fd < 0)
			return errno;
		if (close(fd))
			return errno;
	}
	return 0;
}

/* -------------------------------------------------------------- threads */

static long
futex(int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/*
 * glibc's pthread_join waits on the thread's tid with a futex: a kernel
 * without futex would turn every join into a spin, so both thread rows
 * need the call.  A FUTEX_WAKE on a private word with no waiter is
 * harmless everywhere.
 */
static int
setup_threads(void)
{
	int word = 0;

	if (futex(&word, FUTEX_WAKE_PRIVATE, 1) < 0)
		return errno;
	return 0;
}

static void *
thread_nothing(void *arg)
{
	return arg;
}

static int
op_thread_create_join(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		pthread_t t;
		void *ret;
		int err = pthread_create(&t, NULL, thread_nothing, (void *)i);

		if (err)
			return err;
		err = pthread_join(t, &ret);
		if (err)
			return err;
		if (ret != (void *)i)
			return -1;
	}
	return 0;
}

/*
 * Futex ping-pong: turn goes 0 -> 1 (main's serve) -> 0 (the thread's
 * return); each side sleeps in FUTEX_WAIT until the word leaves its value
 * and wakes the other after changing it.  One round trip per operation.
 * An error from either side ends both loops.
 */
static int turn;
static int ping_err;
static unsigned long ping_rounds;

static int
wait_while(int *word, int value)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == value &&
	       !__atomic_load_n(&ping_err, __ATOMIC_ACQUIRE))
		if (futex(word, FUTEX_WAIT_PRIVATE, value) < 0 && errno != EAGAIN &&
		    errno != EINTR)
			return errno;
	return 0;
}

static void
set_and_wake(int *word, int value)
{
	__atomic_store_n(word, value, __ATOMIC_RELEASE);
	if (futex(word, FUTEX_WAKE_PRIVATE, 1) < 0)
		__atomic_store_n(&ping_err, errno, __ATOMIC_RELEASE);
}

static void
ping_fail(int err)
{
	__atomic_store_n(&ping_err, err, __ATOMIC_RELEASE);
	futex(&turn, FUTEX_WAKE_PRIVATE, 1);
}

static void *
thread_pong(void *arg)
{
	for (unsigned long i = 0; i < ping_rounds; i++) {
		int err = wait_while(&turn, 0);

		if (err) {
			ping_fail(err);
			break;
		}
		if (__atomic_load_n(&ping_err, __ATOMIC_ACQUIRE))
			break;
		set_and_wake(&turn, 0);
	}
	return arg;
}

static int
op_futex_pingpong(unsigned long n)
{
	pthread_t t;

	turn = 0;
	ping_err = 0;
	ping_rounds = n;
	int err = pthread_create(&t, NULL, thread_pong, NULL);
	if (err)
		return err;
	clock_restart();
	for (unsigned long i = 0; i < n; i++) {
		set_and_wake(&turn, 1);
		err = wait_while(&turn, 1);
		if (err) {
			ping_fail(err);
			break;
		}
		if (__atomic_load_n(&ping_err, __ATOMIC_ACQUIRE))
			break;
	}
	clock_stop();
	int join = pthread_join(t, NULL);
	err = err ? err : ping_err;
	return err ? err : join;
}

static const struct row rows[] = {
	{"getppid", "null system call: syscall(SYS_getppid)", NULL, op_getppid},
	{"pipe_pingpong", "a byte to a child process and back through two pipes",
	 NULL, op_pipe_pingpong},
	{"fork_exit_wait", "fork, the child _exits, the parent waits", NULL, op_fork_exit},
	{"fork_exit_wait_4m", "fork_exit_wait with 4 MiB of touched anonymous memory in the parent",
	 setup_fork_mem, op_fork_exit},
	{"fork_exec_glibc", "fork, execve of a static glibc program (this one, --exit), wait",
	 NULL, op_fork_exec_glibc},
	{"fork_exec_tiny", "fork, execve of a static ELF of a few instructions, wait",
	 setup_tiny, op_fork_exec_tiny},
	{"mmap_touch_4m", "anonymous mmap of 4 MiB, a write to each page, munmap",
	 NULL, op_mmap_touch},
	{"tmpfs_write_1m", "open(O_TRUNC) a tmpfs file, 256 writes of 4 KiB, close",
	 setup_file, op_tmpfs_write},
	{"tmpfs_read_1m", "open a 1 MiB tmpfs file, 256 reads of 4 KiB, close",
	 setup_file, op_tmpfs_read},
	{"tmpfs_read_1m_anon", "tmpfs_read_1m into an anonymous mapping instead of .bss",
	 setup_file_anon, op_tmpfs_read},
	{"open_close", "open and close a tmpfs file (3 path components)",
	 setup_file, op_open_close},
	{"thread_create_join", "pthread_create of a thread that returns, pthread_join",
	 setup_threads, op_thread_create_join},
	{"futex_pingpong", "FUTEX_WAKE/FUTEX_WAIT round trip between two threads",
	 setup_threads, op_futex_pingpong},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* ------------------------------------------------------------- the runner */

/*
 * The row in a child of its own process group, a watchdog child that
 * sleeps for the timeout; whichever ends first decides.  Returns 0 when
 * the row printed a figure.
 */
static int
run_row(const struct row *r)
{
	pid_t pid = fork();

	if (pid < 0) {
		out("kbench %s failed fork:%s\n", r->name, errname(errno));
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		row_main(r);
	}
	setpgid(pid, pid);      /* both sides: no race with the kill below */
	pid_t dog = fork();
	if (dog == 0) {
		struct timespec ts = {.tv_sec = timeout_s};

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		_exit(0);
	}
	int status = 0;
	for (;;) {
		pid_t w = wait(&status);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 || w == pid)
			break;
		if (w == dog) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			out("kbench %s unsupported ETIMEDOUT\n", r->name);
			return 1;
		}
		/* else an orphan that pid 1 inherited */
	}
	if (dog > 0) {
		kill(dog, SIGKILL);
		while (waitpid(dog, NULL, 0) < 0 && errno == EINTR)
			;
	}
	kill(-pid, SIGKILL);    /* what the row left behind */
	if (WIFSIGNALED(status)) {
		out("kbench %s failed %s\n", r->name, sigabbrev_np(WTERMSIG(status)) ?: "signal");
		return 1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* The paths the rows use; as pid 1 also /tmp as a fresh tmpfs. */
static void
prepare(const char *argv0)
{
	ssize_t len;

	if (strchr(argv0, '/') && strlen(argv0) < sizeof(self_path))
		strcpy(self_path, argv0);
	else if ((len = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1)) > 0)
		self_path[len] = 0;
	else
		strcpy(self_path, argv0);
	if (!tiny_path[0]) {
		const char *slash = strrchr(self_path, '/');
		int dir = slash ? (int)(slash - self_path) : 1;

		snprintf(tiny_path, sizeof(tiny_path), "%.*s/kbench-tiny", dir,
			 slash ? self_path : ".");
	}

	const char *tmp = getenv("TMPDIR");
	if (getpid() == 1) {
		mkdir("/tmp", 01777);
		if (mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777"))
			out("kbench: mount tmpfs on /tmp: %s\n", errname(errno));
		tmp = "/tmp";
	}
	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(work_dir, sizeof(work_dir), "%s/kbench.%d", tmp, (int)getpid());
	if (mkdir(work_dir, 0700) && errno != EEXIST)
		out("kbench: mkdir %s: %s\n", work_dir, errname(errno));
	snprintf(data_path, sizeof(data_path), "%s/f", work_dir);
}

static void
power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	out("kbench: reboot(RB_POWER_OFF): %s\n", errname(errno));
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	int strict = 0, chosen = 0;
	const char *want[NROWS + 1];

	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			target_ns = 2000000;
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
			if (runs < 1 || runs > MAX_RUNS)
				runs = 3;
		} else if (!strcmp(argv[i], "--target-ms") && i + 1 < argc) {
			unsigned long ms = strtoul(argv[++i], NULL, 0);

			target_ns = (ms ? ms : 1) * 1000000ull;
		} else if (!strcmp(argv[i], "--strict")) {
			strict = 1;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout_s = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--tiny") && i + 1 < argc) {
			snprintf(tiny_path, sizeof(tiny_path), "%s", argv[++i]);
		} else if (!strcmp(argv[i], "--list")) {
			for (size_t r = 0; r < NROWS; r++)
				out("%-20s %s\n", rows[r].name, rows[r].what);
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: kbench [--quick] [--runs N] [--target-ms MS] "
					"[--strict] [--timeout S] [--tiny PATH] [ROW...] | --list | --exit\n");
			return 2;
		} else {
			size_t r;

			for (r = 0; r < NROWS && strcmp(rows[r].name, argv[i]); r++)
				;
			if (r == NROWS || chosen == (int)NROWS) {
				fprintf(stderr, "kbench: no row %s (--list)\n", argv[i]);
				return 2;
			}
			want[chosen++] = argv[i];
		}
	}

	prepare(argv[0]);
	struct utsname u;
	if (!uname(&u))
		out("kbench start %s %s %s\n", u.sysname, u.release, u.machine);
	int bad = 0;
	for (size_t r = 0; r < NROWS; r++) {
		int pick = !chosen;

		for (int c = 0; c < chosen; c++)
			pick |= !strcmp(want[c], rows[r].name);
		if (pick)
			bad += run_row(&rows[r]);
	}
	unlink(data_path);
	rmdir(work_dir);
	out("kbench done %d\n", bad);
	if (getpid() == 1)
		power_off();
	return strict && bad ? 1 : 0;
}
