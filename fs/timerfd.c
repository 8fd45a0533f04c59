/*
 * timerfd_create(2), timerfd_settime(2), timerfd_gettime(2): a timer
 * behind a file descriptor, with Linux's rules.  A read of at least 8
 * bytes returns the number of expirations since the last read (waiting
 * for one, or EAGAIN with O_NONBLOCK); the file is readable while that
 * number is not 0.
 *
 * Clocks: CLOCK_MONOTONIC and CLOCK_BOOTTIME (the same here: no
 * suspend), CLOCK_REALTIME, and the _ALARM forms of the last two for
 * root only (CAP_WAKE_ALARM; with no suspend they are the plain clocks).
 * As Linux's hrtimers: a relative timer runs on the monotonic clock
 * whatever its clock (POSIX: relative timers ignore clock changes); an
 * absolute real-time timer follows the real time when it is set
 * (timerfd_clock_was_set()), and with TFD_TIMER_CANCEL_ON_SET such a
 * change makes the next read fail with ECANCELED once.
 *
 * As Linux, a periodic timer is not re-armed by its expiry: the first
 * expiry counts one and makes the file readable; the read (or
 * timerfd_gettime, or timerfd_settime's old value) then counts the
 * periods that passed since and arms the next one.  A kernel timer
 * (<kernel/timer.h>) fires on the tick after the deadline; reads, polls
 * and gettime look at the clock themselves, so they never see an expiry
 * late.
 *
 * Locks: timerfd_ctx.lock ("timerfd", irqsave; the timer's callback
 * takes it in interrupt context) guards the context and orders every arm
 * and cancel of its timer; rt_lock ("timerfd-rt", before any ctx.lock)
 * the list of contexts the real time concerns.
 */
#include <kernel/anon_inode.h>
#include <kernel/clock.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/list.h>
#include <kernel/poll.h>
#include <kernel/seqbuf.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/timerfd.h>
#include <kernel/uaccess.h>
#include <kernel/uio.h>
#include <kernel/wait.h>

#define TFD_TIMER_ABSTIME	(1 << 0)
#define TFD_TIMER_CANCEL_ON_SET	(1 << 1)
#define TFD_SETTIME_FLAGS	(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)
#define TFD_CLOEXEC		O_CLOEXEC
#define TFD_NONBLOCK		O_NONBLOCK
#define TFD_CREATE_FLAGS	(TFD_CLOEXEC | TFD_NONBLOCK)

/* An itimerspec in nanoseconds (both below 2^63: valid timespecs). */
struct ktimer_spec {
	uint64_t value, interval;
};

struct timerfd_ctx {
	struct spinlock lock;
	struct wait_queue wq;		/* readers and pollers */
	struct timer timer;		/* lock: armed and cancelled under it */
	clockid_t clockid;
	int settime_flags;		/* lock: fdinfo's */
	bool realtime;			/* lock: expires is on the real-time clock */
	bool armed;			/* lock: an expiry is due at expires */
	bool expired;			/* lock: it came; a periodic timer waits for a read */
	bool might_cancel;		/* lock: TFD_TIMER_CANCEL_ON_SET applies */
	bool canceled;			/* lock: the real time was set since */
	uint64_t expires;		/* lock: ns on its clock (realtime ? real : time_ns()) */
	uint64_t interval;		/* lock: ns, 0 for a one-shot timer */
	uint64_t ticks;			/* lock: expirations not read yet */
	struct list_head rt_node;	/* rt_lock: on rt_list */
	bool on_rt_list;		/* rt_lock */
};

static struct spinlock rt_lock = SPINLOCK_INIT("timerfd-rt");
static LIST_HEAD(rt_list);		/* rt_lock: contexts the real time concerns */

static const struct file_operations timerfd_fops;

static bool
is_alarm(clockid_t id)
{
	return id == CLOCK_REALTIME_ALARM || id == CLOCK_BOOTTIME_ALARM;
}

static bool
is_realtime(clockid_t id)
{
	return id == CLOCK_REALTIME || id == CLOCK_REALTIME_ALARM;
}

/* Linux's capable(CAP_WAKE_ALARM): root. */
static bool
capable_wake_alarm(void)
{
	return current_cred()->euid == 0;
}

/* Now on ctx's clock. */
static uint64_t
now_of(const struct timerfd_ctx *ctx)
{
	int64_t real;

	if (!ctx->realtime)
		return time_ns();
	real = realtime_ns();
	return real < 0 ? 0 : (uint64_t)real;
}

/* Arm the kernel timer for expires (lock held). */
static void
arm_locked(struct timerfd_ctx *ctx)
{
	uint64_t deadline = ctx->expires;

	if (ctx->realtime) {
		int64_t offset = boottime_real_ns();	/* real time of time_ns() == 0 */

		if (offset > 0)
			deadline = deadline > (uint64_t)offset ? deadline - (uint64_t)offset : 0;
		else
			deadline += (uint64_t)-offset;
	}
	timer_arm(&ctx->timer, deadline);
}

/* Count the expiry if it is due (lock held): the timer's work, done by whoever looks first. */
static void
check_expired_locked(struct timerfd_ctx *ctx)
{
	if (!ctx->armed || ctx->expired || now_of(ctx) < ctx->expires)
		return;
	ctx->expired = true;
	ctx->ticks++;
	if (!ctx->interval)
		ctx->armed = false;	/* a one-shot timer is done */
	wq_wake_all_key(&ctx->wq, POLLIN);
}

/*
 * A periodic timer that expired: count the periods that passed since
 * (beyond the one counted) and arm the next (lock held).  Linux's
 * hrtimer_forward_now().
 */
static uint64_t
forward_locked(struct timerfd_ctx *ctx)
{
	uint64_t now, periods;

	if (!ctx->expired || !ctx->interval)
		return 0;
	now = now_of(ctx);
	periods = now >= ctx->expires ? (now - ctx->expires) / ctx->interval + 1 : 1;
	/* Saturating at KTIME_MAX, as Linux's ktime_add_safe(). */
	if (periods > (uint64_t)INT64_MAX / ctx->interval ||
	    ctx->expires + periods * ctx->interval > (uint64_t)INT64_MAX)
		ctx->expires = INT64_MAX;
	else
		ctx->expires += periods * ctx->interval;
	ctx->expired = false;
	arm_locked(ctx);
	return periods - 1;
}

static void
timerfd_fire(struct timer *t)
{
	struct timerfd_ctx *ctx = container_of(t, struct timerfd_ctx, timer);
	unsigned long flags = spin_lock_irqsave(&ctx->lock);

	/* A stale callback (re-armed or cancelled meanwhile) finds nothing due. */
	check_expired_locked(ctx);
	spin_unlock_irqrestore(&ctx->lock, flags);
}

static bool
nonblocking(struct file *f)
{
	return READ_ONCE(f->flags) & O_NONBLOCK;
}

static ssize_t
timerfd_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct timerfd_ctx *ctx = f->priv;
	uint64_t ticks = 0;
	unsigned long flags;
	ssize_t res = 0;

	if (u->resid < sizeof(ticks))
		return -EINVAL;
	flags = spin_lock_irqsave(&ctx->lock);
	check_expired_locked(ctx);
	if (nonblocking(f)) {
		res = -EAGAIN;
	} else {
		while (!ctx->ticks) {
			if (wq_wait_interruptible(&ctx->wq, &ctx->lock, WAIT_FOREVER)) {
				res = -ERESTARTSYS;
				break;
			}
			check_expired_locked(ctx);
		}
	}
	/* The real time was set: the count means nothing now (Linux's timerfd_canceled). */
	if (ctx->might_cancel && ctx->canceled) {
		ctx->canceled = false;
		ctx->ticks = 0;
		ctx->expired = false;
		res = -ECANCELED;
	}
	if (ctx->ticks) {
		ticks = ctx->ticks + forward_locked(ctx);
		ctx->expired = false;
		ctx->ticks = 0;
	}
	spin_unlock_irqrestore(&ctx->lock, flags);
	if (ticks)
		res = uio_copy_to(u, &ticks, sizeof(ticks)) == sizeof(ticks) ?
		      (ssize_t)sizeof(ticks) : -EFAULT;
	return res;
}

static unsigned int
timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd_ctx *ctx = f->priv;
	unsigned int mask = 0;
	unsigned long flags;

	poll_wait(f, &ctx->wq, pt);
	flags = spin_lock_irqsave(&ctx->lock);
	check_expired_locked(ctx);
	if (ctx->ticks)
		mask = POLLIN;
	spin_unlock_irqrestore(&ctx->lock, flags);
	return mask;
}

/* Time left until the next expiry, and the interval (lock held). */
static void
get_locked(struct timerfd_ctx *ctx, struct ktimer_spec *cur)
{
	uint64_t now = now_of(ctx);

	cur->value = ctx->armed && ctx->expires > now ? ctx->expires - now : 0;
	cur->interval = ctx->interval;
}

/* On rt_list while the real time concerns ctx (ctx->lock not held). */
static void
update_rt_list(struct timerfd_ctx *ctx, bool want)
{
	unsigned long flags = spin_lock_irqsave(&rt_lock);

	if (want && !ctx->on_rt_list)
		list_add_tail(&ctx->rt_node, &rt_list);
	else if (!want && ctx->on_rt_list)
		list_del(&ctx->rt_node);
	ctx->on_rt_list = want;
	spin_unlock_irqrestore(&rt_lock, flags);
}

static void
timerfd_release(struct inode *inode, struct file *f)
{
	struct timerfd_ctx *ctx = f->priv;
	unsigned long flags;

	update_rt_list(ctx, false);
	flags = spin_lock_irqsave(&ctx->lock);
	ctx->armed = false;
	timer_cancel(&ctx->timer);
	spin_unlock_irqrestore(&ctx->lock, flags);
	timer_cancel_sync(&ctx->timer);	/* a callback running elsewhere still uses ctx */
	kfree(ctx);
}

static void
timerfd_show_fdinfo(struct seqbuf *m, struct file *f)
{
	struct timerfd_ctx *ctx = f->priv;
	struct ktimer_spec cur;
	unsigned long flags = spin_lock_irqsave(&ctx->lock);
	uint64_t ticks = ctx->ticks;
	int settime_flags = ctx->settime_flags;

	get_locked(ctx, &cur);
	spin_unlock_irqrestore(&ctx->lock, flags);
	seqbuf_printf(m, "clockid: %d\nticks: %llu\nsettime flags: 0%o\n"
		      "it_value: (%llu, %llu)\nit_interval: (%llu, %llu)\n",
		      ctx->clockid, (unsigned long long)ticks, settime_flags,
		      (unsigned long long)(cur.value / NSEC_PER_SEC),
		      (unsigned long long)(cur.value % NSEC_PER_SEC),
		      (unsigned long long)(cur.interval / NSEC_PER_SEC),
		      (unsigned long long)(cur.interval % NSEC_PER_SEC));
}

static const struct file_operations timerfd_fops = {
	.release = timerfd_release,
	.read = timerfd_read,
	.poll = timerfd_poll,
	.show_fdinfo = timerfd_show_fdinfo,
};

void
timerfd_clock_was_set(void)
{
	unsigned long flags = spin_lock_irqsave(&rt_lock);
	struct timerfd_ctx *ctx;

	list_for_each_entry(ctx, &rt_list, rt_node) {
		spin_lock(&ctx->lock);
		if (ctx->might_cancel && !ctx->canceled) {
			ctx->canceled = true;
			ctx->ticks++;		/* readable: the read reports ECANCELED */
			wq_wake_all_key(&ctx->wq, POLLIN);
		}
		if (ctx->realtime && ctx->armed && !ctx->expired) {
			arm_locked(ctx);	/* the same real time, a new monotonic deadline */
			check_expired_locked(ctx);
		}
		spin_unlock(&ctx->lock);
	}
	spin_unlock_irqrestore(&rt_lock, flags);
}

/* The timerfd behind fd, referenced: -EBADF, or -EINVAL for another file. */
static struct file *
timerfd_fget(int fd, int *err)
{
	struct file *f = fget(fd);

	*err = 0;
	if (!f || (f->mode & FMODE_PATH)) {
		if (f)
			fput(f);
		*err = -EBADF;
		return NULL;
	}
	if (f->fop != &timerfd_fops) {
		fput(f);
		*err = -EINVAL;
		return NULL;
	}
	return f;
}

static bool
spec_valid(const struct timespec64 *ts)
{
	return timespec64_valid(ts);
}

static uint64_t
ts_ns(const struct timespec64 *ts)
{
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static long
do_timerfd_settime(int fd, int flags, const struct timespec64 new[2], struct ktimer_spec *old)
{
	struct timerfd_ctx *ctx;
	struct file *f;
	unsigned long irq;
	uint64_t value;
	bool realtime, might_cancel;
	int err;

	/* new[0]: it_interval, new[1]: it_value (struct itimerspec's order). */
	if ((flags & ~TFD_SETTIME_FLAGS) || !spec_valid(&new[0]) || !spec_valid(&new[1]))
		return -EINVAL;
	f = timerfd_fget(fd, &err);
	if (!f)
		return err;
	ctx = f->priv;
	if (is_alarm(ctx->clockid) && !capable_wake_alarm()) {
		fput(f);
		return -EPERM;
	}
	/* Seconds beyond KTIME_MAX saturate, as Linux's timespec64_to_ktime(). */
	value = new[1].tv_sec >= KTIME_SEC_MAX ? (uint64_t)INT64_MAX : ts_ns(&new[1]);
	realtime = is_realtime(ctx->clockid) && (flags & TFD_TIMER_ABSTIME);
	might_cancel = realtime && (flags & TFD_TIMER_CANCEL_ON_SET);
	/* On the list first: a clock change from now on finds it. */
	if (realtime)
		update_rt_list(ctx, true);

	irq = spin_lock_irqsave(&ctx->lock);
	ctx->might_cancel = might_cancel;
	check_expired_locked(ctx);
	forward_locked(ctx);		/* the old value is the time to the next period */
	get_locked(ctx, old);

	timer_cancel(&ctx->timer);	/* a callback under way finds nothing due */
	ctx->expired = false;
	ctx->ticks = 0;
	ctx->interval = new[0].tv_sec >= KTIME_SEC_MAX ? (uint64_t)INT64_MAX : ts_ns(&new[0]);
	ctx->armed = value != 0;
	if (ctx->armed) {
		ctx->realtime = realtime;
		if (flags & TFD_TIMER_ABSTIME) {
			ctx->expires = value;
		} else {
			uint64_t now = time_ns();

			/* Saturating at KTIME_MAX, as Linux's ktime_add_safe(). */
			ctx->expires = value > (uint64_t)INT64_MAX - now ? (uint64_t)INT64_MAX :
					now + value;
		}
		arm_locked(ctx);
		check_expired_locked(ctx);	/* an absolute time that passed: now */
		/*
		 * As Linux: a clock change not yet reported by a read fails
		 * the call, once (the timer stays armed).
		 */
		if (ctx->might_cancel && ctx->canceled) {
			ctx->canceled = false;
			err = -ECANCELED;
		}
	}
	if (!err)
		ctx->settime_flags = flags & TFD_SETTIME_FLAGS;
	spin_unlock_irqrestore(&ctx->lock, irq);
	if (!realtime)
		update_rt_list(ctx, false);
	fput(f);
	return err;
}

static long
do_timerfd_gettime(int fd, struct ktimer_spec *cur)
{
	struct timerfd_ctx *ctx;
	unsigned long flags;
	struct file *f;
	int err;

	f = timerfd_fget(fd, &err);
	if (!f)
		return err;
	ctx = f->priv;
	flags = spin_lock_irqsave(&ctx->lock);
	check_expired_locked(ctx);
	ctx->ticks += forward_locked(ctx);
	get_locked(ctx, cur);
	spin_unlock_irqrestore(&ctx->lock, flags);
	fput(f);
	return 0;
}

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	struct timerfd_ctx *ctx;
	int fd;

	if ((flags & ~TFD_CREATE_FLAGS) ||
	    (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME &&
	     clockid != CLOCK_REALTIME_ALARM && clockid != CLOCK_BOOTTIME &&
	     clockid != CLOCK_BOOTTIME_ALARM))
		return -EINVAL;
	if (is_alarm(clockid) && !capable_wake_alarm())
		return -EPERM;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	spin_init(&ctx->lock, "timerfd");
	wq_init(&ctx->wq);
	timer_init(&ctx->timer, timerfd_fire);
	ctx->clockid = clockid;
	fd = anon_inode_getfd("[timerfd]", &timerfd_fops, ctx,
			      O_RDWR | (flags & (TFD_CLOEXEC | TFD_NONBLOCK)));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

/* struct __kernel_itimerspec: 64-bit fields on every port. */
struct user_itimerspec64 {
	struct linux_timespec64 it_interval, it_value;
};

/* i386's struct old_itimerspec32. */
struct user_itimerspec32 {
	struct linux_old_timespec32 it_interval, it_value;
};

static void
spec_to_user64(const struct ktimer_spec *k, struct user_itimerspec64 *u)
{
	u->it_value.tv_sec = (int64_t)(k->value / NSEC_PER_SEC);
	u->it_value.tv_nsec = (long long)(k->value % NSEC_PER_SEC);
	u->it_interval.tv_sec = (int64_t)(k->interval / NSEC_PER_SEC);
	u->it_interval.tv_nsec = (long long)(k->interval % NSEC_PER_SEC);
}

static void
ts_from_user64(const struct linux_timespec64 *u, struct timespec64 *ts)
{
	ts->tv_sec = u->tv_sec;
	ts->tv_nsec = (long)u->tv_nsec;	/* a 32-bit kernel keeps the low word, as Linux */
}

SYSCALL_DEFINE4(timerfd_settime, int, fd, int, flags,
		const struct user_itimerspec64 __user *, utmr,
		struct user_itimerspec64 __user *, otmr)
{
	struct user_itimerspec64 u;
	struct timespec64 new[2];
	struct ktimer_spec old;
	long err;

	if (copy_from_user(&u, utmr, sizeof(u)))
		return -EFAULT;
	ts_from_user64(&u.it_interval, &new[0]);
	ts_from_user64(&u.it_value, &new[1]);
	err = do_timerfd_settime(fd, flags, new, &old);
	if (err)
		return err;
	if (otmr) {
		spec_to_user64(&old, &u);
		if (copy_to_user(otmr, &u, sizeof(u)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(timerfd_gettime, int, fd, struct user_itimerspec64 __user *, otmr)
{
	struct user_itimerspec64 u;
	struct ktimer_spec cur;
	long err = do_timerfd_gettime(fd, &cur);

	if (err)
		return err;
	spec_to_user64(&cur, &u);
	return copy_to_user(otmr, &u, sizeof(u));
}

#ifdef CONFIG_ARCH_I386
static void
spec_to_user32(const struct ktimer_spec *k, struct user_itimerspec32 *u)
{
	u->it_value.tv_sec = (int32_t)(k->value / NSEC_PER_SEC);
	u->it_value.tv_nsec = (int32_t)(k->value % NSEC_PER_SEC);
	u->it_interval.tv_sec = (int32_t)(k->interval / NSEC_PER_SEC);
	u->it_interval.tv_nsec = (int32_t)(k->interval % NSEC_PER_SEC);
}

SYSCALL_DEFINE4(timerfd_settime32, int, fd, int, flags,
		const struct user_itimerspec32 __user *, utmr,
		struct user_itimerspec32 __user *, otmr)
{
	struct user_itimerspec32 u;
	struct timespec64 new[2];
	struct ktimer_spec old;
	long err;

	if (copy_from_user(&u, utmr, sizeof(u)))
		return -EFAULT;
	new[0] = (struct timespec64){ u.it_interval.tv_sec, u.it_interval.tv_nsec };
	new[1] = (struct timespec64){ u.it_value.tv_sec, u.it_value.tv_nsec };
	err = do_timerfd_settime(fd, flags, new, &old);
	if (err)
		return err;
	if (otmr) {
		spec_to_user32(&old, &u);
		if (copy_to_user(otmr, &u, sizeof(u)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(timerfd_gettime32, int, fd, struct user_itimerspec32 __user *, otmr)
{
	struct user_itimerspec32 u;
	struct ktimer_spec cur;
	long err = do_timerfd_gettime(fd, &cur);

	if (err)
		return err;
	spec_to_user32(&cur, &u);
	return copy_to_user(otmr, &u, sizeof(u));
}
#endif
