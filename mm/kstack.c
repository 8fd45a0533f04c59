/*
 * Kernel stacks: each lives in a fixed-size slot of the kernel-stack area
 * whose lowest page is never mapped, so running off the bottom of a stack
 * faults on the guard page instead of overwriting whatever lies below.
 * The fault handler asks kstack_guard_hit() whose guard it was.
 */
#define pr_fmt(fmt) "kstack: " fmt

#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/vm.h>

#define SLOT_SIZE	(64 * 1024UL)		/* guard page + up to 60 KiB */
#define NR_SLOTS_MAX	1024
#define NR_SLOTS	(KSTACK_AREA_SIZE / SLOT_SIZE < NR_SLOTS_MAX ? \
			 KSTACK_AREA_SIZE / SLOT_SIZE : NR_SLOTS_MAX)

/*
 * A slot is claimed under slot_lock (raw, interrupts masked) and released
 * by its owner with one store; the fault handler reads them unlocked.
 */
static struct spinlock slot_lock = SPINLOCK_INIT("kstack");
static const struct kstack *slots[NR_SLOTS];

static vaddr_t
slot_base(size_t i)
{
	return KSTACK_AREA_BASE + i * SLOT_SIZE;
}

static void
unmap_and_free(vaddr_t va, size_t pages)
{
	struct arch_aspace *k = arch_kernel_aspace();

	for (size_t i = 0; i < pages; i++) {
		paddr_t pa;

		if (arch_mmu_query(k, va + i * PAGE_SIZE, &pa, NULL) == 0) {
			arch_mmu_unmap(k, va + i * PAGE_SIZE, 1);
			free_pages(pfn_to_page(pa >> PAGE_SHIFT), 0);
		}
	}
}

int
kstack_alloc(struct kstack *ks, size_t size, const char *owner)
{
	size_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long flags;
	size_t i;

	if (pages == 0 || pages * PAGE_SIZE > SLOT_SIZE - PAGE_SIZE)
		return -EINVAL;
	flags = raw_spin_lock_irqsave(&slot_lock);
	for (i = 0; i < NR_SLOTS && slots[i]; i++)
		;
	if (i == NR_SLOTS) {
		raw_spin_unlock_irqrestore(&slot_lock, flags);
		return -ENOMEM;
	}
	slots[i] = ks;			/* claimed; filled in below */
	raw_spin_unlock_irqrestore(&slot_lock, flags);

	/* Stacks grow down: the pages sit at the top of the slot. */
	ks->base = slot_base(i) + SLOT_SIZE - pages * PAGE_SIZE;
	ks->size = pages * PAGE_SIZE;
	ks->owner = owner;
	for (size_t p = 0; p < pages; p++) {
		struct page *pg = alloc_pages(GFP_ZERO, 0);

		if (!pg || arch_mmu_map(arch_kernel_aspace(), ks->base + p * PAGE_SIZE,
					page_to_phys(pg), 1, MMU_READ | MMU_WRITE)) {
			if (pg)
				free_pages(pg, 0);
			unmap_and_free(ks->base, p);
			store_release(&slots[i], NULL);
			return -ENOMEM;
		}
	}
	return 0;
}

void
kstack_free(struct kstack *ks)
{
	size_t i = (ks->base - KSTACK_AREA_BASE) / SLOT_SIZE;

	if (i >= NR_SLOTS || slots[i] != ks) {
		pr_err("free of a stack that is not registered (%s)\n", ks->owner);
		return;
	}
	/* Every CPU has flushed its TLB of the pages (arch_mmu_unmap) when freed. */
	unmap_and_free(ks->base, ks->size / PAGE_SIZE);
	store_release(&slots[i], NULL);
}

/*
 * A fault below a stack's lowest page but inside its slot is an overflow
 * (the guard page, or the rest of an oversized frame that skipped it).
 */
const struct kstack *
kstack_guard_hit(vaddr_t addr)
{
	const struct kstack *ks;

	if (addr < KSTACK_AREA_BASE || addr - KSTACK_AREA_BASE >= NR_SLOTS * SLOT_SIZE)
		return NULL;
	ks = READ_ONCE(slots[(addr - KSTACK_AREA_BASE) / SLOT_SIZE]);
	if (ks && addr < ks->base)
		return ks;
	return NULL;
}
