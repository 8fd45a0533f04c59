/*
 * Kernel threads and the scheduler: fixed priorities, strict preemption by
 * priority, round-robin time slices among equal priorities, and on SMP one
 * run queue per CPU with wake-up placement, load balancing and CPU
 * affinity.  Each CPU has an idle thread at the lowest priority.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <arch/thread.h>
#include <kernel/cpu.h>
#include <kernel/list.h>
#include <kernel/stack_paint.h>
#include <kernel/restart.h>
#ifdef CONFIG_PROCESSES
#include <kernel/sigpending.h>
#endif
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/types.h>
#include <kernel/wait.h>
#ifdef CONFIG_PAGING
#include <kernel/vm.h>
#endif

#define THREAD_PRIO_IDLE	0
#define THREAD_PRIO_MAX		(CONFIG_NR_PRIORITIES - 1)
#define THREAD_PRIO_DEFAULT	(CONFIG_NR_PRIORITIES / 2)
#ifdef CONFIG_THREAD_NAMES
#define THREAD_NAME_LEN		CONFIG_THREAD_NAME_LEN	/* its NUL included */
#endif

#ifdef CONFIG_DEBUG_LOCK_ORDER
#define LOCK_ORDER_DEPTH	CONFIG_LOCK_ORDER_DEPTH	/* held locks the checker follows */
#endif

/* One byte with every compiler (GCC's ARM EABI packs enums, clang's does not). */
enum __packed thread_state {
	THREAD_READY,			/* on a run queue (or being moved to one) */
	THREAD_RUNNING,			/* a CPU runs it */
	THREAD_BLOCKED,			/* waiting: a wait queue, a sleep, a mutex */
	THREAD_DEAD,			/* exited, waiting to be joined */
};

/* Slices granted are counted for /proc's statistics and the fairness test. */
#if defined(CONFIG_SCHED_STATS) || defined(CONFIG_KTEST)
#define THREAD_COUNTS_SLICES	1
#endif

struct mutex;
struct process;
struct arch_regs;
struct mm;

/*
 * Who may touch what (kernel/sched.c has the full rules):
 *   state        the thread itself sets BLOCKED or DEAD (under the lock of
 *                what it waits for); otherwise its CPU's run-queue lock
 *   cpu, queued, on_rq, run_node (on a run queue), slice
 *                the run-queue lock of cpu (and wake_lock to change cpu)
 *   on_cpu       the CPU running it; others only read it
 *   wq, run_node (on a wait queue), wake_result
 *                that wait queue's lock
 *   prio, waits_mutex, pi_mutexes, base_prio
 *                mutex_pi_lock (kernel/mutex.c), and prio also the locks
 *                of the queue it sits on
 *   preempt, locks_held, held_order
 *                the thread itself (preempt.no_resched also its
 *                run-queue lock)
 */
/*
 * What every switch touches comes first: on ARMv6-M a load or store
 * reaches bytes 0-31 and words 0-124 of a structure in one instruction.
 * The run-queue links are at offset 0, so the thread at the head of a
 * queue is the link itself: no arithmetic, and a register fewer, on the
 * paths that take one off (a yield is some 60 instructions on a
 * Cortex-M0, four of them went on that arithmetic).
 */
struct thread {
	struct list_head run_node;	/* a run queue, or a wait queue */
	struct thread_preempt preempt;	/* THREAD_OFFSET_PREEMPT: <kernel/cpu.h> reaches it */
	bool on_rq;			/* running, or queued: some CPU has it */
#ifdef CONFIG_SMP
	bool queued;			/* on a run queue's list (one CPU: sched.c's on_list()) */
#endif
	struct arch_thread arch;	/* switched context */
	enum thread_state state;
	/* threads_lock (thread.c); bits of one byte: here, no padding. */
	bool exited : 1;		/* thread_exit() is past the point of return */
	bool joined : 1;		/* thread_join() waits for it: one may */
	/* Bytes: NR_PRIORITIES is at most 32, a slice at most 1000 ticks. */
	uint8_t prio;			/* effective: base or inherited */
	uint8_t base_prio;
	uint16_t slice;			/* ticks left in this time slice */
	uint8_t mutexes_held;		/* itself, or who hands it one it waits for */
	bool waits_mutex;		/* wq is a mutex's: thread_blocked_on() */
#ifdef CONFIG_PAGING
	struct kstack kstack;
#else
	/*
	 * Its lowest byte (the canary).  The stack's top is the structure
	 * itself, which shares the stack's heap block: no size to keep.
	 */
	void *stack;
#endif
#ifdef THREAD_COUNTS_SLICES
	unsigned long nr_slices;	/* time slices granted (not resumptions) */
#endif
#ifdef CONFIG_THREAD_NAMES
	char name[THREAD_NAME_LEN];
#endif
	struct list_head all_node;	/* every thread (threads_lock) */

#ifdef CONFIG_SMP
	/* Scheduling on SMP (one CPU: thread_cpu() and thread_affinity()). */
	unsigned int cpu;		/* the CPU it runs on or is queued on */
	bool push;			/* move to an allowed CPU once switched out */
	cpumask_t affinity;		/* CPUs it may run on */
	volatile int on_cpu;		/* running; context not saved yet */
	struct spinlock wake_lock;	/* serialises wake-ups and migrations */
#endif

	/* Blocking. */
	struct wait_queue *wq;		/* the queue it sleeps on, if any */
	union {
		int wake_result;	/* 0, -ETIMEDOUT, -EINTR */
		/* From thread_exit() on: nothing waits or wakes it again. */
		int exit_code;
	};
#ifdef CONFIG_PROCESSES
	bool interruptible;		/* wq's lock (or itself for a sleep): a signal wakes it */
	volatile unsigned int sigpending; /* a signal is deliverable: interrupts waits */
#endif

	/* Priority inheritance (kernel/mutex.c). */
	struct mutex *pi_mutexes;	/* mutexes it owns that have waiters, by pi_next:
					   a thread holds few, a list one way will do */

#ifdef CONFIG_DEBUG_KERNEL
	unsigned int locks_held;	/* spinlocks: sleeping with one is a bug */
#endif
#ifdef CONFIG_SCHED_STATS
	/* CPU time in clock counts: the run queue lock of the CPU that switches it. */
	uint64_t run_count;		/* finished runs */
	uint64_t run_since;		/* time_count() when the current run began */
#endif
#ifdef CONFIG_DEBUG_LOCK_ORDER
	struct {
		const void *lock;
		uint16_t class;
	} held_order[LOCK_ORDER_DEPTH];
	unsigned int nr_held_order;
#endif
#ifdef CONFIG_VFS
	/* Files: until processes own them, threads share their creator's. */
	struct fs_struct *fs;		/* root, cwd, umask */
	struct files_struct *files;	/* open files */
	const struct cred *cred;	/* who it acts as */
#endif
#ifdef CONFIG_PROCESSES
	/* User mode (kernel/process.c, signal.c); NULL/0 for kernel threads. */
	struct process *proc;		/* the process it runs for */
	pid_t tid;			/* its thread id: the pid for a process's first thread */
	struct list_head group_node;	/* proc->threads (tasklist_lock and sighand->lock to change) */
	struct list_head reap_node;	/* the reaper's list, once it has exited */
	struct sigpending pending;	/* sighand->lock: signals for this thread only */
	bool group_left;		/* sighand->lock: exiting, no longer a signal target */
	unsigned int pagefault_disabled; /* user copies fail at a fault instead of paging in */
	struct mm *mm;			/* its address space: switched to with it */
	struct arch_regs *user_regs;	/* its user frame, at the top of its kernel stack */
	uint64_t sig_blocked;		/* sigset_t: itself (sighand->lock to read from others) */
	uint64_t sig_saved_mask;	/* restored after a handler (sigsuspend, ppoll) */
	bool sig_restore_mask;		/* sig_saved_mask is to be restored */
	uint64_t sig_waitset;		/* sighand->lock: rt_sigtimedwait's set (never ignored) */
	uintptr_t altstack_sp;		/* sigaltstack: itself */
	size_t altstack_size;
	int altstack_flags;
	uintptr_t clear_child_tid;	/* set_tid_address */
	uintptr_t robust_list;		/* set_robust_list: the head in user memory */
	size_t robust_list_len;
	long syscall_nr;		/* the call being made (restarts) */
	unsigned long syscall_arg0;
	int restart;			/* the call returned -ERESTART*: decided at delivery */
	struct restart_block restart_block;	/* what restart_syscall resumes */
	uint64_t utime_ns, stime_ns;	/* samples of user and kernel time: its CPU's tick */
	unsigned long nvcsw, nivcsw;	/* switches away blocked / preempted: its run queue's lock */
	unsigned long min_flt, maj_flt;	/* page faults it took: itself */
	uint64_t start_ns;		/* time_ns() when it was made (/proc/<pid>/task/<tid>/stat) */
	uint64_t prev_utime, prev_stime; /* what RUSAGE_THREAD last reported: itself */
	/* Scheduling policy (kernel/sys_sched.c): tasklist_lock to change. */
	unsigned char sched_policy;	/* SCHED_OTHER, FIFO, RR, BATCH, IDLE */
	bool sched_reset_on_fork;
	int sched_rt_prio;		/* 1..99 under FIFO and RR, else 0 */
	int nice;			/* -20..19 */
	/* prctl's per-thread settings (kernel/prctl.c): itself, inherited by its children. */
	int pdeath_signal;		/* PR_SET_PDEATHSIG (not inherited) */
	bool no_new_privs, keepcaps;
	unsigned long timer_slack_ns, default_timer_slack_ns;	/* 0: Linux's 50 us */
#endif
};

_Static_assert(__builtin_offsetof(struct thread, preempt) == THREAD_OFFSET_PREEMPT,
	       "thread_preempt() (<kernel/cpu.h>) does not find the preemption state");
_Static_assert(__builtin_offsetof(struct thread, run_node) == 0,
	       "the run-queue links are not at the start of struct thread");

/*
 * Create a thread that starts running entry(arg) at priority prio, on any
 * CPU.  It is ready at once (and runs at once if it outranks the caller
 * or finds an idle CPU).  NULL when memory runs out.  Stack size 0 means
 * CONFIG_THREAD_STACK_SIZE.
 */
struct thread *thread_create(const char *name, void (*entry)(void *arg), void *arg,
			     int prio, size_t stack_size);
/*
 * The same, limited to the CPUs in affinity from the start (NULL when
 * none of them is online).
 */
struct thread *thread_create_on(const char *name, void (*entry)(void *arg), void *arg,
				int prio, size_t stack_size, cpumask_t affinity);
/*
 * Create a thread without starting it (fork finishes setting it up
 * first), start it on the CPUs of affinity, or free it unstarted.
 */
struct thread *thread_alloc(const char *name, void (*entry)(void *arg), void *arg, int prio,
			    size_t stack_size);
void thread_start(struct thread *t, cpumask_t affinity);
void thread_free_unstarted(struct thread *t);
/* End the current thread; a joiner gets code. */
__attribute__((noreturn)) void thread_exit(int code);
/*
 * Wait for t to exit, free it, return its exit code.  One thread may join
 * a given thread: a second joiner is a bug and panics naming all three.
 * Thread main (the boot thread, static) may be joined too once it exits,
 * as an RTOS application's main does when app_main() returns.
 */
int thread_join(struct thread *t);

/* The CPU t runs or is queued on (it may move right after): 0 on one CPU. */
static inline unsigned int
thread_cpu(const struct thread *t)
{
#ifdef CONFIG_SMP
	return READ_ONCE(t->cpu);
#else
	(void)t;
	return 0;
#endif
}

/* The CPUs t may run on: every one there is on one CPU. */
static inline cpumask_t
thread_affinity(const struct thread *t)
{
#ifdef CONFIG_SMP
	return READ_ONCE(t->affinity);
#else
	(void)t;
	return CPUMASK_ALL;
#endif
}

/* The top (highest address) of t's kernel stack, and its size. */
void *thread_stack_top(const struct thread *t);
size_t thread_stack_size(const struct thread *t);

/* Its name, or "?" in a build without names or for no thread (NULL). */
static inline const char *
thread_name(const struct thread *t)
{
#ifdef CONFIG_THREAD_NAMES
	return t ? t->name : "?";
#else
	(void)t;
	return "?";
#endif
}

/*
 * Messages name a thread with "thread " THREAD_FMT and THREAD_ARG(t): by
 * its name, or, in a build without names, by its address, the one
 * thread_list_print() lists it under.  t may be NULL (no thread yet).
 */
#ifdef CONFIG_THREAD_NAMES
#define THREAD_FMT		"%s"
#define THREAD_ARG(t)		thread_name(t)
#else
#define THREAD_FMT		"%p"
#define THREAD_ARG(t)		((const void *)(t))
#endif

#ifdef CONFIG_THREAD_STACK_CHECK
/* Bytes of t's stack ever used: from the top down to where the paint ends. */
size_t thread_stack_used(const struct thread *t);
__noreturn void thread_stack_overflow(const struct thread *t);

/*
 * At each switch, for the thread leaving the CPU: its lowest word is the
 * canary.  Every thread has a painted stack, the boot thread's included
 * (its start-up code paints it; thread_register_boot() records it).
 */
static __always_inline void
thread_stack_check(const struct thread *t)
{
	if (*(const uint32_t *)t->stack != THREAD_STACK_PAINT)
		thread_stack_overflow(t);
}
#endif

/*
 * Print every thread: name, state, priority, and with
 * CONFIG_THREAD_STACK_CHECK its stack's high-water mark (kite_ps).
 */
void thread_list_print(void);
/* The boot thread's stack, from each port's start-up code or linker script. */
extern char boot_stack[], boot_stack_top[];

/* To the back of its priority; with interrupts on, and they stay on (as Linux). */
void thread_yield(void);
void thread_set_priority(struct thread *t, int prio);
/*
 * Limit t to the CPUs in mask (those of them that are online).  A thread
 * running elsewhere moves at once: when this returns for t == the caller,
 * the caller runs on one of them.  -EINVAL when no CPU in mask is online.
 */
int thread_set_affinity(struct thread *t, cpumask_t mask);
/*
 * Keep the calling thread on the CPU it runs on now, which is returned
 * (tests and benchmarks of one CPU's behaviour), until thread_unpin().
 */
unsigned int thread_pin(void);
void thread_unpin(void);

/* Sleep for at least ns nanoseconds (woken on the first tick after). */
void thread_sleep_ns(uint64_t ns);
/*
 * Sleep until deadline_ns on time_ns()'s clock (WAIT_FOREVER: until a
 * signal): 0 at the deadline, -EINTR when a signal came first (or was
 * already pending).
 */
int thread_sleep_interruptible_until(uint64_t deadline_ns);
#ifdef CONFIG_PROCESSES
/*
 * t has a signal to take (t->sigpending set first): end an interruptible
 * wait or sleep of t with -EINTR.  From any context.
 */
void thread_interrupt(struct thread *t);
static inline bool thread_signal_pending(const struct thread *t)
{
	return t->sigpending != 0;
}
#else
static inline bool thread_signal_pending(const struct thread *t)
{
	(void)t;
	return false;			/* no signals without processes */
}
#endif
static inline void thread_sleep_ms(unsigned int ms) { thread_sleep_ns(ms * 1000000ULL); }

/* Switch to the best ready thread of this CPU (the current one may stay). */
void schedule(void);
/*
 * Make a blocked thread ready, with wake_result = result (0 or -errno).
 * From any context.  False if it was not blocked.  Waiters on a wait
 * queue must be unlinked from it first (the wait queue code does that).
 */
bool thread_wake(struct thread *t, int result);

/* Preemption (preempt_disable/enable/point): <kernel/cpu.h>. */

/* Hooks for the rest of the core. */
void sched_init(void);			/* the boot context becomes a thread */
void sched_start(void);			/* the idle thread; preemption on */
void sched_tick(void);			/* from each CPU's timer interrupt */
#ifdef ARCH_CONTEXT_SWITCH_DEFERRED
/*
 * The port's preemption exception (<arch/thread.h>), once prev may be
 * switched out (need_resched, preemption count 0): what to resume after it.
 */
struct thread *sched_preempt_deferred(struct thread *prev);
#endif

/* Every interrupt's entry (irq_handle()): in_irq() from here on. */
static __always_inline void
sched_irq_enter(void)
{
#ifndef ARCH_HAS_IN_HANDLER
	this_cpu()->irq_depth++;
#endif
}

#ifndef ARCH_CONTEXT_SWITCH_DEFERRED
void sched_irq_preempt(struct thread *cur);	/* sched_irq_exit()'s slow path */
#endif

/*
 * Every interrupt's exit (irq_handle()): the preemption point of
 * interrupts, when the outermost handler made a better thread ready.  A
 * port that switches after interrupts (ARCH_CONTEXT_SWITCH_DEFERRED) is
 * just asked to: its exception checks there whether the thread may be
 * preempted, once, however many interrupts asked.
 */
static __always_inline void
sched_irq_exit(void)
{
	struct cpu *c = this_cpu();
	struct thread *cur = c->current;

#ifdef ARCH_HAS_IN_HANDLER
	/*
	 * No depth to count: the exception waits for the outermost handler.
	 * Asked only when cur may be switched out, which no handler can
	 * change before the exception runs, so it need not ask again.
	 */
	if (current_known(cur) && switch_wanted(cur))
		arch_preempt_request();
#else
	if (--c->irq_depth == 0 && current_known(cur) && need_resched(cur)) {
#ifdef ARCH_CONTEXT_SWITCH_DEFERRED
		arch_preempt_request();
#else
		sched_irq_preempt(cur);
#endif
	}
#endif
}

#ifdef CONFIG_SCHED_SWITCH_COUNT
/* Counts, for the watchdog, tests and benchmarks. */
unsigned long sched_context_switches(void);	/* all CPUs */
unsigned long sched_cpu_switches(unsigned int cpu);
#endif
/* Nanoseconds cpu spent in its idle thread since it started (SCHED_STATS). */
uint64_t sched_cpu_idle_ns(unsigned int cpu);
/*
 * The CPU time the calling thread has used, in nanoseconds, interrupts
 * it took included (SCHED_STATS: the clock source's count is read on
 * every switch).
 */
uint64_t thread_cputime_ns(void);
/* The same for any thread t (SCHED_STATS): its finished runs and the current one. */
uint64_t thread_cputime_ns_of(struct thread *t);
/* t is SCHED_FIFO: it keeps the CPU until it blocks, yields or a higher priority wakes. */
static inline bool
thread_no_slices(const struct thread *t)
{
#ifdef CONFIG_PROCESSES
	return t->sched_policy == 1;	/* SCHED_FIFO */
#else
	(void)t;
	return false;
#endif
}
/* Threads running or ready to run, on all CPUs (not the idle threads). */
unsigned int sched_nr_running(void);
/* Threads created since boot (Linux's "processes": forks; SCHED_STATS). */
unsigned long thread_created_total(void);
unsigned int thread_count(void);
/*
 * fn(t, arg) for every thread, under the thread list's spinlock: fn must
 * not sleep and may only read t (the watchdog's hung-task check).
 */
void thread_for_each(void (*fn)(struct thread *t, void *arg), void *arg);

#endif
