/*
 * eventfd(2) and eventfd2(2): a 64-bit counter behind a file descriptor,
 * with Linux's rules.  A read of at least 8 bytes takes the counter (or 1
 * of it with EFD_SEMAPHORE) and waits while it is 0; a write of at least 8
 * bytes adds to it and waits while the sum would pass 0xfffffffffffffffe;
 * writing 0xffffffffffffffff itself is EINVAL.  Readable while the counter
 * is not 0, writable while 1 more fits.  /proc/<pid>/fd shows
 * "anon_inode:[eventfd]", fdinfo adds eventfd-count and eventfd-id.
 *
 * Locks: eventfd_ctx.lock ("eventfd", irqsave) guards count; readers,
 * writers and pollers wait on wq, woken after every change with the
 * events it concerns (POLLIN after a write, POLLOUT after a read), so an
 * epoll item watching one direction hears nothing of the other.
 */
#include <kernel/anon_inode.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/poll.h>
#include <kernel/seqbuf.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/uio.h>
#include <kernel/wait.h>

#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK
#define EFD_FLAGS	(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)

struct eventfd_ctx {
	struct spinlock lock;
	struct wait_queue wq;		/* readers, writers, pollers */
	uint64_t count;			/* lock */
	bool semaphore;
	unsigned int id;		/* fdinfo's eventfd-id */
};

static unsigned int next_id;		/* atomic */

static bool
nonblocking(struct file *f)
{
	return READ_ONCE(f->flags) & O_NONBLOCK;
}

static ssize_t
eventfd_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct eventfd_ctx *ctx = f->priv;
	unsigned long flags;
	uint64_t val;
	int err = 0;

	if (u->resid < sizeof(val))
		return -EINVAL;
	flags = spin_lock_irqsave(&ctx->lock);
	while (!ctx->count) {
		if (nonblocking(f)) {
			spin_unlock_irqrestore(&ctx->lock, flags);
			return -EAGAIN;
		}
		err = wq_wait_interruptible(&ctx->wq, &ctx->lock, WAIT_FOREVER);
		if (err) {
			spin_unlock_irqrestore(&ctx->lock, flags);
			return -ERESTARTSYS;
		}
	}
	val = ctx->semaphore ? 1 : ctx->count;
	ctx->count -= val;
	wq_wake_all_key(&ctx->wq, POLLOUT | POLLWRNORM);	/* room for writers */
	spin_unlock_irqrestore(&ctx->lock, flags);
	/* As Linux: the value is taken even if the copy then faults. */
	if (uio_copy_to(u, &val, sizeof(val)) != sizeof(val))
		return -EFAULT;
	return sizeof(val);
}

static ssize_t
eventfd_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct eventfd_ctx *ctx = f->priv;
	unsigned long flags;
	uint64_t val;

	if (u->resid < sizeof(val))
		return -EINVAL;
	if (uio_copy_from(u, &val, sizeof(val)) != sizeof(val))
		return -EFAULT;
	if (val == UINT64_MAX)
		return -EINVAL;
	flags = spin_lock_irqsave(&ctx->lock);
	while (UINT64_MAX - ctx->count <= val) {
		if (nonblocking(f)) {
			spin_unlock_irqrestore(&ctx->lock, flags);
			return -EAGAIN;
		}
		if (wq_wait_interruptible(&ctx->wq, &ctx->lock, WAIT_FOREVER)) {
			spin_unlock_irqrestore(&ctx->lock, flags);
			return -ERESTARTSYS;
		}
	}
	ctx->count += val;
	if (ctx->count)
		wq_wake_all_key(&ctx->wq, POLLIN | POLLRDNORM);	/* data for readers */
	spin_unlock_irqrestore(&ctx->lock, flags);
	return sizeof(val);
}

static unsigned int
eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd_ctx *ctx = f->priv;
	unsigned int mask = 0;
	unsigned long flags;
	uint64_t count;

	poll_wait(f, &ctx->wq, pt);	/* first: a change after the test wakes us */
	flags = spin_lock_irqsave(&ctx->lock);
	count = ctx->count;
	spin_unlock_irqrestore(&ctx->lock, flags);
	if (count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (count == UINT64_MAX)
		mask |= POLLERR;
	if (UINT64_MAX - 1 > count)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void
eventfd_release(struct inode *inode, struct file *f)
{
	kfree(f->priv);
}

static void
eventfd_show_fdinfo(struct seqbuf *m, struct file *f)
{
	struct eventfd_ctx *ctx = f->priv;
	unsigned long flags = spin_lock_irqsave(&ctx->lock);
	uint64_t count = ctx->count;

	spin_unlock_irqrestore(&ctx->lock, flags);
	seqbuf_printf(m, "eventfd-count: %16llx\neventfd-id: %u\n", (unsigned long long)count,
		      ctx->id);
}

static const struct file_operations eventfd_fops = {
	.release = eventfd_release,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.show_fdinfo = eventfd_show_fdinfo,
};

static long
do_eventfd(unsigned int count, int flags)
{
	struct eventfd_ctx *ctx;
	int fd;

	if (flags & ~EFD_FLAGS)
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	spin_init(&ctx->lock, "eventfd");
	wq_init(&ctx->wq);
	ctx->count = count;
	ctx->semaphore = flags & EFD_SEMAPHORE;
	ctx->id = atomic_fetch_add(&next_id, 1);
	fd = anon_inode_getfd("[eventfd]", &eventfd_fops, ctx,
			      O_RDWR | (flags & (EFD_CLOEXEC | EFD_NONBLOCK)));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

SYSCALL_DEFINE2(eventfd2, unsigned int, count, int, flags)
{
	return do_eventfd(count, flags);
}

#if defined(__x86_64__) || defined(__i386__)
/* x86 only: the generic table (aarch64) has eventfd2 alone. */
SYSCALL_DEFINE1(eventfd, unsigned int, count)
{
	return do_eventfd(count, 0);
}
#endif
