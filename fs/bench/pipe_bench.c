/*
 * Pipe round trips between two kernel threads on one CPU (the DESIGN's
 * "pipe ping-pong"): a byte goes through one pipe and comes back through
 * another, with blocking reads, or with each side sleeping in poll()
 * before it reads.  Each round trip is two writes, two reads and two
 * context switches.
 */
#include <kernel/bench.h>
#include <kernel/fs.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>
#include <kernel/thread.h>

struct pipe_pair {
	int ping[2], pong[2];
	bool use_poll;
};

static bool
read_one(int fd, bool use_poll)
{
	char c;

	if (use_poll) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (do_poll(&p, 1, WAIT_FOREVER) != 1)
			return false;
	}
	return vfs_read(fd, &c, 1) == 1;
}

/* Echo until the ping pipe's writer goes (EOF). */
static void
echo(void *arg)
{
	struct pipe_pair *pp = arg;

	while (read_one(pp->ping[0], pp->use_poll))
		if (vfs_write(pp->pong[1], "p", 1) != 1)
			break;
}

static size_t
round_trips(size_t n, bool use_poll)
{
	struct pipe_pair pp = { .use_poll = use_poll };
	struct thread *t;
	size_t done = 0;

	if (vfs_pipe2(pp.ping, 0))
		return 0;
	if (vfs_pipe2(pp.pong, 0)) {
		vfs_close(pp.ping[0]);
		vfs_close(pp.ping[1]);
		return 0;
	}
	t = thread_create_on("bench-pipe", echo, &pp, thread_current()->prio, 0,
			     cpumask_of(thread_pin()));
	if (t) {
		for (; done < n; done++)
			if (vfs_write(pp.ping[1], "x", 1) != 1 ||
			    !read_one(pp.pong[0], use_poll))
				break;
		vfs_close(pp.ping[1]);		/* EOF: the echo thread ends */
		thread_join(t);
	} else {
		vfs_close(pp.ping[1]);
	}
	thread_unpin();
	vfs_close(pp.ping[0]);
	vfs_close(pp.pong[0]);
	vfs_close(pp.pong[1]);
	return done;
}

BENCH(pipe, round_trip)
{
	return round_trips(n, false);
}

BENCH(pipe, round_trip_poll)
{
	return round_trips(n, true);
}
