/*
 * ioremap: device registers in the kernel's address space.  Mappings are
 * carved from the port's ioremap window, whose page tables exist from
 * boot, so drivers can map their registers before the page allocator runs.
 * A range already mapped is handed out again (a console's early and late
 * users share one mapping).  Mappings are never torn down: devices stay.
 * ioremap_lock guards the table and the window's cursor.
 */
#define pr_fmt(fmt) "ioremap: " fmt

#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define MAX_MAPPINGS	64

static struct spinlock ioremap_lock = SPINLOCK_INIT("ioremap");
static struct {
	paddr_t pa;
	size_t size;
	uintptr_t va;
} maps[MAX_MAPPINGS];			/* ioremap_lock */
static unsigned int nr_maps;		/* ioremap_lock */
static uintptr_t next_va = IOREMAP_BASE;	/* ioremap_lock */

uintptr_t
ioremap(paddr_t pa, size_t size)
{
	paddr_t base = pa & ~(paddr_t)(PAGE_SIZE - 1);
	size_t len = (size_t)((pa - base + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	unsigned long flags = spin_lock_irqsave(&ioremap_lock);
	uintptr_t va = 0;

	for (unsigned int i = 0; i < nr_maps; i++)
		if (base >= maps[i].pa && base + len <= maps[i].pa + maps[i].size) {
			va = maps[i].va + (base - maps[i].pa);
			goto out;
		}
	if (nr_maps == MAX_MAPPINGS || len > IOREMAP_BASE + IOREMAP_SIZE - next_va) {
		spin_unlock_irqrestore(&ioremap_lock, flags);
		pr_err("window full: cannot map %#llx (+%zu)\n", (unsigned long long)pa, size);
		return 0;
	}
	if (arch_mmu_map(arch_kernel_aspace(), next_va, base, len / PAGE_SIZE,
			 MMU_READ | MMU_WRITE | MMU_DEVICE)) {
		spin_unlock_irqrestore(&ioremap_lock, flags);
		pr_err("cannot map %#llx (+%zu)\n", (unsigned long long)pa, size);
		return 0;
	}
	maps[nr_maps].pa = base;
	maps[nr_maps].size = len;
	maps[nr_maps].va = next_va;
	nr_maps++;
	va = next_va;
	next_va += len;
out:
	spin_unlock_irqrestore(&ioremap_lock, flags);
	return va + (uintptr_t)(pa - base);
}
