/*
 * The Open POSIX Test Suite's runner for tests/posix: runs each test of a
 * list in its own process group with a time limit, as the suite's
 * Makefile runs each under timeout(1), and prints one result line per test
 * in the suite's terms.  The same static program runs in Kite's initramfs
 * and natively on Linux (the reference run), so both are judged alike.
 *
 *   pts-run [-t SECONDS] [-a AFTER] [-o OUTFILE] LIST
 *
 * LIST has one test a line, "<name> <kind> <path>": kind "test" is a
 * program (the suite's N-M.test), "sh" a shell script (N-M.sh) run by
 * /bin/sh.  Paths are relative to LIST's directory, the suite's top, which
 * is the working directory (the .sh tests name their helpers from there).
 * With -a, the tests up to and including AFTER are skipped: the host side
 * resumes a batch so after a test that brought the kernel down.
 *
 * Output, one write per line (the console may interleave kernel lines):
 *   posix-start: NAME
 *   posix-result: NAME RESULT DETAIL MS
 *   posix-out: ...        (the test's first lines, for a result not PASS)
 *   posix-done: N tests in S s
 * RESULT by the suite's result codes (include/posixtest.h, exit status):
 * 0 PASS, 1 FAIL, 2 UNRESOLVED, 4 UNSUPPORTED, 5 UNTESTED; past the time
 * limit HUNG (the whole process group is killed, the run goes on); killed
 * by a signal, or another status (3, >5), INTERRUPTED, as the Makefile
 * says.  DETAIL is exit=N, signal=N or timeout.
 *
 * A test's leftover processes (children still in its group when it ends)
 * are killed too, so they cannot disturb the next test.  The runner reaps
 * every child it gets, orphans included, so it can be a PID namespace's
 * init on Linux.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_OUT_LINES	20
#define MAX_OUT_BYTES	2048

static void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	for (char *p = buf; n > 0;) {
		ssize_t w = write(1, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= w;
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The child: own process group, Linux's default signal state, output to a file. */
static void start_test(const char *kind, const char *path, const char *outfile)
{
	sigset_t none;
	int fd;

	setpgid(0, 0);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (strcmp(kind, "sh") == 0)
		execl("/bin/sh", "sh", path, (char *)NULL);
	else
		execl(path, path, (char *)NULL);
	fprintf(stderr, "pts-run: cannot run %s: %s\n", path, strerror(errno));
	_exit(2);       /* UNRESOLVED: the test did not start */
}

/* The test's first lines, so a log says why it did not pass. */
static void show_output(const char *outfile)
{
	char buf[MAX_OUT_BYTES + 1];
	int fd = open(outfile, O_RDONLY);
	ssize_t n = 0, r;
	int lines = 0;

	if (fd < 0)
		return;
	while (n < MAX_OUT_BYTES && (r = read(fd, buf + n, MAX_OUT_BYTES - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	for (char *line = buf; *line && lines < MAX_OUT_LINES; lines++) {
		char *end = strchr(line, '\n');

		if (end)
			*end = '\0';
		for (char *c = line; *c; c++)
			if ((unsigned char)*c < ' ' || (unsigned char)*c > '~')
				*c = '?';
		say("posix-out: %s", line);
		if (!end)
			break;
		line = end + 1;
	}
}

static const char *result_of(int status, int timed_out, char *detail, size_t len)
{
	if (timed_out) {
		snprintf(detail, len, "timeout");
		return "HUNG";
	}
	if (WIFSIGNALED(status)) {
		snprintf(detail, len, "signal=%d", WTERMSIG(status));
		return "INTERRUPTED";
	}
	snprintf(detail, len, "exit=%d", WEXITSTATUS(status));
	switch (WEXITSTATUS(status)) {
	case 0: return "PASS";
	case 1: return "FAIL";
	case 2: return "UNRESOLVED";
	case 4: return "UNSUPPORTED";
	case 5: return "UNTESTED";
	default: return "INTERRUPTED";
	}
}

/*
 * A test that hung: where each of its threads is, from /proc (state,
 * signals pending and blocked, the system call it sleeps in), before it
 * is killed; the console keeps it for whoever looks into the hang.
 */
static void dump_threads(pid_t pid)
{
	static const char *const keys[] = { "State:", "SigPnd:", "ShdPnd:", "SigBlk:" };
	char dir[64], file[64 + 256 + 8], line[160];
	struct dirent *d;
	DIR *tasks;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	tasks = opendir(dir);
	if (!tasks)
		return;
	while ((d = readdir(tasks)) != NULL) {
		char summary[384] = "";
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/status", dir, d->d_name);
		f = fopen(file, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				if (strncmp(line, keys[k], strlen(keys[k])) == 0) {
					line[strcspn(line, "\n")] = '\0';
					strncat(summary, line, sizeof(summary) - strlen(summary) - 2);
					strcat(summary, " ");
				}
			}
		}
		fclose(f);
		/* The system call it sleeps in: number, arguments, sp, pc. */
		snprintf(file, sizeof(file), "%s/%s/syscall", dir, d->d_name);
		f = fopen(file, "r");
		if (f && fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			strncat(summary, "syscall ", sizeof(summary) - strlen(summary) - 1);
			strncat(summary, line, sizeof(summary) - strlen(summary) - 1);
		}
		if (f)
			fclose(f);
		say("# hung: tid %s: %s", d->d_name, summary);
	}
	closedir(tasks);
}

static void run_one(const char *name, const char *kind, const char *path,
		    int timeout_s, const char *outfile)
{
	long long start = now_ms(), deadline = start + timeout_s * 1000LL;
	int status = 0, timed_out = 0;
	long delay = 1;
	char detail[32];
	pid_t pid;

	say("posix-start: %s", name);
	pid = fork();
	if (pid < 0) {
		say("posix-result: %s UNRESOLVED fork-errno=%d 0", name, errno);
		return;
	}
	if (pid == 0)
		start_test(kind, path, outfile);
	setpgid(pid, pid);      /* as the child does: no window before the kill below */
	for (;;) {
		int st;
		pid_t r = waitpid(-1, &st, WNOHANG);

		if (r == pid) {
			status = st;
			break;
		}
		if (r > 0)
			continue;       /* an orphan of an earlier test, reparented to us */
		if (r < 0 && errno != EINTR) {
			say("# pts-run: waitpid: %s", strerror(errno));
			break;
		}
		if (now_ms() >= deadline) {
			dump_threads(pid);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			timed_out = 1;
			break;
		}
		sleep_ms(delay);
		if (delay < 50)
			delay *= 2;
	}
	kill(-pid, SIGKILL);    /* what the test left running */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	const char *result = result_of(status, timed_out, detail, sizeof(detail));
	say("posix-result: %s %s %s %lld", name, result, detail, now_ms() - start);
	if (strcmp(result, "PASS") != 0)
		show_output(outfile);
}

int main(int argc, char **argv)
{
	const char *after = NULL, *outfile = "/tmp/pts-run.out";
	int timeout_s = 120, opt, skipping, count = 0;
	char line[1024], dir[1024];
	long long start = now_ms();
	FILE *list;

	while ((opt = getopt(argc, argv, "t:a:o:")) != -1) {
		switch (opt) {
		case 't': timeout_s = atoi(optarg); break;
		case 'a': after = optarg; break;
		case 'o': outfile = optarg; break;
		default:
			fprintf(stderr, "usage: pts-run [-t SECONDS] [-a AFTER] [-o OUTFILE] LIST\n");
			return 2;
		}
	}
	if (optind != argc - 1 || timeout_s < 1) {
		fprintf(stderr, "usage: pts-run [-t SECONDS] [-a AFTER] [-o OUTFILE] LIST\n");
		return 2;
	}
	list = fopen(argv[optind], "r");
	if (!list) {
		fprintf(stderr, "pts-run: %s: %s\n", argv[optind], strerror(errno));
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[optind]);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		if (chdir(dir[0] ? dir : "/") != 0) {
			fprintf(stderr, "pts-run: cd %s: %s\n", dir, strerror(errno));
			return 2;
		}
	}
	/* The runner itself must not stop or die on what a test sends its group. */
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	skipping = after != NULL;
	while (fgets(line, sizeof(line), list)) {
		char name[400], kind[16], path[400];

		if (sscanf(line, "%399s %15s %399s", name, kind, path) != 3 || name[0] == '#')
			continue;
		if (skipping) {
			skipping = strcmp(name, after) != 0;
			continue;
		}
		run_one(name, kind, path, timeout_s, outfile);
		count++;
	}
	fclose(list);
	say("posix-done: %d tests in %lld s", count, (now_ms() - start) / 1000);
	return 0;
}
