/*
 * prctl(2) and what its settings do elsewhere: the parent-death signal
 * (sent when the thread that forked a process exits, as Linux does, and
 * again when a process's last thread hands its children on), child
 * subreapers (orphans go to the nearest living one instead of init),
 * thread names, timer slack, no_new_privs, keep-capabilities, the
 * capability bounding set as read.  Unknown options: EINVAL.
 *
 * Per-thread settings (struct thread) are the thread's own; the
 * subreaper flag and the parent links are tasklist_lock's.
 */
#include <string.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include "process_internal.h"

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_GET_KEEPCAPS		7
#define PR_SET_KEEPCAPS		8
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_CAPBSET_READ		23
#define PR_GET_SECUREBITS	27
#define PR_GET_TIMERSLACK	30
#define PR_SET_TIMERSLACK	29
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

#define CAP_LAST_CAP		40	/* CAP_CHECKPOINT_RESTORE, Linux 6.1's last */
#define SECURE_KEEP_CAPS	4	/* its bit in the securebits */
#define TIMER_SLACK_DEFAULT	50000UL	/* ns: Linux's for a new init */

#define SI_USER			0

/* ---------------------------------------- parent death, subreapers */

struct process *
child_reaper_locked(struct process *p)
{
	struct process *r;

	for (r = p->parent; r && r != init_process; r = r->parent)
		if (r->child_subreaper && r->state == PROCESS_RUNNING && READ_ONCE(r->nr_threads) &&
		    !READ_ONCE(r->group_exiting))
			return r;
	return init_process;
}

void
pdeath_notify_locked(struct process *child, struct process *parent)
{
	struct thread *t;

	/* Linux looks at every thread's setting and signals the process for each. */
	for_each_thread(child, t) {
		int sig = READ_ONCE(t->pdeath_signal);

		if (sig) {
			/* As the dying parent's kill (SEND_SIG_NOINFO). */
			struct ksiginfo info = { .signo = sig, .code = SI_USER, .pid = parent->pid,
						 .uid = parent->exit_uid };

			send_signal_info(child, &info);
		}
	}
}

void
pdeath_thread_exit_locked(struct process *p, struct thread *me)
{
	struct process *c;

	list_for_each_entry(c, &p->children, sibling) {
		if (c->parent_thread != me)
			continue;
		c->parent_thread = p->thread;	/* a thread that lives on */
		pdeath_notify_locked(c, p);
	}
}

/* ------------------------------------------------ inheritance, exec */

static unsigned long
slack_of(unsigned long ns)
{
	return ns ? ns : TIMER_SLACK_DEFAULT;
}

void
prctl_fork_thread(struct thread *t, struct thread *me)
{
	t->pdeath_signal = 0;
	t->timer_slack_ns = slack_of(me->timer_slack_ns);
	t->default_timer_slack_ns = t->timer_slack_ns;	/* Linux: the creator's current slack */
	t->no_new_privs = me->no_new_privs;
	t->keepcaps = me->keepcaps;
}

void
prctl_exec_reset(struct thread *me)
{
	me->keepcaps = false;		/* SECURE_KEEP_CAPS never survives execve */
}

/* ------------------------------------------------------------ prctl */

static long
set_name(struct process *p, const char __user *uname)
{
	char name[TASK_COMM_LEN];
	long len = strncpy_from_user(name, uname, sizeof(name));

	if (len == -ENAMETOOLONG) {
		if (copy_from_user(name, uname, sizeof(name) - 1))
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
	} else if (len < 0) {
		return len;
	}
	/* The calling thread's name; the first thread's is also the process's. */
	if (thread_current() == p->main_thread)
		process_set_comm(p, name);
	else
		strlcpy(thread_current()->name, name, sizeof(thread_current()->name));
	return 0;
}

static long
get_name(struct process *p, char __user *uname)
{
	char name[TASK_COMM_LEN];

	memset(name, 0, sizeof(name));
	strlcpy(name, thread_current() == p->main_thread ? p->comm : thread_current()->name,
		sizeof(name));
	return copy_to_user(uname, name, sizeof(name)) ? -EFAULT : 0;
}

SYSCALL_DEFINE5(prctl, int, option, unsigned long, a2, unsigned long, a3, unsigned long, a4,
		unsigned long, a5)
{
	struct process *p = current_process();
	struct thread *me = thread_current();
	unsigned long flags;
	long ret;

	switch (option) {
	/* The capability options come first in Linux (its security hook). */
	case PR_CAPBSET_READ:
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		return 1;		/* no capability is ever dropped from the bounding set */
	case PR_GET_KEEPCAPS:
		return me->keepcaps;
	case PR_SET_KEEPCAPS:
		if (a2 > 1)
			return -EINVAL;
		me->keepcaps = a2;
		return 0;
	case PR_GET_SECUREBITS:
		return me->keepcaps ? 1 << SECURE_KEEP_CAPS : 0;

	case PR_SET_NAME:
		return set_name(p, (const char __user *)a2);
	case PR_GET_NAME:
		return get_name(p, (char __user *)a2);
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
		return a2 <= 1 ? 0 : -EINVAL;
	case PR_SET_PDEATHSIG:
		if (a2 > _NSIG)
			return -EINVAL;
		WRITE_ONCE(me->pdeath_signal, (int)a2);
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(me->pdeath_signal, (int __user *)a2) ? -EFAULT : 0;
	case PR_GET_TIMERSLACK:
		return (long)slack_of(me->timer_slack_ns);
	case PR_SET_TIMERSLACK:
		me->timer_slack_ns = a2 ? a2 : slack_of(me->default_timer_slack_ns);
		return 0;
	case PR_SET_CHILD_SUBREAPER:
		flags = spin_lock_irqsave(&tasklist_lock);
		p->child_subreaper = a2 != 0;
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		ret = READ_ONCE(p->child_subreaper);
		return put_user((int)ret, (int __user *)a2) ? -EFAULT : 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || a3 || a4 || a5)
			return -EINVAL;
		me->no_new_privs = true;	/* for good, and for every descendant */
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a2 || a3 || a4 || a5)
			return -EINVAL;
		return me->no_new_privs;
	default:
		return -EINVAL;
	}
}
