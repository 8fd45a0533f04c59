/*
 * fork, vfork and clone: a new process with a copy-on-write copy of the
 * caller's address space (or the same one with CLONE_VM), copies of its
 * file table, fs context and signal handlers unless the flags share them,
 * and one thread that returns to user mode with 0.  Threads within a
 * process (CLONE_THREAD) are the next issue's; asking for them is EINVAL.
 */
#define pr_fmt(fmt) "fork: " fmt

#include <string.h>
#include <arch/user.h>
#include <kernel/atomic.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mman.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include "process_internal.h"

#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PIDFD		0x00001000
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_NEWCGROUP		0x02000000
#define CLONE_NEWUTS		0x04000000
#define CLONE_NEWIPC		0x08000000
#define CLONE_NEWUSER		0x10000000
#define CLONE_NEWPID		0x20000000
#define CLONE_NEWNET		0x40000000
#define CLONE_IO		0x80000000UL

#define CLONE_SUPPORTED	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_VFORK | CLONE_PARENT | CLONE_SYSVSEM | CLONE_SETTLS | \
			 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | \
			 CLONE_UNTRACED | CLONE_CHILD_SETTID | CLONE_IO | CLONE_PTRACE)

struct vfork_wait {
	struct wait_queue wq;
	struct spinlock lock;
	bool done;
};

/* What the child needs to finish on its own side. */
struct fork_start {
	uintptr_t child_tid;		/* CLONE_CHILD_SETTID */
};

/* The child's first code: into its address space, then user mode. */
static void
fork_child_entry(void *arg)
{
	struct thread *me = thread_current();
	uintptr_t child_tid = (uintptr_t)arg;

	mm_activate(me->mm);
	if (child_tid)
		put_user(me->proc->pid, (pid_t __user *)child_tid);
	arch_user_enter(me->user_regs);
}

void
vfork_release(struct process *p)
{
	struct wait_queue *wq = p->vfork_done;
	struct vfork_wait *vw;
	unsigned long flags;

	if (!wq)
		return;
	p->vfork_done = NULL;
	vw = container_of(wq, struct vfork_wait, wq);
	flags = spin_lock_irqsave(&vw->lock);
	vw->done = true;
	wq_wake_all(&vw->wq);
	spin_unlock_irqrestore(&vw->lock, flags);
}

long
do_fork(unsigned long flags, uintptr_t newsp, uintptr_t parent_tid, uintptr_t child_tid,
	uintptr_t tls)
{
	struct process *parent = current_process(), *p;
	struct thread *me = thread_current(), *t;
	struct vfork_wait vw;
	unsigned long irqf;
	pid_t pid;
	int err;

	if (!parent)
		return -EINVAL;
	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;		/* threads (CLONE_THREAD) and namespaces: not yet */
	/* Linux's consistency rules. */
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	if ((flags & CSIGNAL) >= _NSIG + 1)
		return -EINVAL;

	p = process_alloc(parent);
	if (!p)
		return -ENOMEM;
	err = -ENOMEM;
	t = thread_alloc(parent->comm, fork_child_entry,
			 (void *)((flags & CLONE_CHILD_SETTID) ? child_tid : 0),
			 me->base_prio, 0);
	if (!t)
		goto fail_process;
	/* The thread shares the caller's files, fs and cred: now copy them. */
	err = vfs_thread_copy(t, flags & CLONE_FS, flags & CLONE_FILES);
	if (err)
		goto fail_thread;
	if (flags & CLONE_VM) {
		mm_get(parent->mm);
		p->mm = parent->mm;
	} else {
		p->mm = mm_fork(parent->mm);
		if (!p->mm) {
			err = -ENOMEM;
			goto fail_thread;
		}
	}
	if (flags & CLONE_SIGHAND) {
		atomic_fetch_add(&parent->sighand->refs, 1);
		p->sighand = parent->sighand;
	} else {
		p->sighand = sighand_alloc(parent->sighand);
		if (!p->sighand)
			goto fail_mm;
	}
	p->exit_signal = (int)(flags & CSIGNAL);
	if (parent->exe.mnt) {
		p->exe = parent->exe;
		path_get(&p->exe);
	}

	/* The child's thread: the caller's user registers, returning 0. */
	t->proc = p;
	t->mm = p->mm;
	t->user_regs = arch_user_regs_of(t);
	*t->user_regs = *me->user_regs;
	arch_syscall_set_return(t->user_regs, 0);
	if (newsp)
		arch_user_set_sp(t->user_regs, newsp);
	arch_user_thread_copy(t, me);
	if (flags & CLONE_SETTLS)
		arch_set_tls(t, tls);
	t->sig_blocked = me->sig_blocked;
	t->altstack_sp = me->altstack_sp;
	t->altstack_size = me->altstack_size;
	t->altstack_flags = me->altstack_flags;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = child_tid;
	p->thread = t;
	p->main_thread = t;

	err = process_register(p, 0);
	if (err < 0)
		goto fail_sighand;
	pid = p->pid;
	if ((flags & CLONE_PARENT_SETTID) && put_user(pid, (pid_t __user *)parent_tid)) {
		/* Linux ignores this fault too; the child is created anyway. */
	}

	irqf = spin_lock_irqsave(&tasklist_lock);
	p->parent = (flags & CLONE_PARENT) && parent->parent ? parent->parent : parent;
	if (flags & CLONE_PARENT)
		p->exit_signal = parent->exit_signal;
	list_add_tail(&p->sibling, &p->parent->children);
	p->pgid = parent->pgid;
	p->sid = parent->sid;
	p->tty = parent->tty;
	spin_unlock_irqrestore(&tasklist_lock, irqf);

	if (flags & CLONE_VFORK) {
		wq_init(&vw.wq);
		spin_init(&vw.lock, "vfork");
		vw.done = false;
		p->vfork_done = &vw.wq;
	}
	thread_start(t, me->affinity);
	if (flags & CLONE_VFORK) {
		/* Not interruptible, as Linux's killable wait: the child's exec or exit ends it. */
		irqf = spin_lock_irqsave(&vw.lock);
		while (!vw.done)
			wq_wait(&vw.wq, &vw.lock, WAIT_FOREVER);
		spin_unlock_irqrestore(&vw.lock, irqf);
	}
	return pid;

fail_sighand:
	sighand_put(p->sighand);
	p->sighand = NULL;
fail_mm:
	mm_put(p->mm);
	t->mm = NULL;
fail_thread:
	thread_free_unstarted(t);
fail_process:
	p->thread = p->main_thread = NULL;
	process_put(p);
	return err;
}

SYSCALL_DEFINE0(fork)
{
	return do_fork(SIGCHLD, 0, 0, 0, 0);
}

SYSCALL_DEFINE0(vfork)
{
	return do_fork(CLONE_VFORK | CLONE_VM | SIGCHLD, 0, 0, 0, 0);
}

/*
 * clone in the order of aarch64 and i386 (flags, newsp, parent_tid, tls,
 * child_tid); the table hands x86-64's registers over in that order too.
 */
SYSCALL_DEFINE5(clone, unsigned long, flags, uintptr_t, newsp, uintptr_t, parent_tid,
		uintptr_t, tls, uintptr_t, child_tid)
{
	return do_fork(flags, newsp, parent_tid, child_tid, tls);
}
