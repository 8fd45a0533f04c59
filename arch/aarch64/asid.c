/*
 * ASIDs and the TTBR0 switch on SMP: the generation scheme of Linux's
 * arm64 port (arch/arm64/mm/context.c), written anew for this kernel.
 *
 * An address space's asid is generation << 16 | number.  A number is
 * handed out once per generation (asid_map); when none is left the
 * generation advances (a rollover) and address spaces take numbers anew
 * as they are switched to.  Across CPUs:
 *   active[cpu]    the asid that CPU runs (0: none, or a rollover took it
 *                  away).  The switch's fast path claims it with one
 *                  compare-and-swap, so a concurrent rollover either sees
 *                  the new value or sends the switch down the slow path.
 *   reserved[cpu]  the asid that CPU ran when the last rollover came: it
 *                  may still run it (it has not switched since), so the
 *                  number stays taken in the new generation and its
 *                  address space keeps it.
 *   flush_pending  CPUs whose TLB may still hold old-generation entries:
 *                  each flushes its own before it runs a new asid.
 * asid_lock (raw, interrupts masked) guards asid_map, asid_next,
 * reserved[], flush_pending, changes of asid_generation and of any
 * as->asid; the fast path reads asid_generation and as->asid without it.
 * current_user[cpu] is written by that CPU only, interrupts masked.
 *
 * ASID 0 is never handed out: TTBR0 uses it with the empty table.  A
 * destroyed address space's number stays taken until the next rollover.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include "mmu_internal.h"

#define ASID_MAX	(1u << 16)

static struct spinlock asid_lock = SPINLOCK_INIT("asid");
static uint64_t asid_map[ASID_MAX / 64];
static uint64_t asid_generation = 1UL << ASID_GEN_SHIFT;
static unsigned int asid_count = 256;		/* 8-bit until mmu_asid_init() */
static unsigned int asid_next = 1;
static uint64_t active[NR_CPUS];
static uint64_t reserved[NR_CPUS];
static cpumask_t flush_pending;
static struct arch_aspace *current_user[NR_CPUS];
static paddr_t empty_root;

extern pte_t aarch64_empty_root[];

void
mmu_asid_init(unsigned int bits)
{
	asid_count = 1u << bits;
	empty_root = virt_to_phys(aarch64_empty_root);
}

unsigned int
mmu_asid_bits(void)
{
	return asid_count == ASID_MAX ? 16 : 8;
}

static bool
asid_gen_current(uint64_t asid)
{
	return asid && (asid & ~ASID_MASK) == __atomic_load_n(&asid_generation, __ATOMIC_RELAXED);
}

static bool
map_test_and_set(unsigned int n)
{
	uint64_t bit = 1UL << (n % 64);
	bool was = asid_map[n / 64] & bit;

	asid_map[n / 64] |= bit;
	return was;
}

/* A new generation (asid_lock held): only what CPUs run stays taken. */
static void
rollover(void)
{
	__atomic_store_n(&asid_generation, asid_generation + (1UL << ASID_GEN_SHIFT),
			 __ATOMIC_RELAXED);
	memset(asid_map, 0, sizeof(asid_map));
	map_test_and_set(0);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		uint64_t a = atomic_xchg(&active[cpu], 0);

		/* 0: no switch since the last rollover, so it still runs that one. */
		if (!a)
			a = reserved[cpu];
		map_test_and_set((unsigned int)(a & ASID_MASK));
		reserved[cpu] = a;
	}
	flush_pending = CPUMASK_ALL;
	asid_next = 1;
}

/* old was running on a CPU at the rollover: it keeps its number. */
static bool
reserved_update(uint64_t old, uint64_t keep)
{
	bool hit = false;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (reserved[cpu] == old) {
			reserved[cpu] = keep;
			hit = true;
		}
	return hit;
}

/* An asid of the current generation for as (asid_lock held). */
static uint64_t
new_asid(const struct arch_aspace *as)
{
	uint64_t old = as->asid, keep;

	if (old) {
		keep = asid_generation | (old & ASID_MASK);
		if (reserved_update(old, keep) ||
		    !map_test_and_set((unsigned int)(old & ASID_MASK)))
			return keep;
	}
	for (int round = 0; round < 2; round++) {
		for (unsigned int i = 0; i < asid_count - 1; i++) {
			unsigned int n = asid_next + i;

			if (n >= asid_count)
				n -= asid_count - 1;	/* wrap to 1: 0 is the empty table's */
			if (!map_test_and_set(n)) {
				asid_next = n + 1 < asid_count ? n + 1 : 1;
				return asid_generation | n;
			}
		}
		rollover();
	}
	panic("mmu: no ASID after a rollover (%u ASIDs for %d CPUs)", asid_count, NR_CPUS);
}

#ifdef CONFIG_KTEST
void (*mmu_asid_flush_hook)(void);

/* Tests shrink the ASID space to see rollovers; 0 gives it back. */
void
mmu_asid_limit(unsigned int count)
{
	static unsigned int saved;
	unsigned long flags = raw_spin_lock_irqsave(&asid_lock);

	if (!saved)
		saved = asid_count;
	asid_count = count ? count : saved;
	rollover();			/* numbers beyond the new count leave */
	raw_spin_unlock_irqrestore(&asid_lock, flags);
}
#endif

static void
ttbr0_set(paddr_t root, uint64_t asid)
{
	write_sysreg(ttbr0_el1, root | (asid & ASID_MASK) << 48);
	isb();
}

/*
 * The slow path: a new asid, and the TLB flush a rollover left this CPU.
 * Interrupts are masked.
 */
static uint64_t
switch_slow(struct arch_aspace *as, unsigned int cpu)
{
	unsigned long flags = raw_spin_lock_irqsave(&asid_lock);
	uint64_t asid = as->asid;

	if (!asid_gen_current(asid)) {
		asid = new_asid(as);
		WRITE_ONCE(as->asid, asid);
		/* Before its walks: an unmap elsewhere then sees it (mmu.c). */
		__asm__ __volatile__("dsb ish" ::: "memory");
	}
	if (flush_pending & cpumask_of(cpu)) {
		flush_pending &= ~cpumask_of(cpu);
		/*
		 * Review bug (e): TTBR0 must not hold an old-generation ASID
		 * across the flush.  A walk after it (speculation may walk at
		 * any time) would refill entries under a number this generation
		 * may give to another address space.  The empty table with
		 * ASID 0 gives a walk nothing to cache.
		 */
		ttbr0_set(empty_root, 0);
		__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" ::: "memory");
#ifdef CONFIG_KTEST
		if (mmu_asid_flush_hook)
			mmu_asid_flush_hook();
#endif
	}
	__atomic_store_n(&active[cpu], asid, __ATOMIC_RELAXED);
	raw_spin_unlock_irqrestore(&asid_lock, flags);
	return asid;
}

/* No user address space on this CPU (interrupts masked). */
static void
switch_to_none(unsigned int cpu)
{
	unsigned long flags;

	current_user[cpu] = NULL;
	ttbr0_set(empty_root, 0);
	/*
	 * Nothing of ours to keep over a rollover any more: drop the claim.
	 * (A pending flush still happens before this CPU runs a new asid.)
	 */
	flags = raw_spin_lock_irqsave(&asid_lock);
	__atomic_store_n(&active[cpu], 0, __ATOMIC_RELAXED);
	reserved[cpu] = 0;
	raw_spin_unlock_irqrestore(&asid_lock, flags);
}

void
arch_aspace_switch(struct arch_aspace *as)
{
	unsigned long irq = arch_irq_save();
	unsigned int cpu = cpu_id();
	uint64_t asid, old;

	if (!as || as == arch_kernel_aspace()) {
		switch_to_none(cpu);
		arch_irq_restore(irq);
		return;
	}
	asid = READ_ONCE(as->asid);
	old = __atomic_load_n(&active[cpu], __ATOMIC_RELAXED);
	/* The fast path: as's asid is current, and no rollover came between. */
	if (!old || !asid_gen_current(asid) ||
	    !__atomic_compare_exchange_n(&active[cpu], &old, asid, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		asid = switch_slow(as, cpu);
	current_user[cpu] = as;
	ttbr0_set(as->root, asid);
	arch_irq_restore(irq);
}

static void
unload_here(void *as)
{
	if (current_user[cpu_id()] == as)
		switch_to_none(cpu_id());
}

void
asid_unload(struct arch_aspace *as)
{
	cpumask_t users = 0;
	unsigned int cpu;

	for_each_cpu(cpu, cpus_online())
		if (READ_ONCE(current_user[cpu]) == as)
			users |= cpumask_of(cpu);
	if (users)
		smp_call_mask(users, unload_here, as, true);
	if (as->asid) {
		uint64_t op = (as->asid & ASID_MASK) << 48;

		__asm__ __volatile__("dsb ishst; tlbi aside1is, %0; dsb ish; isb"
				     :: "r"(op) : "memory");
	}
	as->asid = 0;
}

/* The ASID TTBR0 runs with now (0: no user address space). */
unsigned int
mmu_current_asid(void)
{
	return (unsigned int)(read_sysreg(ttbr0_el1) >> 48);
}
