/*
 * Kernel stack overflows on AArch64: a runaway recursion on a guarded
 * stack is reported as such, naming the stack, and the test resumes; the
 * boot stack's guard page is named too.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <kernel/errno.h>
#include <kernel/cpu.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <kernel/trap.h>
#include <kernel/vm.h>
#include "../mmu_internal.h"
#include "ktest_cpu.h"

uint64_t aarch64_test_load(uintptr_t addr);
long aarch64_test_on_sp0(long (*fn)(void));

static volatile unsigned long depth;

/* Never ends (the limit is out of reach), and no tail call to optimise. */
static __noinline long
runaway(void *arg)
{
	volatile char frame[200];

	frame[0] = (char)depth;
	if (++depth == ~0UL)
		return 0;
	return runaway(arg) + frame[0];
}

static bool
overflow_on(struct kstack *ks, struct trap_report *r)
{
	static struct arch_resume resume;

	depth = 0;
	if (arch_resume_set(&resume) == 0) {
		trap_expect_resume(TRAP_STACK_OVERFLOW, &resume);
		arch_call_on_stack(runaway, NULL, (void *)(ks->base + ks->size));
	}
	return trap_expect_end(r);
}

KTEST(aarch64, stack_overflow_reported)
{
	static struct kstack ks;
	bool irqs = arch_irqs_enabled();
	struct trap_report r;

	KASSERT(kstack_alloc(&ks, 4 * PAGE_SIZE, "ktest-runaway") == 0);
	thread_pin();		/* SP_EL0 is this CPU's */
	for (int round = 0; round < 2; round++) {
		KASSERT(overflow_on(&ks, &r));
		KEXPECT_EQ(r.kind, TRAP_STACK_OVERFLOW);
		KEXPECT(strstr(r.detail, "kernel stack overflow") != NULL);
		KEXPECT(strstr(r.detail, "ktest-runaway") != NULL);
		KEXPECT_OP(r.addr, <, ks.base);
		KEXPECT_OP(r.addr, >=, ks.base - PAGE_SIZE);
		KEXPECT_OP(depth, >, 4 * PAGE_SIZE / 256);
		/* Resumed on our own stack, with the exception stack empty again. */
		KEXPECT_EQ(read_sysreg(sp_el0), aarch64_exception_stack_top_of(cpu_id()));
		KEXPECT_EQ(arch_irqs_enabled(), irqs);
	}
	thread_unpin();
	kstack_free(&ks);
}

/* The same on the boot stack we run on: its guard page is named. */
KTEST(aarch64, boot_stack_overflow_reported)
{
	static struct arch_resume resume;
	struct trap_report r = { 0 };

	thread_pin();			/* SP_EL0 is this CPU's */
	depth = 0;
	if (arch_resume_set(&resume) == 0) {
		trap_expect_resume(TRAP_STACK_OVERFLOW, &resume);
		runaway(NULL);
	}
	KEXPECT(trap_expect_end(&r));
	KEXPECT(r.detail && strstr(r.detail, "kernel stack overflow: boot stack") != NULL);
	KEXPECT_OP(r.addr - (uintptr_t)boot_stack_guard, <, PAGE_SIZE);
	KEXPECT_EQ(read_sysreg(sp_el0), aarch64_exception_stack_top_of(cpu_id()));
	thread_unpin();
}

KTEST(aarch64, boot_stack_guard_named)
{
	struct trap_report r;

	KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), (vaddr_t)boot_stack_guard, NULL, NULL),
		   -ENOENT);
	KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), (vaddr_t)aarch64_exception_stack_guard,
				  NULL, NULL), -ENOENT);
	trap_expect(TRAP_STACK_OVERFLOW);
	aarch64_test_load((uintptr_t)boot_stack_guard + PAGE_SIZE - 16);
	KASSERT(trap_expect_end(&r));
	KEXPECT(strstr(r.detail, "kernel stack overflow: boot stack") != NULL);
}

static struct trap_report nested;

static long
fault_on_exception_stack(void)
{
	trap_expect(TRAP_DATA_ABORT);
	aarch64_test_load(8);
	return trap_expect_end(&nested) ? 1 : 0;
}

/* A fault while on the exception stack nests there (EL1t vectors). */
KTEST(aarch64, fault_on_exception_stack)
{
	thread_pin();
	KEXPECT_EQ(aarch64_test_on_sp0(fault_on_exception_stack), 1);
	KEXPECT(strstr(nested.vector, "EL1t") != NULL);
	KEXPECT(strstr(nested.detail, "NULL pointer dereference") != NULL);
	KEXPECT_EQ(read_sysreg(sp_el0), aarch64_exception_stack_top_of(cpu_id()));
	thread_unpin();
}

/* ---- on a secondary CPU: its own exception stack takes the report ---- */

struct overflow_result {
	bool seen;
	unsigned int cpu;
	struct trap_report r;
	char detail[192];
	uintptr_t sp_el0, exc_top;
};

static void
overflow_thread(void *arg)
{
	static struct arch_resume resume;
	struct overflow_result *res = arg;

	res->cpu = cpu_id();			/* pinned: it stays */
	depth = 0;
	if (arch_resume_set(&resume) == 0) {
		trap_expect_resume(TRAP_STACK_OVERFLOW, &resume);
		runaway(NULL);
	}
	res->seen = trap_expect_end(&res->r);
	if (res->seen && res->r.detail)
		strlcpy(res->detail, res->r.detail, sizeof(res->detail));
	res->sp_el0 = read_sysreg(sp_el0);
	res->exc_top = aarch64_exception_stack_top_of(cpu_id());
}

KTEST(aarch64, stack_overflow_on_secondary_cpu)
{
	static struct overflow_result res;
	unsigned int cpu = ktest_last_cpu();
	char name[16];
	struct thread *t;

	if (cpu == 0)
		KTEST_SKIP("one CPU");
	memset(&res, 0, sizeof(res));
	snprintf(name, sizeof(name), "runaway/%u", cpu);
	t = thread_create_on(name, overflow_thread, &res, THREAD_PRIO_DEFAULT, 0, cpumask_of(cpu));
	KASSERT(t != NULL);
	thread_join(t);
	KASSERT(res.seen);
	KEXPECT_EQ(res.cpu, cpu);
	KEXPECT_EQ(res.r.kind, TRAP_STACK_OVERFLOW);
	KEXPECT(strstr(res.detail, "kernel stack overflow: stack of runaway/") != NULL);
	KEXPECT(res.r.vector && strstr(res.r.vector, "no stack room: on the exception stack"));
	/* That CPU's own exception stack, empty again. */
	KEXPECT(res.exc_top != 0);
	KEXPECT(res.exc_top != (uintptr_t)aarch64_exception_stack_top);
	KEXPECT_EQ(res.sp_el0, res.exc_top);
}
