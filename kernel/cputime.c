/*
 * CPU time and resource usage (<kernel/cputime.h>): the tick's sample of
 * user or system time, the sums over a process's threads, the split that
 * getrusage, times and wait4 report, RLIMIT_CPU, the CPU clocks of other
 * threads and processes (cpu_clock_read), and the getrusage and times
 * system calls.
 *
 * Locks: a thread's samples are written only by the tick of the CPU
 * running it and read anywhere (read_u64() copes with 32-bit halves); a
 * process's sums over its threads are taken under its sighand->lock,
 * which keeps the thread list still, as exits add their share under it.
 */
#define pr_fmt(fmt) "cputime: " fmt

#include <string.h>
#include <kernel/atomic.h>
#include <kernel/clock.h>
#include <kernel/cputime.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/loadavg.h>
#include <kernel/mman.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include "process_internal.h"

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

#define USER_HZ		100		/* clock_t ticks: Linux's, on every port */
/* Linux's jiffies start 5 minutes before wrapping 32 bits (INITIAL_JIFFIES). */
#define INITIAL_JIFFIES	((uint64_t)(uint32_t)(-300 * CONFIG_HZ))

/* A 64-bit counter another CPU increments: two equal reads are one value. */
static uint64_t
read_u64(const uint64_t *p)
{
#if __SIZEOF_LONG__ == 8
	return READ_ONCE(*p);
#else
	uint64_t a, b;

	do {
		a = READ_ONCE(*p);
		b = READ_ONCE(*p);
	} while (a != b);
	return a;
#endif
}

static unsigned long
rss_kib(const struct mm *mm)
{
	return mm ? READ_ONCE(mm->nr_pages) * (PAGE_SIZE / 1024) : 0;
}

/* p->acct.maxrss = max(it, kib), from any CPU. */
static void
maxrss_update(struct process *p, unsigned long kib)
{
	unsigned long old = READ_ONCE(p->acct.maxrss);

	while (kib > old && !atomic_cmpxchg(&p->acct.maxrss, &old, kib))
		;
}

/* ------------------------------------------------------------- sums */

void
process_samples_locked(struct process *p, uint64_t *utime, uint64_t *stime)
{
	uint64_t u = p->utime_ns, s = p->stime_ns;
	struct thread *t;

	for_each_thread(p, t) {
		u += read_u64(&t->utime_ns);
		s += read_u64(&t->stime_ns);
	}
	*utime = u;
	*stime = s;
}

uint64_t
thread_runtime(struct thread *t)
{
#ifdef CONFIG_SCHED_STATS
	return thread_cputime_ns_of(t);
#else
	return read_u64(&t->utime_ns) + read_u64(&t->stime_ns);
#endif
}

uint64_t
process_runtime_locked(struct process *p)
{
#ifdef CONFIG_SCHED_STATS
	uint64_t ns = p->acct.exec_ns;
	struct thread *t;

	for_each_thread(p, t)
		ns += thread_cputime_ns_of(t);
	return ns;
#else
	uint64_t u, s;

	process_samples_locked(p, &u, &s);
	return u + s;
#endif
}

/* a * b / c for a <= c, without a 128-bit product: both factors lose low bits together with c. */
static uint64_t
mul_div(uint64_t a, uint64_t b, uint64_t c)
{
	while (a > UINT32_MAX || b > UINT32_MAX) {
		if (a > b)
			a >>= 1;
		else
			b >>= 1;
		c >>= 1;
	}
	return c ? a * b / c : 0;
}

/*
 * The run time rtime split between user and system time in the samples'
 * proportion, never less than what was reported before (*pu, *ps), as
 * Linux's cputime_adjust: a program sees times that add up to its CPU
 * clock and never go back.  No samples at all count as user time.
 */
static void
cputime_adjust(uint64_t su, uint64_t ss, uint64_t rtime, uint64_t *pu, uint64_t *ps)
{
	uint64_t u, s;

	if (*pu + *ps >= rtime)
		return;			/* nothing new since: report the same */
	if (ss == 0)
		s = 0;
	else if (su == 0)
		s = rtime;
	else
		s = mul_div(ss, rtime, ss + su);
	if (s < *ps)
		s = *ps;
	u = rtime - s;
	if (u < *pu) {
		u = *pu;
		s = rtime - u;
	}
	*pu = u;
	*ps = s;
}

/* The reported user and system time of p (sighand->lock held). */
static void
process_times_locked(struct process *p, uint64_t *utime, uint64_t *stime)
{
	uint64_t su, ss, rtime;

	process_samples_locked(p, &su, &ss);
	rtime = process_runtime_locked(p);
	cputime_adjust(su, ss, rtime, &p->acct.prev_utime, &p->acct.prev_stime);
	*utime = p->acct.prev_utime;
	*stime = p->acct.prev_stime;
}

/* ------------------------------------------------------------ the tick */

/*
 * RLIMIT_CPU against the process's sampled time prof (sighand->lock
 * held), as Linux: SIGKILL at the hard limit; SIGXCPU at the soft one,
 * which then grows by a second (getrlimit shows it) so that the next
 * comes a second later.
 */
static void
rlimit_cpu_tick_locked(struct process *p, uint64_t prof)
{
	const uint64_t max_sec = UINT64_MAX / NSEC_PER_SEC;
	uint64_t soft = READ_ONCE(p->rlim[RLIMIT_CPU].rlim_cur);
	uint64_t hard = READ_ONCE(p->rlim[RLIMIT_CPU].rlim_max);
	struct ksiginfo info = { .code = 0x80 /* SI_KERNEL */ };

	if (soft >= max_sec)
		return;			/* RLIM_INFINITY, or as good as */
	if (hard < max_sec && prof >= hard * NSEC_PER_SEC) {
		info.signo = SIGKILL;
		send_timer_signal_locked(p, NULL, &info);
		return;
	}
	if (prof >= soft * NSEC_PER_SEC) {
		info.signo = SIGXCPU;
		send_timer_signal_locked(p, NULL, &info);
		WRITE_ONCE(p->rlim[RLIMIT_CPU].rlim_cur, soft + 1);
	}
}

void
process_tick(void)
{
	struct thread *t = thread_current();
	struct process *p = t->proc;
	unsigned long flags;
	uint64_t u, s;

	if (cpu_id() == 0)
		loadavg_tick();
	if (!p || t->group_left)
		return;
	/* The interrupt came from user mode when it saved the thread's user frame. */
	if (t->user_regs && get_irq_regs() == t->user_regs)
		t->utime_ns += TICK_NSEC;
	else
		t->stime_ns += TICK_NSEC;
	if (t->mm)
		maxrss_update(p, rss_kib(t->mm));
	if (!READ_ONCE(p->timers.virt.expires) && !READ_ONCE(p->timers.prof.expires) &&
	    !READ_ONCE(p->timers.nr_cpu_armed) &&
	    READ_ONCE(p->rlim[RLIMIT_CPU].rlim_cur) == RLIM_INFINITY)
		return;
	flags = spin_lock_irqsave(&p->sighand->lock);
	if (p->nr_threads && !t->group_left) {
		process_samples_locked(p, &u, &s);
		itimer_cpu_tick_locked(p, u, s);
		rlimit_cpu_tick_locked(p, u + s);
		if (p->timers.nr_cpu_armed)
			posix_cpu_timers_tick_locked(p, t);
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
}

/* ------------------------------------------------------ exits and waits */

void
cputime_thread_exit(struct thread *t)
{
	if (t->proc && t->mm)
		maxrss_update(t->proc, rss_kib(t->mm));
}

void
cputime_thread_leave_locked(struct process *p, struct thread *t)
{
	p->acct.exec_ns += thread_runtime(t);
	p->acct.min_flt += t->min_flt;
	p->acct.maj_flt += t->maj_flt;
	p->acct.nvcsw += t->nvcsw;
	p->acct.nivcsw += t->nivcsw;
}

void
rusage_zombie_locked(struct process *c, struct rusage_acct *ru)
{
	unsigned long flags = spin_lock_irqsave(&c->sighand->lock);

	process_times_locked(c, &ru->utime_ns, &ru->stime_ns);
	spin_unlock_irqrestore(&c->sighand->lock, flags);
	ru->utime_ns += c->cutime_ns;
	ru->stime_ns += c->cstime_ns;
	ru->maxrss = MAX(READ_ONCE(c->acct.maxrss), c->acct.cmaxrss);
	ru->min_flt = c->acct.min_flt + c->acct.cmin_flt;
	ru->maj_flt = c->acct.maj_flt + c->acct.cmaj_flt;
	ru->nvcsw = c->acct.nvcsw + c->acct.cnvcsw;
	ru->nivcsw = c->acct.nivcsw + c->acct.cnivcsw;
}

void
rusage_reaped_locked(struct process *parent, const struct rusage_acct *ru)
{
	parent->cutime_ns += ru->utime_ns;
	parent->cstime_ns += ru->stime_ns;
	parent->acct.cmin_flt += ru->min_flt;
	parent->acct.cmaj_flt += ru->maj_flt;
	parent->acct.cnvcsw += ru->nvcsw;
	parent->acct.cnivcsw += ru->nivcsw;
	if (ru->maxrss > parent->acct.cmaxrss)
		parent->acct.cmaxrss = ru->maxrss;
}

/* ------------------------------------------------------- system calls */

/* struct rusage: two timevals and 14 longs, the same layout on every port. */
struct k_rusage {
	long utime_sec, utime_usec;
	long stime_sec, stime_usec;
	long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
	long msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

int
put_rusage(void __user *uru, const struct rusage_acct *ru)
{
	struct k_rusage r;

	if (!uru)
		return 0;
	memset(&r, 0, sizeof(r));
	r.utime_sec = (long)(ru->utime_ns / NSEC_PER_SEC);
	r.utime_usec = (long)(ru->utime_ns % NSEC_PER_SEC / NSEC_PER_USEC);
	r.stime_sec = (long)(ru->stime_ns / NSEC_PER_SEC);
	r.stime_usec = (long)(ru->stime_ns % NSEC_PER_SEC / NSEC_PER_USEC);
	r.maxrss = (long)ru->maxrss;
	r.minflt = (long)ru->min_flt;
	r.majflt = (long)ru->maj_flt;
	r.nvcsw = (long)ru->nvcsw;
	r.nivcsw = (long)ru->nivcsw;
	return copy_to_user(uru, &r, sizeof(r)) ? -EFAULT : 0;
}

static void
rusage_self(struct rusage_acct *ru)
{
	struct process *p = current_process();
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
	struct thread *t;

	process_times_locked(p, &ru->utime_ns, &ru->stime_ns);
	ru->min_flt = p->acct.min_flt;
	ru->maj_flt = p->acct.maj_flt;
	ru->nvcsw = p->acct.nvcsw;
	ru->nivcsw = p->acct.nivcsw;
	for_each_thread(p, t) {
		ru->min_flt += READ_ONCE(t->min_flt);
		ru->maj_flt += READ_ONCE(t->maj_flt);
		ru->nvcsw += READ_ONCE(t->nvcsw);
		ru->nivcsw += READ_ONCE(t->nivcsw);
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
}

static void
rusage_thread(struct rusage_acct *ru)
{
	struct thread *me = thread_current();

	cputime_adjust(read_u64(&me->utime_ns), read_u64(&me->stime_ns), thread_runtime(me),
		       &me->prev_utime, &me->prev_stime);
	ru->utime_ns = me->prev_utime;
	ru->stime_ns = me->prev_stime;
	ru->min_flt = me->min_flt;
	ru->maj_flt = me->maj_flt;
	ru->nvcsw = READ_ONCE(me->nvcsw);
	ru->nivcsw = READ_ONCE(me->nivcsw);
}

static void
rusage_children(struct rusage_acct *ru)
{
	struct process *p = current_process();
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	ru->utime_ns = p->cutime_ns;
	ru->stime_ns = p->cstime_ns;
	ru->maxrss = p->acct.cmaxrss;
	ru->min_flt = p->acct.cmin_flt;
	ru->maj_flt = p->acct.cmaj_flt;
	ru->nvcsw = p->acct.cnvcsw;
	ru->nivcsw = p->acct.cnivcsw;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

SYSCALL_DEFINE2(getrusage, int, who, void __user *, uru)
{
	struct process *p = current_process();
	struct rusage_acct ru;

	memset(&ru, 0, sizeof(ru));
	switch (who) {
	case RUSAGE_SELF:
		rusage_self(&ru);
		break;
	case RUSAGE_THREAD:
		rusage_thread(&ru);
		break;
	case RUSAGE_CHILDREN:
		rusage_children(&ru);
		break;
	default:
		return -EINVAL;
	}
	if (who != RUSAGE_CHILDREN) {
		/* The largest resident set: what was seen, or the space as it is now. */
		maxrss_update(p, rss_kib(thread_current()->mm));
		ru.maxrss = READ_ONCE(p->acct.maxrss);
	}
	return put_rusage(uru, &ru);
}

/* struct tms: four clock_t, the port's long. */
struct k_tms {
	long utime, stime, cutime, cstime;
};

static long
ns_to_clock_t(uint64_t ns)
{
	return (long)(ns / (NSEC_PER_SEC / USER_HZ));
}

/*
 * The return value is Linux's: clock ticks since a point 5 minutes
 * before the 32-bit jiffies counter wraps, so it is large on 64-bit ports
 * and negative on i386 for the first 5 minutes of uptime.
 */
SYSCALL_DEFINE1(times, struct k_tms __user *, ubuf)
{
	if (ubuf) {
		struct process *p = current_process();
		struct k_tms k;
		unsigned long flags;
		uint64_t u, s;

		flags = spin_lock_irqsave(&p->sighand->lock);
		process_times_locked(p, &u, &s);
		spin_unlock_irqrestore(&p->sighand->lock, flags);
		k.utime = ns_to_clock_t(u);
		k.stime = ns_to_clock_t(s);
		flags = spin_lock_irqsave(&tasklist_lock);
		k.cutime = ns_to_clock_t(p->cutime_ns);
		k.cstime = ns_to_clock_t(p->cstime_ns);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (copy_to_user(ubuf, &k, sizeof(k)))
			return -EFAULT;
	}
	/* Jiffies from the clock, not the tick count: a tick lost to a busy host is not time lost. */
	return (long)((INITIAL_JIFFIES + time_ns() / TICK_NSEC) * TICK_NSEC /
		      (NSEC_PER_SEC / USER_HZ));
}

/* ------------------------------------------------- CPU clocks (posix_clock.c) */

uint64_t
thread_cpu_sample(struct thread *t, int which)
{
	uint64_t u = read_u64(&t->utime_ns);

	if (which == CPUCLOCK_SCHED)
		return thread_runtime(t);
	return which == CPUCLOCK_VIRT ? u : u + read_u64(&t->stime_ns);
}

uint64_t
process_cpu_sample_locked(struct process *p, int which)
{
	uint64_t u, s;

	if (which == CPUCLOCK_SCHED)
		return process_runtime_locked(p);
	process_samples_locked(p, &u, &s);
	return which == CPUCLOCK_VIRT ? u : u + s;
}

/*
 * A process's clock may be any process's, zombies too; a thread's clock
 * only that of a thread of the caller's process.
 */
int
cpu_clock_read(clockid_t id, uint64_t *ns)
{
	struct thread *me = thread_current(), *t;
	struct process *p = me->proc;
	struct cpu_clock c;
	unsigned long flags;
	int err = cpu_clock_decode(id, &c);

	if (err)
		return err;
	if (!p) {
		/* A kernel thread (the ktests): only its own clock. */
#ifdef CONFIG_SCHED_STATS
		if (c.pid == 0) {
			*ns = c.which == CPUCLOCK_SCHED ? thread_cputime_ns() : thread_cpu_sample(me, c.which);
			return 0;
		}
#endif
		return -EINVAL;
	}
	if (c.per_thread) {
		if (c.pid == 0 || c.pid == me->tid) {
			*ns = thread_cpu_sample(me, c.which);
			return 0;
		}
		flags = spin_lock_irqsave(&tasklist_lock);
		t = thread_find_locked(c.pid);
		if (t && t->proc == p)
			*ns = thread_cpu_sample(t, c.which);
		else
			err = -EINVAL;
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return err;
	}
	if (c.pid != 0 && c.pid != p->pid) {
		p = process_find(c.pid);
		if (!p)
			return -EINVAL;
	}
	if (p->sighand) {
		flags = spin_lock_irqsave(&p->sighand->lock);
		*ns = process_cpu_sample_locked(p, c.which);
		spin_unlock_irqrestore(&p->sighand->lock, flags);
	} else {
		err = -EINVAL;
	}
	if (p != me->proc)
		process_put(p);
	return err;
}
