/*
 * POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete (and i386's 32-bit-time twins), with
 * Linux's ids, checks and signals.
 *
 * Clocks: REALTIME and TAI, MONOTONIC and BOOTTIME run on a kernel timer
 * (<kernel/timer.h>: it fires on the tick after its deadline); a timer
 * armed relative on the real-time clock counts monotonic time, one armed
 * TIMER_ABSTIME follows changes of the real time, as in Linux.  The CPU
 * clocks (PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID and the caller's own
 * clock_getcpuclockid/pthread_getcpuclockid clocks, PROF, VIRT or SCHED)
 * are looked at by each tick of a CPU running one of the process's
 * threads.  MONOTONIC_RAW, the coarse clocks, the alarm clocks and
 * descriptor clocks: EOPNOTSUPP.
 *
 * Notification: SIGEV_SIGNAL (to the process), SIGEV_THREAD_ID (to one of
 * its threads; glibc's SIGEV_THREAD uses it), SIGEV_NONE, and
 * SIGEV_THREAD as the kernel sees it (a signal to the process).  The
 * signal carries SI_TIMER, si_timerid, si_value and si_overrun.  A timer
 * has one signal at most pending: an expiry while it is pending counts an
 * overrun, which the signal reports when it is taken and timer_getoverrun
 * after that (Linux's preallocated sigqueue).
 *
 * Ids count up per process from 0 and are reused only after wrapping.
 * Timers go at execve and exit, not inherited by fork.  Everything of a
 * process's timers is guarded by its sighand->lock.
 */
#define pr_fmt(fmt) "posix-timers: " fmt

#include <string.h>
#include <kernel/clock.h>
#include <kernel/cputime.h>
#include <kernel/errno.h>
#include <kernel/process.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include "process_internal.h"

#define SIGEV_SIGNAL	0
#define SIGEV_NONE	1
#define SIGEV_THREAD	2
#define SIGEV_THREAD_ID	4

#define KTIME_MAX	INT64_MAX

enum tclock {
	TC_REAL,			/* REALTIME, TAI */
	TC_MONO,			/* MONOTONIC, BOOTTIME */
	TC_CPU,				/* a CPU clock */
};

struct k_itimer {
	struct list_head node;		/* p->timers.posix, by id */
	struct process *proc;
	int id;
	enum tclock kind;
	int cpu_which;			/* TC_CPU: CPUCLOCK_PROF, VIRT or SCHED */
	pid_t cpu_tid;			/* TC_CPU: that thread's clock; 0: the process's */
	int notify;			/* SIGEV_* */
	int signo;
	pid_t target_tid;		/* SIGEV_THREAD_ID */
	uintptr_t value;		/* si_value */
	/* sighand->lock */
	bool armed;			/* has a time to go off (one-shots disarm when they do) */
	bool abs_real;			/* TC_REAL armed TIMER_ABSTIME: expires is real time */
	uint64_t expires;		/* on its clock: ns of real, monotonic or CPU time */
	uint64_t interval;
	int64_t overrun;		/* expiries its pending signal stands for, beyond the first */
	int64_t overrun_last;		/* what the last taken signal reported */
	struct timer kt;		/* TC_REAL, TC_MONO */
};

/* struct sigevent: 64 bytes on every port; sigev_value is pointer-sized. */
struct k_sigevent {
	union {
		struct {
			unsigned long value;
			int signo;
			int notify;
			int tid;	/* _sigev_un._tid */
		};
		uint8_t raw[64];
	};
};

/* struct __kernel_itimerspec */
struct k_itimerspec64 {
	struct linux_timespec64 interval, value;
};

struct itimerspec64 {
	struct timespec64 interval, value;
};

static uint64_t
ts_to_ns(const struct timespec64 *ts)
{
	if (ts->tv_sec >= KTIME_SEC_MAX)
		return KTIME_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static void
ns_to_ts(uint64_t ns, struct timespec64 *ts)
{
	ns_to_timespec64((int64_t)MIN(ns, (uint64_t)KTIME_MAX), ts);
}

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a + b < a || a + b > (uint64_t)KTIME_MAX ? (uint64_t)KTIME_MAX : a + b;
}

static int
overrun_to_int(int64_t n)
{
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

/* ---------------------------------------------------------- clocks */

/*
 * Which kind of timer clock id makes: 0, -EINVAL (no such clock), or
 * -EOPNOTSUPP (a clock without timers).  A CPU clock's owner is checked
 * later (cpu_clock_target()), as Linux checks it last.
 */
static int
classify(clockid_t id, enum tclock *kind)
{
	if (id < 0) {
		if ((id & CLOCKFD_MASK) == CLOCKFD)
			return -EOPNOTSUPP;	/* descriptor clocks: no timers */
		*kind = TC_CPU;
		return 0;
	}
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		*kind = TC_REAL;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		*kind = TC_MONO;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*kind = TC_CPU;
		return 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return -EOPNOTSUPP;	/* Linux without an RTC that can wake: no timers */
	default:
		return -EINVAL;
	}
}

/*
 * The CPU clock a TC_CPU timer counts: which measure, and a thread of the
 * caller's process (*tid) or the process (*tid 0).  -EINVAL for a thread
 * of another process or a bad measure; another process's clock is
 * -EINVAL here too (Linux allows a timer on it).
 */
static int
cpu_clock_target(clockid_t id, int *which, pid_t *tid)
{
	struct thread *me = thread_current(), *t;
	struct process *p = me->proc;
	struct cpu_clock c;
	unsigned long flags;
	int err = cpu_clock_decode(id, &c);

	if (err)
		return err;
	*which = c.which;
	if (!c.per_thread) {
		*tid = 0;
		return c.pid == 0 || c.pid == p->pid ? 0 : -EINVAL;
	}
	if (c.pid == 0 || c.pid == me->tid) {
		*tid = me->tid;
		return 0;
	}
	flags = spin_lock_irqsave(&tasklist_lock);
	t = thread_find_locked(c.pid);
	if (t && t->proc == p)
		*tid = c.pid;
	else
		err = -EINVAL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* sighand->lock held: the thread tid of p, or NULL. */
static struct thread *
thread_of_locked(struct process *p, pid_t tid)
{
	struct thread *t;

	for_each_thread(p, t)
		if (t->tid == tid)
			return t;
	return NULL;
}

/* sighand->lock held: the CPU clock tm counts, now; false when its thread is gone. */
static bool
cpu_clock_now_locked(struct k_itimer *tm, uint64_t *now)
{
	if (tm->cpu_tid) {
		struct thread *t = thread_of_locked(tm->proc, tm->cpu_tid);

		if (!t)
			return false;
		*now = thread_cpu_sample(t, tm->cpu_which);
		return true;
	}
	*now = process_cpu_sample_locked(tm->proc, tm->cpu_which);
	return true;
}

/* sighand->lock held: tm's clock now (0 for a CPU clock of a thread that is gone). */
static uint64_t
clock_now_locked(struct k_itimer *tm)
{
	uint64_t now = 0;

	if (tm->kind == TC_CPU)
		cpu_clock_now_locked(tm, &now);
	else if (tm->abs_real)
		now = (uint64_t)realtime_ns();
	else
		now = time_ns();
	return now;
}

/* ------------------------------------------------------ arming, firing */

static void set_armed_locked(struct k_itimer *tm, bool armed);

/* sighand->lock held: the kernel timer of a real or monotonic tm, for its expiry. */
static void
kt_arm_locked(struct k_itimer *tm)
{
	uint64_t deadline = tm->expires, now;

	if (tm->notify == SIGEV_NONE)
		return;			/* nothing to do when it goes off */
	if (tm->abs_real) {
		int64_t offset = realtime_ns() - (int64_t)time_ns();

		deadline = (int64_t)tm->expires > offset ? tm->expires - (uint64_t)offset : 0;
	}
	/*
	 * Never a deadline the running tick has passed already: the callback
	 * re-arms from inside timers_run(), which would run it again at once
	 * (the real and the monotonic clock can disagree by a little).
	 */
	now = time_ns();
	timer_arm(&tm->kt, deadline > now ? deadline : now + 1);
}

static void
set_armed_locked(struct k_itimer *tm, bool armed)
{
	struct proc_timers *pt = &tm->proc->timers;

	if (tm->armed == armed)
		return;
	tm->armed = armed;
	if (tm->kind == TC_CPU && tm->notify != SIGEV_NONE)
		WRITE_ONCE(pt->nr_cpu_armed, pt->nr_cpu_armed + (armed ? 1 : -1));
	if (tm->abs_real)
		WRITE_ONCE(pt->nr_abs_real, pt->nr_abs_real + (armed ? 1 : -1));
}

static void
disarm_locked(struct k_itimer *tm)
{
	set_armed_locked(tm, false);
	tm->abs_real = false;
	if (tm->kind != TC_CPU)
		timer_cancel(&tm->kt);
}

/*
 * tm went off at now (sighand->lock held): its signal, or an overrun when
 * the last one is still pending; a periodic timer's next expiry after
 * now, the periods passed over counting as overruns.
 */
static void
expire_locked(struct k_itimer *tm, uint64_t now)
{
	struct process *p = tm->proc;
	struct ksiginfo info = { .signo = tm->signo, .code = SI_TIMER, .timerid = tm->id,
				 .value = tm->value };
	struct thread *target = NULL;
	int64_t missed = 0;
	int r;

	if (tm->interval) {
		uint64_t n = tm->expires <= now ? (now - tm->expires) / tm->interval + 1 : 1;

		missed = (int64_t)n - 1;
		tm->expires = add_sat(tm->expires, n * tm->interval);
	} else {
		set_armed_locked(tm, false);
		tm->abs_real = false;
	}
	if (tm->notify == SIGEV_NONE)
		return;
	if (tm->notify & SIGEV_THREAD_ID) {
		target = thread_of_locked(p, tm->target_tid);
		if (!target) {
			disarm_locked(tm);	/* its thread is gone: the timer stops, as Linux's */
			return;
		}
	}
	r = send_timer_signal_locked(p, target, &info);
	if (r == 0)
		tm->overrun = missed;
	else if (r == 1)
		tm->overrun += 1 + missed;
	else if (r < 0)
		disarm_locked(tm);
	/* r == 2: ignored, nothing queued; a periodic timer goes on. */
}

static void
kt_fn(struct timer *kt)
{
	struct k_itimer *tm = container_of(kt, struct k_itimer, kt);
	struct process *p = tm->proc;
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
	uint64_t now;

	/* Disarmed, or armed again, while this waited for the lock: stale. */
	if (!tm->armed || timer_armed(kt))
		goto out;
	now = clock_now_locked(tm);
	if (now < tm->expires) {
		kt_arm_locked(tm);	/* the real time was set back: not yet */
		goto out;
	}
	expire_locked(tm, now);
	if (tm->armed)
		kt_arm_locked(tm);
out:
	spin_unlock_irqrestore(&p->sighand->lock, flags);
}

void
posix_cpu_timers_tick_locked(struct process *p, struct thread *t)
{
	struct k_itimer *tm;

	list_for_each_entry(tm, &p->timers.posix, node) {
		uint64_t now;

		if (tm->kind != TC_CPU || !tm->armed || tm->notify == SIGEV_NONE)
			continue;
		/* A thread's clock moves only while that thread runs. */
		if (tm->cpu_tid && tm->cpu_tid != t->tid)
			continue;
		if (cpu_clock_now_locked(tm, &now) && now >= tm->expires)
			expire_locked(tm, now);
	}
}

void
posix_timer_taken_locked(struct process *p, struct ksiginfo *info)
{
	struct k_itimer *tm;

	list_for_each_entry(tm, &p->timers.posix, node) {
		if (tm->id == info->timerid) {
			info->overrun = overrun_to_int(tm->overrun);
			tm->overrun_last = tm->overrun;
			tm->overrun = 0;
			return;
		}
	}
	info->overrun = 0;		/* deleted meanwhile: delivered all the same */
}

/* ------------------------------------------------------ lookup, lifetime */

/* sighand->lock held: the caller's timer id, or NULL. */
static struct k_itimer *
find_locked(struct process *p, int id)
{
	struct k_itimer *tm;

	list_for_each_entry(tm, &p->timers.posix, node)
		if (tm->id == id)
			return tm;
	return NULL;
}

/*
 * The next free id (sighand->lock held), used up whether or not the
 * timer then comes to be (as Linux's): >= 0, or -EAGAIN.
 */
static int
alloc_id_locked(struct process *p)
{
	struct proc_timers *pt = &p->timers;
	int start = pt->next_id, id;

	while (find_locked(p, pt->next_id)) {
		pt->next_id = (int)(((unsigned int)pt->next_id + 1) & INT32_MAX);
		if (pt->next_id == start)
			return -EAGAIN;
	}
	id = pt->next_id;
	pt->next_id = (int)(((unsigned int)pt->next_id + 1) & INT32_MAX);
	return id;
}

/* Enter a complete tm (sighand->lock held), in id order. */
static void
add_locked(struct process *p, struct k_itimer *tm)
{
	struct k_itimer *pos;

	list_for_each_entry(pos, &p->timers.posix, node)
		if (pos->id > tm->id)
			break;
	list_add_tail(&tm->node, &pos->node);
	p->timers.nr_posix++;
}

/* Take tm out of its process (sighand->lock held): nobody finds it any more. */
static void
unlink_locked(struct process *p, struct k_itimer *tm)
{
	disarm_locked(tm);
	list_del(&tm->node);
	p->timers.nr_posix--;
}

/* Free an unlinked tm once its callback, which may be running elsewhere, is done. */
static void
free_timer(struct k_itimer *tm)
{
	if (tm->kind != TC_CPU)
		timer_cancel_sync(&tm->kt);
	kfree(tm);
}

void
posix_timers_delete_all(struct process *p)
{
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
		struct k_itimer *tm = list_empty(&p->timers.posix) ? NULL :
				      list_first_entry(&p->timers.posix, struct k_itimer, node);

		if (tm)
			unlink_locked(p, tm);
		spin_unlock_irqrestore(&p->sighand->lock, flags);
		if (!tm)
			return;
		free_timer(tm);
	}
}

void
proc_timers_exec(struct process *p)
{
	posix_timers_delete_all(p);
}

static void
clock_set_one(struct process *p, void *arg)
{
	struct k_itimer *tm;
	unsigned long flags;

	(void)arg;
	if (!READ_ONCE(p->timers.nr_abs_real) || !p->sighand)
		return;
	flags = spin_lock_irqsave(&p->sighand->lock);
	list_for_each_entry(tm, &p->timers.posix, node)
		if (tm->armed && tm->abs_real)
			kt_arm_locked(tm);	/* a new deadline on the monotonic clock */
	spin_unlock_irqrestore(&p->sighand->lock, flags);
}

void
posix_timers_clock_was_set(void)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	for_each_process_locked(clock_set_one, NULL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* ------------------------------------------------------------- calls */

static int
do_timer_create(clockid_t clock, const struct k_sigevent *ev, int __user *uid)
{
	struct process *p = current_process();
	struct k_itimer *tm;
	enum tclock kind;
	unsigned long flags;
	int err, id;

	err = classify(clock, &kind);
	if (err)
		return err;
	tm = kzalloc(sizeof(*tm));
	if (!tm)
		return -EAGAIN;
	tm->proc = p;
	tm->kind = kind;
	timer_init(&tm->kt, kt_fn);
	flags = spin_lock_irqsave(&p->sighand->lock);
	/* Each timer holds a queued signal: Linux counts them in RLIMIT_SIGPENDING. */
	id = p->timers.nr_posix >= p->rlim[RLIMIT_SIGPENDING].rlim_cur ? -EAGAIN :
	     alloc_id_locked(p);
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	if (id < 0) {
		kfree(tm);
		return id;
	}
	tm->id = id;
	if (ev) {
		tm->notify = ev->notify;
		tm->signo = ev->signo;
		tm->value = ev->value;
		switch (ev->notify) {
		case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
			struct thread *t;

			flags = spin_lock_irqsave(&tasklist_lock);
			t = thread_find_locked(ev->tid);
			if (!t || t->proc != p)
				err = -EINVAL;
			spin_unlock_irqrestore(&tasklist_lock, flags);
			tm->target_tid = ev->tid;
		}
			/* fall through */
		case SIGEV_SIGNAL:
		case SIGEV_THREAD:
			if (ev->signo <= 0 || ev->signo > _NSIG)
				err = -EINVAL;
			break;
		case SIGEV_NONE:
			break;
		default:
			err = -EINVAL;
			break;
		}
	} else {
		tm->notify = SIGEV_SIGNAL;
		tm->signo = SIGALRM;
		tm->value = (unsigned int)id;	/* sival_int = the id */
	}
	/* Linux's order: the event, then the id written out, then the CPU clock's owner. */
	if (!err && put_user(id, uid))
		err = -EFAULT;
	if (!err && kind == TC_CPU)
		err = cpu_clock_target(clock, &tm->cpu_which, &tm->cpu_tid);
	if (err) {
		kfree(tm);		/* the id stays used up */
		return err;
	}
	flags = spin_lock_irqsave(&p->sighand->lock);
	add_locked(p, tm);
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return 0;
}

SYSCALL_DEFINE3(timer_create, clockid_t, clock, const struct k_sigevent __user *, uev,
		int __user *, uid)
{
	struct k_sigevent ev;

	if (uev) {
		if (copy_from_user(&ev, uev, sizeof(ev)))
			return -EFAULT;
		return do_timer_create(clock, &ev, uid);
	}
	return do_timer_create(clock, NULL, uid);
}

/* sighand->lock held: tm's setting now, as Linux's timer_gettime reports it. */
static void
get_locked(struct k_itimer *tm, struct itimerspec64 *cur)
{
	uint64_t now, left;

	memset(cur, 0, sizeof(*cur));
	ns_to_ts(tm->interval, &cur->interval);
	if (!tm->armed)
		return;
	now = clock_now_locked(tm);
	if (tm->notify == SIGEV_NONE && tm->interval && tm->expires <= now)
		tm->expires = add_sat(tm->expires,
				      ((now - tm->expires) / tm->interval + 1) * tm->interval);
	if (tm->expires > now)
		left = tm->expires - now;
	else
		left = tm->notify == SIGEV_NONE ? 0 : 1;	/* due: about to go off */
	ns_to_ts(left, &cur->value);
}

static int
do_timer_gettime(int id, struct itimerspec64 *cur)
{
	struct process *p = current_process();
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
	struct k_itimer *tm = find_locked(p, id);

	if (tm)
		get_locked(tm, cur);
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return tm ? 0 : -EINVAL;
}

static int
do_timer_settime(int id, int flags, const struct itimerspec64 *new, struct itimerspec64 *old)
{
	struct process *p = current_process();
	struct k_itimer *tm;
	unsigned long irqf;
	uint64_t value, now;

	if (!timespec64_valid(&new->interval) || !timespec64_valid(&new->value))
		return -EINVAL;
	irqf = spin_lock_irqsave(&p->sighand->lock);
	tm = find_locked(p, id);
	if (!tm) {
		spin_unlock_irqrestore(&p->sighand->lock, irqf);
		return -EINVAL;
	}
	if (old)
		get_locked(tm, old);
	disarm_locked(tm);
	tm->interval = 0;
	tm->overrun = 0;
	tm->overrun_last = 0;
	value = ts_to_ns(&new->value);
	if (!value)
		goto out;		/* disarmed */
	tm->interval = ts_to_ns(&new->interval);
	if (tm->kind == TC_REAL && (flags & TIMER_ABSTIME)) {
		tm->abs_real = true;
		tm->expires = value;
	} else if (flags & TIMER_ABSTIME) {
		tm->expires = value;
	} else {
		now = tm->kind == TC_CPU ? clock_now_locked(tm) : time_ns();
		tm->expires = add_sat(now, value);
	}
	set_armed_locked(tm, true);
	if (tm->kind != TC_CPU) {
		kt_arm_locked(tm);
	} else if (tm->notify != SIGEV_NONE && cpu_clock_now_locked(tm, &now) && now >= tm->expires) {
		expire_locked(tm, now);	/* due already: at once, as Linux's CPU timers */
	}
out:
	spin_unlock_irqrestore(&p->sighand->lock, irqf);
	return 0;
}

SYSCALL_DEFINE1(timer_getoverrun, int, id)
{
	struct process *p = current_process();
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
	struct k_itimer *tm = find_locked(p, id);
	long ret = tm ? overrun_to_int(tm->overrun_last) : -EINVAL;

	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return ret;
}

SYSCALL_DEFINE1(timer_delete, int, id)
{
	struct process *p = current_process();
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
	struct k_itimer *tm = find_locked(p, id);

	if (tm)
		unlink_locked(p, tm);
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	if (!tm)
		return -EINVAL;
	free_timer(tm);			/* a signal it queued stays pending, as in Linux */
	return 0;
}

/* struct __kernel_itimerspec in and out (every port's timer_settime/gettime, i386's *64). */
static int
get_itimerspec64(struct itimerspec64 *v, const struct k_itimerspec64 __user *u)
{
	int err = get_timespec64(&v->interval, &u->interval);

	return err ? err : get_timespec64(&v->value, &u->value);
}

static int
put_itimerspec64(const struct itimerspec64 *v, struct k_itimerspec64 __user *u)
{
	struct k_itimerspec64 k;

	memset(&k, 0, sizeof(k));
	k.interval.tv_sec = v->interval.tv_sec;
	k.interval.tv_nsec = v->interval.tv_nsec;
	k.value.tv_sec = v->value.tv_sec;
	k.value.tv_nsec = v->value.tv_nsec;
	return copy_to_user(u, &k, sizeof(k)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(timer_settime, int, id, int, flags, const struct k_itimerspec64 __user *, unew,
		struct k_itimerspec64 __user *, uold)
{
	struct itimerspec64 new, old;
	int err;

	if (!unew)
		return -EINVAL;
	if (get_itimerspec64(&new, unew))
		return -EFAULT;
	err = do_timer_settime(id, flags, &new, uold ? &old : NULL);
	if (!err && uold)
		err = put_itimerspec64(&old, uold);
	return err;
}

SYSCALL_DEFINE2(timer_gettime, int, id, struct k_itimerspec64 __user *, ucur)
{
	struct itimerspec64 cur;
	int err = do_timer_gettime(id, &cur);

	return err ? err : put_itimerspec64(&cur, ucur);
}

#ifndef CONFIG_64BIT
/* i386's timer_settime and timer_gettime: struct old_itimerspec32. */
struct k_itimerspec32 {
	struct linux_old_timespec32 interval, value;
};

static int
put_itimerspec32(const struct itimerspec64 *v, struct k_itimerspec32 __user *u)
{
	struct k_itimerspec32 k = {
		{ (int32_t)v->interval.tv_sec, (int32_t)v->interval.tv_nsec },
		{ (int32_t)v->value.tv_sec, (int32_t)v->value.tv_nsec },
	};

	return copy_to_user(u, &k, sizeof(k)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(timer_settime32, int, id, int, flags, const struct k_itimerspec32 __user *, unew,
		struct k_itimerspec32 __user *, uold)
{
	struct itimerspec64 new, old;
	int err;

	if (!unew)
		return -EINVAL;
	if (get_old_timespec32(&new.interval, &unew->interval) ||
	    get_old_timespec32(&new.value, &unew->value))
		return -EFAULT;
	err = do_timer_settime(id, flags, &new, uold ? &old : NULL);
	if (!err && uold)
		err = put_itimerspec32(&old, uold);
	return err;
}

SYSCALL_DEFINE2(timer_gettime32, int, id, struct k_itimerspec32 __user *, ucur)
{
	struct itimerspec64 cur;
	int err = do_timer_gettime(id, &cur);

	return err ? err : put_itimerspec32(&cur, ucur);
}
#endif
