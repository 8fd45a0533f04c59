/*
 * Scheduling policies and priorities as system calls: sched_setscheduler,
 * sched_getscheduler, sched_setparam, sched_getparam, sched_setattr,
 * sched_getattr, sched_get_priority_max/min, sched_rr_get_interval (and
 * i386's 32-bit-time twin), getpriority, setpriority and i386's nice.
 * Per thread, as in Linux: a pid argument is a thread id, 0 the caller.
 * Checks, errors and their order are Linux's (kernel/sched/core.c,
 * kernel/sys.c).
 *
 * Kite's scheduler has fixed priorities (CONFIG_NR_PRIORITIES levels,
 * 0 the idle threads', kernel threads at THREAD_PRIO_DEFAULT), strict
 * preemption by priority and round-robin slices among equals.  The Linux
 * policies map onto it so:
 *
 *   SCHED_OTHER, SCHED_BATCH  THREAD_PRIO_DEFAULT whatever the nice value
 *                             (nice is kept and reported, but with fixed
 *                             priorities any lower level would starve)
 *   SCHED_IDLE                THREAD_PRIO_DEFAULT - 1: runs when nothing
 *                             else at the default level is ready
 *   SCHED_FIFO, SCHED_RR      1..99 spread over the levels above the
 *                             default, in order (neighbours may share a
 *                             level); FIFO threads are not time-sliced
 *   SCHED_DEADLINE            refused: EPERM unprivileged, EBUSY for root
 *                             (as Linux's admission control when it has
 *                             no bandwidth left)
 *
 * The policy fields of struct thread change under tasklist_lock, which
 * also keeps a thread found by id from being freed meanwhile.
 */
#include <string.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/uapi_time.h>
#include "process_internal.h"

#define SCHED_OTHER		0
#define SCHED_FIFO		1
#define SCHED_RR		2
#define SCHED_BATCH		3
#define SCHED_IDLE		5
#define SCHED_DEADLINE		6
#define SCHED_RESET_ON_FORK	0x40000000

#define SCHED_FLAG_RESET_ON_FORK	0x01
#define SCHED_FLAG_KEEP_POLICY		0x08
#define SCHED_FLAG_KEEP_PARAMS		0x10
#define SCHED_FLAG_UTIL_CLAMP		0x60
#define SCHED_FLAG_ALL			0x7f
#define SCHED_FLAG_SUGOV		0x10000000

#define SCHED_ATTR_SIZE_VER0	48
#define SCHED_ATTR_SIZE_VER1	56

#define MAX_RT_PRIO	100
#define MIN_NICE	(-20)
#define MAX_NICE	19

#define PRIO_PROCESS	0
#define PRIO_PGRP	1
#define PRIO_USER	2

#define SLICE_NS	(((CONFIG_TIMESLICE_MS * CONFIG_HZ + 999) / 1000) * (NSEC_PER_SEC / CONFIG_HZ))

/* struct sched_attr, SCHED_ATTR_SIZE_VER1 (Linux 6.1's). */
struct k_sched_attr {
	uint32_t size;
	uint32_t policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};

/* A request, as Linux's struct sched_attr inside __sched_setscheduler. */
struct sched_req {
	int policy;			/* -1: keep the thread's (sched_setparam, KEEP_POLICY) */
	uint64_t flags;
	int nice;
	uint32_t prio;
	uint64_t runtime, deadline, period;
};

static bool
rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool
fair_policy(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH;
}

static bool
valid_policy(int policy)
{
	return fair_policy(policy) || rt_policy(policy) || policy == SCHED_IDLE ||
	       policy == SCHED_DEADLINE;
}

/* The Kite priority of a policy (see the top of the file). */
static int
kite_prio(int policy, int rt_prio)
{
	int span = THREAD_PRIO_MAX - THREAD_PRIO_DEFAULT - 1;

	if (rt_policy(policy))
		return span <= 0 ? THREAD_PRIO_MAX :
		       THREAD_PRIO_DEFAULT + 1 + (rt_prio - 1) * span / (MAX_RT_PRIO - 2);
	if (policy == SCHED_IDLE)
		return THREAD_PRIO_DEFAULT - 1;
	return THREAD_PRIO_DEFAULT;
}

/* The caller is privileged (Linux: CAP_SYS_NICE). */
static bool
capable_nice(void)
{
	return current_cred()->euid == 0;
}

/* May t go to nice (Linux's can_nice): within RLIMIT_NICE, or privileged. */
static bool
can_nice(struct thread *t, int nice)
{
	return (uint64_t)(20 - nice) <= t->proc->rlim[RLIMIT_NICE].rlim_cur || capable_nice();
}

/* Does the caller own t (Linux's check_same_owner)? */
static bool
same_owner(struct thread *t)
{
	const struct cred *me = current_cred(), *them = get_thread_cred(t);
	bool yes = me->euid == them->euid || me->euid == them->uid;

	put_cred(them);
	return yes;
}

/* The thread a pid argument names (tasklist_lock held): 0 is the caller. */
static struct thread *
find_thread_locked(pid_t pid)
{
	return pid ? thread_find_locked(pid) : thread_current();
}

/* Linux's __checkparam_dl: runtime <= deadline <= period, within 100 us .. 4.19 s. */
static bool
dl_params_valid(const struct sched_req *r)
{
	uint64_t period = r->period ? r->period : r->deadline;

	if (r->flags & SCHED_FLAG_SUGOV)
		return true;
	if (!r->deadline || r->runtime < 1024)
		return false;
	if ((r->deadline | r->period) >> 63)
		return false;
	if (period < r->deadline || r->deadline < r->runtime)
		return false;
	return period >= 100 * NSEC_PER_USEC && period <= (1ULL << 22) * NSEC_PER_USEC;
}

/* The request's parameters from t as it is (SCHED_FLAG_KEEP_PARAMS, tasklist_lock held). */
static void
get_params(struct thread *t, struct sched_req *r)
{
	if (rt_policy(t->sched_policy))
		r->prio = (uint32_t)t->sched_rt_prio;
	else
		r->nice = t->nice;
}

/* Linux's __sched_setscheduler for a user request (tasklist_lock held). */
static long
sched_set_locked(struct thread *t, struct sched_req *r)
{
	int policy = r->policy;
	bool reset;

	if (policy < 0) {
		reset = t->sched_reset_on_fork;
		policy = t->sched_policy;
	} else {
		reset = r->flags & SCHED_FLAG_RESET_ON_FORK;
		if (!valid_policy(policy))
			return -EINVAL;
	}
	if (r->flags & ~(uint64_t)(SCHED_FLAG_ALL | SCHED_FLAG_SUGOV))
		return -EINVAL;
	if (r->prio > MAX_RT_PRIO - 1)
		return -EINVAL;
	if ((policy == SCHED_DEADLINE && !dl_params_valid(r)) ||
	    rt_policy(policy) != (r->prio != 0))
		return -EINVAL;
	if (!capable_nice()) {
		if (fair_policy(policy) && r->nice < t->nice && !can_nice(t, r->nice))
			return -EPERM;
		if (rt_policy(policy)) {
			uint64_t rlim = t->proc->rlim[RLIMIT_RTPRIO].rlim_cur;

			if (policy != t->sched_policy && !rlim)
				return -EPERM;
			if (r->prio > (uint32_t)t->sched_rt_prio && r->prio > rlim)
				return -EPERM;
		}
		if (policy == SCHED_DEADLINE)
			return -EPERM;
		/* SCHED_IDLE counts as nice 20: leaving it takes RLIMIT_NICE's leave. */
		if (t->sched_policy == SCHED_IDLE && policy != SCHED_IDLE && !can_nice(t, t->nice))
			return -EPERM;
		if (!same_owner(t))
			return -EPERM;
		if (t->sched_reset_on_fork && !reset)
			return -EPERM;
	}
	if (r->flags & SCHED_FLAG_SUGOV)
		return -EINVAL;
	if (r->flags & SCHED_FLAG_UTIL_CLAMP)
		return -EOPNOTSUPP;	/* no utilization clamping (Linux without UCLAMP_TASK) */
	if (policy == SCHED_DEADLINE)
		return -EBUSY;		/* no deadline scheduling: no bandwidth to admit it */
	t->sched_reset_on_fork = reset;
	if (fair_policy(policy))
		t->nice = r->nice;
	t->sched_rt_prio = rt_policy(policy) ? (int)r->prio : 0;
	if (policy != t->sched_policy || rt_policy(policy)) {
		t->sched_policy = (unsigned char)policy;
		thread_set_priority(t, kite_prio(policy, t->sched_rt_prio));
	}
	return 0;
}

static long
sched_set(pid_t pid, struct sched_req *r, bool keep_params)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct thread *t = find_thread_locked(pid);
	long err = -ESRCH;

	if (t) {
		if (r->nice == INT32_MIN)
			r->nice = t->nice;	/* the legacy calls keep the nice value */
		if (keep_params)
			get_params(t, r);
		err = sched_set_locked(t, r);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

static long
do_setscheduler(pid_t pid, int policy, const int __user *uparam)
{
	struct sched_req r = { .policy = policy, .nice = INT32_MIN };
	int prio;

	if (!uparam || pid < 0)
		return -EINVAL;
	if (get_user(prio, uparam))
		return -EFAULT;
	r.prio = (uint32_t)prio;
	/* The legacy SCHED_RESET_ON_FORK bit in the policy. */
	if (policy >= 0 && (policy & SCHED_RESET_ON_FORK)) {
		r.flags |= SCHED_FLAG_RESET_ON_FORK;
		r.policy = policy & ~SCHED_RESET_ON_FORK;
	}
	return sched_set(pid, &r, false);
}

SYSCALL_DEFINE3(sched_setscheduler, pid_t, pid, int, policy, const int __user *, uparam)
{
	if (policy < 0)
		return -EINVAL;
	return do_setscheduler(pid, policy, uparam);
}

SYSCALL_DEFINE2(sched_setparam, pid_t, pid, const int __user *, uparam)
{
	return do_setscheduler(pid, -1, uparam);
}

SYSCALL_DEFINE1(sched_getscheduler, pid_t, pid)
{
	unsigned long flags;
	struct thread *t;
	long ret;

	if (pid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&tasklist_lock);
	t = find_thread_locked(pid);
	ret = !t ? -ESRCH : t->sched_policy | (t->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE2(sched_getparam, pid_t, pid, int __user *, uparam)
{
	unsigned long flags;
	struct thread *t;
	int prio = 0;

	if (!uparam || pid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&tasklist_lock);
	t = find_thread_locked(pid);
	if (t && rt_policy(t->sched_policy))
		prio = t->sched_rt_prio;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!t)
		return -ESRCH;
	return put_user(prio, uparam) ? -EFAULT : 0;
}

/*
 * A struct sched_attr from user space, Linux's way: size 0 means the
 * first version; a bigger one than known must end in zeros (else E2BIG,
 * with the size known written back).
 */
static long
copy_sched_attr(struct k_sched_attr *a, const struct k_sched_attr __user *u)
{
	uint32_t size;

	if (get_user(size, &u->size))
		return -EFAULT;
	if (!size)
		size = SCHED_ATTR_SIZE_VER0;
	if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
		goto too_big;
	memset(a, 0, sizeof(*a));
	if (copy_from_user(a, u, MIN(size, (uint32_t)sizeof(*a))))
		return -EFAULT;
	for (uint32_t off = sizeof(*a); off < size; off++) {
		uint8_t b;

		if (get_user(b, (const uint8_t __user *)u + off))
			return -EFAULT;
		if (b)
			goto too_big;
	}
	if ((a->flags & SCHED_FLAG_UTIL_CLAMP) && size < SCHED_ATTR_SIZE_VER1)
		return -EINVAL;
	a->nice = a->nice < MIN_NICE ? MIN_NICE : a->nice > MAX_NICE ? MAX_NICE : a->nice;
	return 0;
too_big:
	if (put_user((uint32_t)sizeof(*a), (uint32_t __user *)&u->size))
		return -EFAULT;
	return -E2BIG;
}

SYSCALL_DEFINE3(sched_setattr, pid_t, pid, const struct k_sched_attr __user *, uattr,
		unsigned int, flags)
{
	struct k_sched_attr a;
	struct sched_req r;
	long err;

	if (!uattr || pid < 0 || flags)
		return -EINVAL;
	err = copy_sched_attr(&a, uattr);
	if (err)
		return err;
	if ((int32_t)a.policy < 0)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.policy = (a.flags & SCHED_FLAG_KEEP_POLICY) ? -1 : (int)a.policy;
	r.flags = a.flags;
	r.nice = a.nice;
	r.prio = a.priority;
	r.runtime = a.runtime;
	r.deadline = a.deadline;
	r.period = a.period;
	return sched_set(pid, &r, a.flags & SCHED_FLAG_KEEP_PARAMS);
}

SYSCALL_DEFINE4(sched_getattr, pid_t, pid, struct k_sched_attr __user *, uattr, unsigned int, usize,
		unsigned int, flags)
{
	struct k_sched_attr a;
	unsigned long irqf;
	struct thread *t;

	if (!uattr || pid < 0 || usize > PAGE_SIZE || usize < SCHED_ATTR_SIZE_VER0 || flags)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	irqf = spin_lock_irqsave(&tasklist_lock);
	t = find_thread_locked(pid);
	if (t) {
		a.policy = t->sched_policy;
		if (t->sched_reset_on_fork)
			a.flags |= SCHED_FLAG_RESET_ON_FORK;
		if (rt_policy(t->sched_policy))
			a.priority = (uint32_t)t->sched_rt_prio;
		else
			a.nice = t->nice;
	}
	spin_unlock_irqrestore(&tasklist_lock, irqf);
	if (!t)
		return -ESRCH;
	/* As much as the caller has room for; a longer buffer learns the size known. */
	a.size = MIN(usize, (unsigned int)sizeof(a));
	return copy_to_user(uattr, &a, a.size) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (rt_policy(policy))
		return MAX_RT_PRIO - 1;
	return fair_policy(policy) || policy == SCHED_IDLE || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (rt_policy(policy))
		return 1;
	return fair_policy(policy) || policy == SCHED_IDLE || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

/* The round-robin quantum of thread pid: Kite's time slice, 0 for FIFO (never sliced). */
static long
rr_interval(pid_t pid, struct timespec64 *ts)
{
	unsigned long flags;
	struct thread *t;
	uint64_t ns = 0;

	if (pid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&tasklist_lock);
	t = find_thread_locked(pid);
	if (t && t->sched_policy != SCHED_FIFO)
		ns = SLICE_NS;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!t)
		return -ESRCH;
	ns_to_timespec64((int64_t)ns, ts);
	return 0;
}

SYSCALL_DEFINE2(sched_rr_get_interval, pid_t, pid, struct linux_timespec64 __user *, uts)
{
	struct timespec64 ts;
	struct linux_timespec64 k;
	long err = rr_interval(pid, &ts);

	if (err)
		return err;
	k.tv_sec = ts.tv_sec;
	k.tv_nsec = ts.tv_nsec;
	return copy_to_user(uts, &k, sizeof(k)) ? -EFAULT : 0;
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE2(sched_rr_get_interval_time32, pid_t, pid, struct linux_old_timespec32 __user *, uts)
{
	struct timespec64 ts;
	struct linux_old_timespec32 k;
	long err = rr_interval(pid, &ts);

	if (err)
		return err;
	k.tv_sec = (int32_t)ts.tv_sec;
	k.tv_nsec = (int32_t)ts.tv_nsec;
	return copy_to_user(uts, &k, sizeof(k)) ? -EFAULT : 0;
}
#endif

void
sched_fork_thread(struct thread *t, struct thread *me)
{
	t->sched_policy = me->sched_policy;
	t->sched_rt_prio = me->sched_rt_prio;
	t->nice = me->nice;
	t->sched_reset_on_fork = me->sched_reset_on_fork;
	if (t->sched_reset_on_fork) {
		/* Linux's SCHED_RESET_ON_FORK: back to SCHED_OTHER, no negative nice; the flag is spent. */
		if (rt_policy(t->sched_policy) || t->sched_policy == SCHED_DEADLINE) {
			t->sched_policy = SCHED_OTHER;
			t->sched_rt_prio = 0;
			t->nice = 0;
		} else if (t->nice < 0) {
			t->nice = 0;
		}
		t->sched_reset_on_fork = false;
	}
	/* Not started yet: its priority is its own to set. */
	t->base_prio = t->prio = kite_prio(t->sched_policy, t->sched_rt_prio);
}

/* ---------------------------------------------- getpriority, setpriority */

struct prio_walk {
	int which;
	int who;			/* a pid, pgrp or uid */
	int nice;			/* setpriority */
	bool set;
	long ret;			/* getpriority: the best 20 - nice; setpriority: the error */
};

/* Linux's set_one_prio (tasklist_lock held): the first error stays, success clears only ESRCH. */
static void
prio_one(struct thread *t, struct prio_walk *w)
{
	if (!w->set) {
		long v = 20 - t->nice;

		if (v > w->ret)
			w->ret = v;
		return;
	}
	{
		const struct cred *me = current_cred(), *them = get_thread_cred(t);
		bool perm = them->uid == me->euid || them->euid == me->euid || capable_nice();

		put_cred(them);
		if (!perm) {
			w->ret = -EPERM;
			return;
		}
	}
	if (w->nice < t->nice && !can_nice(t, w->nice)) {
		w->ret = -EACCES;
		return;
	}
	if (w->ret == -ESRCH)
		w->ret = 0;
	t->nice = w->nice;		/* the level stays: see the top of the file */
}

static void
prio_scan(struct process *p, void *arg)
{
	struct prio_walk *w = arg;
	struct thread *t;

	if (p->state != PROCESS_RUNNING)
		return;
	if (w->which == PRIO_PGRP && p->pgid != (pid_t)w->who)
		return;
	for_each_thread(p, t) {
		if (w->which == PRIO_USER) {
			const struct cred *c = get_thread_cred(t);
			bool match = c->uid == (uid_t)w->who;

			put_cred(c);
			if (!match)
				continue;
		}
		prio_one(t, w);
	}
}

static long
prio_walk(struct prio_walk *w)
{
	unsigned long flags;

	if (w->which < PRIO_PROCESS || w->which > PRIO_USER)
		return -EINVAL;
	w->ret = -ESRCH;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (w->which == PRIO_PROCESS) {
		struct thread *t = find_thread_locked((pid_t)w->who);

		if (t)
			prio_one(t, w);
	} else {
		if (!w->who)
			w->who = w->which == PRIO_PGRP ? current_process()->pgid :
							 (int)current_cred()->uid;
		for_each_process_locked(prio_scan, w);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return w->ret;
}

/* The raw call returns 20 - nice (1..40), the best of those found; glibc turns it back. */
SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	struct prio_walk w = { .which = which, .who = who };

	return prio_walk(&w);
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	struct prio_walk w = { .which = which, .who = who, .set = true };

	w.nice = niceval < MIN_NICE ? MIN_NICE : niceval > MAX_NICE ? MAX_NICE : niceval;
	return prio_walk(&w);
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE1(nice, int, increment)
{
	struct thread *me = thread_current();
	unsigned long flags;
	int nice;

	increment = increment < -40 ? -40 : increment > 40 ? 40 : increment;
	nice = me->nice + increment;
	nice = nice < MIN_NICE ? MIN_NICE : nice > MAX_NICE ? MAX_NICE : nice;
	if (increment < 0 && !can_nice(me, nice))
		return -EPERM;
	flags = spin_lock_irqsave(&tasklist_lock);
	me->nice = nice;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}
#endif
