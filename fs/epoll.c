/*
 * epoll: epoll_create(1), epoll_ctl, epoll_wait, epoll_pwait(2), with
 * Linux's rules and semantics.  An epoll file holds items, one per
 * (file, descriptor) pair added; each item hangs a callback on every
 * wait queue its file's poll operation names, and a wake-up of one puts
 * the item on the epoll's ready list and wakes its waiters, so a wait
 * sleeps once and is never a polling loop.  epoll_wait asks each ready
 * item's file for its events (a wake-up only says "look"): level-
 * triggered items stay on the list while they report something,
 * edge-triggered (EPOLLET) ones leave it until the next wake-up,
 * EPOLLONESHOT ones are disabled after one report until EPOLL_CTL_MOD.
 *
 * Items do not hold their files: the last fput of a file takes it off
 * every interest list (eventpoll_release(), from fput()), as Linux, so a
 * descriptor closed while a dup of it is open stays in the set.
 *
 * An epoll inside another: the inner one's poll links the outer item in
 * its `parents` list instead of a wait queue, and a wake-up of the inner
 * epoll marks those items ready in turn, taking the outer lock nested
 * (spin_lock_nested: the nesting is a tree without cycles, at most
 * EP_MAX_NESTS deep, which epoll_ctl checks as Linux: ELOOP).
 *
 * Locks, in order:
 *   epnest_mutex     (global) the nesting: which epolls contain which,
 *                    loop checks; taken only when epolls nest
 *   eventpoll.mtx    ("epoll-mutex") the items, and every scan of the
 *                    ready list (file polls run under it, never under
 *                    a spinlock); an inner epoll's is taken nested
 *   epoll_files_lock ("epoll-files") each file's ep_items list
 *   eventpoll.lock   ("epoll", irqsave: callbacks run in interrupts)
 *                    the ready list, each item's place on it and its
 *                    events as callbacks read them, the parents list;
 *                    an outer epoll's is taken nested, inside
 *   eventpoll.wq     ("epoll-wait") epoll_wait callers sleep here
 *   eventpoll.poll_wq ("epoll-poll") poll()/select() of the epoll file
 * Callbacks run under the woken queue's lock and take eventpoll.lock.
 */
#include <kernel/anon_inode.h>
#include <kernel/atomic.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/list.h>
#include <kernel/poll.h>
#include <kernel/seqbuf.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/sync.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>

#include "internal.h"

#define EPOLLEXCLUSIVE	(1u << 28)
#define EPOLLWAKEUP	(1u << 29)
#define EPOLLONESHOT	(1u << 30)
#define EPOLLET		(1u << 31)

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

#define EPOLL_CLOEXEC	O_CLOEXEC

/* Bits that say how to report, not what. */
#define EP_PRIVATE_BITS	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
/* What an EPOLLEXCLUSIVE item may ask for. */
#define EPOLLEXCLUSIVE_OK_BITS	(POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | \
				 EPOLLET | EPOLLEXCLUSIVE)

#define EP_MAX_NESTS	4		/* epolls inside epolls, as Linux */
#define EP_HASH		32		/* item buckets per epoll */

/* struct epoll_event: packed on x86_64 (12 bytes, as on i386), 16 bytes on aarch64. */
struct epoll_event {
	uint32_t events;
	uint64_t data;
}
#ifdef __x86_64__
__attribute__((packed))
#endif
;

#define EP_MAX_EVENTS	(INT32_MAX / (int)sizeof(struct epoll_event))

struct eventpoll;
struct epitem;

/* One wait queue an item's callback hangs on. */
struct ep_hook {
	struct wait_callback cb;
	struct epitem *epi;
	struct ep_hook *next;
};

struct epitem {
	struct eventpoll *ep;
	struct file *file;		/* not referenced: see eventpoll_release() */
	int fd;
	uint32_t events;		/* ep->mtx and ep->lock to change: what to report */
	uint64_t data;			/* ep->mtx */
	struct list_head node;		/* ep->mtx: in ep->items[] */
	struct list_head rdlink;	/* ep->lock: on ep->rdllist or a scan's list, else empty */
	struct ep_hook *hooks;		/* ep->mtx */
	struct eventpoll *nested;	/* epnest_mutex: the target's epoll, when it is one */
	struct list_head parent_node;	/* nested->lock: in nested->parents */
	struct epitem *fnext;		/* epoll_files_lock: file->ep_items */
};

struct eventpoll {
	struct mutex mtx;
	struct spinlock lock;
	struct wait_queue wq;
	struct wait_queue poll_wq;
	struct list_head rdllist;	/* lock: ready items (struct epitem.rdlink) */
	struct list_head parents;	/* lock (and epnest_mutex): items of epolls watching us */
	struct list_head items[EP_HASH];/* mtx */
	unsigned int refs;		/* atomic: the file's, and eventpoll_release()'s */
	unsigned long gen;		/* epnest_mutex: the loop check that visited */
	int depth;			/* epnest_mutex: what that check found */
};

static struct mutex epnest_mutex = MUTEX_INIT(epnest_mutex, "epoll-nest");
static struct spinlock epoll_files_lock = SPINLOCK_INIT("epoll-files");
static unsigned long loop_check_gen;	/* epnest_mutex */

static const struct file_operations eventpoll_fops;

static bool
is_file_epoll(const struct file *f)
{
	return f->fop == &eventpoll_fops;
}

static void
ep_get(struct eventpoll *ep)
{
	atomic_fetch_add(&ep->refs, 1);
}

static void
ep_put(struct eventpoll *ep)
{
	if (atomic_sub_return(&ep->refs, 1) == 0)
		kfree(ep);
}

static void
list_splice_head(struct list_head *from, struct list_head *to)
{
	if (list_empty(from))
		return;
	from->prev->next = to->next;
	to->next->prev = from->prev;
	to->next = from->next;
	from->next->prev = to;
	list_init(from);
}

/* ---- readiness ---- */

/*
 * epi has (or may have) events: put it on its epoll's ready list and wake
 * whoever waits on that epoll, including the epolls that contain it.
 * ep->lock held, interrupts masked.
 */
static void
ep_mark_ready_locked(struct epitem *epi, unsigned int depth)
{
	struct eventpoll *ep = epi->ep;
	struct epitem *parent;

	if (!(epi->events & ~EP_PRIVATE_BITS))
		return;			/* a disabled EPOLLONESHOT item */
	if (list_empty(&epi->rdlink))
		list_add_tail(&epi->rdlink, &ep->rdllist);
	wq_wake_all(&ep->wq);
	wq_wake_all(&ep->poll_wq);
	if (depth > EP_MAX_NESTS)
		return;			/* cannot happen: epoll_ctl keeps the nesting shallower */
	list_for_each_entry(parent, &ep->parents, parent_node) {
		spin_lock_nested(&parent->ep->lock);
		ep_mark_ready_locked(parent, depth + 1);
		spin_unlock(&parent->ep->lock);
	}
}

/* A wait queue of the item's file was woken (its lock held, interrupts masked). */
static void
ep_poll_callback(struct wait_callback *cb)
{
	struct epitem *epi = container_of(cb, struct ep_hook, cb)->epi;
	struct eventpoll *ep = epi->ep;
	unsigned int key = cb->wq->wake_key;

	spin_lock(&ep->lock);
	/* A keyed wake-up for events the item does not watch is not its (Linux's). */
	if (!key || (key & epi->events))
		ep_mark_ready_locked(epi, 0);
	spin_unlock(&ep->lock);
}

static void
ep_mark_ready(struct epitem *epi)
{
	unsigned long flags = spin_lock_irqsave(&epi->ep->lock);

	ep_mark_ready_locked(epi, 0);
	spin_unlock_irqrestore(&epi->ep->lock, flags);
}

/* The poll table epoll_ctl hands a file's poll when an item is added. */
struct ep_pqueue {
	struct poll_table pt;
	struct epitem *epi;
	int error;
};

static void
ep_ptable_queue(struct poll_table *pt, struct file *f, struct wait_queue *wq)
{
	struct ep_pqueue *q = container_of(pt, struct ep_pqueue, pt);
	struct ep_hook *h = kmalloc(sizeof(*h));

	if (!h) {
		q->error = -ENOMEM;
		return;
	}
	h->epi = q->epi;
	h->next = q->epi->hooks;
	q->epi->hooks = h;
	wq_add_callback(wq, &h->cb, ep_poll_callback);
}

/* The item's events now (registering with pt when not NULL). */
static unsigned int
ep_item_poll(struct epitem *epi, struct poll_table *pt)
{
	return vfs_poll_file(epi->file, pt) & epi->events;
}

/*
 * Does a ready item really have events?  Items that have none leave the
 * list (a wake-up may have been for something else); the first that has
 * some stays.  The readiness of the epoll file itself.
 */
static bool
ep_any_ready(struct eventpoll *ep)
{
	LIST_HEAD(txlist);
	unsigned long flags;
	bool ready = false;

	mutex_lock_nested(&ep->mtx);	/* inside an outer epoll's scan */
	flags = spin_lock_irqsave(&ep->lock);
	list_splice_head(&ep->rdllist, &txlist);
	while (!list_empty(&txlist)) {
		struct epitem *epi = list_first_entry(&txlist, struct epitem, rdlink);

		list_del(&epi->rdlink);
		spin_unlock_irqrestore(&ep->lock, flags);
		ready = ep_item_poll(epi, NULL) != 0;
		flags = spin_lock_irqsave(&ep->lock);
		if (ready) {
			if (list_empty(&epi->rdlink))
				list_add(&epi->rdlink, &txlist);
			break;
		}
	}
	list_splice_head(&txlist, &ep->rdllist);
	spin_unlock_irqrestore(&ep->lock, flags);
	mutex_unlock(&ep->mtx);
	return ready;
}

static unsigned int
ep_eventpoll_poll(struct file *f, struct poll_table *pt)
{
	struct eventpoll *ep = f->priv;

	if (pt && pt->queue == ep_ptable_queue) {
		/* An outer epoll adds us: its item hears of us through our parents list. */
		struct epitem *outer = container_of(pt, struct ep_pqueue, pt)->epi;
		unsigned long flags = spin_lock_irqsave(&ep->lock);

		list_add_tail(&outer->parent_node, &ep->parents);
		outer->nested = ep;
		spin_unlock_irqrestore(&ep->lock, flags);
	} else {
		poll_wait(f, &ep->poll_wq, pt);
	}
	return ep_any_ready(ep) ? POLLIN | POLLRDNORM : 0;
}

/* ---- items ---- */

static unsigned int
ep_hash(const struct file *f, int fd)
{
	uintptr_t k = (uintptr_t)f / sizeof(void *) + (unsigned int)fd * 31u;

	return (unsigned int)(k ^ (k >> 7)) % EP_HASH;
}

/* ep->mtx held. */
static struct epitem *
ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct epitem *epi;

	list_for_each_entry(epi, &ep->items[ep_hash(f, fd)], node)
		if (epi->file == f && epi->fd == fd)
			return epi;
	return NULL;
}

/*
 * Take epi out of everything and free it (ep->mtx held; epnest_mutex too
 * when its file is an epoll).  The file is alive: its last fput, if that
 * is what runs, waits for this in eventpoll_release().
 */
static void
ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	struct epitem **pp;
	unsigned long flags;

	/* After this no callback of ours runs or will run. */
	while (epi->hooks) {
		struct ep_hook *h = epi->hooks;

		epi->hooks = h->next;
		wq_remove_callback(&h->cb);
		kfree(h);
	}
	if (epi->nested) {
		flags = spin_lock_irqsave(&epi->nested->lock);
		list_del(&epi->parent_node);
		spin_unlock_irqrestore(&epi->nested->lock, flags);
		epi->nested = NULL;
	}
	flags = spin_lock_irqsave(&epoll_files_lock);
	for (pp = &epi->file->ep_items; *pp; pp = &(*pp)->fnext) {
		if (*pp == epi) {
			*pp = epi->fnext;
			break;
		}
	}
	spin_unlock_irqrestore(&epoll_files_lock, flags);
	list_del(&epi->node);
	flags = spin_lock_irqsave(&ep->lock);
	list_del(&epi->rdlink);
	spin_unlock_irqrestore(&ep->lock, flags);
	kfree(epi);
}

/* EPOLL_CTL_ADD (ep->mtx held). */
static int
ep_insert(struct eventpoll *ep, const struct epoll_event *event, struct file *tf, int fd)
{
	struct epitem *epi = kzalloc(sizeof(*epi));
	struct ep_pqueue q;
	unsigned long flags;
	unsigned int revents;

	if (!epi)
		return -ENOMEM;
	epi->ep = ep;
	epi->file = tf;
	epi->fd = fd;
	epi->events = event->events;
	epi->data = event->data;
	list_init(&epi->rdlink);
	list_init(&epi->parent_node);
	list_add_tail(&epi->node, &ep->items[ep_hash(tf, fd)]);
	flags = spin_lock_irqsave(&epoll_files_lock);
	epi->fnext = tf->ep_items;
	tf->ep_items = epi;
	spin_unlock_irqrestore(&epoll_files_lock, flags);

	/* Hang on the file's queues, then look: a change after the look wakes us. */
	q.pt.queue = ep_ptable_queue;
	q.epi = epi;
	q.error = 0;
	revents = ep_item_poll(epi, &q.pt);
	if (q.error) {
		ep_remove(ep, epi);
		return q.error;
	}
	if (revents)
		ep_mark_ready(epi);
	return 0;
}

/* EPOLL_CTL_MOD (ep->mtx held): new events and data; ready at once if they are. */
static int
ep_modify(struct eventpoll *ep, struct epitem *epi, const struct epoll_event *event)
{
	unsigned long flags = spin_lock_irqsave(&ep->lock);

	epi->events = event->events;
	spin_unlock_irqrestore(&ep->lock, flags);
	epi->data = event->data;
	if (ep_item_poll(epi, NULL))
		ep_mark_ready(epi);
	return 0;
}

/* ---- the epoll file ---- */

static void
ep_free(struct eventpoll *ep)
{
	mutex_lock(&epnest_mutex);
	mutex_lock(&ep->mtx);
	for (unsigned int i = 0; i < EP_HASH; i++)
		while (!list_empty(&ep->items[i]))
			ep_remove(ep, list_first_entry(&ep->items[i], struct epitem, node));
	mutex_unlock(&ep->mtx);
	mutex_unlock(&epnest_mutex);
	ep_put(ep);
}

static void
ep_eventpoll_release(struct inode *inode, struct file *f)
{
	ep_free(f->priv);
}

static void
ep_show_fdinfo(struct seqbuf *m, struct file *f)
{
	struct eventpoll *ep = f->priv;
	struct epitem *epi;

	mutex_lock(&ep->mtx);
	for (unsigned int i = 0; i < EP_HASH; i++) {
		list_for_each_entry(epi, &ep->items[i], node) {
			struct inode *inode = epi->file->inode;

			seqbuf_printf(m, "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%llx sdev:%lx\n",
				      epi->fd, epi->events, (unsigned long long)epi->data,
				      (long long)epi->file->pos, (unsigned long long)inode->ino,
				      (unsigned long)inode->sb->dev);
		}
	}
	mutex_unlock(&ep->mtx);
}

static const struct file_operations eventpoll_fops = {
	.release = ep_eventpoll_release,
	.poll = ep_eventpoll_poll,
	.show_fdinfo = ep_show_fdinfo,
};

void
eventpoll_release(struct file *f)
{
	bool nest = is_file_epoll(f);

	if (nest)
		mutex_lock(&epnest_mutex);
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&epoll_files_lock);
		struct epitem *epi = f->ep_items, *it;
		struct eventpoll *ep;

		if (!epi) {
			spin_unlock_irqrestore(&epoll_files_lock, flags);
			break;
		}
		/* While epi is listed its epoll has not been freed: pin it. */
		ep = epi->ep;
		ep_get(ep);
		spin_unlock_irqrestore(&epoll_files_lock, flags);
		mutex_lock(&ep->mtx);
		/* Removed meanwhile (by its epoll's close or EPOLL_CTL_DEL)? */
		flags = spin_lock_irqsave(&epoll_files_lock);
		for (it = f->ep_items; it && it != epi; it = it->fnext)
			;
		spin_unlock_irqrestore(&epoll_files_lock, flags);
		if (it)
			ep_remove(ep, epi);
		mutex_unlock(&ep->mtx);
		ep_put(ep);
	}
	if (nest)
		mutex_unlock(&epnest_mutex);
}

/* ---- nesting checks (epnest_mutex held) ---- */

static struct eventpoll *inserting_into;	/* epnest_mutex */

/* How deep the epolls inside ep go; > EP_MAX_NESTS also for a loop back to inserting_into. */
static int
ep_depth_down(struct eventpoll *ep, int depth)
{
	struct epitem *epi;
	int result = 0;

	if (ep->gen == loop_check_gen)
		return ep->depth;
	mutex_lock_nested(&ep->mtx);
	ep->gen = loop_check_gen;
	for (unsigned int i = 0; i < EP_HASH && result <= EP_MAX_NESTS; i++) {
		list_for_each_entry(epi, &ep->items[i], node) {
			if (!epi->nested)
				continue;
			if (epi->nested == inserting_into || depth > EP_MAX_NESTS)
				result = EP_MAX_NESTS + 1;
			else
				result = MAX(result, ep_depth_down(epi->nested, depth + 1) + 1);
			if (result > EP_MAX_NESTS)
				break;
		}
	}
	ep->depth = result;
	mutex_unlock(&ep->mtx);
	return result;
}

/* How deep ep sits inside other epolls. */
static int
ep_depth_up(struct eventpoll *ep)
{
	struct epitem *epi;
	int result = 0;

	if (ep->gen == loop_check_gen)
		return ep->depth;
	/* The parents list changes under epnest_mutex, which we hold. */
	list_for_each_entry(epi, &ep->parents, parent_node)
		result = MAX(result, ep_depth_up(epi->ep) + 1);
	ep->gen = loop_check_gen;
	ep->depth = result;
	return result;
}

/* Linux's ep_loop_check (with its upward depth): 0, or -ELOOP. */
static int
ep_loop_check(struct eventpoll *ep, struct eventpoll *to)
{
	int down, up;

	inserting_into = ep;
	loop_check_gen++;
	down = ep_depth_down(to, 0);
	if (down > EP_MAX_NESTS)
		return -ELOOP;
	loop_check_gen++;
	up = ep_depth_up(ep);
	return down + 1 + up > EP_MAX_NESTS ? -ELOOP : 0;
}

/* ---- system calls ---- */

static long
do_epoll_create(int flags)
{
	struct eventpoll *ep;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->mtx, "epoll-mutex");
	spin_init(&ep->lock, "epoll");
	wq_init(&ep->wq);
	spin_init(&ep->wq.lock, "epoll-wait");	/* own classes: taken inside other queues' */
	wq_init(&ep->poll_wq);
	spin_init(&ep->poll_wq.lock, "epoll-poll");
	list_init(&ep->rdllist);
	list_init(&ep->parents);
	for (unsigned int i = 0; i < EP_HASH; i++)
		list_init(&ep->items[i]);
	ep->refs = 1;
	fd = anon_inode_getfd("[eventpoll]", &eventpoll_fops, ep,
			      O_RDWR | (flags & EPOLL_CLOEXEC));
	if (fd < 0)
		kfree(ep);
	return fd;
}

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	return do_epoll_create(flags);
}

#if defined(__x86_64__) || defined(__i386__)
/* x86 only: the generic table (aarch64) has epoll_create1 alone. */
SYSCALL_DEFINE1(epoll_create, int, size)
{
	if (size <= 0)
		return -EINVAL;
	return do_epoll_create(0);
}
#endif

/* A descriptor epoll can use (fdget: O_PATH files are not), referenced. */
static struct file *
ep_fget(int fd)
{
	struct file *f = fget(fd);

	if (f && (f->mode & FMODE_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

/* Linux's do_epoll_ctl, checks in its order. */
static long
do_epoll_ctl(int epfd, int op, int fd, struct epoll_event *epds)
{
	struct file *f, *tf;
	struct eventpoll *ep;
	struct epitem *epi;
	bool nest = false;
	long err = -EBADF;

	f = ep_fget(epfd);
	if (!f)
		return -EBADF;
	tf = ep_fget(fd);
	if (!tf)
		goto out_f;
	err = -EPERM;
	if (!tf->fop || !tf->fop->poll)
		goto out_tf;		/* regular files, directories: always ready, refused */
	/* EPOLLWAKEUP needs CAP_BLOCK_SUSPEND, else it is dropped quietly. */
	if (op != EPOLL_CTL_DEL && current_cred()->euid != 0)
		epds->events &= ~EPOLLWAKEUP;
	err = -EINVAL;
	if (f == tf || !is_file_epoll(f))
		goto out_tf;
	if (op != EPOLL_CTL_DEL && (epds->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			goto out_tf;
		if (op == EPOLL_CTL_ADD &&
		    (is_file_epoll(tf) || (epds->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			goto out_tf;
	}
	ep = f->priv;
	if (is_file_epoll(tf)) {
		/* The nesting changes (ADD, DEL) or is looked at: one change at a time. */
		nest = true;
		mutex_lock(&epnest_mutex);
		if (op == EPOLL_CTL_ADD) {
			err = ep_loop_check(ep, tf->priv);
			if (err)
				goto out_nest;
		}
	}
	mutex_lock(&ep->mtx);
	epi = ep_find(ep, tf, fd);
	err = -EINVAL;
	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi) {
			err = -EEXIST;
			break;
		}
		epds->events |= POLLERR | POLLHUP;
		err = ep_insert(ep, epds, tf, fd);
		break;
	case EPOLL_CTL_DEL:
		if (!epi) {
			err = -ENOENT;
			break;
		}
		ep_remove(ep, epi);
		err = 0;
		break;
	case EPOLL_CTL_MOD:
		if (!epi) {
			err = -ENOENT;
			break;
		}
		if (epi->events & EPOLLEXCLUSIVE)
			break;		/* -EINVAL */
		epds->events |= POLLERR | POLLHUP;
		err = ep_modify(ep, epi, epds);
		break;
	}
	mutex_unlock(&ep->mtx);
out_nest:
	if (nest)
		mutex_unlock(&epnest_mutex);
out_tf:
	fput(tf);
out_f:
	fput(f);
	return err;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd, struct epoll_event __user *, event)
{
	struct epoll_event epds = { 0, 0 };

	/* Every op but DEL reads the event first, even an unknown op (Linux's order). */
	if (op != EPOLL_CTL_DEL && copy_from_user(&epds, event, sizeof(epds)))
		return -EFAULT;
	return do_epoll_ctl(epfd, op, fd, &epds);
}

/*
 * Report up to maxevents ready items (ep->mtx held): how many, or
 * -EFAULT when the first copy failed.  Level-triggered items go back to
 * the end of the ready list, what was not reported to its front.
 */
static int
ep_send_events(struct eventpoll *ep, struct epoll_event __user *uevents, int maxevents)
{
	LIST_HEAD(txlist);
	unsigned long flags;
	int res = 0;

	flags = spin_lock_irqsave(&ep->lock);
	list_splice_head(&ep->rdllist, &txlist);
	while (res < maxevents && !list_empty(&txlist)) {
		struct epitem *epi = list_first_entry(&txlist, struct epitem, rdlink);
		struct epoll_event ev;
		unsigned int revents;

		/* Off every list while we look: a wake-up meanwhile puts it back. */
		list_del(&epi->rdlink);
		spin_unlock_irqrestore(&ep->lock, flags);
		revents = ep_item_poll(epi, NULL);
		flags = spin_lock_irqsave(&ep->lock);
		if (!revents)
			continue;
		ev.events = revents;
		ev.data = epi->data;
		spin_unlock_irqrestore(&ep->lock, flags);
		if (copy_to_user(&uevents[res], &ev, sizeof(ev))) {
			flags = spin_lock_irqsave(&ep->lock);
			if (list_empty(&epi->rdlink))
				list_add(&epi->rdlink, &txlist);
			if (!res)
				res = -EFAULT;
			break;
		}
		res++;
		flags = spin_lock_irqsave(&ep->lock);
		if (epi->events & EPOLLONESHOT)
			epi->events &= EP_PRIVATE_BITS;
		else if (!(epi->events & EPOLLET) && list_empty(&epi->rdlink))
			list_add_tail(&epi->rdlink, &ep->rdllist);
	}
	list_splice_head(&txlist, &ep->rdllist);
	spin_unlock_irqrestore(&ep->lock, flags);
	return res;
}

/*
 * Wait for events until deadline (POLL_NO_WAIT: look once, WAIT_FOREVER):
 * how many were reported, 0 at the deadline, -EINTR for a signal (never
 * restarted, as Linux), -EFAULT.
 */
static int
ep_poll(struct eventpoll *ep, struct epoll_event __user *events, int maxevents,
	uint64_t deadline)
{
	bool timed_out = deadline == POLL_NO_WAIT;

	for (;;) {
		unsigned long flags;
		int res, err = 0;

		mutex_lock(&ep->mtx);
		res = ep_send_events(ep, events, maxevents);
		mutex_unlock(&ep->mtx);
		if (res || timed_out)
			return res;
		flags = spin_lock_irqsave(&ep->lock);
		if (list_empty(&ep->rdllist)) {
			if (deadline != WAIT_FOREVER && time_ns() >= deadline)
				err = -ETIMEDOUT;
			else
				err = wq_wait_interruptible_until(&ep->wq, &ep->lock, deadline);
		}
		spin_unlock_irqrestore(&ep->lock, flags);
		if (err == -EINTR)
			return -EINTR;
		if (err == -ETIMEDOUT)
			timed_out = true;	/* one more look, as Linux */
	}
}

static long
do_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, uint64_t deadline)
{
	struct file *f;
	long err;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(events, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	f = ep_fget(epfd);
	if (!f)
		return -EBADF;
	err = is_file_epoll(f) ? ep_poll(f->priv, events, maxevents, deadline) : -EINVAL;
	fput(f);
	return err;
}

/* epoll_wait's milliseconds: negative waits for ever, 0 looks once. */
static uint64_t
ms_deadline(int timeout)
{
	if (timeout < 0)
		return WAIT_FOREVER;
	if (timeout == 0)
		return POLL_NO_WAIT;
	return wait_deadline((uint64_t)timeout * NSEC_PER_MSEC);
}

/* With a temporary signal mask (epoll_pwait, epoll_pwait2), as Linux's set_user_sigmask. */
static long
do_epoll_pwait(int epfd, struct epoll_event __user *events, int maxevents, uint64_t deadline,
	       const uint64_t __user *umask, size_t sigsetsize)
{
	uint64_t mask;
	long ret;

	if (umask) {
		if (sigsetsize != sizeof(uint64_t))
			return -EINVAL;
		if (copy_from_user(&mask, umask, sizeof(mask)))
			return -EFAULT;
		sigmask_set_temporary(mask);
	}
	ret = do_epoll_wait(epfd, events, maxevents, deadline);
	if (umask)
		sigmask_restore_temporary(ret == -EINTR);
	return ret;
}

#if defined(__x86_64__) || defined(__i386__)
/* x86 only: the generic table (aarch64) has epoll_pwait alone. */
SYSCALL_DEFINE4(epoll_wait, int, epfd, struct epoll_event __user *, events, int, maxevents,
		int, timeout)
{
	return do_epoll_wait(epfd, events, maxevents, ms_deadline(timeout));
}
#endif

SYSCALL_DEFINE6(epoll_pwait, int, epfd, struct epoll_event __user *, events, int, maxevents,
		int, timeout, const uint64_t __user *, umask, size_t, sigsetsize)
{
	return do_epoll_pwait(epfd, events, maxevents, ms_deadline(timeout), umask, sigsetsize);
}

/* struct __kernel_timespec: 64-bit fields on every port. */
struct ep_timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, struct epoll_event __user *, events, int, maxevents,
		const struct ep_timespec64 __user *, timeout, const uint64_t __user *, umask,
		size_t, sigsetsize)
{
	uint64_t deadline = WAIT_FOREVER;

	if (timeout) {
		struct ep_timespec64 ts;

		if (copy_from_user(&ts, timeout, sizeof(ts)))
			return -EFAULT;
		/* A 32-bit kernel keeps tv_nsec's low word (Linux's get_timespec64). */
		if (sizeof(long) == 4)
			ts.tv_nsec = (int32_t)ts.tv_nsec;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
			return -EINVAL;
		if (!ts.tv_sec && !ts.tv_nsec)
			deadline = POLL_NO_WAIT;
		else if ((uint64_t)ts.tv_sec < (WAIT_FOREVER - NSEC_PER_SEC) / NSEC_PER_SEC)
			deadline = wait_deadline((uint64_t)ts.tv_sec * NSEC_PER_SEC +
						 (uint64_t)ts.tv_nsec);
	}
	return do_epoll_pwait(epfd, events, maxevents, deadline, umask, sigsetsize);
}
