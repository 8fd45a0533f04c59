/*
 * x86 threads on the real machine, both widths: the first switch into a
 * thread (stack alignment, interrupts on), FP/SSE state kept for threads
 * that own it (across switches and kernel FP brackets), callee-saved
 * registers across a yield and across preemption at interrupt return, and
 * interrupts taken on the interrupted thread's own kernel stack.  Tests
 * of one CPU's switching pin themselves and their threads to one CPU.  A
 * thread's stack overflow is in mmu_test.c, beside the other double-fault
 * tests.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/trap.h>
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
/* switch.S */
void x86_thread_start(void);

/* ---- the first run ---- */

static volatile bool entry_irqs_on;
static void *volatile entry_arg;

static void
first_run(void *arg)
{
	entry_irqs_on = arch_irqs_enabled();
	entry_arg = arg;
}

KTEST(x86_thread, first_frame)
{
	static uintptr_t stack[64] __aligned(16);
	uintptr_t top = (uintptr_t)&stack[64] - 4, base;
	struct arch_thread at;
	uintptr_t *sp;

	/* An unaligned top is rounded down (below the user frame's room, with processes). */
	arch_thread_init(&at, (void *)top, first_run, stack);
#ifdef CONFIG_PROCESSES
	base = (top - sizeof(struct arch_regs)) & ~(uintptr_t)15;
#else
	base = top & ~(uintptr_t)15;
#endif
	sp = (uintptr_t *)at.sp;
	KEXPECT_EQ(at.entry_stack, top);	/* ring 3 enters at the very top */
#ifdef __x86_64__
	/* entry and arg in RBX and R12, for x86_thread_start. */
	KEXPECT_EQ((uintptr_t)(sp + X86_SWITCH_REGS + 2), base);
	for (int i = 0; i < X86_SWITCH_REGS; i++) {
		if (i == X86_SWITCH_RBX)
			KEXPECT_EQ(sp[i], (uintptr_t)first_run);
		else if (i == X86_SWITCH_R12)
			KEXPECT_EQ(sp[i], (uintptr_t)stack);
		else
			KEXPECT_EQ(sp[i], 0);	/* the frame pointer too: a walk ends */
	}
	KEXPECT_EQ(sp[X86_SWITCH_REGS], (uintptr_t)x86_thread_start);
#else
	/* entry and arg above the null return address: cdecl. */
	KEXPECT_EQ((uintptr_t)(sp + X86_SWITCH_REGS + 6), base);
	for (int i = 0; i < X86_SWITCH_REGS; i++)
		KEXPECT_EQ(sp[i], 0);		/* the frame pointer too: a walk ends */
	KEXPECT_EQ(sp[X86_SWITCH_REGS], (uintptr_t)thread_trampoline);
	KEXPECT_EQ(sp[X86_SWITCH_REGS + 2], (uintptr_t)first_run);
	KEXPECT_EQ(sp[X86_SWITCH_REGS + 3], (uintptr_t)stack);
#endif
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
	static char marker;
	struct thread *t;

	entry_irqs_on = false;
	entry_arg = NULL;
	t = thread_create("ktest-first", first_run, &marker, PRIO + 1, 0);
	KASSERT(t != NULL);
	thread_join(t);
	KEXPECT(entry_irqs_on);
	KEXPECT(entry_arg == &marker);		/* its argument, through the first frame */
}

/* ---- FP/SSE state, switched eagerly for threads that own it ---- */

struct fp_probe {
	uint32_t xmm[16][4];
	uint32_t mxcsr, pad;
	uint64_t x87;			/* a double's bits: st0 */
};

/* fp_probe.S */
void x86_fp_probe_load(const struct fp_probe *p);
void x86_fp_probe_store(struct fp_probe *p);

#ifdef __x86_64__
#define NR_XMM	16
#else
#define NR_XMM	8
#endif
#define MXCSR_MASKED	0x1f80
#define MXCSR_RC_SHIFT	13		/* rounding control */

static void
fp_pattern(struct fp_probe *p, uint32_t seed)
{
	memset(p, 0, sizeof(*p));
	for (int r = 0; r < NR_XMM; r++)
		for (int w = 0; w < 4; w++)
			p->xmm[r][w] = seed * 0x01000193u ^ (uint32_t)(r * 4 + w) * 0x9e3779b9u;
	p->mxcsr = MXCSR_MASKED | (seed & 3) << MXCSR_RC_SHIFT;
	p->x87 = 0x4000000000000000ull | (uint64_t)seed << 20;	/* 2.0 and some */
}

static bool
fp_same(const struct fp_probe *a, const struct fp_probe *b)
{
	return memcmp(a->xmm, b->xmm, NR_XMM * sizeof(a->xmm[0])) == 0 &&
	       a->mxcsr == b->mxcsr && a->x87 == b->x87;
}

static bool
have_sse(void)
{
	return cpu_has(1, 'd', CPUID_1_EDX_SSE) && (read_cr(4) & CR4_OSFXSR);
}

KTEST(x86_thread, fp_enabled_eagerly)
{
	/*
	 * x87 and SSE usable on this CPU (as on every CPU), never trapping
	 * on first use: no CR0.TS laziness.  AVX (XSAVE state) stays off.
	 */
	KEXPECT_EQ(!!(read_cr(4) & CR4_OSFXSR), cpu_has(1, 'd', CPUID_1_EDX_FXSR));
	KEXPECT_EQ(read_cr(4) & CR4_OSXSAVE, 0);
	KEXPECT_EQ(read_cr(0) & (CR0_TS | CR0_EM), 0);
	KEXPECT_EQ(read_cr(0) & (CR0_MP | CR0_NE), CR0_MP | CR0_NE);
	KEXPECT(!thread_current()->arch.fp_owned);	/* kernel threads own none */
}

struct fp_run {
	uint32_t seed;
	int rounds, bad;
	unsigned int cpu_seen;
};

/* Own FP state, load a pattern, keep yielding and check it each time. */
static void
fp_worker(void *arg)
{
	struct fp_run *run = arg;
	struct fp_probe want, got;

	arch_thread_fp_own(&thread_current()->arch);
	x86_fp_probe_store(&got);
	if (got.mxcsr != MXCSR_MASKED)		/* the reset values */
		run->bad++;
	fp_pattern(&want, run->seed);
	x86_fp_probe_load(&want);
	for (int i = 0; i < run->rounds; i++) {
		thread_yield();
		x86_fp_probe_store(&got);
		if (!fp_same(&want, &got))
			run->bad++;
	}
	run->cpu_seen = cpu_id();
}

KTEST(x86_thread, fp_state_survives_switches)
{
	struct fp_run a = { .seed = 1, .rounds = 50 }, b = { .seed = 2, .rounds = 50 };
	unsigned long switches = sched_context_switches();
	struct thread *ta, *tb;
	unsigned int cpu;

	if (!have_sse())
		KTEST_SKIP("this CPU has no SSE");
	/*
	 * Both on one CPU at our priority: they start once we wait for them,
	 * and each yield switches from one to the other.
	 */
	cpu = thread_pin();
	ta = thread_create_on("ktest-fp-a", fp_worker, &a, PRIO, 0, cpumask_of(cpu));
	tb = thread_create_on("ktest-fp-b", fp_worker, &b, PRIO, 0, cpumask_of(cpu));
	KASSERT(ta && tb);
	thread_join(ta);
	thread_join(tb);
	thread_unpin();
	KEXPECT_EQ(a.bad, 0);
	KEXPECT_EQ(b.bad, 0);
	KEXPECT_EQ(a.cpu_seen, cpu);
	KEXPECT_EQ(b.cpu_seen, cpu);
	KEXPECT_OP(sched_context_switches(), >=, switches + 100);
}

static volatile int bracket_bad;

static void
fp_bracket_worker(void *arg)
{
	struct fp_probe mine, kernel, got;

	arch_thread_fp_own(&thread_current()->arch);
	fp_pattern(&mine, 7);
	x86_fp_probe_load(&mine);
	/* Kernel FP use in between leaves the thread's registers as they were. */
	arch_fp_kernel_begin();
	fp_pattern(&kernel, 9);
	x86_fp_probe_load(&kernel);
	x86_fp_probe_store(&got);
	if (!fp_same(&kernel, &got))
		bracket_bad++;
	arch_fp_kernel_end();
	x86_fp_probe_store(&got);
	if (!fp_same(&mine, &got))
		bracket_bad++;
}

KTEST(x86_thread, fp_kernel_bracket_keeps_owner_state)
{
	struct thread *t;

	if (!have_sse())
		KTEST_SKIP("this CPU has no SSE");
	bracket_bad = 0;
	t = thread_create("ktest-fp-bracket", fp_bracket_worker, NULL, PRIO + 1, 0);
	KASSERT(t != NULL);
	thread_join(t);
	KEXPECT_EQ(bracket_bad, 0);
	/* A kernel thread without FP state may bracket too. */
	arch_fp_kernel_begin();
	arch_fp_kernel_end();
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
	unsigned int cpu = thread_pin();		/* each yield a switch to the churner */
	struct thread *t;

	churn_stop = false;
	churn_bad = 0;
	t = thread_create_on("ktest-churn", churn, NULL, PRIO, 0, cpumask_of(cpu));
	KASSERT(t != NULL);
	KEXPECT_EQ(x86_callee_saved_probe(yield_often, MAIN_SEED), 0);
	churn_stop = true;
	thread_join(t);
	thread_unpin();
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
	uint64_t end = ktest_deadline(50 * TICK_NS);	/* a host stall is not a failure */

	timer_arm(&preempt_timer, time_ns() + 2 * TICK_NS);
	while (!preempted && time_ns() < end)
		;
}

KTEST(x86_thread, callee_saved_survive_preemption)
{
	struct thread *t;

	unsigned int cpu = thread_pin();		/* the preempter must preempt us */

	sem_init(&preempt_go, 0);
	preempted = false;
	preempter_bad = -1;
	t = thread_create_on("ktest-preempter", preempter, NULL, PRIO + 1, 0, cpumask_of(cpu));
	KASSERT(t != NULL);		/* ran, and waits for the timer */
	timer_init(&preempt_timer, post_go);
	KEXPECT_EQ(x86_callee_saved_probe(spin_until_preempted, MAIN_SEED), 0);
	KEXPECT(preempted);
	thread_join(t);
	thread_unpin();
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
	uint64_t end = ktest_deadline(50 * TICK_NS);	/* a host stall is not a failure */

	timer_arm(&irq_timer, time_ns() + 2 * TICK_NS);
	while (!irq_seen && time_ns() < end)
		;
}

KTEST(x86_thread, irq_on_the_threads_stack)
{
	struct thread *t;

	unsigned int cpu = thread_pin();

	irq_seen = false;
	timer_init(&irq_timer, note_stack);
	/* Above us, on our CPU: it keeps it until the interrupt has come. */
	t = thread_create_on("ktest-busy", busy_until_irq, NULL, PRIO + 1, 0, cpumask_of(cpu));
	KASSERT(t != NULL);
	KEXPECT(irq_seen);
	KEXPECT(irq_thread == t);
	KEXPECT_OP(irq_sp, >=, irq_stack_base);
	KEXPECT_OP(irq_sp, <, irq_stack_base + irq_stack_size);
	thread_join(t);
	thread_unpin();
}
