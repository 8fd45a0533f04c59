/*
 * The harness: lists the tests, runs each in a forked child (own process
 * group, scratch directory, default signal state, a hang guard) and prints
 * flat TAP 13.  Also the helpers of kt.h that every test file shares.
 *
 *   kite-tests [-l] [PREFIX...]     run (or list) the tests whose names start
 *                                   with one of the prefixes (all if none)
 *   kite-tests --console-session [PREFIX...]
 *                                   first a session of its own with stdin (the
 *                                   console) as controlling terminal, as a test
 *                                   boot's init wants (busybox setsid -c does
 *                                   not wait when it has to fork)
 *   KT_TIMEOUT=<seconds>            hang guard per test (default 120)
 */
#include "kt.h"

#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

static const struct kt_test *const groups[] = {
	file_tests, stat_tests, dir_tests, fd_tests, proc_tests, exec_tests,
	mem_tests, sig_tests, pipe_tests, poll_tests, misc_tests, tty_tests,
	procfs_tests, thread_tests, futex_tests, mmap_tests, eventfd_tests, timerfd_tests,
	epoll_tests, signalfd_tests, sendfile_tests, vdso_tests, timer_tests, sched_tests,
	sigqueue_tests, mlock_tests,
};

int kt_failures;
const char *kt_ctx;
char kt_self[4096];
struct kt_bad kt_bad_in[6], kt_bad_out[7];

static int test_num;
static const char *test_name;
static pid_t test_pid;
static uid_t unpriv_uid;

const char *kt_errname(int err)
{
	const char *s = err ? strerrorname_np(err) : "no error";
	return s ? s : "unknown errno";
}

static void vnote(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "# %s", prefix);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	/* One write per line, so lines of concurrent processes do not mix. */
	size_t len = strlen(buf);
	if (len < sizeof(buf) - 1)
		buf[len++] = '\n';
	if (write(1, buf, len) < 0)
		_exit(3);
}

void kt_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vnote("", fmt, ap);
	va_end(ap);
}

void kt_fail(const char *file, int line, const char *fmt, ...)
{
	char prefix[256];
	va_list ap;
	snprintf(prefix, sizeof(prefix), "%s:%d: %s%s%s", file, line,
		 kt_ctx ? "[" : "", kt_ctx ? kt_ctx : "", kt_ctx ? "] " : "");
	va_start(ap, fmt);
	vnote(prefix, fmt, ap);
	va_end(ap);
	kt_failures++;
}

_Noreturn void kt_abort(void)
{
	_exit(1);
}

_Noreturn void kt_skip(const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (getpid() != test_pid) {
		kt_note("skip called in a child of the test: %s", reason);
		_exit(1);
	}
	if (kt_failures)
		_exit(1);     /* what failed before the skip still counts */
	printf("ok %d %s # SKIP %s\n", test_num, test_name, reason);
	_exit(77);
}

/* ---------------------------------------------------------------- helpers */

void kt_bad_init(void)
{
	/* [PROT_NONE][hole][PROT_NONE] and a read-only page. */
	char *three = mmap(NULL, 3 * KT_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (three == MAP_FAILED || ro == MAP_FAILED || munmap(three + KT_PAGE, KT_PAGE)) {
		printf("Bail out! cannot map the bad-pointer pages: %s\n", kt_errname(errno));
		exit(1);
	}
	struct kt_bad in[] = {
		{"page 1", (void *)0x1000},
		{"unmapped hole", three + KT_PAGE},
		{"PROT_NONE page", three},
#if UINTPTR_MAX > 0xffffffffu
		{"kernel address", (void *)0xffff800000000000UL},
#else
		{"kernel address", (void *)0xc0000000UL},
#endif
		{NULL, NULL},
	};
	memcpy(kt_bad_in, in, sizeof(in));
	memcpy(kt_bad_out, in, sizeof(in));
	kt_bad_out[4] = (struct kt_bad){"read-only page", ro};
	kt_bad_out[5] = (struct kt_bad){NULL, NULL};
}

pid_t kt_fork(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		KT_FAIL("fork: %s", kt_errname(errno));
		kt_abort();
	}
	return pid;
}

int kt_wait(pid_t pid)
{
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r != pid) {
		KT_FAIL("waitpid(%d): %ld %s", pid, (long)r, kt_errname(errno));
		kt_abort();
	}
	return st;
}

int kt_wait_exit(pid_t pid)
{
	int st = kt_wait(pid);
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		KT_FAIL("child %d killed by signal %d (%s)", pid, WTERMSIG(st),
			sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	else
		KT_FAIL("child %d: unexpected wait status %#x", pid, st);
	return -1;
}

char kt_proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (kt_read_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

int kt_wait_sleeping(pid_t pid)
{
	struct timespec ms = {0, 1000000};
	for (int i = 0; i < 30000; i++) {
		if (kt_proc_state(pid) == 'S')
			return 0;
		nanosleep(&ms, NULL);
	}
	KT_FAIL("process %d never went to sleep (state %c)", pid, kt_proc_state(pid));
	return -1;
}

void kt_write_file(const char *path, const char *data, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	size_t len = strlen(data);
	/* The mode exactly, whatever the umask. */
	if (fd < 0 || fchmod(fd, mode) || write(fd, data, len) != (ssize_t)len || close(fd) < 0) {
		KT_FAIL("writing %s: %s", path, kt_errname(errno));
		kt_abort();
	}
}

ssize_t kt_read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = 0;
	while (n + 1 < cap) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	return n;
}

int kt_count_mounts(const char *source)
{
	/*
	 * Mapped for the call only: a 64 KiB static buffer grew every test's
	 * VmSize past what mlock.lockall's 8 MiB RLIMIT_MEMLOCK allows on Linux.
	 */
	const size_t cap = 65536;
	char *buf = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t n = strlen(source);
	int count = 0;

	REQUIRE(buf != MAP_FAILED);
	REQUIRE(kt_read_file("/proc/self/mounts", buf, cap) > 0);
	for (const char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, source, n) && p[n] == ' ')
			count++;
	munmap(buf, cap);
	return count;
}

int kt_is_root(void)
{
	return geteuid() == 0;
}

uid_t kt_unpriv_uid(void)
{
	return kt_is_root() ? unpriv_uid : geteuid();
}

void kt_drop_privileges(void)
{
	if (!kt_is_root())
		return;
	if (setgroups(0, NULL) || setgid(unpriv_uid) || setuid(unpriv_uid)) {
		KT_FAIL("dropping privileges: %s", kt_errname(errno));
		kt_abort();
	}
}

void kt_block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

void kt_unblock(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

void kt_handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL)) {
		KT_FAIL("sigaction(%d): %s", sig, kt_errname(errno));
		kt_abort();
	}
}

void kt_handle_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa = {.sa_sigaction = fn, .sa_flags = flags | SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL)) {
		KT_FAIL("sigaction(%d): %s", sig, kt_errname(errno));
		kt_abort();
	}
}

void kt_default(int sig)
{
	signal(sig, SIG_DFL);
}

int kt_on_kite(void)
{
	struct utsname u;
	return uname(&u) == 0 && strstr(u.version, "Kite") != NULL;
}

int kt_under_qemu_user(void)
{
	/* QEMU emulates /proc/self/{exe,maps,stat,...} but not comm. */
	char buf[64];
	return kt_read_file("/proc/self/comm", buf, sizeof(buf)) > 0 &&
	       strncmp(buf, "qemu-", 5) == 0;
}

/* ---------------------------------------------------------------- runner */

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* One /proc text on one "# " line: its first line, at most 200 bytes. */
static void note_proc_line(const char *what, const char *path)
{
	char buf[256];
	ssize_t n = kt_read_file(path, buf, sizeof(buf));

	if (n <= 0)
		return;
	buf[strcspn(buf, "\n")] = '\0';
	printf("#   %s: %.200s\n", what, buf);
}

/*
 * Before the hang guard kills a test: what every thread of the test's
 * processes (process group pgid) is doing, from /proc: its stat (state)
 * and the system call it sleeps in, so the log tells a hang from a slow
 * test and says where it hangs.
 */
static void note_hung_threads(pid_t pgid)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;

	if (!proc)
		return;
	while ((p = readdir(proc)) != NULL) {
		pid_t pid = (pid_t)atoi(p->d_name);
		char path[64];
		DIR *task;
		struct dirent *t;

		if (pid <= 0 || getpgid(pid) != pgid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
		task = opendir(path);
		if (!task)
			continue;
		while ((t = readdir(task)) != NULL) {
			int tid = atoi(t->d_name);

			if (tid <= 0)
				continue;
			printf("# hung: pid %d, thread %d\n", (int)pid, tid);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, tid);
			note_proc_line("stat", path);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid, tid);
			note_proc_line("syscall", path);
		}
		closedir(task);
	}
	closedir(proc);
	fflush(stdout);
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return 1;
	for (int i = 0; i < argc; i++)
		if (strncmp(name, argv[i], strlen(argv[i])) == 0)
			return 1;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void resolve_self(const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", kt_self, sizeof(kt_self) - 1);
	if (n > 0 && kt_self[0] == '/' && access(kt_self, X_OK) == 0) {
		kt_self[n] = 0;
		return;
	}
	if (!realpath(argv0, kt_self)) {
		printf("Bail out! cannot find the test program's path (%s)\n", argv0);
		exit(1);
	}
}

static void run_one(const struct kt_test *t, const char *rundir, int timeout)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/%03d-%s", rundir, test_num, t->name);
	if (mkdir(dir, 0777) || chmod(dir, 0777)) {
		printf("not ok %d %s\n# cannot make %s: %s\n", test_num, t->name, dir,
		       kt_errname(errno));
		return;
	}
	test_name = t->name;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("not ok %d %s\n# fork: %s\n", test_num, t->name, kt_errname(errno));
		return;
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGALRM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		test_pid = getpid();
		setpgid(0, 0);
		umask(022);
		if (chdir(dir)) {
			kt_note("chdir %s: %s", dir, kt_errname(errno));
			_exit(1);
		}
		t->fn();
		_exit(kt_failures ? 1 : KT_PASS);
	}
	setpgid(pid, pid);	/* also here: no race with kill(-pid) below */
	int st = 0;
	timed_out = 0;
	alarm(timeout);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			break;
		if (timed_out) {
			note_hung_threads(pid);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	alarm(0);
	kill(-pid, SIGKILL);	/* anything the test left running in its group */
	if (timed_out)
		printf("not ok %d %s\n# hang guard: still running after %d s\n",
		       test_num, t->name, timeout);
	else if (WIFEXITED(st) && WEXITSTATUS(st) == KT_PASS)
		printf("ok %d %s\n", test_num, t->name);
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		;	/* the child printed "ok N name # SKIP reason" */
	else if (WIFEXITED(st))
		printf("not ok %d %s\n# exit status %d\n", test_num, t->name, WEXITSTATUS(st));
	else
		printf("not ok %d %s\n# killed by signal %d (%s)\n", test_num, t->name,
		       WTERMSIG(st), sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	fflush(stdout);
}

static void console_session(void)
{
	if (setsid() < 0) {
		/* A process-group leader: the session goes to a child. */
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid > 0) {
			int st;
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		}
		setsid();
	}
	if (ioctl(0, TIOCSCTTY, 1) < 0)
		printf("# no controlling terminal: TIOCSCTTY on stdin: %s\n", kt_errname(errno));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strncmp(argv[1], "--helper=", 9) == 0)
		return kt_helper_main(argv[1] + 9, argc, argv);
	if (getenv("KT_HELPER"))	/* #! tests: the interpreter takes no option */
		return kt_helper_main(getenv("KT_HELPER"), argc, argv);

	setvbuf(stdout, NULL, _IONBF, 0);
	/*
	 * The tests expect Linux's defaults: what a launcher ignored or
	 * blocked (nohup's SIGHUP, a shell's SIGINT for background jobs) is
	 * inherited across exec and must not leak in.
	 */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);	/* glibc's internal signals: EINVAL, harmless */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (argc > 1 && strcmp(argv[1], "--console-session") == 0) {
		argv[1] = argv[0];
		argv++;
		argc--;
		console_session();
	}
	int list = argc > 1 && strcmp(argv[1], "-l") == 0;
	int nsel = argc - 1 - list;
	char **sel = argv + 1 + list;

	int n = 0;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (const struct kt_test *t = groups[g]; t->name; t++)
			if (selected(t->name, nsel, sel)) {
				if (list)
					printf("%s\n", t->name);
				n++;
			}
	if (list)
		return 0;

	/* Descriptors inherited from whoever started us are not the tests'. */
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	resolve_self(argv[0]);
	kt_bad_init();
	unpriv_uid = 40000 + getpid() % 20000;
	const char *tmo = getenv("KT_TIMEOUT");
	int timeout = tmo ? atoi(tmo) : 120;

	char rundir[] = "/tmp/kite-tests.XXXXXX";
	if (!mkdtemp(rundir) || chmod(rundir, 0755)) {
		printf("Bail out! cannot make a directory under /tmp: %s\n", kt_errname(errno));
		return 1;
	}
	struct sigaction sa = {.sa_handler = on_alarm};	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	printf("TAP version 13\n1..%d\n", n);
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (const struct kt_test *t = groups[g]; t->name; t++)
			if (selected(t->name, nsel, sel)) {
				test_num++;
				run_one(t, rundir, timeout);
			}
	if (!getenv("KT_KEEP"))
		nftw(rundir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
