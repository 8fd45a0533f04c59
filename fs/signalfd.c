/*
 * signalfd(2) and signalfd4(2): the pending signals of a set, read as
 * struct signalfd_siginfo records (128 bytes each) instead of delivered,
 * with Linux's rules.  The file reads and polls the signals of whoever
 * reads or polls it (after fork, the child's own), so it keeps only its
 * mask; signals normally stay blocked, or delivery takes them first.  A
 * read takes as many records as fit and are pending, waiting for the
 * first (EAGAIN with O_NONBLOCK); readable while one is pending.
 * signalfd4 on an existing signalfd replaces its mask.  SIGKILL and
 * SIGSTOP are never in a mask.  /proc/<pid>/fd shows
 * "anon_inode:[signalfd]", fdinfo its mask ("sigmask:").
 *
 * Waiting: readers and pollers of process p sleep on the wait queue of
 * p's bucket (buckets[pid % NR_BUCKETS]; a collision only costs a
 * spurious wake-up), which signalfd_notify() wakes from the sending code
 * whenever a signal becomes pending for p.  A reader samples the
 * bucket's generation, looks for a signal, and sleeps only if the
 * generation is unchanged, checked under the bucket's lock that the
 * notifier bumps it under: no wake-up between the look and the sleep is
 * lost, and the signal code's lock is never held while waiting.
 *
 * Locks: signalfd_bucket.lock ("signalfd", irqsave; taken under a
 * process's sighand->lock by the notifier, never the other way round)
 * guards gen; signalfd_ctx.lock ("signalfd-ctx") the mask.
 */
#include <kernel/anon_inode.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/poll.h>
#include <kernel/process.h>
#include <kernel/seqbuf.h>
#include <kernel/signal.h>
#include <kernel/signalfd.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <kernel/uio.h>
#include <kernel/wait.h>
#include <string.h>

#define SFD_CLOEXEC	O_CLOEXEC
#define SFD_NONBLOCK	O_NONBLOCK

#define NR_BUCKETS	64

/* si_code values that choose the record's layout (<asm-generic/siginfo.h>). */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_TIMER	(-2)
#define SI_SIGIO	(-5)

struct signalfd_siginfo {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};
_Static_assert(sizeof(struct signalfd_siginfo) == 128, "Linux's signalfd_siginfo is 128 bytes");
_Static_assert(offsetof(struct signalfd_siginfo, ssi_addr) == 72, "ssi_addr at 72");

struct signalfd_bucket {
	struct spinlock lock;
	unsigned long gen;		/* lock: bumped by every notification */
	struct wait_queue wq;
};

struct signalfd_ctx {
	struct spinlock lock;
	sigset_t mask;			/* lock: the signals it reads */
};

static struct signalfd_bucket buckets[NR_BUCKETS];
static struct spinlock buckets_init_lock = SPINLOCK_INIT("signalfd-init");
static bool buckets_ready;		/* release/acquire: buckets initialised */

static const struct file_operations signalfd_fops;

/* Set the buckets up before the first signalfd exists. */
static void
buckets_init(void)
{
	unsigned long flags;

	if (load_acquire(&buckets_ready))
		return;
	flags = spin_lock_irqsave(&buckets_init_lock);
	if (!buckets_ready) {
		for (unsigned int i = 0; i < NR_BUCKETS; i++) {
			spin_init(&buckets[i].lock, "signalfd");
			wq_init(&buckets[i].wq);
		}
		store_release(&buckets_ready, true);
	}
	spin_unlock_irqrestore(&buckets_init_lock, flags);
}

static struct signalfd_bucket *
bucket_of(struct process *p)
{
	return &buckets[(unsigned int)p->pid % NR_BUCKETS];
}

void
signalfd_notify(struct process *p)
{
	struct signalfd_bucket *b;

	if (!load_acquire(&buckets_ready))
		return;			/* no signalfd was ever made */
	b = bucket_of(p);
	spin_lock(&b->lock);		/* sighand->lock held, interrupts masked */
	b->gen++;
	spin_unlock(&b->lock);
	wq_wake_all_key(&b->wq, POLLIN);
}

static sigset_t
ctx_mask(struct signalfd_ctx *ctx)
{
	unsigned long flags = spin_lock_irqsave(&ctx->lock);
	sigset_t mask = ctx->mask;

	spin_unlock_irqrestore(&ctx->lock, flags);
	return mask;
}

/*
 * One signal of the mask for the caller: its number, -EAGAIN (nonblock
 * and none), or -ERESTARTSYS when another signal interrupted the wait.
 */
static int
signalfd_dequeue(struct signalfd_ctx *ctx, struct ksiginfo *info, bool nonblock)
{
	struct signalfd_bucket *b = bucket_of(current_process());
	unsigned long flags, gen;
	int sig, err = 0;

	for (;;) {
		flags = spin_lock_irqsave(&b->lock);
		gen = b->gen;
		spin_unlock_irqrestore(&b->lock, flags);
		sig = signal_dequeue_mask(ctx_mask(ctx), info);
		if (sig)
			return sig;
		if (nonblock)
			return -EAGAIN;
		flags = spin_lock_irqsave(&b->lock);
		if (b->gen == gen)
			err = wq_wait_interruptible(&b->wq, &b->lock, WAIT_FOREVER);
		spin_unlock_irqrestore(&b->lock, flags);
		if (err)
			return -ERESTARTSYS;
	}
}

/* Linux's signalfd_copyinfo: the fields the signal's layout has. */
static void
fill_record(struct signalfd_siginfo *r, const struct ksiginfo *info)
{
	int sig = info->signo, code = info->code;

	memset(r, 0, sizeof(*r));
	r->ssi_signo = (uint32_t)sig;
	r->ssi_errno = info->errno_;
	r->ssi_code = code;
	if (code > SI_USER && code < SI_KERNEL) {
		switch (sig) {
		case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
			r->ssi_addr = (uint64_t)info->addr;
			return;
		case SIGCHLD:
			r->ssi_pid = (uint32_t)info->pid;
			r->ssi_uid = info->uid;
			r->ssi_status = info->status;
			return;
		default:
			return;		/* SIGPOLL's band and fd: never raised here */
		}
	}
	if (code == SI_TIMER || code == SI_SIGIO)
		return;			/* POSIX timers and SIGIO: not raised here */
	/* SI_USER, SI_KERNEL, and the negative codes (SI_QUEUE, SI_TKILL ...). */
	r->ssi_pid = (uint32_t)info->pid;
	r->ssi_uid = info->uid;
	if (code < 0) {
		/* Linux's SIL_RT: si_value too (sigqueue's; 0 from tgkill). */
		r->ssi_ptr = (uint64_t)info->value;
		r->ssi_int = (int32_t)info->value;
	}
}

static ssize_t
signalfd_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct signalfd_ctx *ctx = f->priv;
	size_t count = u->resid / sizeof(struct signalfd_siginfo);
	bool nonblock = READ_ONCE(f->flags) & O_NONBLOCK;
	struct signalfd_siginfo rec;
	struct ksiginfo info;
	ssize_t total = 0;
	int ret = 0;

	if (!count)
		return -EINVAL;
	do {
		ret = signalfd_dequeue(ctx, &info, nonblock);
		if (ret <= 0)
			break;
		fill_record(&rec, &info);
		/* As Linux: the signal is gone even if the copy faults. */
		if (uio_copy_to(u, &rec, sizeof(rec)) != sizeof(rec)) {
			ret = -EFAULT;
			break;
		}
		total += sizeof(rec);
		nonblock = true;	/* after the first: only what is pending */
	} while (--count);
	return total ? total : ret;
}

static unsigned int
signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd_ctx *ctx = f->priv;

	poll_wait(f, &bucket_of(current_process())->wq, pt);
	return signal_pending_mask(ctx_mask(ctx)) ? POLLIN : 0;
}

static void
signalfd_release(struct inode *inode, struct file *f)
{
	kfree(f->priv);
}

static void
signalfd_show_fdinfo(struct seqbuf *m, struct file *f)
{
	/* Linux's render_sigset_t: 16 hex digits, signal 64's nibble first. */
	seqbuf_printf(m, "sigmask:\t%016llx\n", (unsigned long long)ctx_mask(f->priv));
}

static const struct file_operations signalfd_fops = {
	.release = signalfd_release,
	.read = signalfd_read,
	.poll = signalfd_poll,
	.show_fdinfo = signalfd_show_fdinfo,
};

static long
do_signalfd4(int ufd, sigset_t mask, int flags)
{
	struct signalfd_ctx *ctx;
	unsigned long irq;
	struct file *f;
	int fd;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	mask &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	buckets_init();
	if (ufd == -1) {
		ctx = kzalloc(sizeof(*ctx));
		if (!ctx)
			return -ENOMEM;
		spin_init(&ctx->lock, "signalfd-ctx");
		ctx->mask = mask;
		fd = anon_inode_getfd("[signalfd]", &signalfd_fops, ctx,
				      O_RDWR | (flags & (SFD_CLOEXEC | SFD_NONBLOCK)));
		if (fd < 0)
			kfree(ctx);
		return fd;
	}
	f = fget(ufd);
	if (!f || (f->mode & FMODE_PATH)) {
		if (f)
			fput(f);
		return -EBADF;
	}
	if (f->fop != &signalfd_fops) {
		fput(f);
		return -EINVAL;
	}
	ctx = f->priv;
	irq = spin_lock_irqsave(&ctx->lock);
	ctx->mask = mask;
	spin_unlock_irqrestore(&ctx->lock, irq);
	/* What is readable changed: pollers and readers look again. */
	irq = arch_irq_save();
	signalfd_notify(current_process());
	arch_irq_restore(irq);
	fput(f);
	return ufd;
}

SYSCALL_DEFINE4(signalfd4, int, ufd, const sigset_t __user *, umask, size_t, sizemask,
		int, flags)
{
	sigset_t mask;

	if (sizemask != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	return do_signalfd4(ufd, mask, flags);
}

#if defined(__x86_64__) || defined(__i386__)
/* x86 only: the generic table (aarch64) has signalfd4 alone. */
SYSCALL_DEFINE3(signalfd, int, ufd, const sigset_t __user *, umask, size_t, sizemask)
{
	sigset_t mask;

	if (sizemask != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	return do_signalfd4(ufd, mask, 0);
}
#endif
