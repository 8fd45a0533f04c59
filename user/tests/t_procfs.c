/*
 * procfs per process, as ps, top, free, pidof and tty read it:
 * /proc/self, /proc/<pid>/{stat,status,cmdline,exe,fd/,maps}, the pid
 * directories' lifetime, the threads' task/<tid>/ and /proc/<tid>, /proc/loadavg, /proc/stat, /proc/meminfo and
 * /proc/mounts.
 */
#include "kt.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void self_link(void)
{
	char buf[64], want[64];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	REQUIRE(n > 0);
	buf[n] = 0;
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK_STR(buf, want);
	/* Our own directory is listed in /proc. */
	DIR *d = opendir("/proc");
	REQUIRE(d);
	int found = 0, pids = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9') {
			pids++;
			found |= !strcmp(e->d_name, want);
			CHECK_EQ(e->d_type, DT_DIR);
		}
	closedir(d);
	CHECK(found);
	CHECK(pids >= 2);
	char exe[4096];
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	REQUIRE(n > 0);
	exe[n] = 0;
	CHECK_STR(exe, kt_self);
}

/* Fields of /proc/<pid>/stat: state, ppid, pgrp, session, and comm. */
static int read_stat(pid_t pid, char *comm, char *state, int *ppid, int *pgrp, int *sid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (kt_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	int p;
	char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	if (sscanf(buf, "%d", &p) != 1 || p != pid || !open || !close)
		return -1;
	snprintf(comm, 64, "%.*s", (int)(close - open - 1), open + 1);
	if (sscanf(close + 2, "%c %d %d %d", state, ppid, pgrp, sid) != 4)
		return -1;
	return 0;
}

static void stat_file(void)
{
	char comm[64], state;
	int ppid, pgrp, sid;
	REQUIRE_OK(read_stat(getpid(), comm, &state, &ppid, &pgrp, &sid));
	char base[4096];
	snprintf(base, sizeof(base), "%s", strrchr(kt_self, '/') + 1);
	base[15] = 0;				/* TASK_COMM_LEN - 1 */
	if (!kt_under_qemu_user())
		CHECK_STR(comm, base);
	CHECK_EQ(state, 'R');
	CHECK_EQ(ppid, getppid());
	CHECK_EQ(pgrp, getpgrp());
	CHECK_EQ(sid, getsid(0));
	/* Another process's state: sleeping, stopped, zombie. */
	int p[2];
	REQUIRE_OK(pipe(p));
	pid_t pid = kt_fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		while (read(p[0], &c, 1) < 0)
			;
		_exit(0);
	}
	close(p[0]);
	CHECK_OK(kt_wait_sleeping(pid));
	REQUIRE_OK(read_stat(pid, comm, &state, &ppid, &pgrp, &sid));
	CHECK_EQ(state, 'S');
	CHECK_EQ(ppid, getpid());
	CHECK_EQ(pgrp, getpgrp());
	CHECK_OK(kill(pid, SIGSTOP));
	int st;
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	REQUIRE_OK(read_stat(pid, comm, &state, &ppid, &pgrp, &sid));
	CHECK_EQ(state, 'T');
	CHECK_OK(kill(pid, SIGCONT));
	close(p[1]);
	siginfo_t si;
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	REQUIRE_OK(read_stat(pid, comm, &state, &ppid, &pgrp, &sid));
	CHECK_EQ(state, 'Z');
	kt_wait(pid);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);
	snprintf(path, sizeof(path), "/proc/%d", pid);
	struct stat sb;
	CHECK_ERR(stat(path, &sb), ENOENT);
}

static void status_file(void)
{
	char buf[4096], line[128];
	REQUIRE(kt_read_file("/proc/self/status", buf, sizeof(buf)) > 0);
	char base[64];
	snprintf(base, sizeof(base), "%s", strrchr(kt_self, '/') + 1);
	base[15] = 0;
	snprintf(line, sizeof(line), "\nPid:\t%d\n", getpid());
	CHECK(strstr(buf, line) != NULL);
	snprintf(line, sizeof(line), "\nPPid:\t%d\n", getppid());
	CHECK(strstr(buf, line) != NULL);
	snprintf(line, sizeof(line), "\nUid:\t%d\t%d\t", getuid(), geteuid());
	CHECK(strstr(buf, line) != NULL);
	snprintf(line, sizeof(line), "\nGid:\t%d\t%d\t", getgid(), getegid());
	CHECK(strstr(buf, line) != NULL);
	CHECK(strstr(buf, "\nState:\tR (running)\n") != NULL);
	if (!kt_under_qemu_user()) {
		snprintf(line, sizeof(line), "Name:\t%s\n", base);
		CHECK(strncmp(buf, line, strlen(line)) == 0);
	}
}

static void cmdline_file(void)
{
	/* A child blocked in a fresh image with known arguments, as ps sees it. */
	int ready[2], hold[2];
	REQUIRE_OK(pipe(ready));
	REQUIRE_OK(pipe(hold));
	char w[16], r[16];
	snprintf(w, sizeof(w), "%d", ready[1]);
	snprintf(r, sizeof(r), "%d", hold[0]);
	char *argv[] = {"first", "--helper=block", w, r, "", "last arg", NULL};
	pid_t pid = kt_fork();
	if (pid == 0) {
		close(hold[1]);
		execve(kt_self, argv, (char *[]){"ENV=1", NULL});
		_exit(127);
	}
	close(ready[1]);
	close(hold[0]);
	char c;
	REQUIRE(read(ready[0], &c, 1) == 1);
	char want[256], got[256], path[64];
	size_t n = 0;
	for (int i = 0; argv[i]; i++)
		n += sprintf(want + n, "%s", argv[i]) + 1;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	ssize_t g = kt_read_file(path, got, sizeof(got));
	CHECK_EQ(g, (long)n);
	CHECK(g == (ssize_t)n && memcmp(got, want, n) == 0);
	/* Its exe and comm follow the exec too. */
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	g = readlink(path, got, sizeof(got) - 1);
	if (g > 0 && (size_t)g < sizeof(got)) {
		got[g] = 0;
		CHECK_STR(got, kt_self);
	} else {
		KT_FAIL("readlink %s: %s", path, kt_errname(errno));
	}
	close(hold[1]);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* Our own: what the harness was started with, NUL-terminated. */
	g = kt_read_file("/proc/self/cmdline", got, sizeof(got));
	CHECK(g > 0 && got[g - 1] == 0);
}

static void fd_dir(void)
{
	char cwd[4096], path[4200], link[4200];
	REQUIRE(getcwd(cwd, sizeof(cwd)));
	kt_write_file("file", "", 0644);
	int fd = REQUIRE_OK(open("file", O_RDONLY));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	REQUIRE(n > 0);
	link[n] = 0;
	snprintf(path, sizeof(path), "%s/file", cwd);
	CHECK_STR(link, path);
	int null = REQUIRE_OK(open("/dev/null", O_RDONLY));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", null);
	n = readlink(path, link, sizeof(link) - 1);
	REQUIRE(n > 0);
	link[n] = 0;
	CHECK_STR(link, "/dev/null");
	int p[2];
	REQUIRE_OK(pipe(p));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, link, sizeof(link) - 1);
	REQUIRE(n > 0);
	link[n] = 0;
	struct stat st;
	CHECK_OK(fstat(p[0], &st));
	char want[64];
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	CHECK_STR(link, want);
	/* Opening /proc/self/fd/N opens the same file. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int again = CHECK_OK(open(path, O_RDONLY));
	struct stat a, b;
	CHECK_OK(fstat(fd, &a));
	CHECK_OK(fstat(again, &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	close(again);
	/* The listing: exactly the open descriptors. */
	close(null);
	DIR *d = opendir("/proc/self/fd");
	REQUIRE(d);
	int seen_fd = 0, seen_null = 0, seen_p = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		int n2 = atoi(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		seen_fd |= n2 == fd;
		seen_null |= n2 == null && n2 != dirfd(d);
		seen_p |= n2 == p[1];
		CHECK(fcntl(n2, F_GETFD) != -1);
	}
	closedir(d);
	CHECK(seen_fd && seen_p && !seen_null);
}

static void maps_file(void)
{
	static char buf[65536];
	char *m = mmap(NULL, 3 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(m != MAP_FAILED);
	CHECK_OK(mprotect(m + KT_PAGE, KT_PAGE, PROT_READ));
	REQUIRE(kt_read_file("/proc/self/maps", buf, sizeof(buf)) > 0);
	int stack = 0, code = 0, parts = 0;
	uintptr_t here = (uintptr_t)&stack, fn = (uintptr_t)maps_file;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3) {
			KT_FAIL("bad maps line: %s", line);
			continue;
		}
		CHECK(lo < hi && lo % KT_PAGE == 0 && hi % KT_PAGE == 0);
		if (here >= lo && here < hi) {
			stack = 1;
			CHECK(strstr(line, "[stack]") != NULL);
			CHECK(!strncmp(perms, "rw", 2));
		}
		if (fn >= lo && fn < hi) {
			code = 1;
			CHECK(perms[0] == 'r' && perms[2] == 'x');
			CHECK(strstr(line, kt_self) != NULL);
		}
		/* Our mapping, split in three by mprotect. */
		if (lo == (uintptr_t)m && hi == (uintptr_t)m + KT_PAGE && !strcmp(perms, "rw-p"))
			parts++;
		if (lo == (uintptr_t)m + KT_PAGE && hi == (uintptr_t)m + 2 * KT_PAGE && !strcmp(perms, "r--p"))
			parts++;
		if (lo == (uintptr_t)m + 2 * KT_PAGE && hi == (uintptr_t)m + 3 * KT_PAGE && !strcmp(perms, "rw-p"))
			parts++;
	}
	CHECK(stack && code);
	CHECK_EQ(parts, 3);
}

static void system_files(void)
{
	char buf[16384];
	double a, b, c;
	int run, total, last;
	REQUIRE(kt_read_file("/proc/loadavg", buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "%lf %lf %lf %d/%d %d", &a, &b, &c, &run, &total, &last), 6);
	CHECK(run >= 1 && total >= run);
	REQUIRE(kt_read_file("/proc/stat", buf, sizeof(buf)) > 0);
	unsigned long long v[4];
	CHECK_EQ(sscanf(buf, "cpu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]), 4);
	REQUIRE(kt_read_file("/proc/meminfo", buf, sizeof(buf)) > 0);
	unsigned long total_kb = 0, free_kb = 0;
	char *t = strstr(buf, "MemTotal:"), *f = strstr(buf, "MemFree:");
	REQUIRE(t && f);
	sscanf(t, "MemTotal: %lu kB", &total_kb);
	sscanf(f, "MemFree: %lu kB", &free_kb);
	CHECK(total_kb > 0 && free_kb <= total_kb);
	REQUIRE(kt_read_file("/proc/mounts", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, " /proc proc ") != NULL);
	CHECK(buf[0] != 0 && strchr(buf, '\n') != NULL);
}

/*
 * /proc/slabinfo (root only, Linux's 2.1 format), /proc/sys/vm/drop_caches
 * (root writes 1..4, anything else EINVAL) and /proc/sys/fs/dentry-state
 * (six numbers, for everyone): what the fuzzer's leak check reads.
 */
static void slab_and_sysctl(void)
{
	static char buf[65536];
	char *line, *save = NULL;
	unsigned int caches = 0;
	long n[6];
	int fd;

	REQUIRE(kt_read_file("/proc/sys/fs/dentry-state", buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "%ld %ld %ld %ld %ld %ld", &n[0], &n[1], &n[2], &n[3], &n[4],
			&n[5]), 6);
	CHECK(n[1] <= n[0]);
	if (!kt_is_root())
		kt_skip("/proc/slabinfo and drop_caches are root's");

	REQUIRE(kt_read_file("/proc/slabinfo", buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "slabinfo - version: 2.1\n# name ", strlen("slabinfo - version: 2.1\n# name ")));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long active, num, size, slabs, nslabs, shared;
		unsigned int perslab, pages, limit, batch, factor;

		if (!strncmp(line, "slabinfo", 8) || line[0] == '#')
			continue;
		caches++;
		CHECK_EQ(sscanf(line, "%63s %lu %lu %lu %u %u : tunables %u %u %u : slabdata %lu %lu %lu",
				name, &active, &num, &size, &perslab, &pages, &limit, &batch, &factor,
				&slabs, &nslabs, &shared), 12);
		CHECK(active <= num);
		CHECK(size > 0 && perslab > 0 && pages > 0);
	}
	CHECK(caches > 0);

	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	REQUIRE(fd >= 0);
	/* At position 0: Linux ignores sysctl writes further on (writes_strict). */
	CHECK_EQ(pwrite(fd, "3\n", 2, 0), 2);
	CHECK_ERR(pwrite(fd, "0", 1, 0), EINVAL);
	/* 5..8 depend on the version (6.1: up to 4, 6.18 takes 8): 100 is out everywhere. */
	CHECK_ERR(pwrite(fd, "100", 3, 0), EINVAL);
	CHECK_ERR(pwrite(fd, "x", 1, 0), EINVAL);
	CHECK_EQ(write(fd, "1", 1), 1);
	CHECK_EQ(write(fd, "x", 1), 1);		/* position 1: ignored */
	close(fd);

	pid_t pid = kt_fork();
	if (pid == 0) {
		kt_drop_privileges();
		CHECK_ERR(open("/proc/slabinfo", O_RDONLY), EACCES);
		CHECK_ERR(open("/proc/sys/vm/drop_caches", O_WRONLY), EACCES);
		_exit(kt_failures ? 1 : 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

/* A child blocked in rt_sigsuspend until it is killed. */
static pid_t sleeping_child(void)
{
	sigset_t none;
	pid_t pid;

	sigemptyset(&none);
	pid = kt_fork();
	if (pid == 0) {
		sigsuspend(&none);
		_exit(0);
	}
	REQUIRE(kt_wait_sleeping(pid) == 0);
	return pid;
}

/*
 * /proc/<pid>/syscall: a child blocked in rt_sigsuspend shows that call,
 * its six arguments, sp and pc.  (The reader's own file shows the call
 * that made the text: read on Linux, open on Kite, whose proc files are
 * made at open.)
 */
static void syscall_file(void)
{
	char path[64], buf[512];
	long nr, args[6], sp, pc;
	pid_t pid;

	pid = sleeping_child();
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK_EQ(sscanf(buf, "%ld %lx %lx %lx %lx %lx %lx %lx %lx", &nr, &args[0], &args[1],
			&args[2], &args[3], &args[4], &args[5], &sp, &pc), 9);
	CHECK_EQ(nr, SYS_rt_sigsuspend);
	CHECK_EQ(args[1], 8);			/* the kernel's sigset size */
	CHECK(sp != 0 && pc != 0);
	kill(pid, SIGKILL);
	kt_wait(pid);
}

/*
 * A mount on a process's /proc directory leaves with the process, as
 * Linux's d_invalidate() detaches it: no mount outlives every path to it.
 */
static void mount_on_pid_dir(void)
{
	char path[64];
	pid_t pid;

	if (!kt_is_root())
		kt_skip("mount is root's");
	pid = sleeping_child();
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if (mount("kt-pidmnt", path, "tmpfs", 0, "size=64k") != 0) {
		int err = errno;

		kill(pid, SIGKILL);
		kt_wait(pid);
		if (!kt_on_kite())
			kt_skip("mount on %s: %s (a container without CAP_SYS_ADMIN?)", path,
				strerror(err));
		CHECK_EQ(err, 0);
		return;
	}
	CHECK_EQ(kt_count_mounts("kt-pidmnt"), 1);
	kill(pid, SIGKILL);
	kt_wait(pid);
	CHECK_EQ(kt_count_mounts("kt-pidmnt"), 0);
}

/* ---- task/: one directory per thread ---- */

#define TASK_THREADS 3

static struct task_thread {
	pthread_t th;
	pid_t tid;
	char self_link[64];	/* what /proc/thread-self read in the thread */
} task_threads[TASK_THREADS];
static atomic_int task_ready;
static int task_release[2];	/* a pipe: the threads sleep reading it */

static void *task_thread_main(void *arg)
{
	struct task_thread *tt = arg;
	char name[16], c;
	ssize_t n;

	tt->tid = (pid_t)syscall(SYS_gettid);
	snprintf(name, sizeof(name), "kt-task-%u", (unsigned int)(tt - task_threads) % 10u);
	prctl(PR_SET_NAME, name);
	n = readlink("/proc/thread-self", tt->self_link, sizeof(tt->self_link) - 1);
	tt->self_link[n > 0 ? n : 0] = 0;
	atomic_fetch_add(&task_ready, 1);
	while (read(task_release[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/*
 * The fields of a stat file: f[1] the pid, comm, *state, f[4..52] the
 * numbers after them (proc(5)'s numbering); the count read, or -1.
 */
static int stat_fields(const char *path, char *comm, char *state, long long f[53])
{
	char buf[1024], *open, *close, *s, *end;
	int n = 3;

	if (kt_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close[1] != ' ')
		return -1;
	f[1] = strtoll(buf, NULL, 10);
	snprintf(comm, 16, "%.*s", (int)(close - open - 1), open + 1);
	*state = close[2];
	for (s = close + 3; n < 52; s = end) {
		long long v = strtoll(s, &end, 10);

		if (end == s)
			break;
		f[++n] = v;
	}
	return n;
}

/* Which of want[0..n) a directory lists (bit i), -1 for any other number in it. */
static int listed_tids(const char *path, const pid_t *want, int n)
{
	struct dirent *e;
	int seen = 0;
	DIR *d = opendir(path);

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		int i;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		for (i = 0; i < n && atoi(e->d_name) != want[i]; i++)
			;
		if (i == n || (seen & (1 << i)) || e->d_type != DT_DIR)
			seen = -1;
		if (seen >= 0)
			seen |= 1 << i;
	}
	closedir(d);
	return seen;
}

/* Whether a directory lists the number n. */
static int lists_number(const char *path, pid_t n)
{
	struct dirent *e;
	int found = 0;
	DIR *d = opendir(path);

	REQUIRE(d);
	while ((e = readdir(d)))
		found |= atoi(e->d_name) == n;
	closedir(d);
	return found;
}

/* Polls path until it is gone (a thread leaves /proc once it has exited). */
static int wait_gone(const char *path)
{
	struct timespec ms = {0, 1000000};
	struct stat sb;

	for (int i = 0; i < 30000; i++) {
		if (stat(path, &sb) < 0)
			return errno;
		nanosleep(&ms, NULL);
	}
	return 0;
}

/*
 * /proc/<pid>/task lists every thread; task/<tid>/stat, status and comm
 * describe that thread (its tid, name and state; the process's thread
 * count), a thread may rename another of its process through comm, and
 * /proc/<tid> of a thread other than the first is found (though not
 * listed in /proc) and shows that thread, as on Linux.
 */
static void task_dir(void)
{
	pid_t me = getpid(), all[TASK_THREADS + 1], t;
	char path[128], buf[4096], line[128], comm[16], state, base[64];
	long long f[53], g[53];

	snprintf(base, sizeof(base), "%s", strrchr(kt_self, '/') + 1);
	base[15] = 0;
	REQUIRE_OK(pipe(task_release));
	for (int i = 0; i < TASK_THREADS; i++)
		REQUIRE(pthread_create(&task_threads[i].th, NULL, task_thread_main,
				       &task_threads[i]) == 0);
	while (atomic_load(&task_ready) < TASK_THREADS)
		sched_yield();
	all[0] = me;
	for (int i = 0; i < TASK_THREADS; i++) {
		all[i + 1] = task_threads[i].tid;
		snprintf(line, sizeof(line), "%d/task/%d", me, all[i + 1]);
		CHECK_STR(task_threads[i].self_link, line);
	}
	t = all[1];

	/* Every thread listed once, nothing else; /proc itself lists processes only. */
	CHECK_EQ(listed_tids("/proc/self/task", all, TASK_THREADS + 1),
		 (1 << (TASK_THREADS + 1)) - 1);
	CHECK(lists_number("/proc", me));
	CHECK(!lists_number("/proc", t));

	/* The thread's own stat: its tid, name, state, and exit signal (none). */
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", t);
	for (int i = 0; i < 30000 && stat_fields(path, comm, &state, f) > 0 && state != 'S'; i++)
		usleep(1000);
	REQUIRE(stat_fields(path, comm, &state, f) >= 39);
	CHECK_EQ(f[1], t);
	CHECK_STR(comm, "kt-task-0");
	CHECK_EQ(state, 'S');
	CHECK_EQ(f[4], getppid());
	CHECK_EQ(f[20], TASK_THREADS + 1);
	CHECK_EQ(f[38], -1);
	/* Its CPU time is part of the process's. */
	REQUIRE(stat_fields("/proc/self/stat", comm, &state, g) >= 39);
	CHECK(f[14] + f[15] <= g[14] + g[15]);
	CHECK_EQ(g[1], me);
	/* The first thread's: this one, running, with the process's name. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", me);
	REQUIRE(stat_fields(path, comm, &state, f) >= 39);
	CHECK_EQ(f[1], me);
	CHECK_EQ(state, 'R');
	CHECK_EQ(f[38], SIGCHLD);
	if (!kt_under_qemu_user())
		CHECK_STR(comm, base);

	/* status: Name, State and Pid the thread's, Tgid and Threads the process's. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", t);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "Name:\tkt-task-0\n", 16) == 0);
	CHECK(strstr(buf, "\nState:\tS (sleeping)\n") != NULL);
	snprintf(line, sizeof(line), "\nTgid:\t%d\n", me);
	CHECK(strstr(buf, line) != NULL);
	snprintf(line, sizeof(line), "\nPid:\t%d\n", t);
	CHECK(strstr(buf, line) != NULL);
	snprintf(line, sizeof(line), "\nThreads:\t%d\n", TASK_THREADS + 1);
	CHECK(strstr(buf, line) != NULL);

	/* comm: the thread's name; the process keeps its own. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", t);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "kt-task-0\n");
	REQUIRE(kt_read_file("/proc/self/comm", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "kt-task-0\n") != 0);

	/* /proc/<tid>: found, that thread's files, every thread in its task/. */
	snprintf(path, sizeof(path), "/proc/%d/status", t);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "Name:\tkt-task-0\n", 16) == 0);
	snprintf(line, sizeof(line), "\nTgid:\t%d\n", me);
	CHECK(strstr(buf, line) != NULL);
	snprintf(line, sizeof(line), "\nPid:\t%d\n", t);
	CHECK(strstr(buf, line) != NULL);
	snprintf(path, sizeof(path), "/proc/%d/stat", t);
	REQUIRE(stat_fields(path, comm, &state, f) >= 39);
	CHECK_EQ(f[1], t);
	CHECK_STR(comm, "kt-task-0");
	snprintf(path, sizeof(path), "/proc/%d/task", t);
	CHECK_EQ(listed_tids(path, all, TASK_THREADS + 1), (1 << (TASK_THREADS + 1)) - 1);

	/* Another process's thread is not in our task/, nor ours in its. */
	snprintf(path, sizeof(path), "/proc/self/task/%d", getppid());
	CHECK_ERR(open(path, O_RDONLY), ENOENT);
	snprintf(path, sizeof(path), "/proc/%d/task/%d", getppid(), t);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);

	/* A thread renames another of its process through comm. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", all[2]);
	int fd = CHECK_OK(open(path, O_WRONLY));
	CHECK_EQ(write(fd, "kt-renamed", 10), 10);
	close(fd);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "kt-renamed\n");
	snprintf(path, sizeof(path), "/proc/%d/comm", all[2]);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "kt-renamed\n");

	/* Threads that exited are gone from both places. */
	close(task_release[1]);
	for (int i = 0; i < TASK_THREADS; i++)
		CHECK_EQ(pthread_join(task_threads[i].th, NULL), 0);
	close(task_release[0]);
	for (int i = 1; i <= TASK_THREADS; i++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d", all[i]);
		CHECK_EQ(wait_gone(path), ENOENT);
		snprintf(path, sizeof(path), "/proc/%d", all[i]);
		CHECK_EQ(wait_gone(path), ENOENT);
	}
	CHECK_EQ(listed_tids("/proc/self/task", all, TASK_THREADS + 1), 1);
}

/*
 * task/<tid>/stat gives the thread's own page faults (fields 10 and 12)
 * and start time (22), task/<tid>/status its context switches;
 * /proc/<pid>/stat the process's faults, all its threads', and its
 * start, which the first thread shares.
 */
#define FAULT_PAGES 16
static char *fault_area;
static int fault_pipe[2], fault_done[2];

static void *faulting_thread(void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	char c = 'f';

	for (int i = 0; i < FAULT_PAGES; i++)
		fault_area[i * page] = 1;	/* first touches: minor faults */
	if (write(fault_done[1], &c, 1) != 1)
		return NULL;
	while (read(fault_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return arg;
}

static void task_stat_faults_start(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct timespec wait = {0, 40000000};
	long long proc0[53], proc[53], thr[53], first[53];
	char comm[64], state, path[96], c;
	pthread_t th;
	pid_t tid;

	if (kt_under_qemu_user())
		kt_skip("QEMU's user mode makes up /proc/self/stat without these fields");
	REQUIRE(stat_fields("/proc/self/stat", comm, &state, proc0) >= 39);
	fault_area = mmap(NULL, FAULT_PAGES * page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(fault_area != MAP_FAILED);
	REQUIRE_OK(pipe(fault_pipe));
	REQUIRE_OK(pipe(fault_done));
	while (nanosleep(&wait, &wait) < 0 && errno == EINTR)
		;				/* the thread starts >= 4 ticks later */
	REQUIRE(pthread_create(&th, NULL, faulting_thread, NULL) == 0);
	REQUIRE(read(fault_done[0], &c, 1) == 1);
	tid = 0;
	{
		/* The other thread: the one task/ entry that is not us. */
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;

		REQUIRE(d);
		while ((e = readdir(d)))
			if (atoi(e->d_name) > 0 && atoi(e->d_name) != getpid())
				tid = atoi(e->d_name);
		closedir(d);
	}
	REQUIRE(tid > 0);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	for (int i = 0; i < 30000 && stat_fields(path, comm, &state, thr) > 0 && state != 'S'; i++)
		usleep(1000);			/* until it sleeps in read() */
	REQUIRE(stat_fields(path, comm, &state, thr) >= 39);
	CHECK_EQ(state, 'S');
	{
		/* status: the thread's own context switches; it has blocked. */
		char buf[4096], *v;

		snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
		REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
		v = strstr(buf, "\nvoluntary_ctxt_switches:\t");
		REQUIRE(v != NULL);
		CHECK(atol(v + strlen("\nvoluntary_ctxt_switches:\t")) >= 1);
		CHECK(strstr(buf, "\nnonvoluntary_ctxt_switches:\t") != NULL);
	}
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)getpid());
	REQUIRE(stat_fields(path, comm, &state, first) >= 39);
	REQUIRE(stat_fields("/proc/self/stat", comm, &state, proc) >= 39);

	CHECK(thr[10] >= FAULT_PAGES);		/* minflt: its own touches */
	CHECK(proc[10] >= thr[10] + first[10]);	/* the process: every thread's */
	CHECK(proc[12] >= thr[12]);		/* majflt */
	CHECK_EQ(proc[11], thr[11]);		/* cminflt: the process's children's */
	CHECK_EQ(proc[22], proc0[22]);		/* the process's start does not move */
	CHECK_EQ(first[22], proc[22]);		/* the first thread's is the process's */
	CHECK(thr[22] >= proc[22] + 3);		/* made 40 ms later: 4 ticks of 100 Hz */

	c = 'x';
	CHECK_EQ(write(fault_pipe[1], &c, 1), 1);
	CHECK_EQ(pthread_join(th, NULL), 0);
	close(fault_pipe[0]);
	close(fault_pipe[1]);
	close(fault_done[0]);
	close(fault_done[1]);
	/* Exited, its faults stay the process's. */
	REQUIRE(stat_fields("/proc/self/stat", comm, &state, proc0) >= 39);
	CHECK(proc0[10] >= proc[10]);
	munmap(fault_area, FAULT_PAGES * page);
}

KT_TABLE(procfs) = {
	{"procfs.self", self_link},
	{"procfs.pid_stat", stat_file},
	{"procfs.pid_status", status_file},
	{"procfs.cmdline", cmdline_file},
	{"procfs.fd", fd_dir},
	{"procfs.maps", maps_file},
	{"procfs.system_files", system_files},
	{"procfs.slabinfo_sysctl", slab_and_sysctl},
	{"procfs.syscall", syscall_file},
	{"procfs.mount_on_pid_dir", mount_on_pid_dir},
	{"procfs.task_dir", task_dir},
	{"procfs.task_stat_faults_start", task_stat_faults_start},
	{NULL, NULL},
};
