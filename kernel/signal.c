/*
 * Signals: sending (kill, the kernel's own), the pending sets, delivery
 * on the way back to user mode (default actions: terminate, stop,
 * continue, ignore; handlers through the port's signal frame), system-call
 * restarts, and the signal system calls.  Numbers and flags are Linux's.
 *
 * A process's pending set, its handlers, its threads' blocked masks (as
 * others read them) and the job-control stop state are guarded by its
 * sighand->lock; sending takes only that lock, so it works with or
 * without tasklist_lock held (which comes first).
 */
#define pr_fmt(fmt) "signal: " fmt

#include <string.h>
#include <arch/user.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/process.h>
#include <kernel/signalfd.h>
#include <kernel/syscall.h>
#include <kernel/syscall_table.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include "process_internal.h"

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_TKILL	(-6)

#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1u << 31)

#define UNBLOCKABLE	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define STOP_SIGNALS	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define IGNORE_SIGNALS	(sigmask(SIGCHLD) | sigmask(SIGCONT) | sigmask(SIGURG) | sigmask(SIGWINCH))
#define CORE_SIGNALS	(sigmask(SIGQUIT) | sigmask(SIGILL) | sigmask(SIGTRAP) | sigmask(SIGABRT) | \
			 sigmask(SIGBUS) | sigmask(SIGFPE) | sigmask(SIGSEGV) | sigmask(SIGXCPU) | \
			 sigmask(SIGXFSZ) | sigmask(SIGSYS))
#define SYNC_SIGNALS	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
			 sigmask(SIGFPE) | sigmask(SIGSYS))

static bool
valid_signal(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

/* The default action ignores sig. */
static bool
default_ignores(int sig)
{
	return sig <= 32 && (IGNORE_SIGNALS & sigmask(sig));
}

/* The default action of sig kills the process without a core (Linux's sig_fatal). */
static bool
default_kills(int sig)
{
	return sig > 32 || !(sigmask(sig) & (IGNORE_SIGNALS | STOP_SIGNALS | CORE_SIGNALS));
}

/* sighand->lock held: p's threads are to die (a group exit or another thread's execve). */
static bool
group_dying(const struct process *p, const struct thread *t)
{
	return p->group_exiting || (p->group_exec && p->group_exec != t);
}

/* sighand->lock held: t has something to do on its way to user mode. */
void
recalc_sigpending_locked(struct thread *t)
{
	struct process *p = t->proc;

	if (!p) {
		t->sigpending = 0;
		return;
	}
	t->sigpending = ((t->pending.set | p->shared_pending.set) & ~t->sig_blocked) != 0 ||
			(t->pending.set & sigmask(SIGKILL)) ||
			(p->group_stop_count && !t->group_left);
}

/* Drop every pending instance of sig from one set (sighand->lock held). */
static void
flush_pending_locked(struct sigpending *pend, int sig)
{
	struct sigqueue *q, *tmp;

	pend->set &= ~sigmask(sig);
	list_for_each_entry_safe(q, tmp, &pend->queue, node) {
		if (q->info.signo == sig) {
			list_del(&q->node);
			pend->nr_queued--;
			kfree(q);
		}
	}
}

/* ... from the process's set and every thread's (sighand->lock held). */
static void
flush_signal_locked(struct process *p, int sig)
{
	struct thread *t;

	flush_pending_locked(&p->shared_pending, sig);
	for_each_thread(p, t)
		flush_pending_locked(&t->pending, sig);
}

void
sigpending_free(struct sigpending *pend)
{
	struct sigqueue *q, *tmp;

	list_for_each_entry_safe(q, tmp, &pend->queue, node)
		kfree(q);
	list_init(&pend->queue);
	pend->nr_queued = 0;
	pend->set = 0;
}

/*
 * The signal would be thrown away on arrival (sighand->lock held).  A
 * blocked or awaited signal is never ignored: the handler may change
 * before it is unblocked.  For the process (target NULL) any thread that
 * blocks or awaits it keeps it.
 */
static bool
sig_ignored(struct process *p, struct thread *target, int sig)
{
	const struct k_sigaction *ka = &p->sighand->action[sig - 1];
	struct thread *t;

	if (sigmask(sig) & UNBLOCKABLE)
		return false;
	if (target) {
		if ((target->sig_blocked | target->sig_waitset) & sigmask(sig))
			return false;
	} else {
		for_each_thread(p, t)
			if ((t->sig_blocked | t->sig_waitset) & sigmask(sig))
				return false;
	}
	return ka->handler == SIG_IGN || (ka->handler == SIG_DFL && default_ignores(sig));
}

/* Could t take sig now (sighand->lock held)? */
static bool
wants_signal(int sig, const struct thread *t)
{
	if (t->group_left)
		return false;
	return sig == SIGKILL || !(t->sig_blocked & sigmask(sig));
}

/* Make every live thread of p take SIGKILL: a group exit (sighand->lock held). */
static void
zap_threads_locked(struct process *p, const struct thread *except)
{
	struct thread *t;

	for_each_thread(p, t) {
		if (t == except)
			continue;
		t->pending.set |= sigmask(SIGKILL);
		t->sigpending = 1;
		thread_interrupt(t);
	}
	wq_wake_all(&p->stop_wait);
}

/*
 * sig is pending for target (NULL: for the process): wake a thread that
 * will take it, as Linux's complete_signal.  A signal whose default
 * action kills, sent to a process with no handler for it, ends the whole
 * group at once (sighand->lock held).
 */
static void
complete_signal(struct process *p, struct thread *target, int sig)
{
	const struct k_sigaction *ka = &p->sighand->action[sig - 1];
	struct thread *t = NULL;

	if (target) {
		if (wants_signal(sig, target))
			t = target;
	} else if (p->thread && wants_signal(sig, p->thread)) {
		t = p->thread;
	} else {
		struct thread *c;

		for_each_thread(p, c) {
			if (wants_signal(sig, c)) {
				t = c;
				break;
			}
		}
	}
	if (!t)
		return;			/* blocked everywhere: it waits for an unblock */
	if ((sig == SIGKILL || (ka->handler == SIG_DFL && default_kills(sig) &&
				 !(t->sig_waitset & sigmask(sig)))) &&
	    !group_dying(p, NULL)) {
		p->group_exiting = true;
		p->group_exit_status = sig;
		p->group_stop_count = 0;
		zap_threads_locked(p, NULL);
		return;
	}
	t->sigpending = 1;
	thread_interrupt(t);
}

/*
 * Signals pending in pend, each queued instance counted (Linux counts them
 * per user; here per pending set).  By hand: popcount calls libgcc on some
 * ports.
 */
static uint64_t
pending_count(const struct sigpending *pend)
{
	uint64_t n = pend->nr_queued;

	for (uint64_t s = pend->set; s; s &= s - 1)
		n++;
	return n;
}

/*
 * Queue info for target (NULL: the process) and wake a taker (sighand->lock
 * held).  -EAGAIN: a real-time signal with a user's negative si_code
 * (sigqueue, tgkill) found RLIMIT_SIGPENDING reached, as Linux's
 * __send_signal, which overrides the limit only for the kernel's codes.
 */
static int
send_signal_locked(struct process *p, struct thread *target, const struct ksiginfo *info)
{
	struct sigpending *pend = target ? &target->pending : &p->shared_pending;
	int sig = info->signo;
	struct thread *t;

	/* Job control: a stop cancels a pending continue and the other way round. */
	if (sigmask(sig) & STOP_SIGNALS) {
		flush_signal_locked(p, SIGCONT);
	} else if (sig == SIGCONT || sig == SIGKILL) {
		p->shared_pending.set &= ~STOP_SIGNALS;
		for_each_thread(p, t)
			t->pending.set &= ~STOP_SIGNALS;
		if (p->stopped || p->group_stop_count) {
			bool was_stopped = p->stopped;

			p->stopped = false;
			p->group_stop_count = 0;
			for_each_thread(p, t)
				recalc_sigpending_locked(t);
			if (sig == SIGCONT && was_stopped) {
				p->continued = true;
				p->cont_notify = true;
				/* One thread tells the parent (exit_to_user looks at cont_notify). */
				if (p->thread) {
					p->thread->sigpending = 1;
					thread_interrupt(p->thread);
				}
			}
		}
		wq_wake_all(&p->stop_wait);
	}
	if (sig_ignored(p, target, sig))
		return 0;
	if (sig >= SIGRTMIN && info->code < 0 && info->code != SI_TIMER &&
	    pending_count(pend) >= p->rlim[RLIMIT_SIGPENDING].rlim_cur)
		return -EAGAIN;
	if (pend->set & sigmask(sig)) {
		/* Standard signals do not queue; real-time ones do, up to RLIMIT_SIGPENDING. */
		struct sigqueue *q;

		if (sig < SIGRTMIN || pend->nr_queued >= p->rlim[RLIMIT_SIGPENDING].rlim_cur)
			return sig < SIGRTMIN || info->code >= 0 || info->code == SI_TIMER ? 0 : -EAGAIN;
		q = kmalloc(sizeof(*q));
		if (!q)
			return info->code < 0 ? -EAGAIN : 0;
		q->info = *info;
		list_add_tail(&q->node, &pend->queue);
		pend->nr_queued++;
	} else {
		pend->set |= sigmask(sig);
		pend->info[sig - 1] = *info;
	}
	signalfd_notify(p);
	complete_signal(p, target, sig);
	return 0;
}

static int
send_signal_to(struct process *p, struct thread *target, const struct ksiginfo *info)
{
	unsigned long flags;
	int err = 0;

	if (!valid_signal(info->signo))
		return -EINVAL;
	if (!p->sighand)
		return 0;			/* a zombie: nothing to deliver to */
	flags = spin_lock_irqsave(&p->sighand->lock);
	if (p->state == PROCESS_RUNNING && p->nr_threads && (!target || !target->group_left))
		err = send_signal_locked(p, target, info);
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return err;
}

/* Is info's POSIX timer the sender of q (both SI_TIMER)? */
static bool
same_timer(const struct ksiginfo *q, const struct ksiginfo *info)
{
	return q->code == SI_TIMER && q->timerid == info->timerid;
}

int
send_timer_signal_locked(struct process *p, struct thread *target, const struct ksiginfo *info)
{
	struct sigpending *pend = target ? &target->pending : &p->shared_pending;
	int sig = info->signo;
	struct sigqueue *q;

	if (!valid_signal(sig) || p->state != PROCESS_RUNNING || !p->nr_threads ||
	    (target && target->group_left))
		return -ESRCH;
	if (info->code == SI_TIMER && (pend->set & sigmask(sig))) {
		/* One signal per timer at a time, as Linux's preallocated sigqueue. */
		if (same_timer(&pend->info[sig - 1], info))
			return 1;
		list_for_each_entry(q, &pend->queue, node)
			if (q->info.signo == sig && same_timer(&q->info, info))
				return 1;
	}
	if (sig_ignored(p, target, sig))
		return 2;
	send_signal_locked(p, target, info);	/* SI_TIMER: never over the limit here */
	return 0;
}

int
send_signal_info(struct process *p, const struct ksiginfo *info)
{
	return send_signal_to(p, NULL, info);
}

int
send_signal(struct process *p, int sig)
{
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };

	return send_signal_info(p, &info);
}

void
send_sig_current(int sig)
{
	struct process *p = current_process();
	/* As Linux's send_sig(sig, current, 0): from the process itself (SI_USER). */
	struct ksiginfo info = { .signo = sig, .code = SI_USER };

	if (!p)
		return;
	info.pid = p->pid;
	info.uid = current_cred()->uid;
	send_signal_info(p, &info);
}

void
force_sig_fault(int sig, int code, uintptr_t addr)
{
	struct process *p = current_process();
	struct thread *t = thread_current();
	struct ksiginfo info = { .signo = sig, .code = code, .addr = addr };
	struct k_sigaction *ka;
	unsigned long flags;

	if (!p)
		return;
	/* A fault cannot be blocked or ignored away: Linux resets it to the default then. */
	flags = spin_lock_irqsave(&p->sighand->lock);
	ka = &p->sighand->action[sig - 1];
	if ((t->sig_blocked & sigmask(sig)) || ka->handler == SIG_IGN) {
		t->sig_blocked &= ~sigmask(sig);
		ka->handler = SIG_DFL;
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	send_signal_to(p, t, &info);
}

bool
signal_ignored_or_blocked(int sig)
{
	struct process *p = current_process();
	struct thread *t = thread_current();
	unsigned long flags;
	bool yes;

	if (!p)
		return true;
	flags = spin_lock_irqsave(&p->sighand->lock);
	yes = (t->sig_blocked & sigmask(sig)) || p->sighand->action[sig - 1].handler == SIG_IGN;
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return yes;
}

/* May the caller signal p (tasklist_lock held)?  Linux's kill_ok_by_cred. */
static bool
may_signal(struct process *p, int sig)
{
	const struct cred *me = current_cred(), *them;
	struct thread *t = p->thread;

	if (me->euid == 0)
		return true;
	if (sig == SIGCONT && p->sid == current_process()->sid)
		return true;
	if (!t)
		return true;			/* a zombie: nothing happens anyway */
	them = t->cred ? t->cred : &init_cred;
	return me->euid == them->suid || me->euid == them->uid || me->uid == them->suid ||
	       me->uid == them->uid;
}

struct kill_scan {
	int sig;
	pid_t pgrp;			/* 0: every process (kill -1) */
	const struct ksiginfo *info;
	struct process *self;
	bool kernel;			/* no permission checks */
	int found, sent, err;
};

static void
kill_one(struct process *p, void *arg)
{
	struct kill_scan *k = arg;

	/*
	 * Zombies count, as on Linux, where they stay in their group and the
	 * process list until reaped: kill() succeeds, and nothing is queued.
	 */
	if (k->pgrp ? p->pgid != k->pgrp : (p == init_process || p == k->self))
		return;
	k->found++;
	if (!k->kernel && !may_signal(p, k->sig)) {
		k->err = -EPERM;
		return;
	}
	k->sent++;
	if (k->sig)
		send_signal_info(p, k->info);
}

static int
kill_many(pid_t pgrp, int sig, const struct ksiginfo *info, bool kernel)
{
	struct kill_scan k = { .sig = sig, .pgrp = pgrp, .info = info, .kernel = kernel,
			       .self = current_process() };
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	for_each_process_locked(kill_one, &k);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!k.found)
		return -ESRCH;
	return k.sent ? 0 : k.err;
}

int
kill_pgrp(pid_t pgrp, int sig)
{
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };

	if (pgrp <= 0)
		return -ESRCH;
	return kill_many(pgrp, sig, &info, true);
}

static struct ksiginfo
user_info(int sig, int code)
{
	struct ksiginfo info = { .signo = sig, .code = code };
	struct process *me = current_process();

	info.pid = me ? me->pid : 0;
	info.uid = current_cred()->uid;
	return info;
}

static long
kill_pid_info(pid_t pid, int sig, const struct ksiginfo *info)
{
	struct process *p;
	unsigned long flags;
	long err;

	p = process_find(pid);
	if (!p)
		return -ESRCH;
	flags = spin_lock_irqsave(&tasklist_lock);
	err = p->state == PROCESS_RUNNING || p->state == PROCESS_ZOMBIE ? 0 : -ESRCH;
	/* As Linux's check_kill_permission: the signal number, then the credentials. */
	if (!err && (sig < 0 || sig > _NSIG))
		err = -EINVAL;
	if (!err && !may_signal(p, sig))
		err = -EPERM;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!err && sig)
		err = send_signal_info(p, info);
	process_put(p);
	return err;
}

static long
kill_pid(pid_t pid, int sig, int code)
{
	struct ksiginfo info = user_info(sig, code);

	return kill_pid_info(pid, sig, &info);
}

SYSCALL_DEFINE2(kill, pid_t, pid, int, sig)
{
	struct ksiginfo info = user_info(sig, SI_USER);

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0)
		return kill_pid(pid, sig, SI_USER);
	if (pid == -1)
		return kill_many(0, sig, &info, false);
	if (pid == 0)
		return kill_many(process_pgrp(current_process()), sig, &info, false);
	if (pid == INT32_MIN)
		return -ESRCH;
	return kill_many(-pid, sig, &info, false);
}

/* Signal one thread: tgkill (tgid > 0 must be its process) and tkill (tgid 0). */
static long
kill_thread_info(pid_t tgid, pid_t tid, int sig, const struct ksiginfo *info)
{
	struct thread *t;
	struct process *p;
	unsigned long flags;
	long err = 0;

	flags = spin_lock_irqsave(&tasklist_lock);
	t = thread_find_locked(tid);
	if (!t || (tgid > 0 && t->proc->pid != tgid)) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -ESRCH;
	}
	p = t->proc;
	if (sig < 0 || sig > _NSIG)
		err = -EINVAL;
	else if (!may_signal(p, sig))
		err = -EPERM;
	else if (sig)
		err = send_signal_to(p, t, info);	/* t stays: tasklist_lock is held */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

static long
kill_thread(pid_t tgid, pid_t tid, int sig)
{
	struct ksiginfo info = user_info(sig, SI_TKILL);

	return kill_thread_info(tgid, tid, sig, &info);
}

SYSCALL_DEFINE3(tgkill, pid_t, tgid, pid_t, tid, int, sig)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	return kill_thread(tgid, tid, sig);
}

SYSCALL_DEFINE2(tkill, pid_t, tid, int, sig)
{
	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	return kill_thread(0, tid, sig);
}

/* ---- sigqueue: a signal with the caller's own siginfo ---- */

/*
 * The user's siginfo_t as rt_sigqueueinfo takes it: si_errno, si_code and
 * the kill/rt layout (si_pid, si_uid, si_value) are kept; si_signo is the
 * call's sig, as Linux sets it.  The rest of the union is not kept.
 */
static int
sigqueue_info_from_user(int sig, const void __user *uinfo, struct ksiginfo *info)
{
	uint8_t b[128];
	const size_t u = __SIZEOF_LONG__ == 8 ? 16 : 12;
	int32_t w[3], k[2];

	if (copy_from_user(b, uinfo, sizeof(b)))
		return -EFAULT;
	memcpy(w, b, sizeof(w));
	memcpy(k, b + u, sizeof(k));
	memset(info, 0, sizeof(*info));
	info->signo = sig;
	info->errno_ = w[1];
	info->code = w[2];
	info->pid = k[0];
	info->uid = (uid_t)k[1];
	memcpy(&info->value, b + u + 8, sizeof(info->value));
	return 0;
}

/*
 * Not even root may pretend to be the kernel (si_code >= 0) or a tgkill
 * (SI_TKILL), except to itself: Linux compares the target with the
 * caller's own thread id.
 */
static bool
sigqueue_code_allowed(const struct ksiginfo *info, pid_t target)
{
	return (info->code < 0 && info->code != SI_TKILL) || target == thread_current()->tid;
}

SYSCALL_DEFINE3(rt_sigqueueinfo, pid_t, pid, int, sig, const void __user *, uinfo)
{
	struct ksiginfo info;
	int err = sigqueue_info_from_user(sig, uinfo, &info);

	if (err)
		return err;
	if (!sigqueue_code_allowed(&info, pid))
		return -EPERM;
	if (pid <= 0)
		return -ESRCH;			/* POSIX.1b has no process groups */
	return kill_pid_info(pid, sig, &info);
}

SYSCALL_DEFINE4(rt_tgsigqueueinfo, pid_t, tgid, pid_t, tid, int, sig, const void __user *, uinfo)
{
	struct ksiginfo info;
	int err = sigqueue_info_from_user(sig, uinfo, &info);

	if (err)
		return err;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (!sigqueue_code_allowed(&info, tid))
		return -EPERM;
	return kill_thread_info(tgid, tid, sig, &info);
}

/* ---- the user's siginfo_t ---- */

/*
 * siginfo_t: signo, errno, code, then (after padding to the pointer size)
 * a union: kill {pid, uid}; SIGCHLD {pid, uid, status, utime, stime};
 * faults {addr}; POSIX timers {timerid, overrun, value}.  128 bytes on
 * every port.
 */
void
siginfo_fill(void *buf, const struct ksiginfo *info)
{
	uint8_t *b = buf;
	const size_t u = __SIZEOF_LONG__ == 8 ? 16 : 12;
	int32_t w[3] = { info->signo, info->errno_, info->code };

	memset(b, 0, 128);
	memcpy(b, w, sizeof(w));
	if (info->code == SI_TIMER) {
		/* _timer: si_timerid, si_overrun, then si_value (pointer-aligned). */
		int32_t tm[2] = { info->timerid, info->overrun };

		memcpy(b + u, tm, sizeof(tm));
		memcpy(b + u + 8, &info->value, sizeof(info->value));
		return;
	}
	switch (info->signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		if (info->code > 0) {
			memcpy(b + u, &info->addr, sizeof(info->addr));
			return;
		}
		break;
	case SIGCHLD:
		if (info->code > 0) {
			int32_t c[3] = { info->pid, (int32_t)info->uid, info->status };

			memcpy(b + u, c, sizeof(c));
			return;
		}
		break;
	}
	{
		int32_t k[2] = { info->pid, (int32_t)info->uid };

		memcpy(b + u, k, sizeof(k));
		/* The rt layout of the negative codes (sigqueue): si_value follows. */
		if (info->code < 0)
			memcpy(b + u + 8, &info->value, sizeof(info->value));
	}
}

void
notify_parent_locked(struct process *child, int code, int status)
{
	struct process *parent = child->parent;
	struct ksiginfo info = { .signo = child->exit_signal ? child->exit_signal : SIGCHLD,
				 .code = code, .pid = child->pid, .status = status };
	const struct k_sigaction *ka;

	if (!parent)
		return;
	ka = &parent->sighand->action[SIGCHLD - 1];
	if (code >= 5 && ((ka->flags & SA_NOCLDSTOP) || info.signo != SIGCHLD))
		goto wake;		/* stop/continue reports: not with SA_NOCLDSTOP */
	if (child->state == PROCESS_ZOMBIE && !child->exit_signal)
		goto wake;
	send_signal_info(parent, &info);
wake:
	wq_wake_all(&parent->child_wait);
}

/* ---- delivery ---- */

/*
 * The calling thread's part in a group stop: count itself, tell the
 * parent when it is the last of the group to stop, and sleep until
 * SIGCONT or SIGKILL (sighand->lock held, dropped and retaken).
 */
static unsigned long
group_stop_participate(struct process *p, struct thread *me, unsigned long flags)
{
	if (p->group_stop_count && --p->group_stop_count == 0 && p->stopped) {
		int sig = p->stop_signal;

		spin_unlock_irqrestore(&p->sighand->lock, flags);
		flags = spin_lock_irqsave(&tasklist_lock);
		notify_parent_locked(p, 5 /* CLD_STOPPED */, sig);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		flags = spin_lock_irqsave(&p->sighand->lock);
	}
	recalc_sigpending_locked(me);
	while (p->stopped && !group_dying(p, me) &&
	       !((me->pending.set | p->shared_pending.set) & sigmask(SIGKILL)))
		wq_wait(&p->stop_wait, &p->sighand->lock, WAIT_FOREVER);
	recalc_sigpending_locked(me);
	return flags;
}

/* Start a group stop for sig: every thread stops (sighand->lock held). */
static void
group_stop_begin(struct process *p, int sig)
{
	struct thread *t;

	p->stopped = true;
	p->stop_signal = sig;
	p->stop_reported = false;
	p->continued = false;
	p->group_stop_count = p->nr_threads;
	for_each_thread(p, t) {
		t->sigpending = 1;
		thread_interrupt(t);
	}
}

/* The next signal of pend that mask lets through: synchronous faults first, then the lowest. */
static int
dequeue_from(struct sigpending *pend, sigset_t blocked, struct ksiginfo *info)
{
	sigset_t ready = pend->set & ~blocked;
	int sig;

	if (pend->set & sigmask(SIGKILL))
		ready = sigmask(SIGKILL);
	else if (ready & SYNC_SIGNALS)
		ready &= SYNC_SIGNALS;
	if (!ready)
		return 0;
	sig = __builtin_ctzll(ready) + 1;
	*info = pend->info[sig - 1];
	pend->set &= ~sigmask(sig);
	if (sig >= SIGRTMIN) {
		struct sigqueue *q;

		/* The next queued instance becomes the pending one. */
		list_for_each_entry(q, &pend->queue, node) {
			if (q->info.signo == sig) {
				pend->info[sig - 1] = q->info;
				pend->set |= sigmask(sig);
				list_del(&q->node);
				pend->nr_queued--;
				kfree(q);
				break;
			}
		}
	}
	return sig;
}

/* The next signal for t: its own first, then its process's (sighand->lock held). */
static int
dequeue_locked(struct process *p, struct thread *t, struct ksiginfo *info)
{
	bool shared = false;
	int sig = dequeue_from(&t->pending, t->sig_blocked, info);

	if (!sig) {
		sig = dequeue_from(&p->shared_pending, t->sig_blocked, info);
		shared = sig != 0;
	}
	/* A timer's signal: its overrun count, a periodic ITIMER_REAL's reload. */
	if (sig && (sig == SIGALRM || info->code == SI_TIMER))
		timer_signal_taken_locked(p, info, shared);
	recalc_sigpending_locked(t);
	return sig;
}

/* Decide what an interrupted system call does now that we know about handlers. */
static void
syscall_restart(struct arch_regs *regs, struct thread *me, const struct k_sigaction *ka)
{
	int code = me->restart;

	if (!code)
		return;
	me->restart = 0;
	if (ka) {
		switch (code) {
		case ERESTARTSYS:
			if (ka->flags & SA_RESTART)
				goto restart;
			/* fall through */
		case ERESTARTNOHAND:
		case ERESTART_RESTARTBLOCK:
			arch_syscall_set_return(regs, -EINTR);
			return;
		}
	}
restart:
	if (code == ERESTART_RESTARTBLOCK)
		arch_syscall_restart(regs, syscall_nr_restart_syscall, 0);
	else
		arch_syscall_restart(regs, me->syscall_nr, me->syscall_arg0);
}

/* Where the handler's frame goes: the alternate stack when asked and not on it. */
static uintptr_t
signal_sp(struct thread *me, const struct k_sigaction *ka, struct arch_regs *regs)
{
	uintptr_t sp = arch_user_sp(regs);

	if ((ka->flags & SA_ONSTACK) && me->altstack_size && !(me->altstack_flags & SS_DISABLE) &&
	    !(sp > me->altstack_sp && sp - me->altstack_sp <= me->altstack_size)) {
		sp = me->altstack_sp + me->altstack_size;
		if (me->altstack_flags & SS_AUTODISARM) {
			me->altstack_sp = 0;
			me->altstack_size = 0;
			me->altstack_flags = SS_DISABLE;
		}
	}
	return sp;
}

void
do_signal(struct arch_regs *regs)
{
	struct thread *me = thread_current();
	struct process *p = me->proc;
	struct k_sigaction ka;
	struct ksiginfo info;
	unsigned long flags;
	uint64_t saved;
	int sig;

	for (;;) {
		if (p->cont_notify) {
			flags = spin_lock_irqsave(&tasklist_lock);
			p->cont_notify = false;
			notify_parent_locked(p, 6 /* CLD_CONTINUED */, SIGCONT);
			spin_unlock_irqrestore(&tasklist_lock, flags);
		}
		flags = spin_lock_irqsave(&p->sighand->lock);
		if (group_dying(p, me)) {
			/* Another thread's exit_group, fatal signal or execve ends this one. */
			int status = p->group_exiting ? p->group_exit_status : 0;

			spin_unlock_irqrestore(&p->sighand->lock, flags);
			do_exit(status);
		}
		if (p->group_stop_count && p->stopped) {
			flags = group_stop_participate(p, me, flags);
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			continue;
		}
		sig = dequeue_locked(p, me, &info);
		if (!sig) {
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			break;
		}
		ka = p->sighand->action[sig - 1];
		if (ka.handler == SIG_IGN && sig != SIGKILL) {
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			continue;
		}
		if (ka.handler != SIG_DFL && sig != SIGKILL && sig != SIGSTOP) {
			if (ka.flags & SA_RESETHAND)
				p->sighand->action[sig - 1].handler = SIG_DFL;
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			syscall_restart(regs, me, &ka);
			saved = me->sig_restore_mask ? me->sig_saved_mask : me->sig_blocked;
			if (arch_signal_setup(regs, sig, &ka, &info, saved,
					      signal_sp(me, &ka, regs))) {
				/* No room for the frame: Linux kills with SIGSEGV. */
				pr_info("%s[%d]: cannot deliver signal %d (frame at %#lx): killed\n",
					p->comm, p->pid, sig, (unsigned long)signal_sp(me, &ka, regs));
				do_group_exit(SIGSEGV);
			}
			flags = spin_lock_irqsave(&p->sighand->lock);
			me->sig_restore_mask = false;
			me->sig_blocked |= ka.mask;
			if (!(ka.flags & SA_NODEFER))
				me->sig_blocked |= sigmask(sig);
			me->sig_blocked &= ~UNBLOCKABLE;
			recalc_sigpending_locked(me);
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			return;
		}
		spin_unlock_irqrestore(&p->sighand->lock, flags);
		/* The default action. */
		if (sig <= 32 && default_ignores(sig))
			continue;
		if (sig <= 32 && (STOP_SIGNALS & sigmask(sig))) {
			/* An orphaned group ignores the terminal's stops (POSIX). */
			if (sig != SIGSTOP && pgrp_is_orphaned(process_pgrp(p)))
				continue;
			flags = spin_lock_irqsave(&p->sighand->lock);
			if (!group_dying(p, me)) {
				/* SIGCONT since the dequeue cancels it (Linux re-checks too). */
				if (!p->stopped)
					group_stop_begin(p, sig);
				flags = group_stop_participate(p, me, flags);
			}
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			continue;
		}
		if (sig <= 32 && (SYNC_SIGNALS & sigmask(sig)) && info.code > 0)
			/* As Linux's show_unhandled_signals: where a program died of a fault. */
			pr_info("%s[%d]: %s at %#lx ip %#lx sp %#lx\n", p->comm, p->pid,
				sig == SIGSEGV ? "segfault" : sig == SIGBUS ? "bus error" :
				sig == SIGILL ? "illegal instruction" : "trap",
				(unsigned long)info.addr, (unsigned long)arch_regs_pc(regs),
				(unsigned long)arch_user_sp(regs));
		do_group_exit(sig);	/* terminate; no core files */
	}
	/* No handler ran: an interrupted call restarts, a temporary mask goes. */
	syscall_restart(regs, me, NULL);
	if (me->sig_restore_mask) {
		flags = spin_lock_irqsave(&p->sighand->lock);
		me->sig_blocked = me->sig_saved_mask;
		me->sig_restore_mask = false;
		recalc_sigpending_locked(me);
		spin_unlock_irqrestore(&p->sighand->lock, flags);
	}
}

void
signals_exec_reset(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);

	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &p->sighand->action[i];

		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	thread_current()->altstack_sp = 0;
	thread_current()->altstack_size = 0;
	thread_current()->altstack_flags = SS_DISABLE;
}

/* ---- system calls ---- */

/* The kernel's struct sigaction on every port: handler, flags, restorer, mask. */
struct k_sigaction_user {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	uint32_t mask[2];
};

/*
 * me stops taking some of the process's pending signals (it blocks them,
 * or exits): wake the other threads that can (sighand->lock held), as
 * Linux's retarget_shared_pending.
 */
void
retarget_shared_locked(struct process *p, struct thread *me)
{
	struct thread *t;

	if (!p->shared_pending.set)
		return;
	for_each_thread(p, t) {
		if (t == me || t->sigpending)
			continue;
		recalc_sigpending_locked(t);
		if (t->sigpending)
			thread_interrupt(t);
	}
}

static int
set_blocked(sigset_t mask)
{
	struct process *p = current_process();
	struct thread *me = thread_current();
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
	sigset_t newly = mask & ~me->sig_blocked & ~UNBLOCKABLE;

	me->sig_blocked = mask & ~UNBLOCKABLE;
	recalc_sigpending_locked(me);
	if (newly & p->shared_pending.set)
		retarget_shared_locked(p, me);
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const void __user *, act, void __user *, oact,
		size_t, sigsetsize)
{
	struct process *p = current_process();
	struct k_sigaction_user ua;
	struct k_sigaction old, new;
	unsigned long flags;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (!valid_signal(sig))
		return -EINVAL;
	if (act) {
		if (copy_from_user(&ua, act, sizeof(ua)))
			return -EFAULT;
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		new.handler = ua.handler;
		new.flags = ua.flags;
		new.restorer = ua.restorer;
		new.mask = ((sigset_t)ua.mask[1] << 32 | ua.mask[0]) & ~UNBLOCKABLE;
	}
	flags = spin_lock_irqsave(&p->sighand->lock);
	old = p->sighand->action[sig - 1];
	if (act) {
		p->sighand->action[sig - 1] = new;
		/* Ignoring a signal drops it if pending (POSIX). */
		if (new.handler == SIG_IGN || (new.handler == SIG_DFL && default_ignores(sig))) {
			struct thread *t;

			flush_signal_locked(p, sig);
			for_each_thread(p, t)
				recalc_sigpending_locked(t);
		}
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	if (oact) {
		memset(&ua, 0, sizeof(ua));
		ua.handler = old.handler;
		ua.flags = old.flags;
		ua.restorer = old.restorer;
		ua.mask[0] = (uint32_t)old.mask;
		ua.mask[1] = (uint32_t)(old.mask >> 32);
		if (copy_to_user(oact, &ua, sizeof(ua)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const sigset_t __user *, set, sigset_t __user *, oset,
		size_t, sigsetsize)
{
	struct thread *me = thread_current();
	sigset_t old = me->sig_blocked, new;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&new, set, sizeof(new)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			new |= old;
			break;
		case SIG_UNBLOCK:
			new = old & ~new;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
		set_blocked(new);
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, sigset_t __user *, uset, size_t, sigsetsize)
{
	struct process *p = current_process();
	sigset_t set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	set = (p->shared_pending.set | thread_current()->pending.set) & thread_current()->sig_blocked;
	return copy_to_user(uset, &set, sizeof(set));
}

void
sigmask_set_temporary(uint64_t mask)
{
	struct thread *me = thread_current();

	me->sig_saved_mask = me->sig_blocked;
	me->sig_restore_mask = true;
	set_blocked(mask);
}

void
sigmask_restore_temporary(bool interrupted)
{
	struct thread *me = thread_current();

	if (interrupted || !me->sig_restore_mask)
		return;			/* do_signal() restores it after the handler */
	me->sig_restore_mask = false;
	set_blocked(me->sig_saved_mask);
}

/* Sleep with mask as the blocked set until a signal is taken (sigsuspend, pause). */
static long
suspend_with(sigset_t mask)
{
	struct thread *me = thread_current();

	me->sig_saved_mask = me->sig_blocked;
	me->sig_restore_mask = true;
	set_blocked(mask);
	while (thread_sleep_interruptible_until(WAIT_FOREVER) != -EINTR)
		;
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(rt_sigsuspend, const sigset_t __user *, umask, size_t, sigsetsize)
{
	sigset_t mask;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	return suspend_with(mask);
}

#if defined(CONFIG_ARCH_X86_64) || defined(CONFIG_ARCH_I386)
SYSCALL_DEFINE0(pause)
{
	while (thread_sleep_interruptible_until(WAIT_FOREVER) != -EINTR)
		;
	return -ERESTARTNOHAND;
}
#endif

struct k_timespec {
	long tv_sec;
	long tv_nsec;
};

struct k_timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

static long
do_sigtimedwait(sigset_t set, void __user *uinfo, bool has_timeout, int64_t sec, int64_t nsec)
{
	struct process *p = current_process();
	struct thread *me = thread_current();
	uint64_t deadline = WAIT_FOREVER;
	struct ksiginfo info;
	unsigned long flags;
	sigset_t saved;
	int sig;

	if (has_timeout) {
		if (sec < 0 || nsec < 0 || nsec >= 1000000000)
			return -EINVAL;
		deadline = time_ns() + (uint64_t)sec * 1000000000ULL + (uint64_t)nsec;
	}
	set &= ~UNBLOCKABLE;
	for (;;) {
		flags = spin_lock_irqsave(&p->sighand->lock);
		/*
		 * A pending SIGKILL is delivery's: dequeue_locked() would hand
		 * it to the caller as if it were awaited, and the thread would
		 * outlive its group's exit.
		 */
		if (((me->pending.set | p->shared_pending.set) & sigmask(SIGKILL)) ||
		    group_dying(p, me)) {
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			return -EINTR;
		}
		saved = me->sig_blocked;
		/* Take one of set even though it is blocked. */
		me->sig_blocked = ~set;
		sig = dequeue_locked(p, me, &info);
		me->sig_blocked = saved;
		recalc_sigpending_locked(me);
		if (!sig && has_timeout && time_ns() >= deadline) {
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			return -EAGAIN;
		}
		if (!sig) {
			/* Let one of set wake us while we sleep, even one ignored by default. */
			me->sig_blocked &= ~set;
			me->sig_waitset = set;
			recalc_sigpending_locked(me);
		}
		spin_unlock_irqrestore(&p->sighand->lock, flags);
		if (sig)
			break;
		thread_sleep_interruptible_until(deadline);
		flags = spin_lock_irqsave(&p->sighand->lock);
		me->sig_blocked = saved;
		me->sig_waitset = 0;
		recalc_sigpending_locked(me);
		/* Another signal is ready for delivery: the call is interrupted. */
		if (((p->shared_pending.set | me->pending.set) & ~saved & ~set) || group_dying(p, me)) {
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			return -EINTR;
		}
		spin_unlock_irqrestore(&p->sighand->lock, flags);
	}
	if (uinfo) {
		uint8_t buf[128];

		siginfo_fill(buf, &info);
		if (copy_to_user(uinfo, buf, sizeof(buf)))
			return -EFAULT;
	}
	return sig;
}

SYSCALL_DEFINE4(rt_sigtimedwait, const sigset_t __user *, uset, void __user *, uinfo,
		const struct k_timespec __user *, uts, size_t, sigsetsize)
{
	struct k_timespec ts;
	sigset_t set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uts && copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	return do_sigtimedwait(set, uinfo, uts != NULL, uts ? ts.tv_sec : 0, uts ? ts.tv_nsec : 0);
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE4(rt_sigtimedwait_time64, const sigset_t __user *, uset, void __user *, uinfo,
		const struct k_timespec64 __user *, uts, size_t, sigsetsize)
{
	struct k_timespec64 ts;
	sigset_t set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (uts && copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	/* i386 user space fills only the low half of tv_nsec. */
	return do_sigtimedwait(set, uinfo, uts != NULL, uts ? ts.tv_sec : 0,
			       uts ? (int64_t)(int32_t)ts.tv_nsec : 0);
}
#endif

/* stack_t: ss_sp, ss_flags, ss_size with the port's word size. */
struct k_stack {
	unsigned long ss_sp;
	int ss_flags;
	unsigned long ss_size;
};

SYSCALL_DEFINE2(sigaltstack, const struct k_stack __user *, uss, struct k_stack __user *, uoss)
{
	struct thread *me = thread_current();
	struct k_stack old, new;
	uintptr_t sp = arch_user_sp(me->user_regs);
	bool on = me->altstack_size && sp > me->altstack_sp &&
		  sp - me->altstack_sp <= me->altstack_size;

	memset(&old, 0, sizeof(old));
	old.ss_sp = me->altstack_sp;
	old.ss_size = me->altstack_size;
	old.ss_flags = on ? SS_ONSTACK : (me->altstack_size ? me->altstack_flags : SS_DISABLE);
	if (uss) {
		unsigned int mode;

		if (copy_from_user(&new, uss, sizeof(new)))
			return -EFAULT;
		if (on)
			return -EPERM;
		mode = (unsigned int)new.ss_flags & ~SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			me->altstack_sp = 0;
			me->altstack_size = 0;
			me->altstack_flags = SS_DISABLE;
		} else {
			if (new.ss_size < arch_signal_frame_size())
				return -ENOMEM;
			me->altstack_sp = new.ss_sp;
			me->altstack_size = new.ss_size;
			me->altstack_flags = new.ss_flags & (int)SS_AUTODISARM;
		}
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static long
sigreturn(bool rt)
{
	struct thread *me = thread_current();
	struct arch_regs *regs = me->user_regs;
	sigset_t mask;

	me->restart = 0;
	me->syscall_nr = -1;		/* not a call to restart: the frame says where to go */
	me->restart_block.fn = NULL;	/* a handler ran: what was interrupted stays so */
	if (arch_signal_return(regs, &mask, rt)) {
		pr_info("%s[%d]: bad signal frame at %#lx in sigreturn\n", current_process()->comm,
			current_process()->pid, (unsigned long)arch_user_sp(regs));
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		return 0;
	}
	set_blocked(mask);
	/* The restored registers are the result: the return register stays as restored. */
	return arch_syscall_get_return(regs);
}

/* Resume the call a signal without a handler interrupted (-ERESTART_RESTARTBLOCK). */
SYSCALL_DEFINE0(restart_syscall)
{
	struct restart_block *rb = &thread_current()->restart_block;
	long (*fn)(struct restart_block *) = rb->fn;

	rb->fn = NULL;			/* fn arms it again if interrupted again */
	return fn ? fn(rb) : -EINTR;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	return sigreturn(true);
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE0(sigreturn)
{
	return sigreturn(false);
}
#endif

/* ---- for signalfd (fs/signalfd.c, <kernel/signalfd.h>) ---- */

sigset_t
signal_pending_mask(sigset_t mask)
{
	struct process *p = current_process();
	struct thread *me = thread_current();
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
	sigset_t set = (me->pending.set | p->shared_pending.set) & mask;

	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return set;
}

int
signal_dequeue_mask(sigset_t mask, struct ksiginfo *info)
{
	struct process *p = current_process();
	struct thread *me = thread_current();
	unsigned long flags = spin_lock_irqsave(&p->sighand->lock);
	int sig = 0;

	/* A pending SIGKILL is delivery's, never a signalfd's (it ends the read). */
	if (!((me->pending.set | p->shared_pending.set) & sigmask(SIGKILL))) {
		/* The thread's own first, then the process's, as delivery takes them. */
		sig = dequeue_from(&me->pending, ~mask, info);
		if (!sig)
			sig = dequeue_from(&p->shared_pending, ~mask, info);
		if (sig)
			recalc_sigpending_locked(me);
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	return sig;
}
