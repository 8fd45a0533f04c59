/*
 * Interval timers: setitimer, getitimer and alarm, with Linux's rules.
 *
 *   ITIMER_REAL     a kernel timer on the monotonic clock sends SIGALRM to
 *                   the process; a periodic one is reloaded when that
 *                   SIGALRM is taken (as Linux does, so an unhandled
 *                   flood cannot build up), from where it was due
 *   ITIMER_VIRTUAL  the process's user time, ITIMER_PROF its user and
 *                   system time, both as the tick samples them
 *                   (<kernel/cputime.h>): looked at each tick, SIGVTALRM
 *                   and SIGPROF, reloaded at once
 *
 * They belong to the process (all its threads count), are not inherited
 * by fork and survive execve.  State: struct proc_timers, under the
 * process's sighand->lock.
 */
#include <string.h>
#include <kernel/clock.h>
#include <kernel/cputime.h>
#include <kernel/errno.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include "process_internal.h"

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

#define SI_KERNEL	0x80
#define KTIME_MAX	INT64_MAX

/* struct __kernel_old_itimerval: two timevals of the port's longs. */
struct k_itimerval {
	struct linux_old_timeval interval, value;
};

/* An itimer's value in the kernel: ns. */
struct itimer_val {
	uint64_t value, interval;
};

/* A valid timeval in ns, saturated as Linux's ktime. */
static uint64_t
tv_to_ns(const struct linux_old_timeval *tv)
{
	if ((uint64_t)tv->tv_sec >= (uint64_t)KTIME_SEC_MAX)
		return KTIME_MAX;
	return (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * NSEC_PER_USEC;
}

static void
ns_to_tv(uint64_t ns, struct linux_old_timeval *tv)
{
	tv->tv_sec = (long)(ns / NSEC_PER_SEC);
	tv->tv_usec = (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
}

static bool
tv_valid(const struct linux_old_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < (long)USEC_PER_SEC;
}

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a + b < a || a + b > (uint64_t)KTIME_MAX ? (uint64_t)KTIME_MAX : a + b;
}

/* ---------------------------------------------------------- ITIMER_REAL */

static void
real_fn(struct timer *kt)
{
	struct process *p = container_of(kt, struct process, timers.real);
	struct ksiginfo info = { .signo = SIGALRM, .code = SI_KERNEL };
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);

	/* Cancelled, or armed again, while this callback waited for the lock: stale. */
	if (p->timers.real_expires && !timer_armed(kt) && !p->timers.real_fired) {
		p->timers.real_fired = true;
		send_timer_signal_locked(p, NULL, &info);
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
}

/* sighand->lock held: the remaining time of ITIMER_REAL (1 us when due but not fired). */
static uint64_t
real_remaining_locked(struct process *p)
{
	uint64_t now = time_ns();

	if (!p->timers.real_expires || p->timers.real_fired)
		return 0;
	return p->timers.real_expires > now ? p->timers.real_expires - now : NSEC_PER_USEC;
}

/* sighand->lock held: arm for deadline, or disarm (0). */
static void
real_arm_locked(struct process *p, uint64_t deadline)
{
	timer_cancel(&p->timers.real);
	p->timers.real_expires = deadline;
	p->timers.real_fired = false;
	if (deadline)
		timer_arm(&p->timers.real, deadline);
}

void
timer_signal_taken_locked(struct process *p, struct ksiginfo *info, bool shared)
{
	struct proc_timers *pt = &p->timers;

	if (info->code == SI_TIMER)
		posix_timer_taken_locked(p, info);
	else if (info->signo == SIGALRM && shared && pt->real_fired && pt->real_incr) {
		/* A periodic ITIMER_REAL goes on from where it was due, skipping what passed. */
		uint64_t now = time_ns(), next = pt->real_expires;

		if (next <= now)
			next = add_sat(next, ((now - next) / pt->real_incr + 1) * pt->real_incr);
		real_arm_locked(p, next);
	}
}

/* ------------------------------------------------- VIRTUAL and PROF */

/* sighand->lock held: the sampled clock which counts. */
static uint64_t
cpu_clock_locked(struct process *p, int which)
{
	uint64_t u, s;

	process_samples_locked(p, &u, &s);
	return which == ITIMER_VIRTUAL ? u : u + s;
}

static struct cpu_itimer *
cpu_itimer_of(struct process *p, int which)
{
	return which == ITIMER_VIRTUAL ? &p->timers.virt : &p->timers.prof;
}

static void
cpu_itimer_check(struct process *p, struct cpu_itimer *it, uint64_t now, int sig)
{
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };

	if (!it->expires || now < it->expires)
		return;
	/* One signal a tick at most: the reload counts from when it was due (Linux). */
	it->expires = it->incr ? add_sat(it->expires, it->incr) : 0;
	send_timer_signal_locked(p, NULL, &info);
}

void
itimer_cpu_tick_locked(struct process *p, uint64_t utime, uint64_t stime)
{
	cpu_itimer_check(p, &p->timers.prof, utime + stime, SIGPROF);
	cpu_itimer_check(p, &p->timers.virt, utime, SIGVTALRM);
}

/* ------------------------------------------------------- the calls */

static int
do_getitimer(int which, struct itimer_val *cur)
{
	struct process *p = current_process();
	unsigned long flags;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	flags = spin_lock_irqsave(&p->sighand->lock);
	if (which == ITIMER_REAL) {
		cur->value = real_remaining_locked(p);
		cur->interval = p->timers.real_incr;
	} else {
		struct cpu_itimer *it = cpu_itimer_of(p, which);

		cur->interval = it->incr;
		cur->value = it->expires;
		if (cur->value) {
			uint64_t now = cpu_clock_locked(p, which);

			/* Due but not seen by a tick yet: about to fire. */
			cur->value = cur->value < now ? TICK_NSEC : cur->value - now;
		}
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return 0;
}

static int
do_setitimer(int which, const struct itimer_val *new, struct itimer_val *old)
{
	struct process *p = current_process();
	unsigned long flags;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	flags = spin_lock_irqsave(&p->sighand->lock);
	if (which == ITIMER_REAL) {
		old->value = real_remaining_locked(p);
		old->interval = p->timers.real_incr;
		p->timers.real_incr = new->value ? new->interval : 0;
		real_arm_locked(p, new->value ? add_sat(time_ns(), new->value) : 0);
	} else {
		struct cpu_itimer *it = cpu_itimer_of(p, which);
		uint64_t now = 0, oval = it->expires, nval = new->value;

		if (oval || nval)
			now = cpu_clock_locked(p, which);
		old->interval = it->incr;
		/* Linux's arithmetic: a new value is rounded up by a tick; an old one due says a tick. */
		old->value = !oval ? 0 : oval <= now ? TICK_NSEC : oval - now;
		if (nval)
			nval = add_sat(add_sat(nval, TICK_NSEC), now);
		it->expires = nval;
		it->incr = new->interval;
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return 0;
}

static int
get_itimerval(struct itimer_val *v, const struct k_itimerval __user *u)
{
	struct k_itimerval k;

	if (copy_from_user(&k, u, sizeof(k)))
		return -EFAULT;
	if (!tv_valid(&k.value) || !tv_valid(&k.interval))
		return -EINVAL;
	v->value = tv_to_ns(&k.value);
	v->interval = tv_to_ns(&k.interval);
	return 0;
}

static int
put_itimerval(struct k_itimerval __user *u, const struct itimer_val *v)
{
	struct k_itimerval k;

	memset(&k, 0, sizeof(k));
	ns_to_tv(v->value, &k.value);
	ns_to_tv(v->interval, &k.interval);
	return copy_to_user(u, &k, sizeof(k)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(getitimer, int, which, struct k_itimerval __user *, uvalue)
{
	struct itimer_val cur;
	int err = do_getitimer(which, &cur);

	return err ? err : put_itimerval(uvalue, &cur);
}

/* A NULL new value disarms (a misfeature Linux still has). */
SYSCALL_DEFINE3(setitimer, int, which, const struct k_itimerval __user *, unew,
		struct k_itimerval __user *, uold)
{
	struct itimer_val new = { 0, 0 }, old;
	int err;

	if (unew) {
		err = get_itimerval(&new, unew);
		if (err)
			return err;
	}
	err = do_setitimer(which, &new, &old);
	if (err || !uold)
		return err;
	return put_itimerval(uold, &old);
}

#if defined(CONFIG_ARCH_X86_64) || defined(CONFIG_ARCH_I386)
/* The seconds left of the previous alarm, rounded to the nearest and never 0 while one was set. */
SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct itimer_val new = { 0, 0 }, old;
	uint64_t sec, nsec;

#ifndef CONFIG_64BIT
	if (seconds > INT32_MAX)
		seconds = INT32_MAX;
#endif
	new.value = (uint64_t)seconds * NSEC_PER_SEC;
	do_setitimer(ITIMER_REAL, &new, &old);
	sec = old.value / NSEC_PER_SEC;
	nsec = old.value % NSEC_PER_SEC;
	if ((!sec && nsec) || nsec >= NSEC_PER_SEC / 2)
		sec++;
	return (long)(unsigned int)sec;
}
#endif

/* --------------------------------------------------------- lifetime */

void
proc_timers_init(struct process *p)
{
	memset(&p->timers, 0, sizeof(p->timers));
	timer_init(&p->timers.real, real_fn);
	list_init(&p->timers.posix);
}

void
proc_timers_exit(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);

	p->timers.real_expires = 0;
	p->timers.real_incr = 0;
	p->timers.virt.expires = p->timers.prof.expires = 0;
	timer_cancel(&p->timers.real);
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	timer_cancel_sync(&p->timers.real);	/* the process may be freed next */
	posix_timers_delete_all(p);
}
