/*
 * x86 threads on the real machine, both widths: the first switch into a
 * thread (stack alignment, interrupts on), no SIMD state, callee-saved
 * registers across a yield and across preemption at interrupt return, and
 * interrupts taken on the interrupted thread's own kernel stack.  A
 * thread's stack overflow is in mmu_test.c, beside the other double-fault
 * tests.
 */
#include <arch/cpu.h>
#include <asm/x86.h>
#include <kernel/ktest.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/timer.h>

#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)
#define PRIO		THREAD_PRIO_DEFAULT
#define MAIN_SEED	0x5a5a0000ul
#define OTHER_SEED	0x3c3c0000ul

/* switch_probe.S */
int x86_callee_saved_probe(void (*fn)(void), unsigned long seed);

/* ---- the first run ---- */

static volatile bool entry_irqs_on;

static void
first_run(void *arg)
{
	entry_irqs_on = arch_irqs_enabled();
}

KTEST(x86_thread, first_frame)
{
	static uintptr_t stack[16] __aligned(16);
	struct arch_thread at;
	uintptr_t *sp;

	/* An unaligned top is rounded down. */
	arch_thread_init(&at, (char *)&stack[16] - 4);
	sp = (uintptr_t *)at.sp;
	KEXPECT_EQ((uintptr_t)(sp + X86_SWITCH_REGS + 2), (uintptr_t)&stack[16] - 16);
	for (int i = 0; i < X86_SWITCH_REGS; i++)
		KEXPECT_EQ(sp[i], 0);		/* the frame pointer too: a walk ends */
	KEXPECT_EQ(sp[X86_SWITCH_REGS], (uintptr_t)thread_trampoline);
	/*
	 * After the switch's RET the trampoline finds the stack as a call
	 * from a 16-byte aligned one leaves it (the SysV ABI of both widths;
	 * clang's i686-none-elf keeps only 4 bytes itself, GCC 16).
	 */
	KEXPECT_EQ((uintptr_t)(sp + X86_SWITCH_REGS + 2) % 16, 0);
	KEXPECT_EQ(sp[X86_SWITCH_REGS + 1], 0);
}

KTEST(x86_thread, first_run_irqs_on)
{
	struct thread *t;

	entry_irqs_on = false;
	t = thread_create("ktest-first", first_run, NULL, PRIO + 1, 0);
	KASSERT(t != NULL);
	thread_join(t);
	KEXPECT(entry_irqs_on);
}

/* ---- no FP/SIMD state to switch ---- */

KTEST(x86_thread, no_simd_state)
{
	/*
	 * The kernel is built integer-only, and SSE/AVX are never enabled:
	 * an SSE instruction would be #UD, not silently share registers
	 * between threads.
	 */
	KEXPECT_EQ(read_cr(4) & (CR4_OSFXSR | CR4_OSXSAVE), 0);
}

/* ---- callee-saved registers across a yield ---- */

static volatile bool churn_stop;
static volatile int churn_bad;

static void
yield_once(void)
{
	thread_yield();
}

static void
yield_often(void)
{
	for (int i = 0; i < 20; i++)
		thread_yield();
}

static void
churn(void *arg)
{
	while (!churn_stop)
		churn_bad += x86_callee_saved_probe(yield_once, OTHER_SEED);
}

KTEST(x86_thread, callee_saved_survive_yield)
{
	unsigned long switches = sched_context_switches();
	struct thread *t;

	churn_stop = false;
	churn_bad = 0;
	t = thread_create("ktest-churn", churn, NULL, PRIO, 0);
	KASSERT(t != NULL);
	KEXPECT_EQ(x86_callee_saved_probe(yield_often, MAIN_SEED), 0);
	churn_stop = true;
	thread_join(t);
	KEXPECT_EQ(churn_bad, 0);
	KEXPECT_OP(sched_context_switches(), >=, switches + 40);
}

/* ---- callee-saved registers across preemption from an interrupt ---- */

static struct semaphore preempt_go;
static struct timer preempt_timer;
static volatile bool preempted;
static volatile int preempter_bad;

static void
mark_preempted(void)
{
	preempted = true;
}

static void
preempter(void *arg)
{
	sem_wait(&preempt_go, WAIT_FOREVER);
	preempter_bad = x86_callee_saved_probe(mark_preempted, OTHER_SEED);
}

static void
post_go(struct timer *tm)
{
	sem_post(&preempt_go);
}

/*
 * With the probe's values loaded: arm the timer, then spin, never
 * yielding; only an interrupt's return can switch away.
 */
static void
spin_until_preempted(void)
{
	uint64_t end = time_ns() + 50 * TICK_NS;

	timer_arm(&preempt_timer, time_ns() + 2 * TICK_NS);
	while (!preempted && time_ns() < end)
		;
}

KTEST(x86_thread, callee_saved_survive_preemption)
{
	struct thread *t;

	sem_init(&preempt_go, 0);
	preempted = false;
	preempter_bad = -1;
	t = thread_create("ktest-preempter", preempter, NULL, PRIO + 1, 0);
	KASSERT(t != NULL);		/* ran, and waits for the timer */
	timer_init(&preempt_timer, post_go);
	KEXPECT_EQ(x86_callee_saved_probe(spin_until_preempted, MAIN_SEED), 0);
	KEXPECT(preempted);
	thread_join(t);
	KEXPECT_EQ(preempter_bad, 0);
}

/* ---- interrupts stay on the interrupted thread's stack ---- */

static struct timer irq_timer;
static volatile bool irq_seen;
static volatile uintptr_t irq_sp, irq_stack_base, irq_stack_size;
static struct thread *volatile irq_thread;

static void
note_stack(struct timer *tm)
{
	struct thread *t = thread_current();

	irq_sp = (uintptr_t)__builtin_frame_address(0);
	irq_thread = t;
	irq_stack_base = t->kstack.base;
	irq_stack_size = t->kstack.size;
	irq_seen = true;
}

static void
busy_until_irq(void *arg)
{
	uint64_t end = time_ns() + 50 * TICK_NS;

	timer_arm(&irq_timer, time_ns() + 2 * TICK_NS);
	while (!irq_seen && time_ns() < end)
		;
}

KTEST(x86_thread, irq_on_the_threads_stack)
{
	struct thread *t;

	irq_seen = false;
	timer_init(&irq_timer, note_stack);
	/* Above us: it keeps the CPU until the interrupt has come. */
	t = thread_create("ktest-busy", busy_until_irq, NULL, PRIO + 1, 0);
	KASSERT(t != NULL);
	KEXPECT(irq_seen);
	KEXPECT(irq_thread == t);
	KEXPECT_OP(irq_sp, >=, irq_stack_base);
	KEXPECT_OP(irq_sp, <, irq_stack_base + irq_stack_size);
	thread_join(t);
}
