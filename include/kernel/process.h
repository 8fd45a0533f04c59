/*
 * Processes: what a user program runs in (kernel/process.c, fork.c,
 * exit.c, exec.c, signal.c).  A process has a pid, a parent and children,
 * a process group and a session, an address space, signal handlers, and
 * its threads (a thread group, as Linux's: clone(CLONE_THREAD) adds one,
 * each has a thread id from the pid space, the first one's is the pid).
 * Files, cwd and credentials hang off its threads (struct thread: files,
 * fs, cred), as in Linux.
 *
 * tasklist_lock (a spinlock, irqsave: signals are sent from interrupts)
 * guards the process tree: parent, children, sibling, pgid, sid, tty,
 * state, exit_status, the pid and thread-id tables, and the stop/continue
 * reports.  A process's thread list changes under both tasklist_lock and
 * its sighand->lock, so either is enough to walk it.
 * Lock order: tasklist_lock, then a process's siglock.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <kernel/cputime.h>
#include <kernel/list.h>
#include <kernel/posix_timers.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <kernel/types.h>
#include <kernel/vfs.h>
#include <kernel/wait.h>

#define TASK_COMM_LEN	16
#define PID_MAX		32768		/* Linux's default pid_max */

/* Resource limits: Linux's numbering and defaults. */
#define RLIMIT_CPU	0
#define RLIMIT_FSIZE	1
#define RLIMIT_DATA	2
#define RLIMIT_STACK	3
#define RLIMIT_CORE	4
#define RLIMIT_RSS	5
#define RLIMIT_NPROC	6
#define RLIMIT_NOFILE	7
#define RLIMIT_MEMLOCK	8
#define RLIMIT_AS	9
#define RLIMIT_LOCKS	10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE	12
#define RLIMIT_NICE	13
#define RLIMIT_RTPRIO	14
#define RLIMIT_RTTIME	15
#define RLIM_NLIMITS	16
#define RLIM_INFINITY	(~0ULL)

struct rlimit64 {
	uint64_t rlim_cur, rlim_max;
};

typedef uint64_t sigset_t;		/* bit n-1 is signal n (1..64) */

static inline sigset_t sigmask(int sig) { return 1ULL << (sig - 1); }

/* A handler as rt_sigaction stores it (kernel layout, every port). */
struct k_sigaction {
	uintptr_t handler;		/* SIG_DFL 0, SIG_IGN 1, or a user address */
	unsigned long flags;		/* SA_* */
	uintptr_t restorer;
	sigset_t mask;
};

#define SIG_DFL		0
#define SIG_IGN		1

#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_UNSUPPORTED	0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

/* Handlers, shared by the threads of a process (and CLONE_SIGHAND). */
struct sighand {
	unsigned int refs;		/* atomic */
	struct spinlock lock;		/* action[] and every pending set of the process */
	struct k_sigaction action[_NSIG];
};

enum process_state {
	PROCESS_RUNNING,		/* has live threads */
	PROCESS_ZOMBIE,			/* exited, waiting for its parent */
};

struct tty_port;
struct mm;

struct process {
	pid_t pid;
	pid_t pgid, sid;		/* tasklist_lock */
	struct process *parent;		/* tasklist_lock */
	pid_t ppid;			/* parent's pid: set with parent, read locklessly (getppid) */
	struct list_head children;	/* tasklist_lock */
	struct list_head sibling;	/* in parent->children */
	struct list_head all_node;	/* every process (tasklist_lock) */
	enum process_state state;	/* tasklist_lock */
	int exit_status;		/* wait status: code << 8, or the signal */
	bool reaped;			/* tasklist_lock: a waiter took it */
	struct tty_port *tty;		/* controlling terminal (tasklist_lock) */

	struct thread *thread;		/* tasklist_lock: a live thread, the leader while it lives (NULL once all exited) */
	struct thread *main_thread;	/* the leader (tid == pid): freed by the reaper */
	struct list_head threads;	/* live threads (struct thread.group_node): see above */
	unsigned int nr_threads;	/* sighand->lock: live threads */
	int group_exit_status;		/* sighand->lock: the status once group_exiting */
	unsigned int group_stop_count;	/* sighand->lock: threads yet to stop for a group stop */
	struct thread *group_exec;	/* sighand->lock: the thread whose execve ends the others */
	struct mm *mm;			/* the address space (owner: the thread) */
	struct sighand *sighand;
	struct sigpending shared_pending; /* sighand->lock */
	int exit_signal;		/* what the parent gets: SIGCHLD */
	struct thread *parent_thread;	/* tasklist_lock: the parent's thread that forked it (PR_SET_PDEATHSIG) */
	bool child_subreaper;		/* tasklist_lock: PR_SET_CHILD_SUBREAPER */
	uid_t exit_uid;			/* the real uid its last exiting thread had (RLIMIT_NPROC) */
	bool execed;			/* tasklist_lock: ran execve (setpgid by the parent: EACCES) */
	bool group_exiting;		/* sighand->lock */

	/* Job control (sighand->lock; wait reads them under tasklist_lock too). */
	bool stopped;			/* stopped by a signal */
	int stop_signal;		/* which one */
	bool stop_reported;		/* WUNTRACED saw it */
	bool continued;			/* SIGCONT since the last report (WCONTINUED) */
	bool cont_notify;		/* the parent is yet to hear of the SIGCONT */
	struct wait_queue stop_wait;	/* a stopped thread sleeps here */

	/* vfork: the parent sleeps until the child execs or exits. */
	struct wait_queue *vfork_done;

	char comm[TASK_COMM_LEN];	/* the program's name (its thread's too) */
	struct path exe;		/* /proc/<pid>/exe */
	struct rlimit64 rlim[RLIM_NLIMITS];
	uint64_t start_ns;		/* time_ns() at fork */
	/* Where exec put argc and the aux vector (/proc/<pid>/stat and auxv). */
	uintptr_t start_stack, auxv_start;
	uint64_t utime_ns, stime_ns;	/* samples of exited threads (<kernel/cputime.h>) */
	uint64_t cutime_ns, cstime_ns;	/* tasklist_lock: reaped children's reported times */
	struct proc_acct acct;		/* the rest of what exited threads and children used */
	struct proc_timers timers;	/* sighand->lock: itimers, POSIX timers */
	struct wait_queue child_wait;	/* the parent's wait4() sleeps here */
	unsigned int refs;		/* atomic: the tree, /proc readers */
};

extern struct spinlock tasklist_lock;

/* The calling thread's process, or NULL for a kernel thread. */
static inline struct process *
current_process(void)
{
#ifdef CONFIG_PROCESSES
	return thread_current()->proc;
#else
	return NULL;			/* struct thread has no proc */
#endif
}

/*
 * The thread with thread id tid (tasklist_lock held): a live thread of a
 * live process, or NULL.
 */
struct thread *thread_find_locked(pid_t tid);
/* Call fn for each live thread of p (tasklist_lock or p->sighand->lock held). */
#define for_each_thread(p, t) list_for_each_entry(t, &(p)->threads, group_node)

/* Look up a live or zombie process by pid, with a reference (process_put). */
struct process *process_find(pid_t pid);
void process_get(struct process *p);
void process_put(struct process *p);
/* Every process in pid order, for /proc: the first with pid >= from. */
struct process *process_next(pid_t from);
/* The pid handed out last (/proc/loadavg), 0 before the first. */
pid_t process_last_pid(void);
/* Rename p (exec, prctl(PR_SET_NAME), /proc/<pid>/comm): its comm and its thread's name. */
void process_set_comm(struct process *p, const char *name);

/* Job control, for the tty layer (each takes tasklist_lock itself). */
pid_t process_pgrp(struct process *p);
pid_t process_session(struct process *p);
bool pgrp_is_orphaned(pid_t pgrp);
/*
 * fn on every process of the table, live or zombie, in pid order
 * (tasklist_lock held): the tty layer clears a session's terminal.
 */
void for_each_process_locked(void (*fn)(struct process *p, void *arg), void *arg);

/* The 128-byte user siginfo_t of the running port, from info. */
void siginfo_fill(void *buf, const struct ksiginfo *info);
/* A fault's signal for the calling thread (SIGSEGV with si_addr, ...). */
void force_sig_fault(int sig, int code, uintptr_t addr);

/* Start /init (or rdinit=/init=) as pid 1; called once the VFS is up. */
void process_start_init(void);

/* Exits of the calling process (kernel/exit.c). */
/* The calling thread ends; the process with its last thread (status: a wait status). */
__attribute__((noreturn)) void do_exit(int status);
/* Every thread of the calling process ends; the process's wait status is status. */
__attribute__((noreturn)) void do_group_exit(int status);

#endif
