/*
 * The end of a process: exit and exit_group, zombies, re-parenting of
 * orphans to init, the parent's SIGCHLD, and wait4/waitid reaping them.
 * A process whose parent does not want to hear of it (SIGCHLD ignored,
 * SA_NOCLDWAIT) is freed by the reaper thread instead.
 */
#define pr_fmt(fmt) "exit: " fmt

#include <string.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/futex.h>
#include <kernel/mman.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/proc_fs.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/tty.h>
#include <kernel/uaccess.h>
#include "process_internal.h"

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	WUNTRACED
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define P_ALL		0
#define P_PID		1
#define P_PGID		2
#define P_PIDFD		3

#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

/* Processes nobody will wait for, and exited threads, freed by the reaper thread. */
static LIST_HEAD(reap_list);			/* reap_lock */
static LIST_HEAD(reap_thread_list);		/* reap_lock: struct thread.reap_node */
static struct spinlock reap_lock = SPINLOCK_INIT("reap");
static struct wait_queue reap_wait = WAIT_QUEUE_INIT(reap_wait);
static struct thread *reaper;

/* Free a reaped process: its thread's stack once it is off its CPU, its pid. */
static void
release(struct process *p)
{
	unsigned long flags;

	if (p->main_thread) {
		thread_join(p->main_thread);
		p->main_thread = NULL;
	}
	flags = spin_lock_irqsave(&tasklist_lock);
	process_unregister_locked(p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	proc_flush_pid(p->pid);
	process_put(p);
}

static void
reaper_entry(void *unused)
{
	unsigned long flags;
	struct process *p;

	(void)unused;
	for (;;) {
		struct thread *t = NULL;

		p = NULL;
		flags = spin_lock_irqsave(&reap_lock);
		while (list_empty(&reap_list) && list_empty(&reap_thread_list))
			wq_wait(&reap_wait, &reap_lock, WAIT_FOREVER);
		if (!list_empty(&reap_thread_list)) {
			t = list_first_entry(&reap_thread_list, struct thread, reap_node);
			list_del(&t->reap_node);
		} else {
			p = list_first_entry(&reap_list, struct process, sibling);
			list_del(&p->sibling);
		}
		spin_unlock_irqrestore(&reap_lock, flags);
		if (t)
			thread_join(t);
		else
			release(p);
	}
}

void
reap_thread(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&reap_lock);

	list_add_tail(&t->reap_node, &reap_thread_list);
	wq_wake_one(&reap_wait);
	spin_unlock_irqrestore(&reap_lock, flags);
}

void
reap_release(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&reap_lock);

	list_add_tail(&p->sibling, &reap_list);
	wq_wake_one(&reap_wait);
	spin_unlock_irqrestore(&reap_lock, flags);
}

void
reaper_start(void)
{
	reaper = thread_create("reaper", reaper_entry, NULL, THREAD_PRIO_DEFAULT, 0);
	if (!reaper)
		panic("exit: cannot start the reaper thread");
}

/* The parent ignores its children's ends: they are freed at once. */
static bool
parent_ignores_children(struct process *parent)
{
	const struct k_sigaction *ka = &parent->sighand->action[SIGCHLD - 1];

	return ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

static void orphaned_stopped_check(pid_t pgrp, const struct process *leaving);

/*
 * Hand p's children to the nearest living subreaper above p, else init
 * (tasklist_lock held); each hears of it by its PR_SET_PDEATHSIG.  A
 * zombie among them tells its new parent, which reaps it.
 */
static void
reparent_children_locked(struct process *p)
{
	struct process *c, *tmp, *heir = child_reaper_locked(p);

	list_for_each_entry_safe(c, tmp, &p->children, sibling) {
		/* A child's group in our session may lose its last outside parent. */
		if (c->pgid != p->pgid && c->sid == p->sid)
			orphaned_stopped_check(c->pgid, p);
		list_del(&c->sibling);
		c->parent = heir;
		WRITE_ONCE(c->ppid, heir->pid);
		c->parent_thread = heir->thread;
		list_add_tail(&c->sibling, &heir->children);
		pdeath_notify_locked(c, p);
		c->exit_signal = SIGCHLD;
		if (c->state == PROCESS_ZOMBIE)
			notify_parent_locked(c, CLD_EXITED, c->exit_status);
	}
}

struct orphan_scan {
	pid_t pgrp;
	bool stopped;
};

static void
find_stopped(struct process *q, void *arg)
{
	struct orphan_scan *scan = arg;

	if (q->pgid == scan->pgrp && q->state == PROCESS_RUNNING && READ_ONCE(q->stopped))
		scan->stopped = true;
}

static void
hangup_continue(struct process *q, void *arg)
{
	struct orphan_scan *scan = arg;

	if (q->pgid == scan->pgrp && q->state == PROCESS_RUNNING) {
		send_signal(q, SIGHUP);
		send_signal(q, SIGCONT);
	}
}

/*
 * POSIX: when a process group becomes orphaned while a member is stopped,
 * every member gets SIGHUP then SIGCONT, or it would stay stopped with
 * nobody left to continue it (tasklist_lock held).
 */
static void
orphaned_stopped_check(pid_t pgrp, const struct process *leaving)
{
	struct orphan_scan scan = { pgrp, false };

	if (!pgrp || !pgrp_is_orphaned_locked(pgrp, leaving))
		return;
	for_each_process_locked(find_stopped, &scan);
	if (scan.stopped)
		for_each_process_locked(hangup_continue, &scan);
}

/*
 * The calling thread leaves its group (tasklist_lock and sighand->lock
 * held): true when it was the last.  A group stop no longer waits for it,
 * and an execve waiting for the others to go hears of it.
 */
static bool
leave_group_locked(struct process *p, struct thread *me)
{
	bool last;

	me->group_left = true;
	list_del(&me->group_node);
	last = --p->nr_threads == 0;
	p->utime_ns += me->utime_ns;
	p->stime_ns += me->stime_ns;
	cputime_thread_leave_locked(p, me);
	sigpending_free(&me->pending);
	if (p->thread == me)
		p->thread = last ? NULL : list_first_entry(&p->threads, struct thread, group_node);
	if (p->group_stop_count && !last && --p->group_stop_count == 0 && p->stopped)
		notify_parent_locked(p, 5 /* CLD_STOPPED */, p->stop_signal);
	if (!last) {
		retarget_shared_locked(p, me);
		if (p->group_exec && p->nr_threads == 1)
			wq_wake_all(&p->stop_wait);	/* de_thread() waits there */
	}
	return last;
}

/*
 * The exiting thread's hold on the address space.  No switch between
 * clearing me->mm and leaving mm's tables: one to a kernel thread would
 * see no mm on either side and leave this CPU on mm's tables, so the last
 * mm_put() would find them still loaded there.
 */
static void
release_mm(struct thread *me, struct mm *mm)
{
	preempt_disable();
	me->mm = NULL;
	mm_activate(NULL);
	preempt_enable();
	if (mm)
		mm_put(mm);
}

__attribute__((noreturn)) void
do_exit(int status)
{
	struct thread *me = thread_current();
	struct process *p = me->proc, *parent;
	struct mm *mm = me->mm;
	unsigned long flags;
	bool autoreap, last;
	pid_t pid;

	if (!p)
		panic("do_exit from kernel thread %s", me->name);
	pid = p->pid;		/* for /proc once p may be gone */
	/* Robust futexes held, then the tid word pthread_join waits on (Linux's mm_release). */
	futex_exit_release(me);
	vfork_release(p);
	cputime_thread_exit(me);
	p->exit_uid = current_cred()->uid;	/* RLIMIT_NPROC counts a zombie as its user's */

	vfs_thread_exit(me);

	flags = spin_lock_irqsave(&tasklist_lock);
	spin_lock(&p->sighand->lock);
	last = leave_group_locked(p, me);
	if (p->group_exiting)
		status = p->group_exit_status;
	spin_unlock(&p->sighand->lock);
	if (!last) {
		/* Others live on: a thread other than the first is freed at once. */
		bool leader = me == p->main_thread;

		if (!leader)
			thread_unregister_locked(me);
		pdeath_thread_exit_locked(p, me);	/* children it forked: PR_SET_PDEATHSIG */
		spin_unlock_irqrestore(&tasklist_lock, flags);
		release_mm(me, mm);
		if (!leader) {
			proc_flush_tid(pid, me->tid);
			reap_thread(me);
		}
		thread_exit(0);
	}
	if (p == init_process)
		panic("Attempted to kill init! exitcode=0x%08x", (unsigned int)status);
	/*
	 * The last thread: the address space goes first (out of p before the
	 * last reference, for /proc readers), so its pages are freed before
	 * the parent hears.
	 */
	p->mm = NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	release_mm(me, mm);
	proc_timers_exit(p);		/* itimers and POSIX timers end with the process */
	/* A session leader's terminal: SIGHUP to its foreground group, and it is free again. */
	disassociate_ctty(1);

	flags = spin_lock_irqsave(&tasklist_lock);
	orphaned_stopped_check(p->pgid, p);
	reparent_children_locked(p);
	p->exit_status = status;
	p->state = PROCESS_ZOMBIE;
	parent = p->parent;
	autoreap = p->exit_signal == SIGCHLD && parent_ignores_children(parent);
	if (autoreap) {
		list_del(&p->sibling);
		p->reaped = true;
		/* A waiter may be blocked for "any child": let it see ECHILD. */
		wq_wake_all(&parent->child_wait);
	} else {
		notify_parent_locked(p, (status & 0x7f) ? ((status & 0x80) ? CLD_DUMPED : CLD_KILLED)
							 : CLD_EXITED,
				     (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (autoreap)
		reap_release(p);
	if (me != p->main_thread) {
		/* The first thread exited before (pthread_exit in main): this one goes by itself. */
		flags = spin_lock_irqsave(&tasklist_lock);
		thread_unregister_locked(me);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		proc_flush_tid(pid, me->tid);
		reap_thread(me);
	}
	thread_exit(0);
}

__attribute__((noreturn)) void
do_group_exit(int status)
{
	struct thread *me = thread_current();
	struct process *p = me->proc;
	unsigned long flags;

	flags = spin_lock_irqsave(&p->sighand->lock);
	if (p->group_exiting) {
		status = p->group_exit_status;
	} else if (!p->group_exec || p->group_exec == me) {
		p->group_exiting = true;
		p->group_exit_status = status;
		p->group_stop_count = 0;
		/* Every other thread takes SIGKILL on its way out of the kernel. */
		for (struct list_head *n = p->threads.next; n != &p->threads; n = n->next) {
			struct thread *t = list_entry(n, struct thread, group_node);

			if (t == me)
				continue;
			t->pending.set |= sigmask(SIGKILL);
			t->sigpending = 1;
			thread_interrupt(t);
		}
		wq_wake_all(&p->stop_wait);
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	do_exit(status);
}

/*
 * execve in a process with other threads: they all end (SIGKILL), and the
 * caller waits for them; a caller other than the first thread then takes
 * over its thread id, the pid, as on Linux.  -EAGAIN when the group is
 * already exiting or another thread is in execve, -EINTR when a fatal
 * signal came meanwhile.
 */
int
de_thread(void)
{
	struct thread *me = thread_current(), *t, *old;
	struct process *p = me->proc;
	unsigned long flags;
	pid_t old_tid;

	flags = spin_lock_irqsave(&p->sighand->lock);
	if (p->nr_threads > 1) {
		if (p->group_exiting || p->group_exec) {
			spin_unlock_irqrestore(&p->sighand->lock, flags);
			return -EAGAIN;
		}
		p->group_exec = me;
		p->group_stop_count = 0;
		for_each_thread(p, t) {
			if (t == me)
				continue;
			t->pending.set |= sigmask(SIGKILL);
			t->sigpending = 1;
			thread_interrupt(t);
		}
		wq_wake_all(&p->stop_wait);
		while (p->nr_threads > 1) {
			if (p->group_exiting ||
			    ((me->pending.set | p->shared_pending.set) & sigmask(SIGKILL))) {
				p->group_exec = NULL;
				spin_unlock_irqrestore(&p->sighand->lock, flags);
				return -EINTR;
			}
			wq_wait(&p->stop_wait, &p->sighand->lock, WAIT_FOREVER);
		}
		p->group_exec = NULL;
	}
	spin_unlock_irqrestore(&p->sighand->lock, flags);
	if (me == p->main_thread)
		return 0;
	/* The first thread has exited (it is not among the live ones): take its place. */
	flags = spin_lock_irqsave(&tasklist_lock);
	old = p->main_thread;
	thread_unregister_locked(me);
	old_tid = me->tid;
	me->tid = p->pid;
	p->main_thread = me;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	proc_flush_tid(p->pid, old_tid);
	reap_thread(old);
	return 0;
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_group_exit((code & 0xff) << 8);
}

/* ---- wait ---- */

struct wait_opts {
	int type;			/* P_ALL, P_PID, P_PGID */
	pid_t id;
	int options;
	/* Results. */
	pid_t pid;
	int status;			/* wait4's status word */
	int code;			/* waitid's si_code */
	int si_status;
	uid_t uid;
	struct rusage_acct ru;		/* the child's and what it reaped (RUSAGE_BOTH) */
};

static bool
matches(const struct wait_opts *wo, const struct process *c)
{
	switch (wo->type) {
	case P_PID:
		return c->pid == wo->id;
	case P_PGID:
		return c->pgid == wo->id;
	default:
		return true;
	}
}

/*
 * One child's reportable state, if any (tasklist_lock held): 1 when
 * reported (*reap set when it must be released), 0 when nothing.
 */
static int
check_child(struct wait_opts *wo, struct process *c, bool *reap)
{
	*reap = false;
	if (c->state == PROCESS_ZOMBIE && (wo->options & WEXITED)) {
		int st = c->exit_status;

		wo->pid = c->pid;
		wo->status = st;
		if (st & 0x7f) {
			wo->code = (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
			wo->si_status = st & 0x7f;
		} else {
			wo->code = CLD_EXITED;
			wo->si_status = (st >> 8) & 0xff;
		}
		rusage_zombie_locked(c, &wo->ru);
		if (!(wo->options & WNOWAIT)) {
			*reap = true;
			c->reaped = true;
			list_del(&c->sibling);
		}
		return 1;
	}
	if (c->state == PROCESS_RUNNING && c->stopped && !c->stop_reported &&
	    (wo->options & WSTOPPED)) {
		wo->pid = c->pid;
		wo->status = (c->stop_signal << 8) | 0x7f;
		wo->code = CLD_STOPPED;
		wo->si_status = c->stop_signal;
		if (!(wo->options & WNOWAIT))
			c->stop_reported = true;
		return 1;
	}
	if (c->state == PROCESS_RUNNING && c->continued && (wo->options & WCONTINUED)) {
		wo->pid = c->pid;
		wo->status = 0xffff;
		wo->code = CLD_CONTINUED;
		wo->si_status = SIGCONT;
		if (!(wo->options & WNOWAIT))
			c->continued = false;
		return 1;
	}
	return 0;
}

static long
do_wait(struct wait_opts *wo)
{
	struct process *me = current_process(), *c, *found;
	unsigned long flags;
	bool any, reap;
	int err;

	flags = spin_lock_irqsave(&tasklist_lock);
	for (;;) {
		any = false;
		found = NULL;
		list_for_each_entry(c, &me->children, sibling) {
			if (!matches(wo, c))
				continue;
			any = true;
			if (check_child(wo, c, &reap)) {
				found = c;
				break;
			}
		}
		if (found || !any || (wo->options & WNOHANG))
			break;
		err = wq_wait_interruptible(&me->child_wait, &tasklist_lock, WAIT_FOREVER);
		if (err) {
			spin_unlock_irqrestore(&tasklist_lock, flags);
			return -ERESTARTSYS;
		}
	}
	if (found && reap)
		rusage_reaped_locked(me, &wo->ru);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!any)
		return -ECHILD;
	if (!found)
		return 0;		/* WNOHANG and nothing to report */
	if (reap)
		release(found);
	return wo->pid;
}

SYSCALL_DEFINE4(wait4, pid_t, pid, int __user *, status, int, options, void __user *, ru)
{
	struct wait_opts wo = { .options = options | WEXITED };
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == -1) {
		wo.type = P_ALL;
	} else if (pid < -1) {
		wo.type = P_PGID;
		wo.id = -pid;
	} else if (pid == 0) {
		wo.type = P_PGID;
		wo.id = process_pgrp(current_process());
	} else {
		wo.type = P_PID;
		wo.id = pid;
	}
	ret = do_wait(&wo);
	if (ret > 0) {
		if (status && put_user(wo.status, status))
			return -EFAULT;
		if (put_rusage(ru, &wo.ru))
			return -EFAULT;
	}
	return ret;
}

#if defined(CONFIG_ARCH_X86_64) || defined(CONFIG_ARCH_I386)
SYSCALL_DEFINE3(waitpid, pid_t, pid, int __user *, status, int, options)
{
	return sys_wait4((unsigned long)pid, (unsigned long)status, (unsigned long)options, 0, 0, 0);
}
#endif

/* siginfo_t for SIGCHLD as waitid fills it: 128 bytes, the same fields everywhere. */
struct k_siginfo_chld {
	int si_signo, si_errno, si_code;
#if __SIZEOF_LONG__ == 8
	int pad;
#endif
	int si_pid;
	unsigned int si_uid;
	int si_status;
};

SYSCALL_DEFINE5(waitid, int, which, pid_t, upid, void __user *, infop, int, options,
		void __user *, ru)
{
	struct wait_opts wo = { .options = options };
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (which) {
	case P_ALL:
		wo.type = P_ALL;
		break;
	case P_PID:
		if (upid <= 0)
			return -EINVAL;
		wo.type = P_PID;
		wo.id = upid;
		break;
	case P_PGID:
		if (upid < 0)
			return -EINVAL;
		wo.type = P_PGID;
		wo.id = upid ? upid : process_pgrp(current_process());
		break;
	default:
		return -EINVAL;
	}
	ret = do_wait(&wo);
	if (ret < 0)
		return ret;
	if (infop) {
		uint8_t buf[128];
		struct k_siginfo_chld *si = (struct k_siginfo_chld *)buf;

		memset(buf, 0, sizeof(buf));
		if (ret > 0) {
			si->si_signo = SIGCHLD;
			si->si_code = wo.code;
			si->si_pid = wo.pid;
			si->si_uid = wo.uid;
			si->si_status = wo.si_status;
		}
		if (copy_to_user(infop, buf, sizeof(buf)))
			return -EFAULT;
	}
	if (ret > 0 && put_rusage(ru, &wo.ru))
		return -EFAULT;
	return 0;
}
