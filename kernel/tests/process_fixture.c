/*
 * Processes for in-kernel tests (<kernel/ktest_process.h>): a kernel
 * thread made the one thread of a new process the way init_entry() and
 * fork make theirs, and taken apart the way do_exit() and the reaper do,
 * without ever entering user mode.
 */
#include <kernel/atomic.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest_process.h>
#include <kernel/mman.h>
#include <kernel/proc_fs.h>
#include <kernel/slab.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/wait.h>
#include "../process_internal.h"

struct ktest_proc {
	uid_t uid;
	gid_t gid;
	void (*fn)(struct ktest_proc *kp, void *arg);
	void *arg;
	struct process *p;
	struct mm *mm;
	struct thread *t;
	struct completion ready;
	struct semaphore end;
	bool failed;
};

void
ktest_use_mm(struct mm *mm)
{
	struct thread *me = thread_current();

	preempt_disable();
	me->mm = mm;
	mm_activate(mm);
	preempt_enable();
}

static bool
become_process(struct ktest_proc *kp)
{
	struct process *p = process_alloc(NULL);
	unsigned long flags;
	struct cred *c;

	if (!p)
		return false;
	p->sighand = sighand_alloc(NULL);
	if (!p->sighand || process_register(p, 0)) {
		process_put(p);
		return false;
	}
	p->pgid = p->sid = p->pid;
	process_attach_current(p);
	process_set_comm(p, "ktest-proc");
	kp->p = p;
	if (unshare_files() || unshare_fs())
		return false;
	c = cred_prepare();
	if (!c)
		return false;
	c->uid = c->euid = c->suid = c->fsuid = kp->uid;
	c->gid = c->egid = c->sgid = c->fsgid = kp->gid;
	c->ngroups = 0;
	cred_commit(c);
	kp->mm = mm_create();
	if (!kp->mm)
		return false;
	kp->mm->mmap_base = 0x40000000UL;
	kp->mm->brk_start = kp->mm->brk = 0x20000000UL;
	ktest_use_mm(kp->mm);
	flags = spin_lock_irqsave(&tasklist_lock);
	p->mm = kp->mm;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return true;
}

/* As do_exit() then the reaper: no mm, a zombie, out of the pid table. */
static void
stop_being_process(struct ktest_proc *kp)
{
	struct process *p = kp->p;
	unsigned long flags;

	if (p) {
		flags = spin_lock_irqsave(&tasklist_lock);
		p->mm = NULL;
		p->thread = NULL;
		p->state = PROCESS_ZOMBIE;
		if (!list_empty(&thread_current()->group_node)) {
			list_del(&thread_current()->group_node);
			p->nr_threads = 0;
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	if (kp->mm) {
		ktest_use_mm(NULL);
		mm_put(kp->mm);
		kp->mm = NULL;
	}
	thread_current()->proc = NULL;
	if (p) {
		p->main_thread = NULL;
		flags = spin_lock_irqsave(&tasklist_lock);
		process_unregister_locked(p);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		proc_flush_pid(p->pid);
		process_put(p);
		kp->p = NULL;
	}
}

static void
proc_entry(void *data)
{
	struct ktest_proc *kp = data;

	if (!become_process(kp)) {
		kp->failed = true;
		stop_being_process(kp);
		complete(&kp->ready);
		return;
	}
	kp->fn(kp, kp->arg);
	complete(&kp->ready);
	sem_wait(&kp->end, WAIT_FOREVER);
	stop_being_process(kp);
}

struct ktest_proc *
ktest_proc_start(uid_t uid, gid_t gid, void (*fn)(struct ktest_proc *kp, void *arg), void *arg)
{
	struct ktest_proc *kp = kzalloc(sizeof(*kp));

	if (!kp)
		return NULL;
	kp->uid = uid;
	kp->gid = gid;
	kp->fn = fn;
	kp->arg = arg;
	completion_init(&kp->ready);
	sem_init(&kp->end, 0);
	kp->t = thread_create("ktest-proc", proc_entry, kp, THREAD_PRIO_DEFAULT, 0);
	if (!kp->t) {
		kfree(kp);
		return NULL;
	}
	wait_for_completion(&kp->ready, WAIT_FOREVER);
	if (kp->failed) {
		thread_join(kp->t);
		kfree(kp);
		return NULL;
	}
	/* On another CPU it may not have reached its wait yet: /proc would say R. */
	while (load_acquire(&kp->t->state) != THREAD_BLOCKED)
		thread_yield();
	return kp;
}

struct process *
ktest_proc_process(struct ktest_proc *kp)
{
	return kp->p;
}

struct mm *
ktest_proc_mm(struct ktest_proc *kp)
{
	return kp->mm;
}

void
ktest_proc_zombie(struct ktest_proc *kp, int status)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);

	kp->p->mm = NULL;
	kp->p->thread = NULL;
	kp->p->exit_status = status;
	kp->p->state = PROCESS_ZOMBIE;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void
ktest_proc_end(struct ktest_proc *kp)
{
	sem_post(&kp->end);
	thread_join(kp->t);
	kfree(kp);
}

struct plain_call {
	void (*fn)(void *arg);
	void *arg;
};

static void
plain_body(struct ktest_proc *kp, void *arg)
{
	struct plain_call *c = arg;

	c->fn(c->arg);
}

int
ktest_as_process(void (*fn)(void *arg), void *arg)
{
	struct plain_call c = { fn, arg };
	struct ktest_proc *kp = ktest_proc_start(0, 0, plain_body, &c);

	if (!kp)
		return -ENOMEM;
	ktest_proc_end(kp);
	return 0;
}
