/*
 * Kernel stacks: each lives in a fixed-size slot of the kernel-stack area
 * whose lowest page is never mapped, so running off the bottom of a stack
 * faults on the guard page instead of overwriting whatever lies below.
 * The fault handler asks kstack_guard_hit() whose guard it was.
 *
 * slots_lock guards the slot table.  Mapping and unmapping happen
 * outside it: unmapping waits for every CPU to drop the stack from its
 * TLB (<arch/mmu.h>), and only then are the frames and the slot reused.
 *
 * The last few stacks freed stay mapped in their slots for the next
 * thread (Linux keeps two per CPU): a thread's creation and exit then
 * cost no page allocation, no mapping and no TLB shootdown.  A reused
 * stack is zeroed, as a fresh one is.  kstack_shrink() gives them back.
 */
#define pr_fmt(fmt) "kstack: " fmt

#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/vm.h>

#define SLOT_SIZE	(64 * 1024UL)		/* guard page + up to 60 KiB */
#define NR_SLOTS_MAX	1024
#define NR_SLOTS	(KSTACK_AREA_SIZE / SLOT_SIZE < NR_SLOTS_MAX ? \
			 KSTACK_AREA_SIZE / SLOT_SIZE : NR_SLOTS_MAX)

#define NR_CACHED	4

static struct spinlock slots_lock = SPINLOCK_INIT("kstack-slots");
static const struct kstack *slots[NR_SLOTS];	/* slots_lock; read racily by faults */
/* Holds a cached slot in slots[]: base 0, so no guard hit is its. */
static const struct kstack cached_slot = { .owner = "(cached)" };
static struct {
	size_t slot;
	size_t pages;
} cached[NR_CACHED];				/* slots_lock */
static unsigned int nr_cached;			/* slots_lock */

static vaddr_t
slot_base(size_t i)
{
	return KSTACK_AREA_BASE + i * SLOT_SIZE;
}

static void
unmap_and_free(vaddr_t va, size_t pages)
{
	struct arch_aspace *k = arch_kernel_aspace();
	paddr_t pa[SLOT_SIZE / PAGE_SIZE];

	/*
	 * One unmap for the whole stack: on x86 each is a round of IPIs to
	 * every CPU.  The frames go back only once it returned (no CPU can
	 * reach them through a stale TLB entry then).
	 */
	for (size_t i = 0; i < pages; i++)
		if (arch_mmu_query(k, va + i * PAGE_SIZE, &pa[i], NULL) != 0)
			pa[i] = 0;
	arch_mmu_unmap(k, va, pages);
	for (size_t i = 0; i < pages; i++)
		if (pa[i])
			free_pages(pfn_to_page(pa[i] >> PAGE_SHIFT), 0);
}

/* Where a stack of pages sits in slot i: at the top, as stacks grow down. */
static vaddr_t
stack_base(size_t i, size_t pages)
{
	return slot_base(i) + SLOT_SIZE - pages * PAGE_SIZE;
}

/* A mapped stack's frames back, then its slot (no CPU can reach them by then). */
static void
release_slot(size_t i, size_t pages)
{
	unsigned long flags;

	unmap_and_free(stack_base(i, pages), pages);
	flags = spin_lock_irqsave(&slots_lock);
	slots[i] = NULL;
	spin_unlock_irqrestore(&slots_lock, flags);
}

int
kstack_alloc(struct kstack *ks, size_t size, const char *owner)
{
	size_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	bool reused = false;
	unsigned long flags;
	size_t i;

	if (pages == 0 || pages * PAGE_SIZE > SLOT_SIZE - PAGE_SIZE)
		return -EINVAL;
	flags = spin_lock_irqsave(&slots_lock);
	for (unsigned int c = nr_cached; c-- > 0;) {
		if (cached[c].pages == pages) {
			i = cached[c].slot;
			cached[c] = cached[--nr_cached];
			reused = true;
			break;
		}
	}
	if (!reused) {
		for (i = 0; i < NR_SLOTS && slots[i]; i++)
			;
		if (i == NR_SLOTS) {
			spin_unlock_irqrestore(&slots_lock, flags);
			return -ENOMEM;
		}
	}
	slots[i] = ks;			/* claimed; filled in below */
	spin_unlock_irqrestore(&slots_lock, flags);

	ks->base = stack_base(i, pages);
	ks->size = pages * PAGE_SIZE;
	ks->owner = owner;
	if (reused) {
		clear_pages((void *)ks->base, ks->size);	/* no stale pointers from its last thread */
		return 0;
	}
	for (size_t p = 0; p < pages; p++) {
		struct page *pg = alloc_pages(GFP_ZERO, 0);

		if (!pg || arch_mmu_map(arch_kernel_aspace(), ks->base + p * PAGE_SIZE,
					page_to_phys(pg), 1, MMU_READ | MMU_WRITE)) {
			if (pg)
				free_pages(pg, 0);
			unmap_and_free(ks->base, p);
			flags = spin_lock_irqsave(&slots_lock);
			slots[i] = NULL;
			spin_unlock_irqrestore(&slots_lock, flags);
			return -ENOMEM;
		}
	}
	return 0;
}

void
kstack_free(struct kstack *ks)
{
	size_t i = (ks->base - KSTACK_AREA_BASE) / SLOT_SIZE;
	unsigned long flags;

	if (i >= NR_SLOTS || READ_ONCE(slots[i]) != ks) {
		pr_err("free of a stack that is not registered (%s)\n", ks->owner);
		return;
	}
	flags = spin_lock_irqsave(&slots_lock);
	if (nr_cached < NR_CACHED) {
		cached[nr_cached].slot = i;
		cached[nr_cached++].pages = ks->size / PAGE_SIZE;
		slots[i] = &cached_slot;
		spin_unlock_irqrestore(&slots_lock, flags);
		return;
	}
	spin_unlock_irqrestore(&slots_lock, flags);
	release_slot(i, ks->size / PAGE_SIZE);
}

void
kstack_shrink(void)
{
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&slots_lock);
		size_t i, pages;

		if (!nr_cached) {
			spin_unlock_irqrestore(&slots_lock, flags);
			return;
		}
		nr_cached--;
		i = cached[nr_cached].slot;
		pages = cached[nr_cached].pages;
		spin_unlock_irqrestore(&slots_lock, flags);
		release_slot(i, pages);
	}
}

/*
 * A fault below a stack's lowest page but inside its slot is an overflow
 * (the guard page, or the rest of an oversized frame that skipped it).
 */
const struct kstack *
kstack_guard_hit(vaddr_t addr)
{
	const struct kstack *s;
	size_t i;

	if (addr < KSTACK_AREA_BASE || addr - KSTACK_AREA_BASE >= NR_SLOTS * SLOT_SIZE)
		return NULL;
	i = (addr - KSTACK_AREA_BASE) / SLOT_SIZE;
	s = READ_ONCE(slots[i]);
	if (s && addr < s->base)
		return s;
	return NULL;
}
