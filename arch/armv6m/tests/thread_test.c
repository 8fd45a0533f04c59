/*
 * ARMv6-M thread tests: the switch itself (every register kept across
 * preemption and across a Thread-mode switch to a preempted thread, the
 * interrupt mask on resumption, requests from tail-chained interrupts
 * chained), where threads and handlers run, and
 * the RTOS profile's promise: a thread woken by an interrupt runs before
 * that interrupt returns to the thread it interrupted.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/thread.h>
#include <arch/trap.h>
#include <drivers/nvic.h>
#include <kernel/device.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include "../armv6m.h"

#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)
#define PRIO		THREAD_PRIO_DEFAULT
#define TEST_LINE	31		/* no nRF51 peripheral raises it */
#define NVIC_ISPR	0x100
#define NVIC_IPR	0x300

uint32_t armv6m_test_reg_spin(const uint32_t pattern[13], volatile uint32_t *stop);
uint32_t armv6m_test_reg_spin_shifted(const uint32_t pattern[13], volatile uint32_t *stop);

static uintptr_t
nvic_base(void)
{
	const struct device *nvic = device_find("arm,v6m-nvic");

	return nvic ? nvic->reg[0].start : 0;
}

static void
pend_line(unsigned int line)
{
	mmio_write32(nvic_base() + NVIC_ISPR, 1u << line);
}

/* The hardware frame of a preempted thread: right above PendSV's part. */
static const struct armv6m_hw_frame *
saved_frame(const struct thread *t)
{
	return (const struct armv6m_hw_frame *)(uintptr_t)
		((t->arch.sp & ~ARMV6M_SP_PREEMPTED) + ARMV6M_SWITCH_FRAME);
}

KTEST(armv6m, pendsv_below_every_interrupt)
{
	uint32_t shpr3 = mmio_read32(SCB_SHPR3);
	uint32_t ipr = mmio_read32(nvic_base() + NVIC_IPR);

	KEXPECT_EQ((shpr3 >> 16) & 0xff, PRIO_PENDSV);		/* PendSV */
	KEXPECT_OP((shpr3 >> 24) & 0xff, <, PRIO_PENDSV);	/* SysTick */
	KEXPECT_OP(ipr & 0xff, <, PRIO_PENDSV);			/* line 0 */
}

/* ---- stacks: threads on PSP, handlers on MSP ---- */

static volatile uint32_t seen_control, seen_msp, seen_psp;

static void
where_handler(unsigned int irq, void *arg)
{
	seen_control = read_special(control);
	seen_msp = read_special(msp);
	seen_psp = read_special(psp);
}

static void
where_thread(void *arg)
{
	uint32_t *out = arg;

	out[0] = read_special(control);
	out[1] = (uint32_t)(uintptr_t)__builtin_frame_address(0);
}

KTEST(armv6m, threads_on_psp_handlers_on_msp)
{
	uint32_t here = (uint32_t)(uintptr_t)__builtin_frame_address(0);
	uint32_t seen[2] = { 0, 0 };
	struct thread *t;

	/* main is the boot context, on the boot stack through PSP. */
	KEXPECT_EQ(read_special(control) & CONTROL_SPSEL, CONTROL_SPSEL);
	KEXPECT_OP(here, >=, (uintptr_t)__stack_bottom);
	KEXPECT_OP(here, <, (uintptr_t)__stack_top);

	/* Another thread: PSP in its heap stack. */
	t = thread_create("where", where_thread, seen, PRIO + 1, 0);
	KASSERT(t != NULL);
	KEXPECT_EQ(seen[0] & CONTROL_SPSEL, CONTROL_SPSEL);
	KEXPECT_OP(seen[1], <, (uint32_t)(uintptr_t)thread_stack_top(t));
	KEXPECT_OP(seen[1], >=, (uint32_t)(uintptr_t)t->stack);
	thread_join(t);

	/* A handler: MSP in the handlers' stack, the thread's PSP left alone. */
	KASSERT(irq_request(TEST_LINE, where_handler, NULL, "ktest") == 0);
	pend_line(TEST_LINE);
	isb();
	irq_free(TEST_LINE);
	KEXPECT_EQ(seen_control & CONTROL_SPSEL, 0);	/* SPSEL reads 0 in Handler mode */
	KEXPECT_OP(seen_msp, >=, (uintptr_t)__irq_stack_bottom);
	KEXPECT_OP(seen_msp, <, (uintptr_t)__irq_stack_top);
	KEXPECT_OP(seen_psp, >=, (uintptr_t)__stack_bottom);
	KEXPECT_OP(seen_psp, <, (uintptr_t)__stack_top);
}

/* ---- the switch saves every register ---- */

static volatile uint32_t reg_stop;

struct reg_worker {
	uint32_t pattern[13];
	uint32_t result;
	bool shifted;		/* spin one stack word lower */
};

static void
reg_worker(void *arg)
{
	struct reg_worker *w = arg;

	if (w->shifted)
		w->result = armv6m_test_reg_spin_shifted(w->pattern, &reg_stop);
	else
		w->result = armv6m_test_reg_spin(w->pattern, &reg_stop);
}

KTEST(armv6m, preemption_keeps_every_register)
{
	static struct reg_worker w[2];
	struct thread *t[2];
	unsigned long switches = sched_context_switches();

	reg_stop = 0;
	for (int i = 0; i < 2; i++) {
		for (int r = 0; r < 13; r++)
			w[i].pattern[r] = 0x1000u * (i + 1) + 0x1111u * (r + 1) + 0xa5000000u;
		w[i].result = ~0u;
		t[i] = thread_create("regs", reg_worker, &w[i], PRIO - 1, 0);
		KASSERT(t[i] != NULL);
	}
	/* Ten slices each: every switch between them comes from the tick. */
	thread_sleep_ms(20 * CONFIG_TIMESLICE_MS);
	reg_stop = 1;
	for (int i = 0; i < 2; i++) {
		thread_join(t[i]);
		KEXPECT_EQ(w[i].result, 0);
	}
	KEXPECT_OP(sched_context_switches() - switches, >=, 10);
}

/*
 * A thread preempted by the tick, resumed by main's Thread-mode yield:
 * arch_context_switch() undoes its exception frame by hand, and every
 * register (flags in the comparisons included) must come back.  Twice:
 * with the hardware's alignment word in the frame and without.
 */
KTEST(armv6m, yield_to_preempted_keeps_every_register)
{
	static struct reg_worker w;

	for (int shifted = 0; shifted < 2; shifted++) {
		unsigned int preempted = 0;
		struct thread *t;
		uint64_t end;

		reg_stop = 0;
		for (int r = 0; r < 13; r++)
			w.pattern[r] = 0x5a000000u + 0x0101u * (r + 1);
		w.result = ~0u;
		w.shifted = shifted;
		t = thread_create("regs", reg_worker, &w, thread_current()->prio, 0);
		KASSERT(t != NULL);
		end = ktest_deadline(40 * TICK_NS);
		while (preempted < 10 && time_ns() < end) {
			if (t->arch.sp & ARMV6M_SP_PREEMPTED)
				preempted++;
			thread_yield();		/* to it; the tick ends its slice */
		}
		reg_stop = 1;
		thread_join(t);
		KEXPECT_EQ(w.result, 0);
		KEXPECT_OP(preempted, >=, 10);
	}
}

#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
/*
 * ---- the MPU stack guard ----
 * Each heap thread's guard is 32 aligned bytes inside the 64 below its
 * stack, loaded into region 0 while it runs and replaced at each switch:
 * main, whose stack needs none, runs with the region off, and can read
 * another thread's guard.  (misuse-stack_guard runs into one.)
 */
#define MPU_RBAR	0xe000ed9c
#define MPU_RASR	0xe000eda0

static volatile uint32_t guard_rbar, guard_rasr;

static void
guard_probe(void *arg)
{
	guard_rbar = mmio_read32(MPU_RBAR);
	guard_rasr = mmio_read32(MPU_RASR);
}

KTEST(armv6m, mpu_guard_follows_the_running_thread)
{
	struct thread *t;
	uintptr_t guard;
	uint32_t rbar, rasr;

	t = thread_create("guarded", guard_probe, NULL, PRIO - 1, 0);
	KASSERT(t != NULL);			/* lower: has not run yet */
	KASSERT(armv6m_stack_guard_of(&t->arch, &guard));
	rbar = t->arch.mpu_rbar;
	rasr = t->arch.mpu_rasr;
	KEXPECT_EQ(guard % ARMV6M_GUARD_SIZE, 0);
	KEXPECT_OP(guard, >=, (uintptr_t)t->stack - ARCH_STACK_GUARD);
	KEXPECT_OP(guard + ARMV6M_GUARD_SIZE, <=, (uintptr_t)t->stack);
	KEXPECT_EQ(mmio_read32(MPU_RASR) & 1, 0);	/* main: none */
	(void)*(volatile uint32_t *)guard;	/* not ours: readable (a fault panics) */
	thread_join(t);
	KEXPECT_EQ(guard_rbar, rbar & ~0x10u);		/* VALID reads as 0 */
	KEXPECT_EQ(guard_rasr, rasr);
	KEXPECT_EQ(mmio_read32(MPU_RASR) & 1, 0);	/* main again */
}
#endif

/* ---- the HAL contract, driven directly ---- */

static struct arch_thread hal_main, hal_other;
static volatile uint32_t hal_primask, hal_rounds;

/* What a thread would run: this context never reaches it. */
static void
hal_unused_entry(void *arg)
{
}

static void
hal_other_entry(void)
{
	for (;;) {
		hal_primask = read_special(primask);
		hal_rounds++;
		arch_context_switch(&hal_other, &hal_main);
	}
}

/*
 * A context the scheduler does not know: switched to and back with
 * interrupts masked all along, so no tick can run the scheduler in it.
 * Both sides come back from arch_context_switch() with PRIMASK still set,
 * without an exception: call frames both ways.
 */
KTEST(armv6m, hal_switch_resumes_masked)
{
	static uint64_t stack[32];
	uint32_t *frame;
	unsigned long flags;

	arch_thread_init(&hal_other, &stack[32], hal_unused_entry, stack);
	frame = (uint32_t *)(uintptr_t)hal_other.sp;
	KEXPECT_EQ((uintptr_t)frame + ARMV6M_CALL_FRAME, (uintptr_t)&stack[32]);
	KEXPECT_EQ(frame[ARMV6M_CALL_LR / 4], (uintptr_t)armv6m_thread_start);
	KEXPECT_EQ(frame[ARMV6M_CALL_R4 / 4], (uintptr_t)hal_unused_entry);	/* r4, r5: */
	KEXPECT_EQ(frame[ARMV6M_CALL_R4 / 4 + 1], (uintptr_t)stack);	/* its arguments */
	frame[ARMV6M_CALL_LR / 4] = (uint32_t)(uintptr_t)hal_other_entry;	/* not the core's */

	hal_rounds = 0;
	hal_primask = 0;
	flags = arch_irq_save();
	for (int i = 0; i < 3; i++) {
		arch_context_switch(&hal_main, &hal_other);
		KEXPECT_EQ(read_special(primask) & PRIMASK_PM, PRIMASK_PM);
	}
	arch_irq_restore(flags);
	KEXPECT_EQ(hal_rounds, 3);
	KEXPECT_EQ(hal_primask & PRIMASK_PM, PRIMASK_PM);
	KEXPECT_EQ(hal_main.sp & ARMV6M_SP_PREEMPTED, 0);
	KEXPECT_EQ(mmio_read32(SCB_ICSR) & ARMV6M_ICSR_PENDSVSET, 0);	/* no exception asked for */
}

/*
 * ---- wake-ups from tail-chained interrupts ----
 * Two lines pending while main has interrupts masked: the first handler
 * wakes L (above main), the second H (above L).  Both run before PendSV,
 * which switches once, from main (its registers still live) to the best,
 * H.  H runs first; L, queued behind it, later; main last, having left
 * through PendSV.
 */
#define CHAIN_LINE	(TEST_LINE - 1)
static struct semaphore chain_sem[2];
static volatile char chain_order[4];
static volatile int chain_n;
static struct thread *chain_main;
static volatile uint32_t main_sp_tag_after_chain;

static void
chain_irq(unsigned int irq, void *arg)
{
	sem_post(arg);
}

static void
chain_record(void *arg)
{
	struct semaphore *s = arg;

	sem_wait(s, WAIT_FOREVER);
	if (s == &chain_sem[1])		/* main left through PendSV */
		main_sp_tag_after_chain = chain_main->arch.sp & ARMV6M_SP_PREEMPTED;
	chain_order[chain_n++] = s == &chain_sem[0] ? 'L' : 'H';
}

KTEST(armv6m, tail_chained_wakes_switch_once)
{
	struct thread *l, *h;
	unsigned long flags;

	chain_n = 0;
	chain_main = thread_current();
	main_sp_tag_after_chain = 0;
	for (int i = 0; i < 2; i++)
		sem_init(&chain_sem[i], 0);
	l = thread_create("chain-l", chain_record, &chain_sem[0], PRIO + 1, 0);
	KASSERT(l != NULL);			/* ran, blocked on its semaphore */
	h = thread_create("chain-h", chain_record, &chain_sem[1], PRIO + 2, 0);
	KASSERT(h != NULL);
	KASSERT(irq_request(CHAIN_LINE, chain_irq, &chain_sem[0], "ktest") == 0);
	KASSERT(irq_request(TEST_LINE, chain_irq, &chain_sem[1], "ktest") == 0);
	flags = arch_irq_save();
	pend_line(CHAIN_LINE);			/* the lower number is taken first */
	pend_line(TEST_LINE);
	arch_irq_restore(flags);
	chain_order[chain_n++] = 'M';
	irq_free(CHAIN_LINE);
	irq_free(TEST_LINE);
	thread_join(l);
	thread_join(h);
	KEXPECT_EQ(chain_n, 3);
	KEXPECT_EQ(chain_order[0], 'H');
	KEXPECT_EQ(chain_order[1], 'L');
	KEXPECT_EQ(chain_order[2], 'M');
	KEXPECT_EQ(main_sp_tag_after_chain, ARMV6M_SP_PREEMPTED);
}

/*
 * ---- an interrupt's wake-up while preemption is held off ----
 * main holds preemption off and takes an interrupt that wakes a thread
 * above it: PendSV runs (the exit asks for it) but must not switch; the
 * switch comes at main's preempt_enable(), by call, and once.
 */
static struct semaphore held_sem;
static volatile bool held_ran;

static void
held_wake(void *arg)
{
	sem_wait(&held_sem, WAIT_FOREVER);
	held_ran = true;
}

KTEST(armv6m, interrupt_wake_waits_for_preempt_enable)
{
	struct thread *t;
	unsigned long switches;
	uint64_t count0 = irq_count(TEST_LINE);

	held_ran = false;
	sem_init(&held_sem, 0);
	t = thread_create("held-wake", held_wake, NULL, PRIO + 1, 0);
	KASSERT(t != NULL);			/* ran, blocked on its semaphore */
	KASSERT(irq_request(TEST_LINE, chain_irq, &held_sem, "ktest") == 0);
	preempt_disable();
	switches = sched_context_switches();
	pend_line(TEST_LINE);			/* taken now: interrupts are on */
	isb();
	KEXPECT_EQ(irq_count(TEST_LINE), count0 + (IS_ENABLED(CONFIG_IRQ_STATS) ? 1 : 0));
	KEXPECT_EQ(held_ran, false);		/* PendSV ran and stayed */
	KEXPECT_EQ(sched_context_switches(), switches);
	KEXPECT_EQ(mmio_read32(SCB_ICSR) & ARMV6M_ICSR_PENDSVSET, 0);
	preempt_enable();
	KEXPECT_EQ(held_ran, true);		/* switched at the enable */
	irq_free(TEST_LINE);
	thread_join(t);
}

/*
 * ---- the RTOS promise ----
 * main spins counting; the tick's timer callback (interrupt context)
 * notes the count and where main was interrupted, then wakes a higher
 * thread.  That thread must find the count unchanged and main's saved
 * PC equal to the interrupted one: the switch happened on the interrupt's
 * way out, before main executed another instruction.
 */
static struct semaphore wake_sem;
static volatile uint32_t wake_progress;
static volatile uint32_t isr_progress, isr_pc, isr_psp;
static volatile uint32_t woken_progress, woken_pc, woken_psp, woken_ipsr;
static volatile uint64_t isr_cycles, woken_cycles;
static volatile bool woken;
static struct thread *spinner;

static void
wake_from_timer(struct timer *tm)
{
	const struct armv6m_hw_frame *f = (const void *)(uintptr_t)read_special(psp);

	isr_progress = wake_progress;
	isr_pc = f->pc;
	isr_psp = read_special(psp);
	isr_cycles = arch_cycles();
	sem_post(&wake_sem);
}

static void
woken_thread(void *arg)
{
	sem_wait(&wake_sem, WAIT_FOREVER);
	woken_cycles = arch_cycles();
	woken_progress = wake_progress;
	woken_ipsr = XPSR_EXCEPTION(read_special(ipsr));
	woken_pc = saved_frame(spinner)->pc;
	woken_psp = (spinner->arch.sp & ~ARMV6M_SP_PREEMPTED) + ARMV6M_SWITCH_FRAME;
	woken = true;
}

KTEST(rtos, irq_woken_thread_runs_before_thread_mode)
{
	static struct timer tm;
	struct thread *t;
	uint64_t end;

	sem_init(&wake_sem, 0);
	woken = false;
	wake_progress = 0;
	spinner = thread_current();
	t = thread_create("woken", woken_thread, NULL, PRIO + 2, 0);
	KASSERT(t != NULL);
	timer_init(&tm, wake_from_timer);
	timer_arm(&tm, time_ns() + 2 * TICK_NS);
	end = ktest_deadline(20 * TICK_NS);	/* a host stall is not a failure */
	while (!woken && time_ns() < end)
		wake_progress++;
	thread_join(t);
	KASSERT(woken);
	KEXPECT_OP(isr_progress, >, 0);
	KEXPECT_EQ(woken_progress, isr_progress);	/* main did not move */
	KEXPECT_EQ(woken_pc, isr_pc);			/* not one instruction */
	KEXPECT_EQ(woken_psp, isr_psp);
	KEXPECT_EQ(woken_ipsr, 0);			/* Thread mode */
	printk(KERN_RAW "# timer callback -> woken thread: %llu cycles\n",
	       (unsigned long long)(woken_cycles - isr_cycles));
}

/*
 * ---- what a thread's stack holds ----
 * A thread that prints and blocks, painted before it first runs: the
 * paint left untouched below its deepest frame is the headroom of the
 * default stack size.  Its frames plus one hardware frame (32 bytes,
 * interrupts) and one saved frame (32 or 36); handlers run elsewhere.
 */
static struct semaphore depth_sem;

static void
depth_thread(void *arg)
{
	printk(KERN_RAW "# a thread printing: %s %d %llu %p\n", "name", -42,
	       (unsigned long long)time_ns(), arg);
	sem_wait(&depth_sem, WAIT_FOREVER);
}

KTEST(armv6m, thread_stack_headroom)
{
	struct thread *t;
	uint32_t *p, *end;
	size_t used;

	sem_init(&depth_sem, 0);
	t = thread_create("depth", depth_thread, NULL, PRIO - 1, 0);
	KASSERT(t != NULL);			/* lower: has not run yet */
	end = (uint32_t *)(uintptr_t)t->arch.sp;
	for (p = t->stack; p < end; p++)
		*p = ARMV6M_STACK_PAINT;
	thread_sleep_ms(1);			/* it prints and blocks */
	used = armv6m_stack_used(t->stack, thread_stack_top(t));
	sem_post(&depth_sem);
	thread_join(t);
	printk(KERN_RAW "# thread stack: printk and a semaphore use %u of %u bytes\n",
	       (unsigned int)used, (unsigned int)CONFIG_THREAD_STACK_SIZE);
	KEXPECT_OP(used, >, ARMV6M_SWITCH_FRAME + 32);
	KEXPECT_OP(used, <, CONFIG_THREAD_STACK_SIZE * 7 / 8);
}

/*
 * ---- the demo (rtos_demo.c) ----
 * Interrupt -> message queue -> high thread -> message queue -> low
 * thread, five samples: all arrive in order, none dropped, the sensor
 * runs within a tick of its interrupt (in virtual time: -icount), both
 * threads fit their stacks and the heap gets every byte back.
 */
KTEST(rtos, demo_threads_exchange_messages)
{
	struct rtos_demo_stats st;

	KEXPECT_EQ(rtos_demo_run(5, &st), 0);
	KEXPECT_EQ(st.sent, 5);
	KEXPECT_EQ(st.dropped, 0);
	KEXPECT_EQ(st.received, 5);
	KEXPECT_EQ(st.out_of_order, 0);
	/* In real time a host stall between interrupt and thread is counted too. */
	if (ktest_strict_timing())
		KEXPECT_OP(st.max_latency_cycles, <, time_count_hz() / CONFIG_HZ);
	/* High-water marks need the paint (0 without CONFIG_THREAD_STACK_CHECK). */
	for (int i = 0; i < 2 && IS_ENABLED(CONFIG_THREAD_STACK_CHECK); i++) {
		KEXPECT_OP(st.stack_used[i], >, 0);
		KEXPECT_OP(st.stack_used[i] + 64, <=, st.stack_size[i]);
	}
	KEXPECT_OP(st.heap_free_running, <, st.heap_free_before);
	KEXPECT_EQ(st.heap_free_after, st.heap_free_before);
	printk(KERN_RAW "# demo: stacks sensor %u/%u logger %u/%u, heap free %u running, %u idle\n",
	       (unsigned int)st.stack_used[0], (unsigned int)st.stack_size[0],
	       (unsigned int)st.stack_used[1], (unsigned int)st.stack_size[1],
	       (unsigned int)st.heap_free_running, (unsigned int)st.heap_free_before);
}
