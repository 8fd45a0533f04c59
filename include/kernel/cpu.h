/*
 * Processors: one struct cpu per CPU the kernel runs on, CPU masks, and
 * the fast paths to "this CPU" and "the running thread".
 *
 * With CONFIG_SMP the port keeps a per-CPU register pointing at this
 * CPU's struct cpu (TPIDR_EL1 on AArch64, the GS base on x86_64, an FS
 * segment on i386; see <arch/cpu.h>).  Without it there is one struct cpu
 * and no register at all, so a uniprocessor kernel pays nothing.
 *
 * this_cpu() is only stable while the caller cannot migrate: interrupts
 * masked or preemption disabled.  thread_current() is always safe: the
 * running thread is the same whichever CPU answers.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <kernel/atomic.h>
#include <kernel/compiler.h>
#include <kernel/types.h>
#include <arch/cpu.h>

#define NR_CPUS		CONFIG_NR_CPUS

_Static_assert(NR_CPUS >= 1 && NR_CPUS <= 8 * sizeof(unsigned long),
	       "a cpumask_t is one word: 64 CPUs on 64-bit ports, 32 on 32-bit ones");

/* A set of logical CPU numbers, bit n for CPU n: one word, atomic anywhere. */
typedef unsigned long cpumask_t;

#define CPUMASK_ALL	(NR_CPUS == 8 * sizeof(unsigned long) ? ~0UL :	\
			 (1UL << (NR_CPUS % (8 * sizeof(unsigned long)))) - 1)
#define cpumask_of(cpu)	(1UL << (cpu))

static inline bool
cpumask_test(cpumask_t m, unsigned int cpu)
{
	return (m >> cpu) & 1;
}

/* Counted by hand: some ports' compilers would call libgcc for popcount. */
static inline unsigned int
cpumask_weight(cpumask_t m)
{
	unsigned int n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* The lowest CPU in m, or NR_CPUS when m is empty. */
static inline unsigned int
cpumask_first(cpumask_t m)
{
	return m ? (unsigned int)__builtin_ctzl(m) : NR_CPUS;
}

#define for_each_cpu(cpu, mask)						\
	for (cpumask_t m_ = (mask); m_ && ((cpu) = __builtin_ctzl(m_), 1);	\
	     m_ &= m_ - 1)

struct thread;

/*
 * What every CPU keeps of its own.  Subsystems with more per-CPU state
 * keep arrays indexed by cpu_id() (run queues in kernel/sched.c, timer
 * queues in kernel/timer.c, call queues in kernel/smp.c).  Written only by
 * the CPU itself, except where a field says otherwise.
 */
struct cpu {
	struct cpu *self;		/* offset 0: what the per-CPU register holds */
	struct thread *current;		/* offset 1 word: the running thread */
	unsigned int id;		/* logical number; 0 is the boot CPU */
#ifndef ARCH_HAS_IN_HANDLER
	int irq_depth;			/* interrupt handlers running (nested) */
#endif
#ifdef CONFIG_PROCESSES
	/*
	 * The port's entry code (x86-64 SYSCALL): the user's stack pointer
	 * while the kernel stack is found, and that stack's top.
	 */
	uintptr_t entry_scratch;
	uintptr_t entry_stack;
#endif
	unsigned long hwid;		/* MPIDR affinity (AArch64), APIC ID (x86): a word holds either */
	volatile bool online;		/* set once by the CPU, read by anyone */
#ifdef CONFIG_SCHED_SWITCH_COUNT
	/*
	 * Context switches on this CPU (its run queue's lock): here, beside
	 * current, which every switch writes too.
	 */
	unsigned long switches;
#endif
#ifdef CONFIG_WATCHDOG
	unsigned long user_returns;	/* by this CPU, interrupts masked: the watchdog's progress */
#endif
};

#define CPU_OFFSET_SELF		0
#define CPU_OFFSET_CURRENT	__SIZEOF_POINTER__
#define CPU_OFFSET_ID		(2 * __SIZEOF_POINTER__)
#define CPU_OFFSET_ENTRY_SCRATCH 24	/* x86-64 only (kernel/cpu.c checks) */
#define CPU_OFFSET_ENTRY_STACK	32

extern struct cpu cpus[NR_CPUS];

static __always_inline struct cpu *
this_cpu(void)
{
#ifdef CONFIG_SMP
	return arch_this_cpu();
#else
	return &cpus[0];
#endif
}

static __always_inline unsigned int
cpu_id(void)
{
#ifdef CONFIG_SMP
	return this_cpu()->id;
#else
	return 0;			/* a constant: per-CPU arrays fold away */
#endif
}

static __always_inline struct thread *
thread_current(void)
{
#if !defined(CONFIG_SMP)
	return cpus[0].current;
#elif defined(ARCH_HAS_PERCPU_LOAD)
	/* One segment-relative load: no interrupt can split it. */
	return (struct thread *)arch_percpu_load_ptr(CPU_OFFSET_CURRENT);
#else
	/* Two loads; masked so no migration falls between them. */
	unsigned long flags = arch_irq_save();
	struct thread *t = arch_this_cpu()->current;

	arch_irq_restore(flags);
	return t;
#endif
}

/*
 * Preemption control, inline because every spinlock uses it.  The count
 * and the flag belong to the running thread (a thread can only be
 * switched out with its count at zero, so it carries them between CPUs);
 * they sit at a fixed place in struct thread, after its run-queue links,
 * so this header reaches them without the whole definition.
 */
struct thread_preempt {
	union {
		struct {
			/*
			 * Nesting as deep as the locks one path holds: 8
			 * bits, as Linux's preemption count (debug kernels
			 * catch an overflow).
			 */
			uint8_t count;		/* > 0: must not be switched out */
			/*
			 * 0 when a better thread waits for this CPU
			 * (need_resched()); set by other CPUs too.
			 * Inverted, so that with count it reads as 1 exactly
			 * when preempt_enable() must switch: one test, as
			 * Linux's x86 folds PREEMPT_NEED_RESCHED into its
			 * count.
			 */
			volatile uint8_t no_resched;
		};
		uint16_t both;		/* count | no_resched << 8 */
	};
};

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "struct thread_preempt's halfword puts count in the low byte"
#endif

#ifdef CONFIG_DEBUG_KERNEL
void preempt_count_overflow(void) __noreturn;	/* sched.c: panics */
#endif

/* Where in struct thread (<kernel/thread.h> checks). */
#define THREAD_OFFSET_PREEMPT	(2 * __SIZEOF_POINTER__)

static __always_inline struct thread_preempt *
thread_preempt(struct thread *t)
{
	return (struct thread_preempt *)(void *)((char *)t + THREAD_OFFSET_PREEMPT);
}

/* A better thread waits for the CPU t runs on: t should give it up. */
static __always_inline bool
need_resched(struct thread *t)
{
	return thread_preempt(t)->no_resched == 0;
}

static __always_inline void
set_need_resched(struct thread *t)
{
	thread_preempt(t)->no_resched = 0;
}

/* Also how every thread starts (kernel/thread.c, and the boot thread in sched.c). */
static __always_inline void
clear_need_resched(struct thread *t)
{
	thread_preempt(t)->no_resched = 1;
}

/* Interrupt context on this CPU (safe to ask from a thread). */
#if defined(ARCH_HAS_IN_HANDLER)
static __always_inline bool
in_irq(void)
{
	return arch_in_handler();	/* the CPU knows: nothing to count */
}
#elif defined(CONFIG_SMP)
bool in_irq(void);
#else
static __always_inline bool
in_irq(void)
{
	return READ_ONCE(cpus[0].irq_depth) > 0;	/* nowhere to migrate to */
}
#endif

/* Switch if a better thread waits and we may: thread context, interrupts on (sched.c). */
void preempt_schedule(void);

/*
 * thread_current() is NULL on a CPU until its scheduler runs there; on one
 * CPU never (the boot thread is current from the start, kernel/cpu.c), so
 * the checks below vanish there.
 */
#ifdef CONFIG_SMP
#define current_known(t)	((t) != NULL)
#else
#define current_known(t)	((void)(t), true)
#endif

/*
 * Where a thread may be switched out if a better one waits.  The flag is
 * tested inline: in an interrupt handler (one CPU: a cheap test) it is
 * the handler's exit that switches, so there is nothing to call.
 */
#ifdef CONFIG_SMP
#define preempt_from_here()	true		/* preempt_schedule() asks */
#else
#define preempt_from_here()	(!in_irq())
#endif

/* A better thread waits for t's CPU and t's count allows the switch. */
static __always_inline bool
switch_wanted(struct thread *t)
{
	return thread_preempt(t)->both == 0;	/* count 0, no_resched 0 */
}

/*
 * After a wake-up, from a thread or a handler.  In a handler first: a
 * handler that woke a better thread finds a switch wanted, which its
 * exit makes, so there the one test ends it.
 */
static __always_inline void
preempt_point(void)
{
	struct thread *t;

	if (!preempt_from_here())
		return;
	t = thread_current();
	if (current_known(t) && switch_wanted(t))
		preempt_schedule();
}

static __always_inline void
preempt_disable(void)
{
	struct thread *t = thread_current();

	if (current_known(t)) {		/* NULL only before the scheduler */
#ifdef CONFIG_DEBUG_KERNEL
		if (thread_preempt(t)->count == UINT8_MAX)
			preempt_count_overflow();
#endif
		thread_preempt(t)->count++;
	}
	barrier();
}

static __always_inline void
preempt_enable(void)
{
	struct thread *t = thread_current();

	barrier();
	if (current_known(t)) {
		/* 0 exactly when this ends the last disable and a better thread waits. */
		unsigned int both = thread_preempt(t)->both - 1u;

		thread_preempt(t)->count = (uint8_t)both;
		if (both == 0 && preempt_from_here())
			preempt_schedule();
	}
}

/* CPUs running the kernel (set as each comes up; never cleared yet). */
extern volatile cpumask_t cpu_online_mask;

static inline cpumask_t
cpus_online(void)
{
	return load_acquire(&cpu_online_mask);
}

static inline unsigned int
nr_cpus_online(void)
{
	return cpumask_weight(cpus_online());
}

/* The CPUs the firmware described (M in "smp: N of M CPUs online"). */
extern unsigned int nr_cpus_described;

#endif
