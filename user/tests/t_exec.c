/*
 * execve: argv and envp as passed, the auxiliary vector and the initial
 * stack's layout, #! scripts (arguments, nesting, errors), descriptors
 * closed on exec, signal state across exec, static-PIE programs, bad
 * ELF files, errors, and EFAULT for every pointer (including those inside
 * argv and envp).  Also the helper modes the exec tests run.
 */
#include "kt.h"

#include <elf.h>
#include <fcntl.h>
#include <libgen.h>
#include <link.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

/* ---------------------------------------------------------------- helpers */

/* Every argument and environment string, each NUL-terminated, with a
 * "\x01" separator string between them, written to fd. */
static void dump_args(int fd, int argc, char **argv)
{
	char pid[32];
	snprintf(pid, sizeof(pid), "%d", getpid());
	const char *sep = "\x01";
	int bad = write(fd, pid, strlen(pid) + 1) < 0;
	for (int i = 0; i < argc; i++)
		bad |= write(fd, argv[i], strlen(argv[i]) + 1) < 0;
	bad |= write(fd, sep, 2) < 0;
	for (char **e = environ; *e; e++)
		bad |= write(fd, *e, strlen(*e) + 1) < 0;
	if (bad)
		_exit(2);
}

static void helper_auxv(int argc, char **argv)
{
	extern const ElfW(Ehdr) __ehdr_start;
	extern char _start[];
	const ElfW(Ehdr) *eh = &__ehdr_start;
	const char *execfn = argc > 2 ? argv[2] : "?";
	CHECK_EQ(getauxval(AT_PAGESZ), KT_PAGE);
	CHECK_EQ(getauxval(AT_PHDR), (uintptr_t)eh + eh->e_phoff);
	CHECK_EQ(getauxval(AT_PHENT), sizeof(ElfW(Phdr)));
	CHECK_EQ(getauxval(AT_PHNUM), eh->e_phnum);
	CHECK_EQ(getauxval(AT_ENTRY), (uintptr_t)_start);
	CHECK_EQ(getauxval(AT_UID), getuid());
	CHECK_EQ(getauxval(AT_EUID), geteuid());
	CHECK_EQ(getauxval(AT_GID), getgid());
	CHECK_EQ(getauxval(AT_EGID), getegid());
	CHECK_EQ(getauxval(AT_SECURE), 0);
	CHECK_EQ(getauxval(AT_CLKTCK), 100);
	errno = 0;
	unsigned long hwcap = getauxval(AT_HWCAP);
	CHECK_EQ(errno, 0);
#ifdef __aarch64__
	CHECK_EQ(hwcap & 3, 3);			/* HWCAP_FP | HWCAP_ASIMD */
#else
	CHECK(hwcap != 0);
#endif
	errno = 0;
	getauxval(AT_HWCAP2);
	if (errno && kt_under_qemu_user())
		kt_note("AT_HWCAP2 missing (QEMU user mode does not give it)");
	else
		CHECK_EQ(errno, 0);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	CHECK_STR(fn, execfn);
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	REQUIRE(plat != NULL);
#if defined(__aarch64__)
	CHECK_STR(plat, "aarch64");
#elif defined(__x86_64__)
	CHECK_STR(plat, "x86_64");
#else
	CHECK(plat[0] == 'i' && strlen(plat) == 4 && !strcmp(plat + 2, "86"));
#endif
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	REQUIRE(rnd != NULL);
	int nonzero = 0;
	for (int i = 0; i < 16; i++)
		nonzero |= rnd[i];
	CHECK(nonzero);
	/* The initial stack: argv, NULL, envp, NULL, auxv pairs, AT_NULL. */
	CHECK(environ == argv + argc + 1);
	CHECK(argv[argc] == NULL);
	char **e = environ;
	while (*e)
		e++;
	ElfW(auxv_t) *av = (ElfW(auxv_t) *)(e + 1);
	int n = 0, seen_pagesz = 0, seen_random = 0;
	for (; n < 64 && av[n].a_type != AT_NULL; n++) {
		if (av[n].a_type == AT_PAGESZ)
			seen_pagesz = av[n].a_un.a_val == KT_PAGE;
		if (av[n].a_type == AT_RANDOM)
			seen_random = av[n].a_un.a_val == (uintptr_t)rnd;
	}
	CHECK(n < 64);
	CHECK(seen_pagesz && seen_random);
	/* Strings live above the vectors. */
	CHECK((uintptr_t)argv[0] > (uintptr_t)&av[n]);
	CHECK((uintptr_t)fn > (uintptr_t)&av[n]);
}

/* Checks "fd:o" (open) and "fd:c" (closed) arguments. */
static void helper_fds(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		int fd;
		char what;
		if (sscanf(argv[i], "%d:%c", &fd, &what) != 2) {
			KT_FAIL("bad argument %s", argv[i]);
			continue;
		}
		int open = fcntl(fd, F_GETFD) != -1;
		if (open != (what == 'o'))
			KT_FAIL("fd %d is %s after exec", fd, open ? "open" : "closed");
	}
}

static void helper_sigstate(void)
{
	struct sigaction sa;
	sigset_t mask, pend;
	stack_t ss;
	sigaction(SIGUSR1, NULL, &sa);
	CHECK(sa.sa_handler == SIG_DFL);		/* handlers are reset */
	sigaction(SIGUSR2, NULL, &sa);
	CHECK(sa.sa_handler == SIG_IGN);		/* ignored stays ignored */
	sigprocmask(SIG_SETMASK, NULL, &mask);
	CHECK(sigismember(&mask, SIGINT));		/* the mask is kept */
	CHECK(sigismember(&mask, SIGTERM));
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGTERM));		/* and what is pending */
	CHECK_OK(sigaltstack(NULL, &ss));
	CHECK(ss.ss_flags & SS_DISABLE);		/* no alternate stack */
}

int kt_helper_main(const char *name, int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	size_t len = strcspn(name, " \t");
	if (!strncmp(name, "exit", len))
		return atoi(argv[2]);
	if (!strncmp(name, "block", len)) {
		char c;
		if (write(atoi(argv[2]), "x", 1) != 1)
			return 1;
		while (read(atoi(argv[3]), &c, 1) != 0)
			;
		return 0;
	}
	if (!strncmp(name, "dump", len)) {
		const char *fd = getenv("KT_DUMP_FD");
		dump_args(fd ? atoi(fd) : 1, argc, argv);
		return 0;
	}
	if (!strncmp(name, "auxv", len))
		helper_auxv(argc, argv);
	else if (!strncmp(name, "fds", len))
		helper_fds(argc, argv);
	else if (!strncmp(name, "threads", len))
		return kt_thread_count_helper();
	else if (!strncmp(name, "layout", len))
		return kt_layout_helper();
	else if (!strncmp(name, "timers", len))
		return kt_timer_exec_helper();
	else if (!strncmp(name, "sigstate", len)) {
		helper_sigstate();		/* the test itself: pass or fail */
		return kt_failures ? 1 : KT_PASS;
	} else
		KT_FAIL("unknown helper %s", name);
	return kt_failures != 0;
}

/* ---------------------------------------------------------------- tests */

/* Runs path with argv/envp in a child whose stdout is a pipe; returns
 * what it wrote (up to cap) and its wait status through *status. */
static size_t run_capture(const char *path, char *const argv[], char *const envp[],
			  char *out, size_t cap, int *status, pid_t *child)
{
	int p[2];
	REQUIRE_OK(pipe(p));
	pid_t pid = kt_fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve(path, argv, envp);
		_exit(127);
	}
	close(p[1]);
	size_t n = 0;
	for (;;) {
		ssize_t r = read(p[0], out + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
		if (n == cap)
			break;
	}
	close(p[0]);
	*status = kt_wait(pid);
	*child = pid;
	return n;
}

/* The dump a "dump" helper with these arguments and environment writes. */
static size_t expected_dump(char *buf, pid_t pid, char *const argv[], char *const envp[])
{
	size_t n = sprintf(buf, "%d", pid) + 1;
	for (int i = 0; argv[i]; i++)
		n += sprintf(buf + n, "%s", argv[i]) + 1;
	n += sprintf(buf + n, "\x01") + 1;
	for (int i = 0; envp && envp[i]; i++)
		n += sprintf(buf + n, "%s", envp[i]) + 1;
	return n;
}

static void check_dump(const char *path, char *const argv[], char *const envp[],
		       char *const want_argv[])
{
	static char got[600000], want[600000];
	int st;
	pid_t pid;
	size_t n = run_capture(path, argv, envp, got, sizeof(got), &st, &pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The dump starts with the pid: execve keeps it. */
	size_t m = expected_dump(want, pid, want_argv ? want_argv : argv, envp);
	if (n != m || memcmp(got, want, n) != 0) {
		for (size_t i = 0; i < n && i < m; i++)
			if (got[i] != want[i]) {
				KT_FAIL("dump differs at byte %zu of %zu/%zu: got \"%.40s\", want \"%.40s\"",
					i, n, m, got + i, want + i);
				return;
			}
		KT_FAIL("dump is %zu bytes, expected %zu", n, m);
	}
}

static void argv_envp(void)
{
	static char big[100001];
	memset(big, 'b', 100000);
	char *argv[] = {"argv0-is-free", "--helper=dump", "", "with space", "tab\there",
			"utf8-\xc3\xa9", big, NULL};
	char *envp[] = {"A=1", "EMPTY=", "NOEQUALS", "PATH=/bin", NULL};
	check_dump(kt_self, argv, envp, NULL);
	/* Many arguments, more than one page of pointers. */
	static char *many[3000];
	many[0] = "x";
	many[1] = "--helper=dump";
	for (int i = 2; i < 2999; i++)
		many[i] = (i % 2) ? "odd" : "even";
	many[2999] = NULL;
	check_dump(kt_self, many, envp, NULL);
	/* envp NULL is an empty environment. */
	char *argv2[] = {"x", "--helper=dump", NULL};
	check_dump(kt_self, argv2, NULL, NULL);
	/* One string may be 32 pages with its NUL, no more. */
	static char huge[131073];
	memset(huge, 'h', 131072);
	huge[131071] = 0;
	char *argv4[] = {"x", "--helper=exit", "0", huge, NULL};
	pid_t pid = kt_fork();
	if (pid == 0) {
		execve(kt_self, argv4, envp);
		_exit(127);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	huge[131071] = 'h';
	pid = kt_fork();
	if (pid == 0) {
		CHECK_ERR(execve(kt_self, argv4, envp), E2BIG);
		_exit(kt_failures ? 1 : 42);
	}
	CHECK_EQ(kt_wait_exit(pid), 42);
}

static void auxv(void)
{
	char *argv[] = {"aux", "--helper=auxv", kt_self, NULL};
	char *envp[] = {"X=1", NULL};
	pid_t pid = kt_fork();
	if (pid == 0) {
		execve(kt_self, argv, envp);
		_exit(127);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* AT_EXECFN is the name given to execve, here a relative symlink. */
	CHECK_OK(symlink(kt_self, "self-link"));
	char *argv2[] = {"aux", "--helper=auxv", "./self-link", NULL};
	pid = kt_fork();
	if (pid == 0) {
		execve("./self-link", argv2, envp);
		_exit(127);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	if (kt_is_root()) {
		pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			execve(kt_self, argv, envp);
			_exit(127);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
}

static void write_script(const char *name, const char *first_line)
{
	char text[8192];
	snprintf(text, sizeof(text), "%s\nthis is not run\n", first_line);
	kt_write_file(name, text, 0755);
}

/*
 * Runs fn in a child that must come back with 42: an execve that wrongly
 * succeeded would have replaced it with a helper exiting otherwise.
 */
static void in_child(void (*fn)(void))
{
	pid_t pid = kt_fork();
	if (pid == 0) {
		fn();
		_exit(kt_failures ? 1 : 42);
	}
	CHECK_EQ(kt_wait_exit(pid), 42);
}

static void shebang_errors(void);

static void shebang(void)
{
	char line[4200];
	char *envp[] = {"KT_HELPER=dump", NULL};
	char *argv[] = {"script-argv0", "x", "y z", NULL};
	/* One optional argument. */
	snprintf(line, sizeof(line), "#!%s --helper=dump", kt_self);
	write_script("s1", line);
	char *want1[] = {kt_self, "--helper=dump", "./s1", "x", "y z", NULL};
	check_dump("./s1", argv, envp, want1);
	/* Blanks around the interpreter; the argument keeps inner blanks. */
	snprintf(line, sizeof(line), "#! \t%s \t --helper=dump  a  b \t ", kt_self);
	write_script("s2", line);
	char *want2[] = {kt_self, "--helper=dump  a  b", "s2", "x", "y z", NULL};
	check_dump("s2", argv, envp, want2);
	/* No argument: the helper is chosen by KT_HELPER in the environment. */
	snprintf(line, sizeof(line), "#!%s", kt_self);
	write_script("s3", line);
	char *want3[] = {kt_self, "./s3", "x", "y z", NULL};
	char *envp3[] = {"KT_HELPER=dump", NULL};
	check_dump("./s3", argv, envp3, want3);
	/* A script as the interpreter of a script. */
	write_script("s4", "#!./s3 inner");
	char *want4[] = {kt_self, "./s3", "inner", "./s4", "x", "y z", NULL};
	check_dump("./s4", argv, envp3, want4);
	in_child(shebang_errors);
}

static void shebang_errors(void)
{
	char line[4200];
	char *envp[] = {"KT_HELPER=dump", NULL};
	char *argv[] = {"script-argv0", "x", "y z", NULL};
	write_script("nointerp", "#!/nonexistent/interpreter");
	CHECK_ERR(execve("./nointerp", argv, envp), ENOENT);
	write_script("empty-interp", "#!");
	CHECK_ERR(execve("./empty-interp", argv, envp), ENOEXEC);
	write_script("blank-interp", "#!   ");
	CHECK_ERR(execve("./blank-interp", argv, envp), ENOEXEC);
	snprintf(line, sizeof(line), "#!%s --helper=dump", kt_self);
	kt_write_file("not-exec", line, 0644);
	CHECK_ERR(execve("./not-exec", argv, envp), EACCES);
}

static void exec_errors_body(void)
{
	char *argv[] = {"x", "--helper=exit", "99", NULL};
	char *envp[] = {NULL};
	CHECK_ERR(execve("missing", argv, envp), ENOENT);
	CHECK_ERR(execve("", argv, envp), ENOENT);
	CHECK_OK(mkdir("d", 0755));
	CHECK_ERR(execve("d", argv, envp), EACCES);
	kt_write_file("f", "plain text, no #!\n", 0755);
	CHECK_ERR(execve("./f", argv, envp), ENOEXEC);
	CHECK_ERR(execve("./f/x", argv, envp), ENOTDIR);
	kt_write_file("empty", "", 0755);
	CHECK_ERR(execve("./empty", argv, envp), ENOEXEC);
	kt_write_file("noperm", "#!/bin/sh\n", 0644);
	CHECK_ERR(execve("./noperm", argv, envp), EACCES);
	/* Bad ELF files: a short header, another machine, an object file. */
	kt_write_file("short-elf", "\x7f" "ELF", 0755);
	CHECK_ERR(execve("./short-elf", argv, envp), ENOEXEC);
	char hdr[sizeof(ElfW(Ehdr))];
	int fd = REQUIRE_OK(open(kt_self, O_RDONLY));
	REQUIRE(read(fd, hdr, sizeof(hdr)) == (ssize_t)sizeof(hdr));
	close(fd);
	ElfW(Ehdr) *eh = (ElfW(Ehdr) *)hdr;
	eh->e_machine = eh->e_machine == EM_SPARC ? EM_MIPS : EM_SPARC;
	fd = REQUIRE_OK(open("other-machine", O_WRONLY | O_CREAT, 0755));
	REQUIRE(write(fd, hdr, sizeof(hdr)) == (ssize_t)sizeof(hdr));
	close(fd);
	CHECK_ERR(execve("./other-machine", argv, envp), ENOEXEC);
	fd = REQUIRE_OK(open(kt_self, O_RDONLY));
	REQUIRE(read(fd, hdr, sizeof(hdr)) == (ssize_t)sizeof(hdr));
	close(fd);
	eh->e_type = ET_REL;
	fd = REQUIRE_OK(open("object", O_WRONLY | O_CREAT, 0755));
	REQUIRE(write(fd, hdr, sizeof(hdr)) == (ssize_t)sizeof(hdr));
	close(fd);
	CHECK_ERR(execve("./object", argv, envp), ENOEXEC);
	/* A file open for writing cannot be executed. */
	char line[4200];
	snprintf(line, sizeof(line), "#!%s --helper=exit\n", kt_self);
	kt_write_file("busy", line, 0755);
	fd = REQUIRE_OK(open("busy", O_WRONLY));
	CHECK_ERR(execve("./busy", argv, envp), ETXTBSY);
	close(fd);
	/* As an unprivileged user: no x for others. */
	if (kt_is_root()) {
		kt_write_file("owner-only", line, 0700);
		pid_t pid = kt_fork();
		if (pid == 0) {
			kt_drop_privileges();
			CHECK_ERR(execve("./owner-only", argv, envp), EACCES);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
}

static void exec_errors(void)
{
	in_child(exec_errors_body);
}

static void exec_efault(void)
{
	char *argv[] = {"x", "--helper=exit", "99", NULL};
	char *envp[] = {"A=1", NULL};
	FOR_BAD(kt_bad_in, b) {
		char *bad_arg[] = {"x", "--helper=exit", "99", b->p, NULL};
		char *bad_env[] = {"A=1", b->p, NULL};
		/* In a child: a wrong success must not replace the test. */
		pid_t pid = kt_fork();
		if (pid == 0) {
			CHECK_ERR(syscall(SYS_execve, b->p, argv, envp), EFAULT);
			CHECK_ERR(syscall(SYS_execve, kt_self, b->p, envp), EFAULT);
			CHECK_ERR(syscall(SYS_execve, kt_self, bad_arg, envp), EFAULT);
			CHECK_ERR(syscall(SYS_execve, kt_self, argv, b->p), EFAULT);
			CHECK_ERR(syscall(SYS_execve, kt_self, argv, bad_env), EFAULT);
			_exit(kt_failures != 0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
	}
	END_BAD;
}

static void cloexec(void)
{
	int a = REQUIRE_OK(open(".", O_RDONLY | O_CLOEXEC));
	int b = REQUIRE_OK(open(".", O_RDONLY));
	int c = REQUIRE_OK(dup(b));
	REQUIRE_OK(fcntl(c, F_SETFD, FD_CLOEXEC));
	int p[2];
	REQUIRE_OK(pipe2(p, O_CLOEXEC));
	char fa[16], fb[16], fc[16], fp0[16], fp1[16];
	snprintf(fa, sizeof(fa), "%d:c", a);
	snprintf(fb, sizeof(fb), "%d:o", b);
	snprintf(fc, sizeof(fc), "%d:c", c);
	snprintf(fp0, sizeof(fp0), "%d:c", p[0]);
	snprintf(fp1, sizeof(fp1), "%d:c", p[1]);
	char *argv[] = {"x", "--helper=fds", "0:o", "1:o", "2:o", fa, fb, fc, fp0, fp1, NULL};
	pid_t pid = kt_fork();
	if (pid == 0) {
		execve(kt_self, argv, environ);
		_exit(127);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* A failed execve closes nothing. */
	CHECK_ERR(execve("missing", argv, environ), ENOENT);
	CHECK_OK(fcntl(a, F_GETFD));
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void signal_state(void)
{
	kt_handle(SIGUSR1, on_usr1, 0);
	signal(SIGUSR2, SIG_IGN);
	kt_block(SIGINT);
	kt_block(SIGTERM);
	raise(SIGTERM);
	static char alt[65536];
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof(alt)};
	REQUIRE_OK(sigaltstack(&ss, NULL));
	char *argv[] = {"x", "--helper=sigstate", NULL};
	execve(kt_self, argv, environ);
	KT_FAIL("execve: %s", kt_errname(errno));
}

static void static_pie(void)
{
	char dir[4096], path[4200];
	snprintf(dir, sizeof(dir), "%s", kt_self);
	snprintf(path, sizeof(path), "%s/kite-tests-pie", dirname(dir));
	char *argv[] = {"pie", "arg1", NULL};
	char *envp[] = {"PIE=1", NULL};
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		KT_FAIL("%s: %s", path, kt_errname(errno));
		kt_abort();
	}
	ElfW(Ehdr) eh;
	REQUIRE(read(fd, &eh, sizeof(eh)) == (ssize_t)sizeof(eh));
	close(fd);
	CHECK_EQ(eh.e_type, ET_DYN);
	pid_t pid = kt_fork();
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	CHECK_EQ(kt_wait_exit(pid), 42);
}

KT_TABLE(exec) = {
	{"exec.argv_envp", argv_envp},
	{"exec.auxv", auxv},
	{"exec.shebang", shebang},
	{"exec.errors", exec_errors},
	{"exec.efault", exec_efault},
	{"exec.cloexec", cloexec},
	{"exec.signal_state", signal_state},
	{"exec.static_pie", static_pie},
	{NULL, NULL},
};
