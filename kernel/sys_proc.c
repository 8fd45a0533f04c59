/*
 * Process identity and limits as system calls: pids, process groups and
 * sessions (with Linux's rules for setpgid and setsid), resource limits,
 * set_tid_address, sched_yield and CPU affinity (prctl is kernel/prctl.c,
 * scheduling policies kernel/sys_sched.c).
 */
#include <string.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/tty.h>
#include <kernel/uaccess.h>
#include "process_internal.h"

SYSCALL_DEFINE0(getpid)
{
	return current_process()->pid;
}

SYSCALL_DEFINE0(gettid)
{
	return thread_current()->tid;
}

/* The pid kept beside parent: no lock and no look at the parent, which may be exiting. */
SYSCALL_DEFINE0(getppid)
{
	return READ_ONCE(current_process()->ppid);
}

static long
pid_field(pid_t pid, bool session)
{
	struct process *p = pid ? process_find(pid) : current_process();
	long ret;

	if (!p)
		return -ESRCH;
	ret = session ? process_session(p) : process_pgrp(p);
	if (pid)
		process_put(p);
	return ret;
}

SYSCALL_DEFINE1(getpgid, pid_t, pid)
{
	if (pid < 0)
		return -ESRCH;
	return pid_field(pid, false);
}

SYSCALL_DEFINE1(getsid, pid_t, pid)
{
	if (pid < 0)
		return -ESRCH;
	return pid_field(pid, true);
}

#if defined(CONFIG_ARCH_X86_64) || defined(CONFIG_ARCH_I386)
SYSCALL_DEFINE0(getpgrp)
{
	return process_pgrp(current_process());
}
#endif

/* setpgid(2): the caller or one of its children, into a group of the caller's session. */
SYSCALL_DEFINE2(setpgid, pid_t, pid, pid_t, pgid)
{
	struct process *me = current_process(), *p;
	unsigned long flags;
	long err;

	if (pgid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (!pid || pid == me->pid) {
		p = me;
	} else {
		err = -ESRCH;
		list_for_each_entry(p, &me->children, sibling)
			if (p->pid == pid)
				goto found;
		goto out;
	}
found:
	if (!pgid)
		pgid = p->pid;
	err = -EPERM;
	if (p != me) {
		if (p->sid != me->sid)
			goto out;
		err = -EACCES;
		if (p->execed)
			goto out;	/* a child that has exec'd stays where it is */
		err = -EPERM;
	}
	if (p->sid == p->pid)
		goto out;		/* a session leader cannot move */
	if (pgid != p->pid && !pgrp_in_session_locked(pgid, me->sid))
		goto out;
	p->pgid = pgid;
	err = 0;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

SYSCALL_DEFINE0(setsid)
{
	struct process *me = current_process();
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	long err = -EPERM;

	/* Not when a group with our pid exists (we lead one, or someone uses it). */
	if (pgrp_member_locked(me->pid))
		goto out;
	me->sid = me->pid;
	me->pgid = me->pid;
	me->tty = NULL;
	err = me->pid;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	thread_current()->clear_child_tid = (uintptr_t)tidptr;
	return thread_current()->tid;
}

/* ---- resource limits ---- */

static bool
valid_limit(const struct rlimit64 *r)
{
	return r->rlim_cur <= r->rlim_max;
}

static long
do_prlimit(struct process *p, unsigned int res, const struct rlimit64 *new, struct rlimit64 *old)
{
	const struct cred *c = current_cred();
	unsigned long flags;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && !valid_limit(new))
		return -EINVAL;
	if (new && res == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
		return -EPERM;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (old)
		*old = p->rlim[res];
	if (new) {
		if (new->rlim_max > p->rlim[res].rlim_max && c->euid != 0) {
			spin_unlock_irqrestore(&tasklist_lock, flags);
			return -EPERM;
		}
		p->rlim[res] = *new;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (new && res == RLIMIT_NOFILE && p == current_process())
		files_set_limit((unsigned int)new->rlim_cur);
	return 0;
}

SYSCALL_DEFINE4(prlimit64, pid_t, pid, unsigned int, res, const struct rlimit64 __user *, unew,
		struct rlimit64 __user *, uold)
{
	struct rlimit64 new, old;
	struct process *p;
	long err;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	p = pid ? process_find(pid) : current_process();
	if (!p)
		return -ESRCH;
	if (p != current_process() && current_cred()->euid != 0)
		err = -EPERM;
	else
		err = do_prlimit(p, res, unew ? &new : NULL, uold ? &old : NULL);
	if (pid)
		process_put(p);
	if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

/* struct rlimit with the port's unsigned long; RLIM_INFINITY is all ones. */
struct k_rlimit {
	unsigned long rlim_cur, rlim_max;
};

static unsigned long
to_ulong(uint64_t v)
{
	return v > (unsigned long)-1 ? (unsigned long)-1 : (unsigned long)v;
}

static uint64_t
from_ulong(unsigned long v)
{
	return v == (unsigned long)-1 ? RLIM_INFINITY : v;
}

static long
get_rlimit(unsigned int res, struct k_rlimit __user *ur)
{
	struct rlimit64 r;
	struct k_rlimit k;
	long err = do_prlimit(current_process(), res, NULL, &r);

	if (err)
		return err;
	k.rlim_cur = to_ulong(r.rlim_cur);
	k.rlim_max = to_ulong(r.rlim_max);
	return copy_to_user(ur, &k, sizeof(k));
}

SYSCALL_DEFINE2(getrlimit, unsigned int, res, struct k_rlimit __user *, ur)
{
	return get_rlimit(res, ur);
}

#ifdef CONFIG_ARCH_I386
/* i386's getrlimit clamps to 0x7fffffff (an old ABI); glibc calls ugetrlimit. */
SYSCALL_DEFINE2(ugetrlimit, unsigned int, res, struct k_rlimit __user *, ur)
{
	return get_rlimit(res, ur);
}
#endif

SYSCALL_DEFINE2(setrlimit, unsigned int, res, const struct k_rlimit __user *, ur)
{
	struct k_rlimit k;
	struct rlimit64 r;

	if (copy_from_user(&k, ur, sizeof(k)))
		return -EFAULT;
	r.rlim_cur = from_ulong(k.rlim_cur);
	r.rlim_max = from_ulong(k.rlim_max);
	return do_prlimit(current_process(), res, &r, NULL);
}

SYSCALL_DEFINE0(sched_yield)
{
	thread_yield();
	return 0;
}

/* ---- CPU affinity ---- */

/*
 * Linux's check_same_owner, or CAP_SYS_NICE (euid 0): may the caller
 * change t's affinity?
 */
static bool
may_set_affinity(struct thread *t)
{
	const struct cred *me = current_cred(), *them;
	bool yes;

	if (me->euid == 0)
		return true;
	them = get_thread_cred(t);
	yes = me->euid == them->euid || me->euid == them->uid;
	put_cred(them);
	return yes;
}

/*
 * The affinity of thread pid (0: the caller), read, or set to *set when
 * set is not NULL.  Under tasklist_lock, which an exiting thread holds to
 * leave the thread-id tables, so a thread found there is not freed
 * meanwhile; a thread that has exited is -ESRCH (Linux would still answer
 * for a zombie).
 */
static long
affinity(pid_t pid, cpumask_t *get, const cpumask_t *set)
{
	struct thread *t;
	unsigned long flags;
	long ret = 0;

	if (pid == 0) {
		if (set)
			return thread_set_affinity(thread_current(), *set);
		*get = thread_affinity(thread_current());
		return 0;
	}
	flags = spin_lock_irqsave(&tasklist_lock);
	t = thread_find_locked(pid);
	if (!t)
		ret = -ESRCH;
	else if (!set)
		*get = thread_affinity(t);
	else if (!may_set_affinity(t))
		ret = -EPERM;
	else
		ret = thread_set_affinity(t, *set);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/*
 * The mask in user space is a bitmap of longs; the kernel's is one long
 * (NR_CPUS <= bits of a long).  A longer user mask's further bits name
 * CPUs that do not exist and are ignored, as Linux ignores those beyond
 * its CPUs; a shorter one (Linux: fewer bytes than cpumask_size())
 * reads as zeros.
 */
SYSCALL_DEFINE3(sched_setaffinity, pid_t, pid, unsigned int, len,
		const unsigned long __user *, user_mask)
{
	cpumask_t mask = 0;
	size_t n = len < sizeof(mask) ? len : sizeof(mask);

	if (copy_from_user(&mask, user_mask, n))
		return -EFAULT;
	if (pid < 0)
		return -ESRCH;
	/* thread_set_affinity: -EINVAL when no online CPU is left. */
	return affinity(pid, NULL, &mask);
}

/* Returns the bytes written: Linux's cpumask_size(), here one long. */
SYSCALL_DEFINE3(sched_getaffinity, pid_t, pid, unsigned int, len,
		unsigned long __user *, user_mask)
{
	cpumask_t mask;
	long ret;

	if ((size_t)len * 8 < NR_CPUS || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	if (pid < 0)
		return -ESRCH;
	ret = affinity(pid, &mask, NULL);
	if (ret)
		return ret;
	mask &= cpus_online();
	if (copy_to_user(user_mask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/* The CPU the caller runs on (it may move right after) and its NUMA node: one node here. */
SYSCALL_DEFINE3(getcpu, unsigned int __user *, cpu, unsigned int __user *, node, void __user *, cache)
{
	unsigned int c = thread_cpu(thread_current());

	(void)cache;
	if (cpu && put_user(c, cpu))
		return -EFAULT;
	if (node && put_user(0u, node))
		return -EFAULT;
	return 0;
}
