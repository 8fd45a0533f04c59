/*
 * Waiting for descriptors: poll, ppoll (with its signal mask), select
 * and pselect6 over pipes, regular files and /dev/null: readiness,
 * hang-up and error events, POLLNVAL/EBADF, timeouts of zero, wake-ups
 * by another process, and EFAULT for each pointer argument.
 */
#include "kt.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>

static void poll_calls(void)
{
	int p[2];
	REQUIRE_OK(pipe(p));
	struct pollfd f[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	CHECK_EQ(poll(f, 2, 0), 1);			/* only the write end */
	CHECK_EQ(f[0].revents, 0);
	CHECK_EQ(f[1].revents, POLLOUT);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(poll(f, 2, 0), 2);
	CHECK_EQ(f[0].revents, POLLIN);
	CHECK_EQ(poll(f, 1, -1), 1);			/* ready: no blocking */
	/* A full pipe is not writable. */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	static char buf[65536];
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	CHECK_EQ(poll(f + 1, 1, 0), 0);
	CHECK_EQ(f[1].revents, 0);
	while (read(p[0], buf, sizeof(buf)) == (ssize_t)sizeof(buf))
		;
	/* Hang-up: the read end sees POLLHUP (with POLLIN while data remains). */
	CHECK_EQ(write(p[1], "y", 1), 1);
	close(p[1]);
	CHECK_EQ(poll(f, 1, 0), 1);
	CHECK_EQ(f[0].revents, POLLIN | POLLHUP);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 1);
	CHECK_EQ(poll(f, 1, 0), 1);
	CHECK_EQ(f[0].revents, POLLHUP);
	close(p[0]);
	/* The write end with no reader: POLLERR (and POLLOUT). */
	REQUIRE_OK(pipe(p));
	close(p[0]);
	struct pollfd w = {p[1], POLLOUT, 0};
	CHECK_EQ(poll(&w, 1, 0), 1);
	CHECK(w.revents & POLLERR);
	close(p[1]);
	/* Closed descriptors: POLLNVAL; negative ones: ignored. */
	struct pollfd nv[3] = {{p[1], POLLIN, 0}, {-1, POLLIN, 0x55}, {-5, POLLIN, 0}};
	CHECK_EQ(poll(nv, 3, 0), 1);
	CHECK_EQ(nv[0].revents, POLLNVAL);
	CHECK_EQ(nv[1].revents, 0);
	/* Regular files and /dev/null are always ready. */
	kt_write_file("f", "", 0644);
	int fd = REQUIRE_OK(open("f", O_RDWR));
	int null = REQUIRE_OK(open("/dev/null", O_RDWR));
	struct pollfd rf[2] = {{fd, POLLIN | POLLOUT, 0}, {null, POLLIN | POLLOUT, 0}};
	CHECK_EQ(poll(rf, 2, -1), 2);
	CHECK_EQ(rf[0].revents, POLLIN | POLLOUT);
	CHECK_EQ(rf[1].revents, POLLIN | POLLOUT);
	/* No descriptors, a zero timeout: returns 0 at once. */
	CHECK_EQ(poll(NULL, 0, 0), 0);
	CHECK_EQ(poll(NULL, 0, 1), 0);
	/* Woken by a write from another process. */
	REQUIRE_OK(pipe(p));
	pid_t pid = kt_fork();
	if (pid == 0) {
		sched_yield();
		_exit(write(p[1], "z", 1) != 1);
	}
	struct pollfd r = {p[0], POLLIN, 0};
	CHECK_EQ(poll(&r, 1, -1), 1);
	CHECK_EQ(r.revents, POLLIN);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* More descriptors than RLIMIT_NOFILE allows. */
	struct rlimit rl;
	REQUIRE_OK(getrlimit(RLIMIT_NOFILE, &rl));
	if (rl.rlim_cur < 100000) {
		static struct pollfd many[100000];
		for (int i = 0; i < 100000; i++)
			many[i].fd = -1;
		CHECK_ERR(poll(many, rl.rlim_cur + 1, 0), EINVAL);
	}
	FOR_BAD(kt_bad_in, b) {
#ifdef SYS_poll
		CHECK_ERR(syscall(SYS_poll, b->p, 1, 0), EFAULT);
#endif
		CHECK_ERR(syscall(SYS_ppoll, b->p, 1, NULL, NULL, 8), EFAULT);
	}
	FOR_BAD(kt_bad_out, b) {
#ifdef SYS_poll
		CHECK_ERR(syscall(SYS_poll, b->p, 1, 0), EFAULT);
#endif
	}
	END_BAD;
}

#ifdef SYS_ppoll_time64
#define SYS_PPOLL SYS_ppoll_time64
#define SYS_PSELECT SYS_pselect6_time64
#else
#define SYS_PPOLL SYS_ppoll
#define SYS_PSELECT SYS_pselect6
#endif

static volatile sig_atomic_t hits;

static void count(int sig)
{
	(void)sig;
	hits++;
}

static void ppoll_calls(void)
{
	int p[2];
	REQUIRE_OK(pipe(p));
	struct pollfd f = {p[0], POLLIN, 0};
	struct timespec zero = {0, 0}, ms = {0, 1000000};
	CHECK_EQ(ppoll(&f, 1, &zero, NULL), 0);
	CHECK_EQ(ppoll(&f, 1, &ms, NULL), 0);		/* times out */
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(ppoll(&f, 1, NULL, NULL), 1);
	/* The mask: a pending blocked signal is let in while waiting. */
	kt_handle(SIGUSR1, count, 0);
	kt_block(SIGUSR1);
	raise(SIGUSR1);
	struct pollfd e = {p[1], 0, 0};			/* never ready */
	sigset_t none;
	sigemptyset(&none);
	CHECK_ERR(ppoll(&e, 1, NULL, &none), EINTR);
	CHECK_EQ(hits, 1);
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1));		/* restored */
	struct timespec bad = {0, 1000000000};
	CHECK_ERR(ppoll(&f, 1, &bad, NULL), EINVAL);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	CHECK_ERR(ppoll(&f, 1, &bad, NULL), EINVAL);
	uint64_t mask = 0;
	struct { int64_t s, ns; } z64 = {0, 0};
	CHECK_ERR(syscall(SYS_PPOLL, &f, 1, &z64, &mask, 4), EINVAL);
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_PPOLL, &f, 1, b->p, NULL, 8), EFAULT);
		CHECK_ERR(syscall(SYS_PPOLL, &f, 1, &z64, b->p, 8), EFAULT);
	}
	END_BAD;
}

static void select_calls(void)
{
	int p[2];
	REQUIRE_OK(pipe(p));
	fd_set rd, wr, ex;
	struct timeval tv = {0, 0};
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	CHECK_EQ(select(p[1] + 1, &rd, &wr, &ex, &tv), 1);
	CHECK(!FD_ISSET(p[0], &rd));
	CHECK(FD_ISSET(p[1], &wr));
	CHECK_EQ(write(p[1], "x", 1), 1);
	FD_SET(p[0], &rd);
	CHECK_EQ(select(p[0] + 1, &rd, NULL, NULL, NULL), 1);
	CHECK(FD_ISSET(p[0], &rd));
	/* Descriptors at or above nfds are not looked at. */
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){0, 0};
	CHECK_EQ(select(p[0], &rd, NULL, NULL, &tv), 0);
	/* A timeout: expires, and Linux writes back what is left (0 here). */
	FD_ZERO(&rd);
	int q[2];
	REQUIRE_OK(pipe(q));
	FD_SET(q[0], &rd);
	tv = (struct timeval){0, 1000};
	CHECK_EQ(select(q[0] + 1, &rd, NULL, NULL, &tv), 0);
	CHECK(tv.tv_sec == 0 && tv.tv_usec == 0);
	CHECK(!FD_ISSET(q[0], &rd));
	/* Errors. */
	int closed = dup(q[0]);
	close(closed);
	FD_ZERO(&rd);
	FD_SET(closed, &rd);
	tv = (struct timeval){0, 0};
	CHECK_ERR(select(closed + 1, &rd, NULL, NULL, &tv), EBADF);
	CHECK_ERR(select(-1, NULL, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){0, -1};
	CHECK_ERR(select(1, NULL, NULL, NULL, &tv), EINVAL);
	/* pselect: the mask, as with ppoll. */
	kt_handle(SIGUSR1, count, 0);
	kt_block(SIGUSR1);
	raise(SIGUSR1);
	sigset_t none;
	sigemptyset(&none);
	FD_ZERO(&rd);
	FD_SET(q[0], &rd);
	CHECK_ERR(pselect(q[0] + 1, &rd, NULL, NULL, NULL, &none), EINTR);
	CHECK_EQ(hits, 1);
	struct timespec ts = {0, 0};
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CHECK_EQ(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL), 1);
	/* EFAULT: each set, the timeout, and pselect6's mask argument. */
	struct { int64_t s, ns; } z64 = {0, 0};
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(syscall(SYS_PSELECT, p[0] + 1, b->p, NULL, NULL, &z64, NULL), EFAULT);
		CHECK_ERR(syscall(SYS_PSELECT, p[0] + 1, NULL, b->p, NULL, &z64, NULL), EFAULT);
		CHECK_ERR(syscall(SYS_PSELECT, p[0] + 1, NULL, NULL, b->p, &z64, NULL), EFAULT);
		CHECK_ERR(syscall(SYS_PSELECT, p[0] + 1, NULL, NULL, NULL, b->p, NULL), EFAULT);
		CHECK_ERR(syscall(SYS_PSELECT, p[0] + 1, NULL, NULL, NULL, &z64, b->p), EFAULT);
		struct { void *set; size_t size; } sig = {b->p, 8};
		CHECK_ERR(syscall(SYS_PSELECT, p[0] + 1, NULL, NULL, NULL, &z64, &sig), EFAULT);
#if defined(SYS_select) && !defined(__i386__)	/* i386's 82 is old_select */
		CHECK_ERR(syscall(SYS_select, p[0] + 1, b->p, NULL, NULL, NULL), EFAULT);
#endif
#ifdef SYS__newselect
		CHECK_ERR(syscall(SYS__newselect, p[0] + 1, b->p, NULL, NULL, NULL), EFAULT);
#endif
	}
	FOR_BAD(kt_bad_out, b) {
		/* The sets are written back too. */
		CHECK_ERR(syscall(SYS_PSELECT, p[0] + 1, b->p, NULL, NULL, &z64, NULL), EFAULT);
	}
	END_BAD;
}

KT_TABLE(poll) = {
	{"poll.poll", poll_calls},
	{"poll.ppoll", ppoll_calls},
	{"poll.select", select_calls},
	{NULL, NULL},
};
