/*
 * fork, vfork, clone and clone3: a new process with a copy-on-write copy
 * of the caller's address space (or the same one with CLONE_VM), copies
 * of its file table, fs context and signal handlers unless the flags share
 * them, and one thread that returns to user mode with 0; or, with
 * CLONE_THREAD, a new thread of the caller's process.
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
			 CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | \
			 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
			 CLONE_DETACHED | CLONE_UNTRACED | CLONE_CHILD_SETTID | CLONE_IO | \
			 CLONE_PTRACE)

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
		put_user(me->tid, (pid_t __user *)child_tid);
	arch_user_enter(me->user_regs);
}

/*
 * The new thread's user state: the caller's registers returning 0, on
 * newsp when given, with the TLS and masks clone asks for.
 */
static int
child_user_state(struct thread *t, struct thread *me, unsigned long flags, uintptr_t newsp,
		 uintptr_t tls, uintptr_t child_tid)
{
	int err = 0;

	t->user_regs = arch_user_regs_of(t);
	*t->user_regs = *me->user_regs;
	arch_syscall_set_return(t->user_regs, 0);
	if (newsp)
		arch_user_set_sp(t->user_regs, newsp);
	arch_user_thread_copy(t, me);
	if (flags & CLONE_SETTLS)
		err = arch_clone_tls(t, tls);
	t->sig_blocked = me->sig_blocked;
	list_init(&t->pending.queue);
	/* Linux: a thread sharing the address space does not share the alternate stack. */
	if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM) {
		t->altstack_sp = me->altstack_sp;
		t->altstack_size = me->altstack_size;
		t->altstack_flags = me->altstack_flags;
	} else {
		t->altstack_flags = 2;	/* SS_DISABLE */
	}
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = child_tid;
	sched_fork_thread(t, me);	/* policy, nice (SCHED_RESET_ON_FORK) */
	prctl_fork_thread(t, me);	/* timer slack, no_new_privs, keepcaps */
	return err;
}

/* clone(CLONE_THREAD): a new thread of the caller's process. */
static long
clone_thread(unsigned long flags, uintptr_t newsp, uintptr_t parent_tid, uintptr_t child_tid,
	     uintptr_t tls)
{
	struct process *p = current_process();
	struct thread *me = thread_current(), *t;
	unsigned long irqf;
	pid_t tid;
	int err;

	t = thread_alloc(me->name, fork_child_entry,
			 (void *)((flags & CLONE_CHILD_SETTID) ? child_tid : 0), me->base_prio, 0);
	if (!t)
		return -ENOMEM;
	err = vfs_thread_copy(t, flags & CLONE_FS, flags & CLONE_FILES);
	if (err)
		goto fail_thread;
	err = thread_register(t);
	if (err < 0)
		goto fail_thread;
	tid = t->tid;
	t->proc = p;
	mm_get(p->mm);
	t->mm = p->mm;
	err = child_user_state(t, me, flags, newsp, tls, child_tid);
	if (err) {
		irqf = spin_lock_irqsave(&tasklist_lock);
		thread_unregister_locked(t);
		spin_unlock_irqrestore(&tasklist_lock, irqf);
		mm_put(t->mm);
		t->mm = NULL;
		goto fail_thread;
	}
	if ((flags & CLONE_PARENT_SETTID) && put_user(tid, (pid_t __user *)parent_tid)) {
		/* Linux ignores this fault too. */
	}

	irqf = spin_lock_irqsave(&tasklist_lock);
	/* RLIMIT_NPROC: threads count as Linux's tasks. */
	err = nproc_over_limit_locked(p, 1) ? -EAGAIN : 0;
	spin_lock(&p->sighand->lock);
	if (p->group_exiting || p->group_exec || (me->pending.set & sigmask(SIGKILL)))
		err = -ERESTARTNOINTR;	/* dying, or another thread's execve ends the others */
	if (err) {
		spin_unlock(&p->sighand->lock);
		thread_unregister_locked(t);
		spin_unlock_irqrestore(&tasklist_lock, irqf);
		mm_put(t->mm);
		t->mm = NULL;
		goto fail_thread;
	}
	list_add_tail(&t->group_node, &p->threads);
	p->nr_threads++;
	if (p->group_stop_count) {
		/* A group stop is under way: the new thread stops too. */
		p->group_stop_count++;
		t->sigpending = 1;
	}
	spin_unlock(&p->sighand->lock);
	spin_unlock_irqrestore(&tasklist_lock, irqf);
	thread_start(t, thread_affinity(me));
	return tid;

fail_thread:
	thread_free_unstarted(t);
	return err;
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
	uintptr_t tls, bool clear_sighand)
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
		return -EINVAL;		/* namespaces: not supported */
	/* Linux's consistency rules. */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	if ((flags & CSIGNAL) >= _NSIG + 1)
		return -EINVAL;
	if ((flags & CLONE_PARENT) && parent == init_process)
		return -EINVAL;		/* init's siblings would have no parent to reap them */
	if (flags & CLONE_THREAD)
		return clone_thread(flags, newsp, parent_tid, child_tid, tls);

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
		if (clear_sighand) {
			/* clone3's CLONE_CLEAR_SIGHAND: handlers back to SIG_DFL, ignored stay so. */
			for (int i = 0; i < _NSIG; i++) {
				struct k_sigaction *ka = &p->sighand->action[i];

				if (ka->handler != SIG_IGN)
					memset(ka, 0, sizeof(*ka));
			}
		}
	}
	p->exit_signal = (int)(flags & CSIGNAL);
	if (parent->exe.mnt) {
		p->exe = parent->exe;
		path_get(&p->exe);
	}

	/* The child's thread: the caller's user registers, returning 0. */
	t->mm = p->mm;
	err = child_user_state(t, me, flags, newsp, tls, child_tid);
	if (err)
		goto fail_sighand;
	process_set_leader(p, t);

	err = process_register(p, 0);
	if (err < 0)
		goto fail_sighand;
	pid = p->pid;
	if ((flags & CLONE_PARENT_SETTID) && put_user(pid, (pid_t __user *)parent_tid)) {
		/* Linux ignores this fault too; the child is created anyway. */
	}

	irqf = spin_lock_irqsave(&tasklist_lock);
	/* RLIMIT_NPROC: the new process is in the pid table, so it counts already. */
	if (nproc_over_limit_locked(parent, 0)) {
		process_unregister_locked(p);
		spin_unlock_irqrestore(&tasklist_lock, irqf);
		err = -EAGAIN;
		goto fail_sighand;
	}
	p->parent = (flags & CLONE_PARENT) && parent->parent ? parent->parent : parent;
	WRITE_ONCE(p->ppid, p->parent->pid);
	p->parent_thread = p->parent == parent ? me : parent->parent_thread;
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
	thread_start(t, thread_affinity(me));
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
	list_init(&p->threads);
	p->nr_threads = 0;
	process_put(p);
	return err;
}

SYSCALL_DEFINE0(fork)
{
	return do_fork(SIGCHLD, 0, 0, 0, 0, false);
}

SYSCALL_DEFINE0(vfork)
{
	return do_fork(CLONE_VFORK | CLONE_VM | SIGCHLD, 0, 0, 0, 0, false);
}

/*
 * clone in the order of aarch64 and i386 (flags, newsp, parent_tid, tls,
 * child_tid); the table hands x86-64's registers over in that order too.
 */
SYSCALL_DEFINE5(clone, unsigned long, flags, uintptr_t, newsp, uintptr_t, parent_tid,
		uintptr_t, tls, uintptr_t, child_tid)
{
	return do_fork(flags, newsp, parent_tid, child_tid, tls, false);
}

/* struct clone_args as clone3 reads it: every field 64 bits on every port. */
struct k_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

#define CLONE_ARGS_SIZE_VER0	64
#define CLONE_CLEAR_SIGHAND	0x100000000ULL
#define CLONE_INTO_CGROUP	0x200000000ULL

/*
 * clone3: the flags and addresses in a structure that may grow (a longer
 * one from a newer libc is accepted when its extra bytes are zero).
 * Unsupported here, as on a Linux without them: CLONE_PIDFD (no pidfds),
 * set_tid (checkpoint/restore) and CLONE_INTO_CGROUP.
 */
SYSCALL_DEFINE2(clone3, void __user *, uargs, size_t, size)
{
	struct k_clone_args a;
	uint64_t known;

	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	memset(&a, 0, sizeof(a));
	if (copy_from_user(&a, uargs, size < sizeof(a) ? size : sizeof(a)))
		return -EFAULT;
	for (size_t off = sizeof(a); off < size; off++) {
		uint8_t b;

		if (get_user(b, (const uint8_t __user *)uargs + off))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	known = 0xffffffffULL | CLONE_CLEAR_SIGHAND;
	if ((a.flags & ~known) || (a.flags & CSIGNAL) || (a.flags & (CLONE_DETACHED | CLONE_PIDFD)))
		return -EINVAL;
	if ((a.flags & CLONE_CLEAR_SIGHAND) && (a.flags & CLONE_SIGHAND))
		return -EINVAL;
	if (a.exit_signal & ~(uint64_t)CSIGNAL || a.exit_signal > _NSIG)
		return -EINVAL;
	if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal)
		return -EINVAL;
	if (!a.stack != !a.stack_size)
		return -EINVAL;
	if (a.set_tid || a.set_tid_size)
		return -EINVAL;
	if (a.stack + a.stack_size < a.stack || a.stack + a.stack_size > USER_TOP + 1)
		return -EINVAL;
	return do_fork((unsigned long)(a.flags & 0xffffffffULL) | (unsigned long)a.exit_signal,
		       (uintptr_t)(a.stack + a.stack_size), (uintptr_t)a.parent_tid,
		       (uintptr_t)a.child_tid, (uintptr_t)a.tls,
		       (a.flags & CLONE_CLEAR_SIGHAND) != 0);
}
