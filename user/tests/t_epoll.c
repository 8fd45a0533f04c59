/*
 * epoll: epoll_create/epoll_create1, epoll_ctl's rules (ADD/MOD/DEL,
 * EEXIST, ENOENT, EPERM for regular files, EINVAL, ELOOP, EBADF,
 * EPOLLEXCLUSIVE's limits), epoll_wait/epoll_pwait/epoll_pwait2,
 * level- and edge-triggered reports, EPOLLONESHOT, hang-up and error
 * events, closing a watched descriptor (the item goes with the file's
 * last reference), an epoll inside another, poll() of an epoll file,
 * every pollable kind (pipes, eventfd, timerfd, signalfd), wake-ups from
 * another process, a terminal, the signal mask of epoll_pwait, /proc
 * and EFAULT.
 */
#include "kt.h"

#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* One epoll_wait without waiting: the count, the first event in *ev. */
static int wait0(int ep, struct epoll_event *ev)
{
	struct epoll_event evs[8];
	int n = epoll_wait(ep, evs, 8, 0);
	if (ev)
		*ev = n > 0 ? evs[0] : (struct epoll_event){0, {0}};
	return n;
}

static void epoll_create_checks(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	CHECK_EQ(fcntl(ep, F_GETFD), 0);
	CHECK_EQ(fcntl(ep, F_GETFL), O_RDWR);
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", ep);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	REQUIRE(n > 0);
	buf[n] = 0;
	CHECK_STR(buf, "anon_inode:[eventpoll]");
	close(ep);
	ep = REQUIRE_OK(epoll_create1(EPOLL_CLOEXEC));
	CHECK_EQ(fcntl(ep, F_GETFD), FD_CLOEXEC);
	close(ep);
	CHECK_ERR(epoll_create1(1), EINVAL);
	CHECK_ERR(epoll_create1(O_NONBLOCK), EINVAL);
	CHECK_ERR(epoll_create1(-1), EINVAL);
#ifdef SYS_epoll_create
	ep = CHECK_OK(syscall(SYS_epoll_create, 1));
	close(ep);
	CHECK_ERR(syscall(SYS_epoll_create, 0), EINVAL);
	CHECK_ERR(syscall(SYS_epoll_create, -1), EINVAL);
#endif
	/* Nothing to wait for: a zero timeout returns 0, a short one times out. */
	ep = REQUIRE_OK(epoll_create1(0));
	struct epoll_event ev;
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_EQ(epoll_wait(ep, &ev, 1, 1), 0);
	close(ep);
}

static void epoll_ctl_errors(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	int p[2];
	REQUIRE_OK(pipe(p));
	struct epoll_event ev = {.events = EPOLLIN};
	CHECK_ERR(epoll_ctl(-1, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, -1, &ev), EBADF);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
	/* Files that are always ready cannot be watched. */
	kt_write_file("f", "data", 0644);
	int f = REQUIRE_OK(open("f", O_RDONLY));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev), EPERM);
	int d = REQUIRE_OK(open(".", O_RDONLY | O_DIRECTORY));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, d, &ev), EPERM);
	int null = REQUIRE_OK(open("/dev/null", O_RDWR));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, null, &ev), EPERM);
	/* O_PATH descriptors are no descriptors here. */
	int opath = REQUIRE_OK(open("f", O_PATH));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, opath, &ev), EBADF);
	/* Not an epoll, or itself. */
	CHECK_ERR(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	/* ADD twice, MOD or DEL of what is not there. */
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), ENOENT);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], &ev), ENOENT);
	CHECK_ERR(epoll_ctl(ep, 0, p[0], &ev), EINVAL);
	CHECK_ERR(epoll_ctl(ep, 4, p[0], &ev), EINVAL);
	/* Another descriptor of the same file is another item. */
	int dup0 = REQUIRE_OK(dup(p[0]));
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, dup0, &ev));
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, dup0, NULL));	/* DEL needs no event */
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev), ENOENT);
	/* EPOLLEXCLUSIVE: ADD only, with in/out/err/hup/et only, not of an epoll. */
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	int ep2 = REQUIRE_OK(epoll_create1(0));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev), EINVAL);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ev.events = EPOLLIN;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);	/* an exclusive item */
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	/* A loop of epolls: ELOOP. */
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev));
	CHECK_ERR(epoll_ctl(ep2, EPOLL_CTL_ADD, ep, &ev), ELOOP);
	int ep3 = REQUIRE_OK(epoll_create1(0));
	CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_ADD, ep3, &ev));
	CHECK_ERR(epoll_ctl(ep3, EPOLL_CTL_ADD, ep, &ev), ELOOP);
	CHECK_OK(epoll_ctl(ep2, EPOLL_CTL_DEL, ep3, NULL));
	CHECK_OK(epoll_ctl(ep3, EPOLL_CTL_ADD, ep, &ev));	/* no loop now */
	close(ep3);
	close(ep2);
	/* EFAULT for the event of every op but DEL, even an unknown one. */
	FOR_BAD(kt_bad_in, b) {
		CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], b->p), EFAULT);
		CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], b->p), EFAULT);
		CHECK_ERR(epoll_ctl(ep, 99, p[0], b->p), EFAULT);
		CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], b->p), ENOENT);
	}
	END_BAD;
	close(opath);
	close(null);
	close(d);
	close(f);
	close(dup0);
	close(ep);
}

static void epoll_wait_errors(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	int p[2];
	REQUIRE_OK(pipe(p));
	struct epoll_event ev[2];
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, ev, 0, 0, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, ev, -1, 0, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, ev, INT32_MAX, 0, NULL, 8), EINVAL);
	CHECK_ERR(epoll_wait(-1, ev, 1, 0), EBADF);
	CHECK_ERR(epoll_wait(p[0], ev, 1, 0), EINVAL);
	/* EFAULT: a kernel address at once; others when there is an event to write. */
	void *kaddr = sizeof(long) == 8 ? (void *)0xffff800000000000UL : (void *)0xc0000000UL;
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, kaddr, 1, 0, NULL, 8), EFAULT);
	CHECK_OK(add(ep, p[1], EPOLLOUT, 1));
	FOR_BAD(kt_bad_out, b)
		CHECK_ERR(syscall(SYS_epoll_pwait, ep, b->p, 1, 0, NULL, 8), EFAULT);
	END_BAD;
	CHECK_EQ(wait0(ep, ev), 1);			/* still there after the faults */
	/* epoll_pwait: the mask's size and address. */
	sigset_t none;
	sigemptyset(&none);
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, ev, 1, 0, &none, 4), EINVAL);
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_epoll_pwait, ep, ev, 1, 0, b->p, 8), EFAULT);
	END_BAD;
	close(ep);
}

static void epoll_level_edge(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	int p[2];
	REQUIRE_OK(pipe2(p, O_NONBLOCK));
	char buf[64];
	struct epoll_event ev;
	/* Level-triggered: reported while data is there. */
	CHECK_OK(add(ep, p[0], EPOLLIN, 0x1122334455667788ULL));
	CHECK_EQ(wait0(ep, &ev), 0);
	CHECK_EQ(write(p[1], "ab", 2), 2);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLIN);
	CHECK_EQ(ev.data.u64, 0x1122334455667788ULL);
	CHECK_EQ(wait0(ep, &ev), 1);			/* again: still readable */
	CHECK_EQ(read(p[0], buf, 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 1);
	CHECK_EQ(wait0(ep, &ev), 0);			/* drained */
	/* Edge-triggered: once per new write. */
	CHECK_OK(mod(ep, p[0], EPOLLIN | EPOLLET, 7));
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 7);
	CHECK_EQ(wait0(ep, &ev), 0);			/* nothing new */
	CHECK_EQ(write(p[1], "y", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);			/* new data: again */
	CHECK_EQ(wait0(ep, &ev), 0);
	/* MOD re-arms: what is there is reported once more. */
	CHECK_OK(mod(ep, p[0], EPOLLIN | EPOLLET, 8));
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 8);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 2);
	/* One-shot: one report, then nothing until MOD. */
	CHECK_OK(mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 9));
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(wait0(ep, &ev), 0);
	CHECK_EQ(write(p[1], "w", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 0);
	CHECK_OK(mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 10));
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 10);
	/* Events not asked for are not reported; EPOLLOUT on the write end. */
	CHECK_OK(mod(ep, p[0], EPOLLOUT, 11));
	CHECK_EQ(wait0(ep, &ev), 0);
	CHECK_OK(add(ep, p[1], EPOLLOUT, 12));
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLOUT);
	CHECK_EQ(ev.data.u64, 12);
	/* Several ready items, fewer slots: the rest comes next time, in turn. */
	CHECK_OK(mod(ep, p[0], EPOLLIN, 11));
	struct epoll_event evs[4];
	CHECK_EQ(epoll_wait(ep, evs, 4, 0), 2);
	CHECK_EQ(epoll_wait(ep, evs, 1, 0), 1);
	uint64_t first = evs[0].data.u64;
	CHECK_EQ(epoll_wait(ep, evs, 1, 0), 1);
	CHECK(evs[0].data.u64 != first);		/* level-triggered items take turns */
	close(ep);
	close(p[0]);
	close(p[1]);
}

static void epoll_hup_err(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	int p[2];
	REQUIRE_OK(pipe(p));
	struct epoll_event ev;
	/* EPOLLHUP and EPOLLERR are reported whether asked for or not. */
	CHECK_OK(add(ep, p[0], EPOLLIN, 1));
	close(p[1]);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLHUP);
	CHECK_OK(mod(ep, p[0], 0, 2));			/* even with no events asked */
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLHUP);
	close(p[0]);
	REQUIRE_OK(pipe(p));
	CHECK_OK(add(ep, p[1], EPOLLOUT, 3));
	close(p[0]);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLOUT | EPOLLERR);
	close(p[1]);
	close(ep);
}

static void epoll_close(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	int p[2];
	REQUIRE_OK(pipe(p));
	struct epoll_event ev;
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_OK(add(ep, p[0], EPOLLIN, 1));
	CHECK_EQ(wait0(ep, &ev), 1);
	/* Closing the only descriptor: the item is gone with the file. */
	close(p[0]);
	CHECK_EQ(wait0(ep, &ev), 0);
	/* A new file at the same number is a new item. */
	int q[2];
	REQUIRE_OK(pipe(q));
	REQUIRE(q[0] == p[0]);
	CHECK_OK(add(ep, q[0], EPOLLIN, 2));
	/* Closing one of two descriptors of a file: the item stays (Linux's rule). */
	int keep = REQUIRE_OK(dup(q[0]));
	close(q[0]);
	CHECK_EQ(write(q[1], "y", 1), 1);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.data.u64, 2);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL), EBADF);	/* that number is closed */
	close(keep);
	CHECK_EQ(wait0(ep, &ev), 0);
	/* The write end's item too, and a file in two epolls leaves both. */
	int ep2 = REQUIRE_OK(epoll_create1(0));
	CHECK_OK(add(ep, q[1], EPOLLOUT, 3));
	CHECK_OK(add(ep2, q[1], EPOLLOUT, 4));
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(wait0(ep2, &ev), 1);
	close(q[1]);
	CHECK_EQ(wait0(ep, &ev), 0);
	CHECK_EQ(wait0(ep2, &ev), 0);
	/* Closing an epoll with items drops them: the files stay usable. */
	REQUIRE_OK(pipe(p));
	CHECK_OK(add(ep2, p[0], EPOLLIN, 5));
	close(ep2);
	CHECK_EQ(write(p[1], "z", 1), 1);
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void epoll_nested(void)
{
	int inner = REQUIRE_OK(epoll_create1(0));
	int outer = REQUIRE_OK(epoll_create1(0));
	int p[2];
	REQUIRE_OK(pipe2(p, O_NONBLOCK));
	struct epoll_event ev;
	CHECK_OK(add(inner, p[0], EPOLLIN, 1));
	CHECK_OK(add(outer, inner, EPOLLIN, 2));
	CHECK_EQ(wait0(outer, &ev), 0);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(wait0(outer, &ev), 1);
	CHECK_EQ(ev.events, EPOLLIN);
	CHECK_EQ(ev.data.u64, 2);
	CHECK_EQ(wait0(inner, &ev), 1);
	CHECK_EQ(ev.data.u64, 1);
	/* Once the data is gone the inner epoll is not ready, for the outer either. */
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(wait0(outer, &ev), 0);
	/* poll() of an epoll file: readable while an item has events. */
	struct pollfd pf = {inner, POLLIN, 0};
	CHECK_EQ(poll(&pf, 1, 0), 0);
	CHECK_EQ(write(p[1], "y", 1), 1);
	CHECK_EQ(poll(&pf, 1, 0), 1);
	CHECK_EQ(pf.revents, POLLIN);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(poll(&pf, 1, 0), 0);			/* checked, not remembered */
	/* Three deep, and a wake-up from another process through all of them. */
	int top = REQUIRE_OK(epoll_create1(0));
	CHECK_OK(add(top, outer, EPOLLIN, 3));
	pid_t pid = kt_fork();
	if (pid == 0) {
		struct epoll_event e;
		_exit(epoll_wait(top, &e, 1, -1) == 1 && e.data.u64 == 3 ? 0 : 1);
	}
	kt_wait_sleeping(pid);
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* Closing the inner epoll takes it out of the outer. */
	close(inner);
	CHECK_EQ(wait0(outer, &ev), 0);
	close(top);
	close(outer);
	close(p[0]);
	close(p[1]);
}

static void epoll_kinds(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	struct epoll_event evs[8];
	int efd = REQUIRE_OK(eventfd(0, EFD_NONBLOCK));
	int tfd = REQUIRE_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	REQUIRE_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	int sfd = REQUIRE_OK(signalfd(-1, &set, SFD_NONBLOCK));
	CHECK_OK(add(ep, efd, EPOLLIN, 1));
	CHECK_OK(add(ep, tfd, EPOLLIN, 2));
	CHECK_OK(add(ep, sfd, EPOLLIN, 3));
	CHECK_EQ(epoll_wait(ep, evs, 8, 0), 0);
	/* Each becomes ready and wakes a waiter, and stops being ready once read. */
	uint64_t one = 1;
	CHECK_EQ(write(efd, &one, 8), 8);
	CHECK_EQ(epoll_wait(ep, evs, 8, -1), 1);
	CHECK_EQ(evs[0].data.u64, 1);
	CHECK_EQ(read(efd, &one, 8), 8);
	struct itimerspec t = {{0, 0}, {0, 1000000}};
	CHECK_OK(timerfd_settime(tfd, 0, &t, NULL));
	CHECK_EQ(epoll_wait(ep, evs, 8, -1), 1);	/* sleeps until the expiry */
	CHECK_EQ(evs[0].data.u64, 2);
	CHECK_EQ(read(tfd, &one, 8), 8);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(epoll_wait(ep, evs, 8, -1), 1);
	CHECK_EQ(evs[0].data.u64, 3);
	struct signalfd_siginfo si;
	CHECK_EQ(read(sfd, &si, sizeof(si)), (ssize_t)sizeof(si));
	CHECK_EQ(epoll_wait(ep, evs, 8, 0), 0);
	/* A signal from another process wakes a sleeping epoll_wait through the signalfd. */
	pid_t parent = getpid();
	pid_t pid = kt_fork();
	if (pid == 0) {
		if (kt_wait_sleeping(parent))
			_exit(1);
		_exit(kill(parent, SIGUSR1) ? 1 : 0);
	}
	CHECK_EQ(epoll_wait(ep, evs, 8, -1), 1);
	CHECK_EQ(evs[0].data.u64, 3);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* An eventfd written by another process wakes it too. */
	CHECK_EQ(read(sfd, &si, sizeof(si)), (ssize_t)sizeof(si));
	pid = kt_fork();
	if (pid == 0) {
		if (kt_wait_sleeping(parent))
			_exit(1);
		uint64_t v = 5;
		_exit(write(efd, &v, 8) == 8 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(ep, evs, 8, -1), 1);
	CHECK_EQ(evs[0].data.u64, 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	close(sfd);
	close(tfd);
	close(efd);
	close(ep);
}

static void epoll_tty(void)
{
	int fd = isatty(0) ? dup(0) : open("/dev/tty", O_RDWR | O_NOCTTY);
	if (fd < 0)
		kt_skip("no terminal here (stdin is not one and there is no controlling terminal)");
	int ep = REQUIRE_OK(epoll_create1(0));
	struct epoll_event ev;
	/* A terminal can take output: EPOLLOUT at once, again while level-triggered. */
	CHECK_OK(add(ep, fd, EPOLLOUT, 6));
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(ev.events, EPOLLOUT);
	CHECK_EQ(ev.data.u64, 6);
	CHECK_EQ(epoll_wait(ep, &ev, 1, -1), 1);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL));
	CHECK_EQ(wait0(ep, &ev), 0);
	close(fd);
	close(ep);
}

static void epoll_edge_keys(void)
{
	/*
	 * An edge-triggered item hears only of its own direction: after a
	 * write, an EPOLLOUT item of an eventfd is not reported again, after
	 * a read it is; a semaphore eventfd's EPOLLIN item is not reported
	 * after a read that left it readable.
	 */
	int ep = REQUIRE_OK(epoll_create1(0));
	int fd = REQUIRE_OK(eventfd(0, EFD_NONBLOCK | EFD_SEMAPHORE));
	struct epoll_event ev;
	uint64_t v = 2;
	CHECK_OK(add(ep, fd, EPOLLOUT | EPOLLET, 1));
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(wait0(ep, &ev), 0);
	CHECK_EQ(write(fd, &v, 8), 8);
	CHECK_EQ(wait0(ep, &ev), 0);			/* data came: not its business */
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(wait0(ep, &ev), 1);			/* room came */
	CHECK_EQ(ev.events, EPOLLOUT);
	CHECK_OK(mod(ep, fd, EPOLLIN | EPOLLET, 2));
	CHECK_EQ(wait0(ep, &ev), 1);			/* 1 left: readable */
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(wait0(ep, &ev), 0);			/* 0 now, and a read is no news */
	v = 2;
	CHECK_EQ(write(fd, &v, 8), 8);
	CHECK_EQ(wait0(ep, &ev), 1);
	CHECK_EQ(read(fd, &v, 8), 8);
	CHECK_EQ(wait0(ep, &ev), 0);			/* still readable, but nothing new */
	close(fd);
	close(ep);
}

static volatile sig_atomic_t hits;

static void count(int sig)
{
	(void)sig;
	hits++;
}

static void epoll_signals(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	struct epoll_event ev;
	/* A handled signal ends epoll_wait with EINTR, even with SA_RESTART. */
	kt_handle(SIGUSR1, count, SA_RESTART);
	pid_t parent = getpid();
	pid_t pid = kt_fork();
	if (pid == 0) {
		if (kt_wait_sleeping(parent))
			_exit(1);
		_exit(kill(parent, SIGUSR1) ? 1 : 0);
	}
	CHECK_ERR(epoll_wait(ep, &ev, 1, -1), EINTR);
	CHECK_EQ(hits, 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* epoll_pwait's mask: a blocked pending signal gets in while waiting. */
	kt_block(SIGUSR1);
	raise(SIGUSR1);
	sigset_t none, cur;
	sigemptyset(&none);
	CHECK_ERR(epoll_pwait(ep, &ev, 1, -1, &none), EINTR);
	CHECK_EQ(hits, 2);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1));		/* the old mask is back */
	/* With no event and the mask not letting it in: a timeout. */
	raise(SIGUSR1);
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	CHECK_EQ(epoll_pwait(ep, &ev, 1, 1, &usr1), 0);
	CHECK_EQ(hits, 2);
	kt_unblock(SIGUSR1);
	CHECK_EQ(hits, 3);
	/* epoll_pwait2: a 64-bit timespec on every port, NULL for ever. */
	struct ts64 { int64_t s, ns; } zero = {0, 0}, ms = {0, 1000000}, bad = {0, 1000000000};
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, &ev, 1, &zero, NULL, 8), 0);
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, &ev, 1, &ms, NULL, 8), 0);
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, &ev, 1, &bad, NULL, 8), EINVAL);
	bad = (struct ts64){-1, 0};
	CHECK_ERR(syscall(SYS_epoll_pwait2, ep, &ev, 1, &bad, NULL, 8), EINVAL);
	FOR_BAD(kt_bad_in, b)
		CHECK_ERR(syscall(SYS_epoll_pwait2, ep, &ev, 1, b->p, NULL, 8), EFAULT);
	END_BAD;
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_OK(add(ep, p[0], EPOLLIN, 4));
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, &ev, 1, NULL, NULL, 8), 1);
	CHECK_EQ(ev.data.u64, 4);
	kt_default(SIGUSR1);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void epoll_fdinfo(void)
{
	int ep = REQUIRE_OK(epoll_create1(0));
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_OK(add(ep, p[0], EPOLLIN | EPOLLET, 0xabcdef));
	char path[64], buf[1024], want[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
	REQUIRE(kt_read_file(path, buf, sizeof(buf)) > 0);
	snprintf(want, sizeof(want), "tfd: %8d events: %8x data: %16llx", p[0],
		 EPOLLIN | EPOLLET | EPOLLERR | EPOLLHUP, 0xabcdefULL);
	CHECK(strstr(buf, want) != NULL);
	if (!strstr(buf, want))
		kt_note("fdinfo: %s", buf);
	close(ep);
	close(p[0]);
	close(p[1]);
}

KT_TABLE(epoll) = {
	{"epoll.create", epoll_create_checks},
	{"epoll.ctl_errors", epoll_ctl_errors},
	{"epoll.wait_errors", epoll_wait_errors},
	{"epoll.level_edge", epoll_level_edge},
	{"epoll.hup_err", epoll_hup_err},
	{"epoll.close", epoll_close},
	{"epoll.nested", epoll_nested},
	{"epoll.kinds", epoll_kinds},
	{"epoll.tty", epoll_tty},
	{"epoll.edge_keys", epoll_edge_keys},
	{"epoll.signals", epoll_signals},
	{"epoll.fdinfo", epoll_fdinfo},
	{NULL, NULL},
};
