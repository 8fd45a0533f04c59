/*
 * The out-of-memory killer (<kernel/mman.h> out_of_memory(); Linux's
 * mm/oom_kill.c, simpler): a user fault found no free page.  First
 * reclaim what the kernel can drop (unused dentries and the inodes only
 * they hold, empty slabs); if that frees nothing, pick the process with
 * the largest resident set (Linux's oom_badness() without swap, page
 * tables or oom_score_adj; never pid 1, never a zombie or a process
 * without memory), send it SIGKILL and log, as Linux does,
 *
 *   Out of memory: Killed process <pid> (<comm>) total-vm:<n>kB,
 *   anon-rss:<n>kB, file-rss:<n>kB, shmem-rss:<n>kB, UID:<uid>
 *   pgtables:0kB oom_score_adj:0
 *
 * While that victim still has its memory, other faults wait for it
 * (out_of_memory() says "retry") instead of killing more.  A fault of the
 * victim itself, or one with nothing to kill, fails: the faulting process
 * is killed (user mode) or its system call sees EFAULT.
 *
 * oom_mutex serialises the choice; lock order: oom_mutex, then
 * tasklist_lock or a victim's mm->lock.  No caller holds any lock.
 */
#define pr_fmt(fmt) fmt

#include <kernel/cred.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/mman.h>
#include <kernel/pagecache.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/shmem.h>
#include <kernel/slab.h>
#include <kernel/vfs.h>
#include <kernel/vm.h>
#include "process_internal.h"

static struct mutex oom_mutex = MUTEX_INIT(oom_mutex, "oom");
static pid_t victim_pid;		/* oom_mutex: killed, maybe still dying */

struct oom_choice {
	struct process *best;		/* referenced */
	size_t best_rss;
};

static void
consider(struct process *p, void *arg)
{
	struct oom_choice *c = arg;
	size_t rss;

	if (p->pid == 1 || p->state != PROCESS_RUNNING || !p->mm)
		return;
	rss = READ_ONCE(p->mm->nr_pages);
	if (c->best && rss <= c->best_rss)
		return;
	if (c->best)
		process_put(c->best);
	process_get(p);
	c->best = p;
	c->best_rss = rss;
}

/* The victim still holds its memory (so waiting for it makes sense). */
static bool
victim_alive(void)
{
	struct process *v;
	bool alive;
	unsigned long flags;

	if (!victim_pid)
		return false;
	v = process_find(victim_pid);
	if (!v)
		return false;
	flags = spin_lock_irqsave(&tasklist_lock);
	alive = v->state == PROCESS_RUNNING && v->mm;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	process_put(v);
	return alive;
}

/* Linux's rss counters: anonymous pages, file pages and shmem pages, in kB. */
static void
log_kill(struct process *p, struct mm *mm, uid_t uid)
{
	size_t anon = 0, file = 0, shmem = 0;
	uint64_t idx = 0;
	struct page *pg;

	mutex_lock(&mm->lock);
	while ((pg = radix_next(&mm->pages, idx, &idx)) != NULL) {
		struct address_space *m = pg->mapping;

		if (!m)
			anon++;
		else if (shmem_sb(m->host->sb) || m->host->sb->magic == TMPFS_MAGIC)
			shmem++;	/* tmpfs pages are Linux's MM_SHMEMPAGES */
		else
			file++;
		idx++;
	}
	mutex_unlock(&mm->lock);
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
	       "file-rss:%lukB, shmem-rss:%lukB, UID:%u pgtables:0kB oom_score_adj:0\n",
	       p->pid, p->comm, (unsigned long)(mm->total_vm * (PAGE_SIZE / 1024)),
	       (unsigned long)(anon * (PAGE_SIZE / 1024)), (unsigned long)(file * (PAGE_SIZE / 1024)),
	       (unsigned long)(shmem * (PAGE_SIZE / 1024)), (unsigned int)uid);
}

bool
out_of_memory(void)
{
	struct process *me = current_process();
	struct oom_choice c = { NULL, 0 };
	struct mm_stats before, after;
	unsigned long flags;
	struct mm *mm = NULL;
	uid_t uid = 0;
	bool retry;

	mutex_lock(&oom_mutex);
	if (victim_alive()) {
		retry = !me || me->pid != victim_pid;
		mutex_unlock(&oom_mutex);
		return retry;
	}
	victim_pid = 0;
	/* Reclaim: what the caches hold and nobody uses. */
	mm_stats(&before);
	shrink_dcache(NULL);
	kmalloc_shrink();
	kstack_shrink();
	mm_stats(&after);
	if (after.free_pages > before.free_pages) {
		mutex_unlock(&oom_mutex);
		return true;
	}
	flags = spin_lock_irqsave(&tasklist_lock);
	for_each_process_locked(consider, &c);
	if (c.best) {
		mm = c.best->mm;
		mm_get(mm);
		if (c.best->thread) {
			const struct cred *cred = get_thread_cred(c.best->thread);

			uid = cred->uid;
			put_cred(cred);
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!c.best) {
		mutex_unlock(&oom_mutex);
		return false;
	}
	send_signal(c.best, SIGKILL);
	victim_pid = c.best->pid;
	log_kill(c.best, mm, uid);
	mm_put(mm);
	retry = c.best != me;
	process_put(c.best);
	mutex_unlock(&oom_mutex);
	return retry;
}
