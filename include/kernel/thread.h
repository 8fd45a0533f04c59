/*
 * Kernel threads and the scheduler: fixed priorities, strict preemption by
 * priority, round-robin time slices among equal priorities, an idle thread
 * per CPU at the lowest priority.  Data structures are per CPU so SMP can
 * follow; today there is one CPU.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <arch/thread.h>
#include <kernel/list.h>
#include <kernel/timer.h>
#include <kernel/types.h>
#include <kernel/wait.h>
#ifdef CONFIG_PAGING
#include <kernel/vm.h>
#endif

#define THREAD_PRIO_IDLE	0
#define THREAD_PRIO_MAX		(CONFIG_NR_PRIORITIES - 1)
#define THREAD_PRIO_DEFAULT	(CONFIG_NR_PRIORITIES / 2)
#define THREAD_NAME_LEN		16

enum thread_state {
	THREAD_READY,			/* on a run queue */
	THREAD_RUNNING,
	THREAD_BLOCKED,			/* on a wait queue, maybe with a timeout */
	THREAD_DEAD,			/* exited, waiting to be joined */
};

struct mutex;

struct thread {
	struct arch_thread arch;	/* switched context */
	char name[THREAD_NAME_LEN];
	enum thread_state state;
	int prio;			/* effective: base or inherited */
	int base_prio;
	unsigned int slice;		/* ticks left in this time slice */
	struct list_head run_node;	/* run queue, or a wait queue */
	struct list_head all_node;	/* every thread, for listings */

	/* Blocking. */
	struct wait_queue *wq;		/* the queue it sleeps on, if any */
	struct timer timeout;
	int wake_result;		/* 0, -ETIMEDOUT */

	/* Priority inheritance. */
	struct mutex *blocked_on;
	struct list_head held;		/* mutexes it owns */

	/* Life. */
	void (*entry)(void *arg);
	void *arg;
	int exit_code;
	struct wait_queue joiners;
	unsigned int locks_held;	/* spinlocks: sleeping with one is a bug */
	uint64_t run_ns;		/* CPU time used */
#ifdef CONFIG_PAGING
	struct kstack kstack;
#else
	void *stack;
#endif
	size_t stack_size;
};

/*
 * Create a thread that starts running entry(arg) at priority prio.  It is
 * ready at once (and runs at once if it outranks the caller).  NULL when
 * memory runs out.  Stack size 0 means CONFIG_THREAD_STACK_SIZE.
 */
struct thread *thread_create(const char *name, void (*entry)(void *arg), void *arg,
			     int prio, size_t stack_size);
/* End the current thread; a joiner gets code. */
__attribute__((noreturn)) void thread_exit(int code);
/* Wait for t to exit, free it, return its exit code. */
int thread_join(struct thread *t);

struct thread *thread_current(void);
void thread_yield(void);
void thread_set_priority(struct thread *t, int prio);

/* Sleep for at least ns nanoseconds (woken on the first tick after). */
void thread_sleep_ns(uint64_t ns);
static inline void thread_sleep_ms(unsigned int ms) { thread_sleep_ns(ms * 1000000ULL); }

/* Block the current thread on its wait queue and run someone else. */
void schedule(void);
/* Make a blocked thread ready (from any context). */
void thread_wake(struct thread *t, int result);

/* Preemption: counted, off inside spinlocks and interrupt handlers. */
void preempt_disable(void);
void preempt_enable(void);
/* Switch now if a higher-priority thread is waiting and we may. */
void preempt_point(void);

/* Hooks for the rest of the core. */
void sched_init(void);			/* the boot context becomes a thread */
void sched_start(void);			/* the idle thread; preemption on */
void sched_tick(void);			/* from the timer interrupt */
void sched_irq_enter(void);
void sched_irq_exit(void);		/* preempts if a higher thread woke */
bool in_irq(void);

/* Counts, for tests and the boot log. */
unsigned long sched_context_switches(void);
unsigned int thread_count(void);

#endif
