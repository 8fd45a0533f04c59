/*
 * Pipes: pipe/pipe2 and their flags, end-of-file, 64 KiB capacity,
 * PIPE_BUF atomicity (non-blocking all-or-nothing, and between concurrent
 * writers), EPIPE with SIGPIPE, O_NONBLOCK EAGAIN, FIONREAD, and EFAULT.
 */
#include "kt.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

static void pipe_basic(void)
{
	int p[2];
	REQUIRE_OK(pipe2(p, 0));
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	CHECK_EQ(fcntl(p[0], F_GETFD), 0);
	char buf[16] = {0};
	CHECK_ERR(write(p[0], "x", 1), EBADF);
	CHECK_ERR(read(p[1], buf, 1), EBADF);
	CHECK_EQ(write(p[1], "hello", 5), 5);
	CHECK_EQ(read(p[0], buf, 3), 3);		/* partial reads */
	CHECK(memcmp(buf, "hel", 3) == 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 2);	/* what is there, no more */
	CHECK(memcmp(buf, "lo", 2) == 0);
	/* EOF once every write end is closed, including a child's copy. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		close(p[0]);
		_exit(write(p[1], "child", 5) != 5);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	close(p[1]);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 5);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
	/* A reader blocked until a writer (another process) writes. */
	REQUIRE_OK(pipe(p));
	pid = kt_fork();
	if (pid == 0) {
		sched_yield();
		_exit(write(p[1], "late", 4) != 4);
	}
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 4);
	CHECK_EQ(kt_wait_exit(pid), 0);
#ifdef SYS_pipe
	int q[2];
	CHECK_OK(syscall(SYS_pipe, q));
	CHECK_EQ(write(q[1], "p", 1), 1);
	CHECK_EQ(read(q[0], buf, 1), 1);
#endif
}

static void pipe_flags(void)
{
	int p[2];
	REQUIRE_OK(pipe2(p, O_CLOEXEC));
	CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	close(p[0]);
	close(p[1]);
	REQUIRE_OK(pipe2(p, O_NONBLOCK));
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	char c;
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);		/* empty, writer open */
	close(p[1]);
	CHECK_EQ(read(p[0], &c, 1), 0);			/* empty, no writer */
	close(p[0]);
	CHECK_ERR(pipe2(p, O_APPEND), EINVAL);
	CHECK_ERR(pipe2(p, 0x40000000), EINVAL);
	int before = REQUIRE_OK(open("/dev/null", O_RDONLY));
	close(before);
	FOR_BAD(kt_bad_out, b) {
		CHECK_ERR(syscall(SYS_pipe2, b->p, 0), EFAULT);
#ifdef SYS_pipe
		CHECK_ERR(syscall(SYS_pipe, b->p), EFAULT);
#endif
	}
	END_BAD;
	/* The failed calls left no descriptors behind. */
	int after = open("/dev/null", O_RDONLY);
	CHECK_EQ(after, before);
}

static void pipe_capacity(void)
{
	int p[2];
	REQUIRE_OK(pipe2(p, O_NONBLOCK));
	static char buf[65536 + 4096];
	memset(buf, 'c', sizeof(buf));
	/* 64 KiB in page-sized writes, then full. */
	long total = 0;
	for (;;) {
		ssize_t r = write(p[1], buf, 4096);
		if (r < 0) {
			CHECK_EQ(errno, EAGAIN);
			break;
		}
		CHECK_EQ(r, 4096);
		total += r;
		if (total > 1 << 20)
			break;
	}
	CHECK_EQ(total, 65536);
	CHECK_ERR(write(p[1], "x", 1), EAGAIN);
	int avail = -1;
	CHECK_OK(ioctl(p[0], FIONREAD, &avail));
	CHECK_EQ(avail, 65536);
	/* A page read frees room for a page: all of it (PIPE_BUF atomic). */
	CHECK_EQ(read(p[0], buf, 4096), 4096);
	CHECK_EQ(write(p[1], buf, 4096), 4096);
	/* More than PIPE_BUF into a page of room: a partial write. */
	CHECK_EQ(read(p[0], buf, 4096), 4096);
	CHECK_EQ(write(p[1], buf, 4097), 4096);
	CHECK_ERR(write(p[1], buf, 4097), EAGAIN);
	/* Draining it all gives back exactly what went in. */
	long got = 0;
	for (;;) {
		ssize_t r = read(p[0], buf, sizeof(buf));
		if (r <= 0)
			break;
		got += r;
	}
	CHECK_EQ(got, 65536);
	/* One big blocking write of 1 MiB, read by a child. */
	close(p[0]);
	close(p[1]);
	REQUIRE_OK(pipe(p));
	pid_t pid = kt_fork();
	if (pid == 0) {
		close(p[1]);
		long n = 0;
		unsigned sum = 0;
		for (;;) {
			unsigned char b[1000];
			ssize_t r = read(p[0], b, sizeof(b));
			if (r <= 0)
				break;
			for (ssize_t i = 0; i < r; i++)
				sum = sum * 31 + b[i];
			n += r;
		}
		_exit(n == 1 << 20 && sum == 0 ? 0 : 1);
	}
	close(p[0]);
	char *big = calloc(1, 1 << 20);
	REQUIRE(big);
	CHECK_EQ(write(p[1], big, 1 << 20), 1 << 20);
	close(p[1]);
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static void pipe_atomic(void)
{
	/* Writers of PIPE_BUF-sized records never interleave inside one. */
	enum { WRITERS = 4, RECORDS = 64 };
	int p[2];
	REQUIRE_OK(pipe(p));
	pid_t pids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = kt_fork();
		if (pids[w] == 0) {
			static char rec[PIPE_BUF];
			close(p[0]);
			memset(rec, 'A' + w, sizeof(rec));
			for (int i = 0; i < RECORDS; i++)
				if (write(p[1], rec, sizeof(rec)) != (ssize_t)sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	static char all[WRITERS * RECORDS * PIPE_BUF + 1];
	size_t n = 0;
	for (;;) {
		ssize_t r = read(p[0], all + n, sizeof(all) - n);
		if (r <= 0)
			break;
		n += r;
	}
	CHECK_EQ(n, WRITERS * RECORDS * PIPE_BUF);
	int counts[WRITERS] = {0};
	for (size_t rec = 0; rec + PIPE_BUF <= n; rec += PIPE_BUF) {
		char c = all[rec];
		for (size_t i = 1; i < PIPE_BUF; i++)
			if (all[rec + i] != c) {
				KT_FAIL("record at %zu mixes '%c' and '%c'", rec, c, all[rec + i]);
				rec = n;
				break;
			}
		if (c >= 'A' && c < 'A' + WRITERS)
			counts[c - 'A']++;
	}
	for (int w = 0; w < WRITERS; w++) {
		CHECK_EQ(counts[w], RECORDS);
		CHECK_EQ(kt_wait_exit(pids[w]), 0);
	}
}

static void pipe_epipe(void)
{
	int p[2];
	REQUIRE_OK(pipe(p));
	close(p[0]);
	/* Default action: the writer dies of SIGPIPE. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		ssize_t r = write(p[1], "x", 1);
		(void)r;
		_exit(0);
	}
	int st = kt_wait(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
	/* Ignored: EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	/* Blocked: EPIPE, and SIGPIPE is pending. */
	signal(SIGPIPE, SIG_DFL);
	kt_block(SIGPIPE);
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	sigset_t pend;
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGPIPE));
	siginfo_t si;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGPIPE);
	CHECK_EQ(sigwaitinfo(&s, &si), SIGPIPE);
	CHECK_EQ(si.si_code, SI_USER);
	CHECK_EQ(si.si_pid, getpid());
	/* A reader that goes away while a writer is blocked on a full pipe. */
	int q[2];
	REQUIRE_OK(pipe(q));
	pid = kt_fork();
	if (pid == 0) {
		static char big[200000];
		signal(SIGPIPE, SIG_IGN);
		close(q[0]);
		ssize_t r = write(q[1], big, sizeof(big));
		/* Linux returns what it wrote before the reader left. */
		_exit(r == -1 ? (errno == EPIPE ? 0 : 1) : r >= 65536 && r < (ssize_t)sizeof(big) ? 0 : 2);
	}
	close(q[1]);
	kt_wait_sleeping(pid);
	close(q[0]);
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static void pipe_efault(void)
{
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_EQ(write(p[1], "data", 4), 4);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(read(p[0], b->p, 4), EFAULT);
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(write(p[1], b->p, 4), EFAULT);
	END_BAD;
	char buf[8] = {0};
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 4);	/* nothing lost or added */
	CHECK_STR(buf, "data");
	int avail = -1;
	CHECK_OK(ioctl(p[0], FIONREAD, &avail));
	CHECK_EQ(avail, 0);
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(ioctl(p[0], FIONREAD, b->p), EFAULT);
	END_BAD;
}

KT_TABLE(pipe) = {
	{"pipe.basic", pipe_basic},
	{"pipe.flags", pipe_flags},
	{"pipe.capacity", pipe_capacity},
	{"pipe.atomic", pipe_atomic},
	{"pipe.epipe", pipe_epipe},
	{"pipe.efault", pipe_efault},
	{NULL, NULL},
};
