/*
 * The cores of poll(2) and select(2): ask each file for its readiness,
 * and if none is ready sleep until one of their wait queues is woken, the
 * deadline passes or a signal comes.
 *
 * How the sleep works: the first pass hands each file's poll operation a
 * poll_table whose queue function hangs a callback (struct poll_entry,
 * holding a reference to the file) on every wait queue the file names.
 * Any wake-up of such a queue runs the callback, which sets `triggered`
 * and wakes the poller from its own private queue.  The poller sleeps
 * only if `triggered` is still clear after a full pass, tested under the
 * same lock the callbacks set it under, so a change between a file's
 * readiness test and the sleep is never lost: the file's poll registered
 * before it tested.  Later passes register nothing; every entry is taken
 * off its queue (waiting out a callback in progress, which runs under
 * that queue's lock) before the call returns.
 *
 * Locks: poll_wqueues.lock ("poll", irqsave) guards `triggered`; it is
 * taken inside any wait queue's lock (by callbacks) and before the
 * private queue's ("poll-wait"), never the other way round.
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/poll.h>
#include <kernel/slab.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <string.h>

#include "internal.h"

#define BITS_PER_LONG	(8 * sizeof(unsigned long))
#define INLINE_ENTRIES	8
#define CHUNK_ENTRIES	32

struct poll_wqueues;

struct poll_entry {
	struct wait_callback cb;
	struct poll_wqueues *pw;
	struct file *file;		/* referenced: its queues live while we hang on them */
};

struct poll_chunk {
	struct poll_chunk *next;
	unsigned int used;
	struct poll_entry entries[CHUNK_ENTRIES];
};

/* One poll or select call's waiting state; on its stack. */
struct poll_wqueues {
	struct poll_table pt;
	struct spinlock lock;		/* triggered */
	bool triggered;			/* lock: a watched queue was woken */
	struct wait_queue wait;		/* the poller sleeps here */
	int error;			/* -ENOMEM: an entry could not be had */
	unsigned int inline_used;
	struct poll_entry inline_entries[INLINE_ENTRIES];
	struct poll_chunk *chunks;	/* newest first */
};

static void
pollwake(struct wait_callback *cb)
{
	struct poll_wqueues *pw = container_of(cb, struct poll_entry, cb)->pw;

	/* Interrupts are masked: the woken queue's lock is held. */
	spin_lock(&pw->lock);
	pw->triggered = true;
	spin_unlock(&pw->lock);
	wq_wake_all(&pw->wait);
}

static struct poll_entry *
alloc_entry(struct poll_wqueues *pw)
{
	struct poll_chunk *c = pw->chunks;

	if (pw->inline_used < INLINE_ENTRIES)
		return &pw->inline_entries[pw->inline_used++];
	if (!c || c->used == CHUNK_ENTRIES) {
		c = kmalloc(sizeof(*c));
		if (!c)
			return NULL;
		c->used = 0;
		c->next = pw->chunks;
		pw->chunks = c;
	}
	return &c->entries[c->used++];
}

/* The poll_table's queue function: hang a callback on wq. */
static void
pollwait_queue(struct poll_table *pt, struct file *f, struct wait_queue *wq)
{
	struct poll_wqueues *pw = container_of(pt, struct poll_wqueues, pt);
	struct poll_entry *e = alloc_entry(pw);

	if (!e) {
		pw->error = -ENOMEM;
		return;
	}
	e->pw = pw;
	e->file = fget_file(f);
	wq_add_callback(wq, &e->cb, pollwake);
}

static void
poll_initwait(struct poll_wqueues *pw)
{
	pw->pt.queue = pollwait_queue;
	spin_init(&pw->lock, "poll");
	pw->triggered = false;
	wq_init(&pw->wait);
	spin_init(&pw->wait.lock, "poll-wait");	/* its own class: taken under other queues' */
	pw->error = 0;
	pw->inline_used = 0;
	pw->chunks = NULL;
}

static void
free_entry(struct poll_entry *e)
{
	wq_remove_callback(&e->cb);
	fput(e->file);
}

static void
poll_freewait(struct poll_wqueues *pw)
{
	for (unsigned int i = 0; i < pw->inline_used; i++)
		free_entry(&pw->inline_entries[i]);
	while (pw->chunks) {
		struct poll_chunk *c = pw->chunks;

		for (unsigned int i = 0; i < c->used; i++)
			free_entry(&c->entries[i]);
		pw->chunks = c->next;
		kfree(c);
	}
}

/*
 * Sleep until a watched queue is woken (or was since the last pass), the
 * deadline or a signal: 0, -ETIMEDOUT or -EINTR.
 */
static int
poll_schedule(struct poll_wqueues *pw, uint64_t deadline_ns)
{
	unsigned long flags = spin_lock_irqsave(&pw->lock);
	int err = 0;

	if (!pw->triggered)
		err = wq_wait_interruptible_until(&pw->wait, &pw->lock, deadline_ns);
	pw->triggered = false;
	spin_unlock_irqrestore(&pw->lock, flags);
	return err;
}

unsigned int
vfs_poll_file(struct file *f, struct poll_table *pt)
{
	if (f->fop && f->fop->poll)
		return f->fop->poll(f, pt);
	return DEFAULT_POLLMASK;	/* regular files are always ready */
}

/* A descriptor select and poll can use (O_PATH files are not), referenced. */
static struct file *
fget_poll(int fd)
{
	struct file *f = fget(fd);

	if (f && (f->mode & FMODE_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

static unsigned int
poll_one(struct pollfd *pfd, struct poll_table *pt)
{
	unsigned int mask;
	struct file *f;

	if (pfd->fd < 0) {
		pfd->revents = 0;
		return 0;
	}
	f = fget_poll(pfd->fd);
	if (!f) {
		mask = POLLNVAL;
	} else {
		mask = vfs_poll_file(f, pt);
		/* Errors and hang-ups are reported whether asked for or not. */
		mask &= (unsigned short)pfd->events | POLLERR | POLLHUP;
		fput(f);
	}
	pfd->revents = (short)mask;
	return mask;
}

static unsigned int
fd_limit(void)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);
	unsigned int limit = files->limit;

	spin_unlock_irqrestore(&files->lock, flags);
	return limit;
}

/*
 * After a pass found nothing: -ETIMEDOUT when the deadline is reached
 * (one more pass follows, as Linux's), an error to return, or 0 after a
 * wake-up.
 */
static int
wait_more(struct poll_wqueues *pw, uint64_t deadline_ns)
{
	if (pw->error)
		return pw->error;
	if (deadline_ns != WAIT_FOREVER && time_ns() >= deadline_ns)
		return -ETIMEDOUT;
	return poll_schedule(pw, deadline_ns);
}

/*
 * Linux's do_poll/do_select loop around one pass over the files: the
 * first pass registers, later ones only look; it ends when a pass finds
 * something (its count), after one more pass once the deadline is
 * reached, or with an error.
 */
static int
poll_loop(uint64_t deadline_ns, int (*pass)(void *ctx, struct poll_table *pt), void *ctx)
{
	struct poll_wqueues pw;
	struct poll_table *pt;
	bool timed_out = deadline_ns == POLL_NO_WAIT;
	int count, err;

	poll_initwait(&pw);
	pt = timed_out ? NULL : &pw.pt;
	for (;;) {
		count = pass(ctx, pt);
		pt = NULL;
		if (count || timed_out)
			break;
		err = wait_more(&pw, deadline_ns);
		if (err == -ETIMEDOUT) {
			timed_out = true;
		} else if (err) {
			count = err;
			break;
		}
	}
	poll_freewait(&pw);
	return count;
}

struct poll_args {
	struct pollfd *fds;
	unsigned int nfds;
};

static int
poll_pass(void *ctx, struct poll_table *pt)
{
	struct poll_args *a = ctx;
	int count = 0;

	for (unsigned int i = 0; i < a->nfds; i++)
		if (poll_one(&a->fds[i], pt))
			count++;
	return count;
}

int
do_poll(struct pollfd *fds, unsigned int nfds, uint64_t deadline_ns)
{
	struct poll_args a = { fds, nfds };

	if (nfds > fd_limit())
		return -EINVAL;
	return poll_loop(deadline_ns, poll_pass, &a);
}

static bool
test_fd(const unsigned long *set, unsigned int fd)
{
	return set && (set[fd / BITS_PER_LONG] >> (fd % BITS_PER_LONG)) & 1;
}

static void
set_fd(unsigned long *set, unsigned int fd)
{
	set[fd / BITS_PER_LONG] |= 1UL << (fd % BITS_PER_LONG);
}

/* Every descriptor the sets name is open (Linux's max_select_fd check). */
static int
check_select_fds(unsigned int n, const unsigned long *in, const unsigned long *out,
		 const unsigned long *ex)
{
	for (unsigned int fd = 0; fd < n; fd++) {
		struct file *f;

		if (!test_fd(in, fd) && !test_fd(out, fd) && !test_fd(ex, fd))
			continue;
		f = fget_poll((int)fd);
		if (!f)
			return -EBADF;
		fput(f);
	}
	return 0;
}

struct select_args {
	unsigned int n;
	const unsigned long *in, *out, *ex;
	unsigned long *res;		/* 3 bitmaps of words longs */
	size_t words;
};

/* One pass: the ready bits into res, zeroed first. */
static int
select_pass(void *ctx, struct poll_table *pt)
{
	struct select_args *a = ctx;
	unsigned long *res = a->res;
	int count = 0;

	memset(res, 0, 3 * a->words * sizeof(long));
	for (unsigned int fd = 0; fd < a->n; fd++) {
		bool r = test_fd(a->in, fd), w = test_fd(a->out, fd), x = test_fd(a->ex, fd);
		unsigned int mask;
		struct file *f;

		if (!r && !w && !x)
			continue;
		f = fget_poll((int)fd);
		if (!f)
			continue;	/* closed since the check: Linux skips it too */
		mask = vfs_poll_file(f, pt);
		fput(f);
		if (r && (mask & POLLIN_SET)) {
			set_fd(res, fd);
			count++;
		}
		if (w && (mask & POLLOUT_SET)) {
			set_fd(res + a->words, fd);
			count++;
		}
		if (x && (mask & POLLEX_SET)) {
			set_fd(res + 2 * a->words, fd);
			count++;
		}
	}
	return count;
}

int
do_select(int n, unsigned long *in, unsigned long *out, unsigned long *ex,
	  uint64_t deadline_ns)
{
	unsigned long small[3 * 4];
	struct select_args a = { .n = (unsigned int)n, .in = in, .out = out, .ex = ex };
	int count;

	if (n < 0)
		return -EINVAL;
	a.words = ((size_t)n + BITS_PER_LONG - 1) / BITS_PER_LONG;
	count = check_select_fds(a.n, in, out, ex);
	if (count)
		return count;
	a.res = a.words <= 4 ? small : kmalloc(3 * a.words * sizeof(long));
	if (!a.res)
		return -ENOMEM;
	count = poll_loop(deadline_ns, select_pass, &a);
	if (count >= 0) {
		if (in)
			memcpy(in, a.res, a.words * sizeof(long));
		if (out)
			memcpy(out, a.res + a.words, a.words * sizeof(long));
		if (ex)
			memcpy(ex, a.res + 2 * a.words, a.words * sizeof(long));
	}
	if (a.res != small)
		kfree(a.res);
	return count;
}
