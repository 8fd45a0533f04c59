/*
 * x86 SMP on the real machine (CONFIG_SMP; the -smp variants pass
 * ktest.cpus=N): the CPUs the firmware tables describe all run, each
 * with the APIC ID the tables give it; IPIs reach each of them; every
 * CPU has its own local APIC tick; and a page one CPU unmaps faults at
 * once on another that was reading it, for a kernel page and for a user
 * space loaded on two CPUs (TLB shootdown).  Guarded exception stacks on
 * every CPU and stack overflows on each: mmu_test.c.
 * The core's own SMP tests are kernel/tests/smp_test.c.
 */
#include <string.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <asm/apic.h>
#include <asm/firmware.h>
#include <asm/x86.h>
#include <kernel/atomic.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/vm.h>
#include "../internal.h"

#define PRIO		THREAD_PRIO_DEFAULT
#define MAGIC		((uintptr_t)0x5a17c0de)
#define NO_READ		((uintptr_t)-1)		/* x86_probe_read() of a fault */

/* Another online CPU than this one (the highest), or NR_CPUS. */
static unsigned int
other_cpu(unsigned int me)
{
	cpumask_t others = cpus_online() & ~cpumask_of(me);

	return others ? 8 * sizeof(others) - 1 - (unsigned int)__builtin_clzl(others) : NR_CPUS;
}

static void
record_hwid(void *arg)
{
	uint64_t *hwid = arg;

	hwid[cpu_id()] = arch_cpu_hwid();
}

KTEST(x86_smp, cpus_from_firmware)
{
	const struct fw_apic_info *fw = x86_apic_info();
	static uint64_t hwid[NR_CPUS];
	uint64_t want;
	char acpi[8];
	unsigned int c;

	if (!fw)
		KTEST_SKIP("the firmware describes no CPUs (8259 mode)");
	if (cmdline_value("acpi", acpi, sizeof(acpi)) >= 0 && strcmp(acpi, "off") == 0)
		KEXPECT_STREQ(fw->source, "MP table");
	else
		KEXPECT_STREQ(fw->source, "ACPI MADT");
	if (cmdline_u64("ktest.cpus", &want) == 0) {
		KEXPECT_EQ(nr_cpus_online(), want);
		KEXPECT_EQ(fw->nr_cpus, want);
	}
	KEXPECT_EQ(lapic_x2apic(), cpu_has(1, 'c', CPUID_1_ECX_X2APIC) && !cmdline_has("nox2apic"));
	memset(hwid, 0xff, sizeof(hwid));
	smp_call_mask(cpus_online(), record_hwid, hwid, true);
	for_each_cpu(c, cpus_online()) {
		bool listed = false;

		/* Each CPU is who the tables and the core think it is. */
		KEXPECT_EQ(hwid[c], cpus[c].hwid);
		for (unsigned int i = 0; i < MIN(fw->nr_cpus, (unsigned int)FW_MAX_CPUS); i++)
			listed |= fw->cpus[i].apic_id == cpus[c].hwid;
		KEXPECT(listed);
	}
}

static void
record_cpu(void *arg)
{
	*(volatile unsigned int *)arg = cpu_id();
}

KTEST(x86_smp, ipi_reaches_each_cpu)
{
	unsigned int me = thread_pin(), c;
	unsigned int seen = 0;

	for_each_cpu(c, cpus_online() & ~cpumask_of(me)) {
		unsigned long calls = smp_ipi_count(c, IPI_CALL);
		unsigned long resched = smp_ipi_count(c, IPI_RESCHEDULE);
		volatile unsigned int ran_on = NR_CPUS;
		uint64_t end = ktest_deadline(10 * NSEC_PER_MSEC);

		KEXPECT_EQ(smp_call_on(c, record_cpu, (void *)&ran_on, true), 0);
		KEXPECT_EQ(ran_on, c);
		KEXPECT_OP(smp_ipi_count(c, IPI_CALL), >, calls);
		/* A bare reschedule IPI: counted by the target's vector handler. */
		smp_send_ipi(cpumask_of(c), IPI_RESCHEDULE);
		while (smp_ipi_count(c, IPI_RESCHEDULE) == resched && time_ns() < end)
			arch_cpu_relax();
		KEXPECT_OP(smp_ipi_count(c, IPI_RESCHEDULE), >, resched);
		seen++;
	}
	thread_unpin();
	KEXPECT_EQ(seen, nr_cpus_online() - 1);
}

static void
read_lvtt(void *arg)
{
	((uint32_t *)arg)[cpu_id()] = lapic_read(APIC_LVTT);
}

KTEST(x86_smp, lapic_tick_on_every_cpu)
{
	static uint32_t lvtt[NR_CPUS];
	unsigned long before[NR_CPUS];
	uint64_t end = ktest_deadline(100 * NSEC_PER_MSEC);
	cpumask_t waiting = cpus_online();
	unsigned int c;

	if (!lapic_active())
		KTEST_SKIP("the 8259 and the PIT run the interrupts");
	for_each_cpu(c, cpus_online()) {
		uint64_t hz = lapic_timer_hz(c), hz0 = lapic_timer_hz(0);

		before[c] = lapic_timer_ticks(c);
		/* Each CPU measured its own; the same bus clock, give or take. */
		KEXPECT_OP(hz, >, 1000000);
		KEXPECT_OP(hz, >, hz0 - hz0 / 20);
		KEXPECT_OP(hz, <, hz0 + hz0 / 20);
	}
	while (waiting && time_ns() < end) {
		thread_sleep_ms(10);
		for_each_cpu(c, waiting)
			if (lapic_timer_ticks(c) >= before[c] + 3)
				waiting &= ~cpumask_of(c);
	}
	KEXPECT_EQ(waiting, 0);
	smp_call_mask(cpus_online(), read_lvtt, lvtt, true);
	for_each_cpu(c, cpus_online())
		KEXPECT_EQ(lvtt[c], APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
}

/* ---- TLB shootdown: a reader on another CPU faults once the unmap returns ---- */

struct reader {
	struct aspace *as;		/* the user space to load, or NULL */
	vaddr_t va;
	unsigned long good, stale, faults;
	volatile bool unmapped, stop;
};

/*
 * Read va over and over.  Once the unmapping CPU said it is done (before
 * the read), every read must fault: a TLB entry left behind would still
 * read the page.
 */
static void
reader_thread(void *arg)
{
	struct reader *r = arg;

	if (r->as)
		aspace_switch(r->as);
	while (!r->stop && r->faults < 100) {
		bool after = load_acquire(&r->unmapped);
		uintptr_t v = x86_probe_read(r->va);

		if (v == MAGIC) {
			store_release(&r->good, r->good + 1);
			if (after)
				r->stale++;
		} else if (v == NO_READ && after) {
			r->faults++;
		}
	}
	if (r->as)
		aspace_switch(kernel_aspace());
}

/* Start the reader on cpu, wait until it has the page in its TLB. */
static struct thread *
reader_start(struct reader *r, unsigned int cpu)
{
	struct thread *t = thread_create_on("ktest-reader", reader_thread, r, PRIO, 0,
					    cpumask_of(cpu));
	uint64_t end = ktest_deadline(50 * NSEC_PER_MSEC);

	while (t && load_acquire(&r->good) < 1000 && time_ns() < end)
		thread_sleep_ms(1);
	return t;
}

static void
reader_finish(struct reader *r, struct thread *t)
{
	uint64_t end = ktest_deadline(50 * NSEC_PER_MSEC);

	while (r->faults < 100 && time_ns() < end)
		thread_sleep_ms(1);
	r->stop = true;
	thread_join(t);
}

KTEST(x86_smp, tlb_shootdown_kernel_page)
{
	/* A kernel-stack slot no stack uses (as mmu.kernel_map_protect_unmap). */
	const vaddr_t va = KSTACK_AREA_BASE + KSTACK_AREA_SIZE - 80 * PAGE_SIZE;
	struct reader r = { .as = NULL, .va = va };
	unsigned int me = thread_pin(), cpu = other_cpu(me);
	struct page *pg;
	struct thread *t;

	if (cpu == NR_CPUS) {
		thread_unpin();
		KTEST_SKIP("one CPU online");
	}
	pg = alloc_pages(GFP_ZERO, 0);
	KASSERT(pg != NULL);
	*(volatile uintptr_t *)page_address(pg) = MAGIC;
	KASSERT(arch_mmu_map(arch_kernel_aspace(), va, page_to_phys(pg), 1,
			     MMU_READ | MMU_WRITE) == 0);
	t = reader_start(&r, cpu);
	KASSERT(t != NULL);
	KEXPECT_OP(r.good, >=, 1000);
	KEXPECT_EQ(arch_mmu_unmap(arch_kernel_aspace(), va, 1), 0);
	store_release(&r.unmapped, true);
	reader_finish(&r, t);
	thread_unpin();
	KEXPECT_EQ(r.stale, 0);
	KEXPECT_OP(r.faults, >=, 100);
	free_pages(pg, 0);
}

KTEST(x86_smp, tlb_shootdown_user_space_on_two_cpus)
{
	const vaddr_t va = 0x10000000;
	struct aspace *as = aspace_create();
	struct reader r = { .as = as, .va = va };
	unsigned int me = thread_pin(), cpu = other_cpu(me);
	struct page *pg;
	struct thread *t;

	KASSERT(as != NULL);
	if (cpu == NR_CPUS) {
		aspace_destroy(as);
		thread_unpin();
		KTEST_SKIP("one CPU online");
	}
	pg = alloc_pages(GFP_ZERO, 0);
	KASSERT(pg != NULL);
	*(volatile uintptr_t *)page_address(pg) = MAGIC;
	KASSERT(aspace_map(as, va, page_to_phys(pg), PAGE_SIZE, MMU_READ | MMU_WRITE) == 0);
	aspace_switch(as);			/* loaded here too */
	KEXPECT_EQ(x86_probe_read(va), MAGIC);
	t = reader_start(&r, cpu);
	KASSERT(t != NULL);
	KEXPECT_OP(r.good, >=, 1000);
	KEXPECT_EQ(as->arch.loaded, cpumask_of(me) | cpumask_of(cpu));
	KEXPECT_EQ(aspace_unmap(as, va, PAGE_SIZE), 0);
	store_release(&r.unmapped, true);
	KEXPECT_EQ(x86_probe_read(va), NO_READ);	/* here at once too */
	reader_finish(&r, t);
	aspace_switch(kernel_aspace());
	thread_unpin();
	KEXPECT_EQ(r.stale, 0);
	KEXPECT_OP(r.faults, >=, 100);
	KEXPECT_EQ(as->arch.loaded, 0);
	aspace_destroy(as);
	free_pages(pg, 0);
}
