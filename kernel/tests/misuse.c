/*
 * Deliberate misuse of locks and of the CPU, one scenario per boot, chosen
 * with ktest.misuse=<name>: each must end in a panic that names the lock
 * and the threads involved, or (soft_lockup, kernel_fault) the stuck CPU
 * or the faulting code and its call chain.  tests/meson.build boots each
 * scenario and checks the console (the kernel cannot survive its own panic
 * to report).
 */
#include <string.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <arch/thread.h>

void ktest_misuse(void);

static struct mutex m;
static struct spinlock sl = SPINLOCK_INIT("misuse-spin");
static struct spinlock la = SPINLOCK_INIT("misuse-a"), lb = SPINLOCK_INIT("misuse-b");

static void
take_and_return(void *arg)
{
	mutex_lock(&m);			/* and exits holding it: never joined */
	for (;;)
		thread_sleep_ms(1000);
}

/* Two frames deep, so a backtrace has a caller to find on main's (the boot) stack. */
static __attribute__((noinline)) void
spin_without_preemption(volatile unsigned long *n)
{
	preempt_disable();
	for (;;)
		(*n)++;
}

static __attribute__((noinline)) void
lock_up(void)
{
	volatile unsigned long n = 0;

	spin_without_preemption(&n);
	n++;				/* not a tail call: lock_up keeps its frame */
}

#ifdef CONFIG_MMU
/* Where the wild read goes: not a constant, or the compiler would trap at once. */
static volatile uintptr_t wild_address = 0x10;

/* A kernel bug's read of an unmapped address, two frames below main's. */
static __attribute__((noinline)) unsigned long
read_wild(const volatile unsigned long *p)
{
	return *p;
}

static __attribute__((noinline)) unsigned long
fault_in_kernel(void)
{
	unsigned long v = read_wild((const volatile unsigned long *)wild_address);

	return v + 1;			/* not a tail call: fault_in_kernel keeps its frame */
}
#endif

#if ARCH_STACK_GUARD
/*
 * Unbounded recursion in small frames, the overflow a guard must stop at
 * its first word: the bound only keeps compilers from calling it infinite.
 */
static __attribute__((noinline)) unsigned int
recurse_deeper(volatile unsigned int *depth)
{
	volatile uint32_t frame[4];

	frame[0] = ++*depth;
	if (*depth > 1000000)
		return frame[0];
	return recurse_deeper(depth) + frame[0];
}

static void
recurse(void *arg)
{
	volatile unsigned int depth = 0;

	recurse_deeper(&depth);
}
#endif

#ifdef CONFIG_THREAD_STACK_CHECK
/* Its deepest frame reached the stack's last word, as an overflow does first. */
static void
overflow(void *arg)
{
	*(volatile uint32_t *)thread_current()->stack = 0;
	thread_sleep_ms(1);		/* the switch away checks it */
}
#endif

void
ktest_misuse(void)
{
	char what[32];

	if (cmdline_value("ktest.misuse", what, sizeof(what)) <= 0)
		return;
	printk(KERN_RAW "misuse: %s\n", what);
	mutex_init(&m, "misuse-mutex");
	if (strcmp(what, "mutex_unlock_other") == 0) {
		thread_create("owner", take_and_return, NULL, THREAD_PRIO_MAX, 0);
		mutex_unlock(&m);
	} else if (strcmp(what, "mutex_recursive") == 0) {
		mutex_lock(&m);
		mutex_lock(&m);
	} else if (strcmp(what, "sleep_in_spinlock") == 0) {
		spin_lock(&sl);
		thread_sleep_ms(1);
	} else if (strcmp(what, "spinlock_recursive") == 0) {
		spin_lock(&sl);
		spin_lock(&sl);
	} else if (strcmp(what, "spin_unlock_unlocked") == 0) {
		spin_unlock(&sl);
	} else if (strcmp(what, "preempt_overflow") == 0) {
		for (unsigned int i = 0; i <= UINT8_MAX; i++)	/* the count has 8 bits */
			preempt_disable();
	} else if (strcmp(what, "lock_order") == 0) {
		/* Never deadlocks here (one thread), but two CPUs could: reported. */
		spin_lock(&la);
		spin_lock(&lb);
		spin_unlock(&lb);
		spin_unlock(&la);
		spin_lock(&lb);
		spin_lock(&la);
	} else if (strcmp(what, "soft_lockup") == 0) {
		lock_up();
#ifdef CONFIG_MMU
	} else if (strcmp(what, "kernel_fault") == 0) {
		fault_in_kernel();
#endif
#ifdef CONFIG_THREAD_STACK_CHECK
	} else if (strcmp(what, "stack_overflow") == 0) {
		thread_join(thread_create("overflow", overflow, NULL, THREAD_PRIO_MAX, 0));
#endif
#if ARCH_STACK_GUARD
	} else if (strcmp(what, "stack_guard") == 0) {
		thread_join(thread_create("recurse", recurse, NULL, THREAD_PRIO_MAX, 0));
#endif
	}
	panic("misuse %s was not caught", what);
}
