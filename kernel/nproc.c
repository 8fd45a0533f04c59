/*
 * RLIMIT_NPROC, as Linux enforces it in fork and clone: the tasks of the
 * caller's real user (every thread, and every process until it is
 * reaped) may not exceed the caller's soft limit; the new task counts.
 * Root (real uid 0) is exempt, and so is an effective uid 0 (Linux's
 * CAP_SYS_RESOURCE and CAP_SYS_ADMIN).
 *
 * Linux keeps a count per user; here the tasks are counted when a
 * non-root caller forks, under tasklist_lock (which also makes the check
 * and the new task's entry one step), with thread_ctx_lock for the
 * threads' credentials.
 */
#include <kernel/cred.h>
#include <kernel/fs.h>
#include <kernel/process.h>
#include "process_internal.h"

struct nproc_scan {
	uid_t uid;
	uint64_t count;
};

static void
count_tasks(struct process *q, void *arg)
{
	struct nproc_scan *n = arg;
	struct thread *t;

	if (q->reaped)
		return;			/* on its way out of the table */
	if (q->state == PROCESS_ZOMBIE || !q->nr_threads) {
		if (q->exit_uid == n->uid)
			n->count++;
		return;
	}
	for_each_thread(q, t)
		if (t->cred && t->cred->uid == n->uid)
			n->count++;
	/* A first thread that exited before the others stays until the process is reaped. */
	if (q->main_thread && q->main_thread->group_left && q->exit_uid == n->uid)
		n->count++;
}

bool
nproc_over_limit_locked(struct process *p, unsigned int adding)
{
	const struct cred *c = current_cred();
	uint64_t limit = p->rlim[RLIMIT_NPROC].rlim_cur;
	struct nproc_scan n = { .uid = c->uid };
	unsigned long flags;

	if (c->uid == 0 || c->euid == 0 || limit == RLIM_INFINITY)
		return false;
	flags = spin_lock_irqsave(&thread_ctx_lock);
	for_each_process_locked(count_tasks, &n);
	spin_unlock_irqrestore(&thread_ctx_lock, flags);
	return n.count + adding > limit;
}
