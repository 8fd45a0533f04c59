/*
 * /proc/<pid>/stat, status and statm (Linux's fs/proc/array.c): what the
 * process core keeps, read at one moment (task_snapshot) and printed by
 * pid_format.c in Linux's layouts.
 *
 * What this kernel does not keep is shown as Linux shows its absence:
 * page-fault counts, context switches, high-water marks (VmPeak and
 * VmHWM equal VmSize and VmRSS), page-table sizes and swap are 0.
 *
 * As Linux, the name, state, ids, signal mask, credentials, CPU and
 * scheduling fields are a thread's (the inode's: pid_node_thread_locked),
 * the rest the process's; CPU time is the whole process's but under
 * task/<tid>.  A thread's start time is its process's (none is kept).
 */
#include <kernel/cred.h>
#include <kernel/fs.h>
#include <kernel/kdev_t.h>
#include <kernel/mman.h>
#include <kernel/seqbuf.h>
#include <kernel/tty.h>
#include <string.h>

#include "format.h"
#include "pid.h"
#include "pid_format.h"

#define PF_EXITING	0x00000004	/* getting shut down */
#define PF_FORKNOEXEC	0x00000040	/* forked but did not exec */

/* Linux 6.1's full capability set: CAP_CHOWN .. CAP_CHECKPOINT_RESTORE (40). */
#define CAP_FULL_SET	((1ULL << 41) - 1)

#define DEFAULT_PRIO	20		/* task_prio() of a SCHED_OTHER task at nice 0 */

/* The state letter of a live process (tasklist_lock and its sighand->lock held). */
static char
state_letter(const struct process *p, const struct thread *t)
{
	if (p->state == PROCESS_ZOMBIE || !t)
		return 'Z';
	if (p->stopped)
		return 'T';
	switch (READ_ONCE(t->state)) {
	case THREAD_BLOCKED:
		return READ_ONCE(t->interruptible) ? 'S' : 'D';
	case THREAD_DEAD:
		return 'Z';		/* on its way out */
	default:
		return 'R';
	}
}

/*
 * The thread's name (tasklist_lock held): the first thread's is the
 * process's comm, which exec and /proc/<pid>/comm set; the others' their own.
 */
static void
snap_comm(struct task_snap *s, struct process *p, struct thread *t, bool first)
{
	const char *name = first || !t ? p->comm : t->name;

	memcpy(s->comm, name, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
}

/*
 * CPU time and page faults: the thread's alone, or the process's (its
 * exited threads' and every live one's); the children's either way, as
 * Linux shows them.
 */
static void
snap_times(struct task_snap *s, struct process *p, struct thread *t, bool whole)
{
	struct thread *o;

	s->cmin_flt = READ_ONCE(p->acct.cmin_flt);
	s->cmaj_flt = READ_ONCE(p->acct.cmaj_flt);
	if (!whole) {
		s->utime_ns = t ? READ_ONCE(t->utime_ns) : 0;
		s->stime_ns = t ? READ_ONCE(t->stime_ns) : 0;
		s->min_flt = t ? READ_ONCE(t->min_flt) : 0;
		s->maj_flt = t ? READ_ONCE(t->maj_flt) : 0;
		return;
	}
	s->utime_ns = p->utime_ns;
	s->stime_ns = p->stime_ns;
	s->min_flt = READ_ONCE(p->acct.min_flt);
	s->maj_flt = READ_ONCE(p->acct.maj_flt);
	/* p's live threads stay while tasklist_lock is held. */
	for_each_thread(p, o) {
		s->utime_ns += READ_ONCE(o->utime_ns);
		s->stime_ns += READ_ONCE(o->stime_ns);
		s->min_flt += READ_ONCE(o->min_flt);
		s->maj_flt += READ_ONCE(o->maj_flt);
	}
}

void
task_snapshot(struct process *p, const struct pid_node *n, struct task_snap *s,
	      unsigned int want)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock), sflags;
	struct thread *t = pid_node_thread_locked(p, n);
	bool first = !n || n->tid == p->pid;
	umode_t umask;

	memset(s, 0, sizeof(*s));
	s->umask = -1;
	s->pid = p->pid;
	s->tid = n ? n->tid : p->pid;
	s->ppid = p->parent ? p->parent->pid : 0;
	s->pgid = p->pgid;
	s->sid = p->sid;
	s->zombie = p->state == PROCESS_ZOMBIE || !t;
	/* Only the first thread can have run execve: the others were cloned after it. */
	s->execed = first && p->execed;
	s->exit_status = p->exit_status;
	s->exit_signal = first ? p->exit_signal : -1;
	s->tpgid = -1;
	if (p->tty) {
		s->has_tty = true;
		s->tty_dev = p->tty->dev;
		s->tpgid = READ_ONCE(p->tty->pgrp);	/* set under tasklist_lock too */
	}
	snap_times(s, p, t, !n || !n->task);
	s->cutime_ns = p->cutime_ns;
	s->cstime_ns = p->cstime_ns;
	/* The first thread's start is the process's, as Linux's leader's. */
	s->start_ns = first || !t ? p->start_ns : t->start_ns;
	s->threads = p->nr_threads ? p->nr_threads : 1;
	s->start_stack = p->start_stack;
	snap_comm(s, p, t, first);
	memcpy(s->rlim, p->rlim, sizeof(s->rlim));
	if (t) {
		s->cpu = thread_cpu(t);
		s->affinity = thread_affinity(t);
		s->nr_slices = READ_ONCE(t->nr_slices);
		s->nvcsw = READ_ONCE(t->nvcsw);
		s->nivcsw = READ_ONCE(t->nivcsw);
		s->nice = READ_ONCE(t->nice);
		s->rt_priority = READ_ONCE(t->sched_rt_prio);
		s->policy = READ_ONCE(t->sched_policy);
		if (thread_get_fs(t, NULL, NULL, &umask) == 0)
			s->umask = umask;
		if (want & SNAP_CRED)
			s->cred = get_thread_cred(t);
		if (want & SNAP_FILES)
			s->files = get_thread_files(t);
	}
	if ((want & SNAP_MM) && p->mm) {
		mm_get(p->mm);
		s->mm = p->mm;
		if ((want & SNAP_EXE) && p->exe.mnt) {
			s->exe = p->exe;
			path_get(&s->exe);
		}
	}
	if (p->sighand) {
		sflags = spin_lock_irqsave(&p->sighand->lock);
		s->pending = p->shared_pending.set;
		for (int sig = 1; sig <= _NSIG; sig++) {
			uintptr_t h = p->sighand->action[sig - 1].handler;

			if (h == SIG_IGN)
				s->ignored |= sigmask(sig);
			else if (h != SIG_DFL)
				s->caught |= sigmask(sig);
		}
		if (t) {
			s->blocked = t->sig_blocked;
			s->thread_pending = t->pending.set;
		}
		s->state = state_letter(p, t);
		spin_unlock_irqrestore(&p->sighand->lock, sflags);
	} else {
		s->state = state_letter(p, t);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void
task_snapshot_put(struct task_snap *s)
{
	if (s->mm)
		mm_put(s->mm);
	if (s->cred)
		put_cred(s->cred);
	if (s->files)
		put_files_struct(s->files);
	if (s->exe.mnt)
		path_put(&s->exe);
	s->exe.mnt = NULL;
	s->mm = NULL;
	s->cred = NULL;
	s->files = NULL;
}

static const struct inode *
exe_inode(const struct task_snap *s)
{
	return s->exe.mnt ? s->exe.dentry->inode : NULL;
}

int
proc_pid_stat(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	bool permitted = proc_may_ptrace(p);
	struct proc_stat_info st;
	struct task_snap s;

	task_snapshot(p, n, &s, SNAP_MM | SNAP_EXE);
	memset(&st, 0, sizeof(st));
	st.pid = s.tid;
	memcpy(st.comm, s.comm, sizeof(st.comm));
	st.state = s.state;
	st.ppid = s.ppid;
	st.pgrp = s.pgid;
	st.session = s.sid;
	st.tty_nr = s.has_tty ? (int)new_encode_dev(s.tty_dev) : 0;
	st.tpgid = s.tpgid;
	st.flags = (s.execed ? 0 : PF_FORKNOEXEC) | (s.zombie ? PF_EXITING : 0);
	st.utime = proc_ns_to_clock_t(s.utime_ns);
	st.stime = proc_ns_to_clock_t(s.stime_ns);
	st.cutime = proc_ns_to_clock_t(s.cutime_ns);
	st.cstime = proc_ns_to_clock_t(s.cstime_ns);
	/* Linux's task_prio(): 20 + nice, or -1 - the real-time priority. */
	st.priority = s.rt_priority ? -1 - s.rt_priority : DEFAULT_PRIO + s.nice;
	st.nice = s.nice;
	st.rt_priority = (unsigned int)s.rt_priority;
	st.policy = (unsigned int)s.policy;
	st.num_threads = (long)s.threads;
	st.starttime = proc_ns_to_clock_t(s.start_ns);
	st.minflt = s.min_flt;
	st.cminflt = s.cmin_flt;
	st.majflt = s.maj_flt;
	st.cmajflt = s.cmaj_flt;
	st.rsslim = (unsigned long)s.rlim[RLIMIT_RSS].rlim_cur;
	st.permitted = permitted;
	if (s.mm) {
		struct mm_counts c;

		mm_counts(s.mm, exe_inode(&s), &c);
		st.has_mm = true;
		st.vsize = c.total_vm * PAGE_SIZE;
		st.rss = c.rss;
		st.start_code = c.start_code;
		st.end_code = c.end_code;
		st.start_stack = s.start_stack;
		st.start_data = c.start_data;
		st.end_data = c.end_data;
		st.start_brk = s.mm->brk_start;
		st.arg_start = s.mm->arg_start;
		st.arg_end = s.mm->arg_end;
		st.env_start = s.mm->env_start;
		st.env_end = s.mm->env_end;
	}
	st.pending = s.thread_pending;		/* Linux's: the task's own, not the shared set */
	st.blocked = s.blocked;
	st.ignored = s.ignored;
	st.caught = s.caught;
	/* Linux's wchan: a process of several threads shows it per thread only. */
	st.sleeping = (s.state == 'S' || s.state == 'D') && (n->task || s.threads < 2);
	st.exit_signal = s.exit_signal;
	st.processor = (int)s.cpu;
	st.exit_code = s.zombie ? s.exit_status : 0;
	task_snapshot_put(&s);
	proc_format_stat(m, &st);
	return 0;
}

/* CPUs as Linux counts them for masks: the ones the firmware described. */
static unsigned int
nr_cpu_ids(void)
{
	unsigned int n = nr_cpus_described;

	return n < 1 ? 1 : n > NR_CPUS ? NR_CPUS : n;
}

int
proc_pid_status(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	struct proc_status_info st;
	struct task_snap s;

	task_snapshot(p, n, &s, SNAP_MM | SNAP_EXE | SNAP_CRED | SNAP_FILES);
	memset(&st, 0, sizeof(st));
	memcpy(st.name, s.comm, sizeof(st.name));
	st.umask = s.umask;
	st.state = s.state;
	st.tgid = s.pid;
	st.pid = s.tid;
	st.ppid = s.ppid;
	st.pgrp = s.pgid;
	st.session = s.sid;
	if (s.cred) {
		const struct cred *c = s.cred;

		st.uid[0] = c->uid;
		st.uid[1] = c->euid;
		st.uid[2] = c->suid;
		st.uid[3] = c->fsuid;
		st.gid[0] = c->gid;
		st.gid[1] = c->egid;
		st.gid[2] = c->sgid;
		st.gid[3] = c->fsgid;
		st.ngroups = c->ngroups < PROC_NGROUPS ? c->ngroups : PROC_NGROUPS;
		for (unsigned int i = 0; i < st.ngroups; i++)
			st.groups[i] = c->groups[i];
		/* Root's capabilities, as Linux gives a uid 0 process after exec. */
		if (c->uid == 0 || c->euid == 0)
			st.cap_prm = CAP_FULL_SET;
		if (c->euid == 0)
			st.cap_eff = CAP_FULL_SET;
	}
	st.cap_bnd = CAP_FULL_SET;
	st.fdsize = s.files ? files_max_fds(s.files) : 0;
	if (s.mm) {
		struct mm_counts c;
		unsigned long kb = PAGE_SIZE / 1024;

		mm_counts(s.mm, exe_inode(&s), &c);
		st.has_mm = true;
		st.vm_kb.peak = st.vm_kb.size = c.total_vm * kb;
		st.vm_kb.hwm = st.vm_kb.rss = c.rss * kb;
		st.vm_kb.rss_anon = c.rss_anon * kb;
		st.vm_kb.rss_file = c.rss_file * kb;
		st.vm_kb.rss_shmem = c.rss_shmem * kb;
		st.vm_kb.data = c.data_vm * kb;
		st.vm_kb.stk = c.stack_vm * kb;
		st.vm_kb.lck = c.locked_vm * kb;
		st.vm_kb.exe = c.text_bytes >> 10;
		st.vm_kb.lib = c.lib_bytes >> 10;
	}
	st.threads = (int)s.threads;
	/* Queued signals: this kernel keeps one of each, per process. */
	for (uint64_t set = s.pending; set; set &= set - 1)
		st.sigq++;
	st.sigq_max = (unsigned long)s.rlim[RLIMIT_SIGPENDING].rlim_cur;
	st.sig_pnd = s.thread_pending;
	st.shd_pnd = s.pending;
	st.sig_blk = s.blocked;
	st.sig_ign = s.ignored;
	st.sig_cgt = s.caught;
	st.nr_cpu_ids = nr_cpu_ids();
	st.cpus_allowed = (uint64_t)s.affinity;
	st.voluntary_ctxt = s.nvcsw;
	st.nonvoluntary_ctxt = s.nivcsw;
	task_snapshot_put(&s);
	proc_format_status(m, &st);
	return 0;
}

int
proc_pid_statm(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	struct proc_statm_info st;
	struct task_snap s;

	task_snapshot(p, NULL, &s, SNAP_MM | SNAP_EXE);
	memset(&st, 0, sizeof(st));
	if (s.mm) {
		struct mm_counts c;
		vaddr_t text_start, text_end;

		mm_counts(s.mm, exe_inode(&s), &c);
		text_start = c.start_code & PAGE_MASK;
		text_end = (c.end_code + PAGE_SIZE - 1) & PAGE_MASK;
		st.has_mm = true;
		st.size = c.total_vm;
		st.resident = c.rss;
		st.shared = c.rss_file + c.rss_shmem;
		st.text = text_end > text_start ? (text_end - text_start) >> PAGE_SHIFT : 0;
		st.data = c.data_vm + c.stack_vm;
	}
	task_snapshot_put(&s);
	proc_format_statm(m, &st);
	return 0;
}
