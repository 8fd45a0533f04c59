/*
 * The process table: pids, the tree of parents and children, process
 * groups and sessions as the tty layer asks about them, and references
 * that keep a struct process alive for /proc readers after it is reaped.
 */
#define pr_fmt(fmt) "process: " fmt

#include <string.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mman.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/radix.h>
#include <kernel/slab.h>
#include <kernel/time.h>
#include "process_internal.h"

struct spinlock tasklist_lock = SPINLOCK_INIT("tasklist");
static struct radix pid_table;			/* tasklist_lock: pid -> process */
/* tasklist_lock: tid -> thread, for the threads that are not a process's first. */
static struct radix tid_table;
static pid_t last_pid;				/* tasklist_lock */
static unsigned int nr_processes;		/* tasklist_lock */
struct process *init_process;			/* pid 1, once it exists */

/* Linux's defaults for a new init: what `ulimit -a` shows on a fresh boot. */
static const struct rlimit64 default_rlimits[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_STACK] = { 8UL << 20, RLIM_INFINITY },
	[RLIMIT_CORE] = { 0, RLIM_INFINITY },
	[RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_NPROC] = { 4096, 4096 },
	[RLIMIT_NOFILE] = { NR_OPEN_DEFAULT, 4096 },
	[RLIMIT_MEMLOCK] = { 8UL << 20, 8UL << 20 },
	[RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_LOCKS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_SIGPENDING] = { 4096, 4096 },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INFINITY, RLIM_INFINITY },
};

/* A pid no process uses as its pid, group or session (tasklist_lock). */
static bool
pid_in_use(pid_t pid)
{
	struct process *p;
	uint64_t idx = 0;

	if (radix_lookup(&pid_table, (uint64_t)pid) || radix_lookup(&tid_table, (uint64_t)pid))
		return true;
	while ((p = radix_next(&pid_table, idx, &idx)) != NULL) {
		if (p->pgid == pid || p->sid == pid)
			return true;
		idx++;
	}
	return false;
}

/* The next free pid after the last one handed out, wrapping above 300 as Linux. */
static pid_t
pid_alloc_locked(void)
{
	for (unsigned int tries = 0; tries < PID_MAX; tries++) {
		pid_t pid = last_pid + 1;

		if (pid >= PID_MAX)
			pid = last_pid >= 300 ? 300 : 1;
		last_pid = pid;
		if (!pid_in_use(pid))
			return pid;
	}
	return -EAGAIN;
}

struct sighand *
sighand_alloc(const struct sighand *copy)
{
	struct sighand *sh = kzalloc(sizeof(*sh));

	if (!sh)
		return NULL;
	sh->refs = 1;
	spin_init(&sh->lock, "sighand");
	if (copy) {
		unsigned long flags = spin_lock_irqsave((struct spinlock *)&copy->lock);

		memcpy(sh->action, copy->action, sizeof(sh->action));
		spin_unlock_irqrestore((struct spinlock *)&copy->lock, flags);
	}
	return sh;
}

void
sighand_put(struct sighand *sh)
{
	if (sh && atomic_sub_return(&sh->refs, 1) == 0)
		kfree(sh);
}

struct process *
process_alloc(struct process *parent)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->refs = 1;
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->all_node);
	wq_init(&p->child_wait);
	wq_init(&p->stop_wait);
	list_init(&p->shared_pending.queue);
	list_init(&p->threads);
	p->exit_signal = SIGCHLD;
	p->start_ns = time_ns();
	proc_timers_init(p);
	if (parent) {
		memcpy(p->rlim, parent->rlim, sizeof(p->rlim));
		memcpy(p->comm, parent->comm, sizeof(p->comm));
		p->start_stack = parent->start_stack;
		p->auxv_start = parent->auxv_start;
	} else {
		memcpy(p->rlim, default_rlimits, sizeof(p->rlim));
	}
	return p;
}

int
process_register(struct process *p, pid_t want)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	pid_t pid = want ? want : pid_alloc_locked();
	int err = pid;

	if (pid > 0) {
		err = radix_insert(&pid_table, (uint64_t)pid, p);
		if (!err) {
			p->pid = pid;
			if (p->main_thread)
				p->main_thread->tid = pid;
			nr_processes++;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

int
thread_register(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	pid_t tid = pid_alloc_locked();
	int err = tid;

	if (tid > 0) {
		err = radix_insert(&tid_table, (uint64_t)tid, t);
		if (!err)
			t->tid = tid;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

void
thread_unregister_locked(struct thread *t)
{
	radix_delete(&tid_table, (uint64_t)t->tid);
}

struct thread *
thread_find_locked(pid_t tid)
{
	struct process *p;
	struct thread *t;

	if (tid <= 0)
		return NULL;
	t = radix_lookup(&tid_table, (uint64_t)tid);
	if (!t) {
		p = radix_lookup(&pid_table, (uint64_t)tid);
		t = p && p->state == PROCESS_RUNNING ? p->main_thread : NULL;
	}
	/*
	 * clone() registers a tid before the thread joins its process (its
	 * proc unset, and it may still fail and be freed): not there yet.
	 */
	return t && !READ_ONCE(t->group_left) && !list_empty(&t->group_node) ? t : NULL;
}

void
process_set_leader(struct process *p, struct thread *t)
{
	t->proc = p;
	if (p->pid)
		t->tid = p->pid;
	list_init(&t->pending.queue);
	list_add_tail(&t->group_node, &p->threads);
	p->nr_threads = 1;
	p->thread = t;
	p->main_thread = t;
}

/* tasklist_lock held: out of the pid table (the reaper's last step). */
void
process_unregister_locked(struct process *p)
{
	radix_delete(&pid_table, (uint64_t)p->pid);
	nr_processes--;
}

unsigned int
process_count(void)
{
	return READ_ONCE(nr_processes);
}

pid_t
process_last_pid(void)
{
	return READ_ONCE(last_pid);
}

void
process_get(struct process *p)
{
	atomic_fetch_add(&p->refs, 1);
}

void
process_put(struct process *p)
{
	if (atomic_sub_return(&p->refs, 1) != 0)
		return;
	if (p->exe.mnt)
		path_put(&p->exe);
	sigpending_free(&p->shared_pending);
	sighand_put(p->sighand);
	kfree(p);
}

struct process *
process_find(pid_t pid)
{
	unsigned long flags;
	struct process *p;

	if (pid <= 0)
		return NULL;
	flags = spin_lock_irqsave(&tasklist_lock);
	p = radix_lookup(&pid_table, (uint64_t)pid);
	if (p)
		process_get(p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return p;
}

struct process *
process_next(pid_t from)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	uint64_t idx = from > 0 ? (uint64_t)from : 0;
	struct process *p = radix_next(&pid_table, idx, &idx);

	if (p)
		process_get(p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return p;
}

/* Call fn on every process (tasklist_lock held by the caller). */
void
for_each_process_locked(void (*fn)(struct process *p, void *arg), void *arg)
{
	struct process *p;
	uint64_t idx = 0;

	while ((p = radix_next(&pid_table, idx, &idx)) != NULL) {
		fn(p, arg);
		idx++;
	}
}

pid_t
process_pgrp(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	pid_t pgid = p->pgid;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pgid;
}

pid_t
process_session(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	pid_t sid = p->sid;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return sid;
}

/*
 * A member of group pgrp, NULL when the group does not exist
 * (tasklist_lock held).  A zombie is still a member until it is reaped,
 * as on Linux: a pipeline's first command may exit before the shell has
 * put the others into its group.
 */
struct process *
pgrp_member_locked(pid_t pgrp)
{
	struct process *p;
	uint64_t idx = 0;

	while ((p = radix_next(&pid_table, idx, &idx)) != NULL) {
		if (p->pgid == pgrp)
			return p;
		idx++;
	}
	return NULL;
}

/* Group pgrp exists and belongs to session sid (tasklist_lock held). */
bool
pgrp_in_session_locked(pid_t pgrp, pid_t sid)
{
	struct process *p = pgrp_member_locked(pgrp);

	return p && p->sid == sid;
}

/*
 * POSIX: a group is orphaned when no member has a parent in another group
 * of the same session (tasklist_lock held).  ignore is leaving and does not count.
 */
bool
pgrp_is_orphaned_locked(pid_t pgrp, const struct process *ignore)
{
	struct process *p;
	uint64_t idx = 0;

	while ((p = radix_next(&pid_table, idx, &idx)) != NULL) {
		idx++;
		if (p == ignore || p->pgid != pgrp || p->state != PROCESS_RUNNING)
			continue;
		if (p->parent && p->parent != ignore && p->parent->pgid != pgrp &&
		    p->parent->sid == p->sid)
			return false;
	}
	return true;
}

bool
pgrp_is_orphaned(pid_t pgrp)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	bool yes = pgrp_is_orphaned_locked(pgrp, NULL);

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return yes;
}

/* Attach the calling kernel thread to p as its one thread. */
void
process_attach_current(struct process *p)
{
	process_set_leader(p, thread_current());
}

void
process_set_comm(struct process *p, const char *name)
{
	struct thread *t = p->main_thread;

	strlcpy(p->comm, name, sizeof(p->comm));
	if (t)
		strlcpy(t->name, name, sizeof(t->name));
}
