/*
 * SMP on AArch64 (the core's own are kernel/tests/smp_test.c): every CPU
 * the tree describes and the machine has comes online with the MPIDR the
 * tree gave it (ktest.cpus=N, and ktest.cpus_described=M when the tree
 * lists CPUs that never come), IPIs (GIC SGIs) reach each CPU and are
 * counted there, each CPU's own virtual timer ticks, and an unmap has left
 * every CPU's TLB when it returns (kernel pages, and a user address space
 * loaded on two CPUs); destroying an address space unloads it everywhere.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/device.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/trap.h>
#include <kernel/vm.h>
#include "../pgtable.h"
#include "../smp_boot.h"
#include "ktest_cpu.h"

uint64_t aarch64_test_load(uintptr_t addr);
uint64_t aarch64_test_load_user(uintptr_t addr);


static void
read_hwid(void *out)
{
	((uint64_t *)out)[cpu_id()] = read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
}

KTEST(aarch64, smp_cpus_online)
{
	uint64_t want = 1, described, hwid[NR_CPUS] = { 0 };
	unsigned int cpu;

	cmdline_u64("ktest.cpus", &want);
	if (cmdline_u64("ktest.cpus_described", &described))
		described = want;
	KEXPECT_EQ(nr_cpus_online(), want);
	KEXPECT_EQ(nr_cpus_described, described);
	/* Each CPU is who the core thinks it is. */
	smp_call_mask(cpus_online(), read_hwid, hwid, true);
	for_each_cpu(cpu, cpus_online()) {
		KEXPECT(cpus[cpu].online);
		KEXPECT_EQ(cpus[cpu].id, cpu);
		KEXPECT_EQ(hwid[cpu], cpus[cpu].hwid);
	}
}

static unsigned long calls[NR_CPUS];

static void
count_call(void *arg)
{
	atomic_fetch_add(&calls[cpu_id()], 1);
}

KTEST(aarch64, smp_ipi_each_cpu)
{
	cpumask_t online = cpus_online();
	unsigned long before[NR_CPUS];
	unsigned int me, cpu;
	uint64_t end;

	if (cpumask_weight(online) < 2)
		KTEST_SKIP("one CPU");
	me = thread_pin();
	for_each_cpu(cpu, online & ~cpumask_of(me)) {
		unsigned long ipis = smp_ipi_count(cpu, IPI_CALL), n = calls[cpu];

		KEXPECT_EQ(smp_call_on(cpu, count_call, NULL, true), 0);
		KEXPECT_EQ(calls[cpu], n + 1);
		KEXPECT_OP(smp_ipi_count(cpu, IPI_CALL), >, ipis);
	}
	/* All at once, many times: nothing lost, nothing doubled. */
	for_each_cpu(cpu, online)
		before[cpu] = calls[cpu];
	for (int i = 0; i < 50; i++)
		smp_call_mask(online, count_call, NULL, true);
	for_each_cpu(cpu, online)
		KEXPECT_EQ(calls[cpu] - before[cpu], 50);
	/* A reschedule IPI arrives too (nothing to do there: just counted). */
	for_each_cpu(cpu, online & ~cpumask_of(me))
		before[cpu] = smp_ipi_count(cpu, IPI_RESCHEDULE);
	smp_send_ipi(online, IPI_RESCHEDULE);
	end = ktest_deadline(NSEC_PER_SEC);
	for_each_cpu(cpu, online & ~cpumask_of(me)) {
		while (smp_ipi_count(cpu, IPI_RESCHEDULE) == before[cpu] && time_ns() < end)
			arch_cpu_relax();
		KEXPECT_OP(smp_ipi_count(cpu, IPI_RESCHEDULE), >, before[cpu]);
	}
	thread_unpin();
}

/* This CPU's virtual timer: its compare value and control. */
static void
read_timer(void *out)
{
	uint64_t *v = (uint64_t *)out + 2 * cpu_id();

	v[0] = read_sysreg(cntv_cval_el0);
	v[1] = read_sysreg(cntv_ctl_el0);
}

KTEST(aarch64, smp_timer_each_cpu)
{
	const struct device *timer = device_find("arm,armv8-timer");
	uint64_t first[2 * NR_CPUS], now[2 * NR_CPUS], irqs0, end;
	cpumask_t online = cpus_online(), waiting = online;
	unsigned int cpu;
	int irq;

	KASSERT(timer != NULL);
	irq = device_irq(timer, 2);
	KASSERT(irq >= 0);
	irqs0 = irq_count((unsigned int)irq);
	smp_call_mask(online, read_timer, first, true);
	/* Each compare value moves on by a period per tick of that CPU. */
	end = ktest_deadline(NSEC_PER_SEC);
	while (waiting && time_ns() < end) {
		thread_sleep_ms(20);
		smp_call_mask(online, read_timer, now, true);
		for_each_cpu(cpu, waiting)
			if (now[2 * cpu] > first[2 * cpu] + 1)
				waiting &= ~cpumask_of(cpu);
	}
	KEXPECT_EQ(waiting, 0);
	for_each_cpu(cpu, online)
		KEXPECT_EQ(now[2 * cpu + 1] & 3, 1);	/* ENABLE, not IMASK */
	KEXPECT_OP(irq_count((unsigned int)irq), >=, irqs0 + cpumask_weight(online));
}

/* ------------------------------------------------------ TLB shootdown */

static struct {
	uintptr_t addr;
	uint64_t value;
	struct aspace *as;		/* the reader loads it first, or NULL */
	volatile bool ready, unmapped;
	volatile bool faulted;
	volatile unsigned long loads, stale, wrong;
	struct trap_report r;
	bool seen;
} sd;

/* Load sd.addr until it faults; a load that works after the unmap is stale. */
static void
reader(void *arg)
{
	uint64_t end = ktest_deadline(NSEC_PER_SEC);

	if (sd.as)
		aspace_switch(sd.as);
	trap_expect(TRAP_DATA_ABORT);
	for (;;) {
		bool after = load_acquire(&sd.unmapped);
		/* User pages as the user-copy routines read them (PAN). */
		uint64_t v = sd.as ? aarch64_test_load_user(sd.addr) : aarch64_test_load(sd.addr);

		if (v == sd.addr) {		/* the fixup: it faulted */
			sd.faulted = true;
			break;
		}
		if (v != sd.value)
			sd.wrong++;
		if (after)
			sd.stale++;
		sd.loads++;
		store_release(&sd.ready, true);
		if (time_ns() > end)
			break;
	}
	sd.seen = trap_expect_end(&sd.r);
	if (sd.as)
		aspace_switch(kernel_aspace());
}

/*
 * The main thread on CPU0 unmaps what a thread on the last CPU keeps
 * reading; returns false when there is one CPU only.
 */
static bool
shootdown(struct aspace *as, uintptr_t va, uint64_t *page)
{
	unsigned int rcpu = ktest_last_cpu();
	struct thread *t;
	uint64_t end;

	if (rcpu == 0)
		return false;
	memset((void *)&sd, 0, sizeof(sd));
	sd.addr = va;
	sd.value = page[0] = 0x5d5d5d5d00000000UL | rcpu;
	sd.as = as == kernel_aspace() ? NULL : as;
	KEXPECT_EQ(aspace_map(as, va, virt_to_phys(page), PAGE_SIZE, MMU_READ | MMU_WRITE), 0);
	if (sd.as) {
		/* Loaded here too: the same ASID on both CPUs. */
		aspace_switch(as);
		KEXPECT_EQ(aarch64_test_load_user(va), sd.value);
	}
	t = thread_create_on("tlb-reader", reader, NULL, THREAD_PRIO_DEFAULT, 0,
			     cpumask_of(rcpu));
	KEXPECT(t != NULL);
	if (!t)
		return true;
	end = ktest_deadline(NSEC_PER_SEC);
	while ((!sd.ready || sd.loads < 1000) && time_ns() < end)
		arch_cpu_relax();
	KEXPECT_OP(sd.loads, >=, 1000);
	KEXPECT_EQ(aspace_unmap(as, va, PAGE_SIZE), 0);
	store_release(&sd.unmapped, true);
	thread_join(t);
	if (sd.as)
		aspace_switch(kernel_aspace());
	KEXPECT(sd.faulted);
	KEXPECT(sd.seen);
	KEXPECT_EQ(sd.r.addr, va);
	KEXPECT_EQ(sd.stale, 0);
	KEXPECT_EQ(sd.wrong, 0);
	return true;
}

KTEST(aarch64, smp_tlb_shootdown_kernel)
{
	/* Beyond the kernel-stack slots: a plain unmapped kernel address after. */
	uintptr_t va = KSTACK_AREA_BASE + KSTACK_AREA_SIZE - PAGE_SIZE;
	uint64_t *page = page_alloc_addr(GFP_ZERO, 0);
	bool ran;

	KASSERT(page != NULL);
	thread_set_affinity(thread_current(), cpumask_of(0));
	ran = shootdown(kernel_aspace(), va, page);
	thread_unpin();
	page_free_addr(page, 0);
	if (!ran)
		KTEST_SKIP("one CPU");
}

KTEST(aarch64, smp_tlb_shootdown_user)
{
	struct aspace *as = aspace_create();
	uint64_t *page = page_alloc_addr(GFP_ZERO, 0);
	bool ran;

	KASSERT(as && page);
	thread_set_affinity(thread_current(), cpumask_of(0));
	ran = shootdown(as, 0x400000, page);
	thread_unpin();
	aspace_destroy(as);
	page_free_addr(page, 0);
	if (!ran)
		KTEST_SKIP("one CPU");
}

/* Destroying an address space another CPU still runs takes it off there. */
static void
load_as(void *as)
{
	aspace_switch(as);
}

static void
read_ttbr0(void *out)
{
	*(uint64_t *)out = read_sysreg(ttbr0_el1);
}

KTEST(aarch64, smp_destroy_unloads_everywhere)
{
	struct aspace *as = aspace_create();
	uint64_t *page = page_alloc_addr(GFP_ZERO, 0);
	unsigned int cpu = ktest_last_cpu();
	uint64_t ttbr0 = 0, root;

	KASSERT(as && page);
	if (cpu == 0) {
		aspace_destroy(as);
		page_free_addr(page, 0);
		KTEST_SKIP("one CPU");
	}
	root = as->arch.root;
	KEXPECT_EQ(aspace_map(as, 0x400000, virt_to_phys(page), PAGE_SIZE, MMU_READ), 0);
	/* Loaded there from an interrupt: that CPU's thread keeps it. */
	KEXPECT_EQ(smp_call_on(cpu, load_as, as, true), 0);
	KEXPECT_EQ(smp_call_on(cpu, read_ttbr0, &ttbr0, true), 0);
	KEXPECT_EQ(ttbr0 & PTE_ADDR_MASK, root);
	KEXPECT(ttbr0 >> 48 != 0);
	aspace_destroy(as);		/* frees the tables: no CPU may walk them */
	KEXPECT_EQ(smp_call_on(cpu, read_ttbr0, &ttbr0, true), 0);
	KEXPECT(ttbr0 != 0);
	KEXPECT((ttbr0 & PTE_ADDR_MASK) != root);
	KEXPECT_EQ(ttbr0 >> 48, 0);
	page_free_addr(page, 0);
}
