/*
 * In-kernel tests of poll and select (fs/select.c): readiness of pipes,
 * devices and tmpfs files, POLLNVAL and EBADF, zero and expiring
 * timeouts, wake-ups by another thread (and by a signal), many
 * descriptors, and no lost wake-up across CPUs.  Timeouts are checked
 * only from below (the call did not return before its deadline), which
 * no host speed can break.
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>
#include <kernel/printk.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <string.h>

#define BPL	(8 * sizeof(unsigned long))
#define RW_ALL	(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)

static void
fdset(unsigned long *set, int fd)
{
	set[fd / BPL] |= 1UL << (fd % BPL);
}

static bool
fdisset(const unsigned long *set, int fd)
{
	return (set[fd / BPL] >> (fd % BPL)) & 1;
}

KTEST(poll, pipe_readiness)
{
	struct pollfd p[2];
	int fds[2];

	KASSERT(vfs_pipe2(fds, 0) == 0);
	p[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN | POLLRDNORM };
	p[1] = (struct pollfd){ .fd = fds[1], .events = POLLOUT | POLLWRNORM };
	KEXPECT_EQ(do_poll(p, 2, POLL_NO_WAIT), 1);
	KEXPECT_EQ(p[0].revents, 0);
	KEXPECT_EQ(p[1].revents, POLLOUT | POLLWRNORM);
	KEXPECT_EQ(vfs_write(fds[1], "a", 1), 1);
	KEXPECT_EQ(do_poll(p, 2, POLL_NO_WAIT), 2);
	KEXPECT_EQ(p[0].revents, POLLIN | POLLRDNORM);
	/* Only what was asked, plus errors and hang-ups. */
	p[0].events = POLLOUT;
	KEXPECT_EQ(do_poll(p, 1, POLL_NO_WAIT), 0);
	KEXPECT_EQ(p[0].revents, 0);
	vfs_close(fds[1]);
	KEXPECT_EQ(do_poll(p, 1, POLL_NO_WAIT), 1);
	KEXPECT_EQ(p[0].revents, POLLHUP);
	vfs_close(fds[0]);
}

KTEST(poll, devices_and_files)
{
	struct pollfd p[3];
	int fd;

	p[0].fd = vfs_openat(AT_FDCWD, "/dev/null", O_RDWR, 0);
	p[1].fd = vfs_openat(AT_FDCWD, "/dev/zero", O_RDONLY, 0);
	fd = vfs_openat(AT_FDCWD, "/ktest-poll-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	p[2].fd = fd;
	if (p[0].fd < 0 || p[1].fd < 0)
		KTEST_SKIP("no /dev/null or /dev/zero");
	KASSERT(fd >= 0);
	for (int i = 0; i < 3; i++)
		p[i].events = (short)RW_ALL;
	/* Regular files and the memory devices are always ready. */
	KEXPECT_EQ(do_poll(p, 3, WAIT_FOREVER), 3);
	for (int i = 0; i < 3; i++)
		KEXPECT_EQ(p[i].revents, RW_ALL);
	{
		unsigned long in[1] = { 0 }, out[1] = { 0 };
		int n = 0;

		for (int i = 0; i < 3; i++) {
			fdset(in, p[i].fd);
			fdset(out, p[i].fd);
			n = p[i].fd + 1 > n ? p[i].fd + 1 : n;
		}
		/* A descriptor in two sets counts twice. */
		KEXPECT_EQ(do_select(n, in, out, NULL, WAIT_FOREVER), 6);
		for (int i = 0; i < 3; i++)
			KEXPECT(fdisset(in, p[i].fd) && fdisset(out, p[i].fd));
	}
	for (int i = 0; i < 3; i++)
		vfs_close(p[i].fd);
	vfs_unlinkat(AT_FDCWD, "/ktest-poll-file", 0);
}

KTEST(poll, bad_descriptors)
{
	struct pollfd p[3];
	unsigned long in[2] = { 0, 0 }, saved[2];
	int fds[2], closed, opath;

	KASSERT(vfs_pipe2(fds, 0) == 0);
	closed = vfs_dup(fds[0]);
	vfs_close(closed);
	opath = vfs_openat(AT_FDCWD, "/", O_PATH, 0);
	KASSERT(opath >= 0);
	p[0] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 77 };
	p[1] = (struct pollfd){ .fd = closed, .events = POLLIN };
	p[2] = (struct pollfd){ .fd = opath, .events = POLLIN };
	/* Negative descriptors are skipped; others that are not open: POLLNVAL. */
	KEXPECT_EQ(do_poll(p, 3, WAIT_FOREVER), 2);
	KEXPECT_EQ(p[0].revents, 0);
	KEXPECT_EQ(p[1].revents, POLLNVAL);
	KEXPECT_EQ(p[2].revents, POLLNVAL);
	KEXPECT_EQ(do_poll(p, 1, POLL_NO_WAIT), 0);
	KEXPECT_EQ(do_poll(NULL, 0, POLL_NO_WAIT), 0);
	KEXPECT_EQ(do_poll(p, 1000000, POLL_NO_WAIT), -EINVAL);	/* > RLIMIT_NOFILE */

	/* select: EBADF for a set naming a closed descriptor; sets unchanged. */
	fdset(in, fds[0]);
	fdset(in, closed);
	memcpy(saved, in, sizeof(in));
	KEXPECT_EQ(do_select(closed + 1, in, NULL, NULL, WAIT_FOREVER), -EBADF);
	KEXPECT(memcmp(saved, in, sizeof(in)) == 0);
	KEXPECT_EQ(do_select(-1, NULL, NULL, NULL, POLL_NO_WAIT), -EINVAL);
	in[0] = in[1] = 0;
	fdset(in, opath);
	KEXPECT_EQ(do_select(opath + 1, in, NULL, NULL, POLL_NO_WAIT), -EBADF);
	/* Bits at or above n are not looked at. */
	KEXPECT_EQ(do_select(0, in, NULL, NULL, POLL_NO_WAIT), 0);
	vfs_close(opath);
	vfs_close(fds[0]);
	vfs_close(fds[1]);
}

KTEST(poll, timeouts)
{
	struct pollfd p;
	unsigned long in[1] = { 0 };
	uint64_t deadline;
	int fds[2];

	KASSERT(vfs_pipe2(fds, 0) == 0);
	p = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	/* Zero: one look, nothing ready. */
	KEXPECT_EQ(do_poll(&p, 1, POLL_NO_WAIT), 0);
	fdset(in, fds[0]);
	KEXPECT_EQ(do_select(fds[0] + 1, in, NULL, NULL, POLL_NO_WAIT), 0);
	KEXPECT_EQ(in[0], 0);			/* cleared: nothing was ready */

	/* A deadline: no return before it. */
	deadline = time_ns() + 20 * NSEC_PER_MSEC;
	KEXPECT_EQ(do_poll(&p, 1, deadline), 0);
	KEXPECT_OP(time_ns(), >=, deadline);
	fdset(in, fds[0]);
	deadline = time_ns() + 20 * NSEC_PER_MSEC;
	KEXPECT_EQ(do_select(fds[0] + 1, in, NULL, NULL, deadline), 0);
	KEXPECT_OP(time_ns(), >=, deadline);
	/* No descriptors at all: a sleep (poll(NULL, 0, ms)). */
	deadline = time_ns() + 10 * NSEC_PER_MSEC;
	KEXPECT_EQ(do_poll(NULL, 0, deadline), 0);
	KEXPECT_OP(time_ns(), >=, deadline);
	vfs_close(fds[0]);
	vfs_close(fds[1]);
}

struct late_writer {
	int fd;
	unsigned int delay_ms;
};

static void
late_writer_body(void *arg)
{
	struct late_writer *w = arg;

	thread_sleep_ms(w->delay_ms);
	vfs_write(w->fd, "!", 1);
}

/* A sleeping poller is woken by a write from another thread. */
KTEST(poll, woken_by_writer)
{
	struct late_writer w;
	struct pollfd p;
	unsigned long in[1] = { 0 };
	struct thread *t;
	char c;
	int fds[2];

	KASSERT(vfs_pipe2(fds, 0) == 0);
	w = (struct late_writer){ .fd = fds[1], .delay_ms = 10 };
	t = thread_create("poll-writer", late_writer_body, &w, THREAD_PRIO_DEFAULT, 0);
	KASSERT(t);
	p = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	KEXPECT_EQ(do_poll(&p, 1, ktest_deadline(1000 * NSEC_PER_MSEC)), 1);
	KEXPECT_EQ(p.revents, POLLIN);
	thread_join(t);
	KEXPECT_EQ(vfs_read(fds[0], &c, 1), 1);

	t = thread_create("poll-writer", late_writer_body, &w, THREAD_PRIO_DEFAULT, 0);
	KASSERT(t);
	fdset(in, fds[0]);
	KEXPECT_EQ(do_select(fds[0] + 1, in, NULL, NULL, WAIT_FOREVER), 1);
	KEXPECT(fdisset(in, fds[0]));
	thread_join(t);
	KEXPECT_EQ(vfs_read(fds[0], &c, 1), 1);

	/* The last writer going wakes a poller with POLLHUP. */
	vfs_close(fds[1]);
	KEXPECT_EQ(do_poll(&p, 1, WAIT_FOREVER), 1);
	KEXPECT_EQ(p.revents, POLLHUP);
	vfs_close(fds[0]);
}

/* Many descriptors: more wait entries than fit on the poller's stack. */
KTEST(poll, many_descriptors)
{
	enum { N = 40 };
	struct pollfd *p = kmalloc(N * sizeof(*p));
	int (*fds)[2] = kmalloc(N * sizeof(*fds));
	struct late_writer w;
	struct thread *t;
	int made = 0;

	KASSERT(p && fds);
	for (; made < N; made++)
		if (vfs_pipe2(fds[made], 0))
			break;
	KEXPECT_EQ(made, N);
	for (int i = 0; i < made; i++)
		p[i] = (struct pollfd){ .fd = fds[i][0], .events = POLLIN };
	w = (struct late_writer){ .fd = fds[made - 1][1], .delay_ms = 5 };
	t = thread_create("poll-writer", late_writer_body, &w, THREAD_PRIO_DEFAULT, 0);
	KASSERT(t);
	KEXPECT_EQ(do_poll(p, (unsigned int)made, WAIT_FOREVER), 1);
	for (int i = 0; i < made - 1; i++)
		KEXPECT_EQ(p[i].revents, 0);
	KEXPECT_EQ(p[made - 1].revents, POLLIN);
	thread_join(t);
	for (int i = 0; i < made; i++) {
		vfs_close(fds[i][0]);
		vfs_close(fds[i][1]);
	}
	kfree(p);
	kfree(fds);
}

/*
 * Ping-pong across two CPUs through two pipes, each side sleeping in
 * poll before every read: a wake-up lost between a readiness test and
 * the sleep would leave both asleep until the (generous) deadline.
 */
#define ROUNDS	2000

struct pong {
	int in, out;
	volatile int errors;
	bool use_select;
};

static int
wait_readable(struct pong *s)
{
	uint64_t deadline = ktest_deadline(2000 * NSEC_PER_MSEC);

	if (s->use_select) {
		unsigned long in[1] = { 0 };

		fdset(in, s->in);
		return do_select(s->in + 1, in, NULL, NULL, deadline);
	} else {
		struct pollfd p = { .fd = s->in, .events = POLLIN };

		return do_poll(&p, 1, deadline);
	}
}

static void
pong_body(void *arg)
{
	struct pong *s = arg;
	char c;

	for (int i = 0; i < ROUNDS; i++) {
		if (wait_readable(s) != 1 || vfs_read(s->in, &c, 1) != 1 ||
		    vfs_write(s->out, &c, 1) != 1) {
			s->errors++;
			return;
		}
	}
}

KTEST(poll, no_lost_wakeups_smp)
{
	int a[2], b[2];
	unsigned int here = thread_pin();
	cpumask_t others = cpus_online() & ~cpumask_of(here);
	unsigned int other = others ? cpumask_first(others) : here;

	for (int sel = 0; sel < 2; sel++) {
		struct pong me, peer;
		struct thread *t;
		char c = 'x';

		if (vfs_pipe2(a, 0) || vfs_pipe2(b, 0)) {
			ktest_fail(__FILE__, __LINE__, "no pipes");
			break;
		}
		me = (struct pong){ .in = b[0], .out = a[1], .use_select = sel };
		peer = (struct pong){ .in = a[0], .out = b[1], .use_select = sel };
		t = thread_create_on("poll-pong", pong_body, &peer, THREAD_PRIO_DEFAULT, 0,
				     cpumask_of(other));
		if (!t) {
			ktest_fail(__FILE__, __LINE__, "no thread");
			break;
		}
		for (int i = 0; i < ROUNDS; i++) {
			if (vfs_write(me.out, &c, 1) != 1 || wait_readable(&me) != 1 ||
			    vfs_read(me.in, &c, 1) != 1) {
				me.errors++;
				break;
			}
		}
		thread_join(t);
		KEXPECT_EQ(me.errors, 0);
		KEXPECT_EQ(peer.errors, 0);
		vfs_close(a[0]);
		vfs_close(a[1]);
		vfs_close(b[0]);
		vfs_close(b[1]);
	}
	thread_unpin();
}

#ifdef CONFIG_PROCESSES
struct poller {
	int fd;
	volatile int result;
	volatile bool started;
	bool use_select;
};

static void
poller_body(void *arg)
{
	struct poller *s = arg;

	s->started = true;
	if (s->use_select) {
		unsigned long in[1] = { 0 };

		fdset(in, s->fd);
		s->result = do_select(s->fd + 1, in, NULL, NULL, WAIT_FOREVER);
	} else {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };

		s->result = do_poll(&p, 1, WAIT_FOREVER);
	}
}

/* A signal ends the wait with EINTR (the thread's flag and wake, as kill does). */
KTEST(poll, interrupted_by_signal)
{
	int fds[2];

	KASSERT(vfs_pipe2(fds, 0) == 0);
	for (int sel = 0; sel < 2; sel++) {
		struct poller s = { .fd = fds[0], .result = 1000, .use_select = sel };
		struct thread *t = thread_create("poller", poller_body, &s,
						 THREAD_PRIO_DEFAULT, 0);

		KASSERT(t);
		while (!s.started)
			thread_sleep_ms(1);
		thread_sleep_ms(5);
		KEXPECT_EQ(s.result, 1000);		/* nothing ready: still waiting */
		t->sigpending = 1;
		thread_interrupt(t);
		thread_join(t);
		KEXPECT_EQ(s.result, -EINTR);
	}
	vfs_close(fds[0]);
	vfs_close(fds[1]);
}
#endif
