/*
 * HAL contract, MMU (ports that select ARCH_HAS_MMU): page tables for the
 * kernel and for address spaces, in portable terms.
 *
 * The port's <asm/mmu.h> defines, inline or as macros:
 *   PAGE_SHIFT (12 on every MMU port), KERNEL_VIRT_BASE (where the image
 *   runs), LINEAR_MAP_BASE (the virtual address of physical address 0:
 *   phys_to_virt(pa) == LINEAR_MAP_BASE + pa), LINEAR_MAP_PHYS_END (RAM at
 *   or above this physical address is not in the linear map and the core
 *   leaves it unused, e.g. i386 high memory),
 *   USER_TOP (first address above user space),
 *   IOREMAP_BASE, IOREMAP_SIZE (the device window: its page tables exist
 *   from boot, so arch_mmu_map() there never allocates),
 *   KSTACK_AREA_BASE, KSTACK_AREA_SIZE (kernel stacks with guard pages),
 *   struct arch_aspace (root table, ASID/PCID),
 *   paddr_t virt_to_phys(const void *) for linear-map addresses (and, where
 *   the image has its own range, the image's).
 *
 * Page-table pages come from the core: the port calls pt_page_alloc() and
 * pt_page_free() (mm/page_alloc.c).  All functions return 0 or -errno.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <kernel/types.h>
#include <asm/mmu.h>

#define PAGE_SIZE	(1UL << PAGE_SHIFT)

/* Every port's linear map is this one offset. */
static inline void *
phys_to_virt(paddr_t pa)
{
	return (void *)(pa + LINEAR_MAP_BASE);
}
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* Portable mapping attributes. */
#define MMU_READ	(1u << 0)
#define MMU_WRITE	(1u << 1)
#define MMU_EXEC	(1u << 2)
#define MMU_USER	(1u << 3)	/* reachable from user mode */
#define MMU_DEVICE	(1u << 4)	/* device memory: no caching, no reordering */
#define MMU_UNCACHED	(1u << 5)	/* normal memory, not cached */

/*
 * The kernel's own address space (the higher half shared by every
 * address space) exists from boot; these set up a user address space.
 */
int arch_aspace_init(struct arch_aspace *as);
void arch_aspace_destroy(struct arch_aspace *as);	/* frees its tables */
struct arch_aspace *arch_kernel_aspace(void);

/*
 * Map count pages at va to pa..., unmap them, change their attributes.
 * map fails with -EEXIST on an already mapped page (nothing changed),
 * -ENOMEM when a table cannot be allocated (nothing left half-done).
 * Unmap and protect skip holes.  TLB entries are invalidated on every CPU
 * before they return (SMP: broadcast or by IPI), so the caller may free or
 * reuse the frames at once (kstack_free() does).
 */
int arch_mmu_map(struct arch_aspace *as, vaddr_t va, paddr_t pa, size_t count,
		 unsigned int flags);
int arch_mmu_unmap(struct arch_aspace *as, vaddr_t va, size_t count);
int arch_mmu_protect(struct arch_aspace *as, vaddr_t va, size_t count,
		     unsigned int flags);
/* -ENOENT when va is not mapped. */
int arch_mmu_query(struct arch_aspace *as, vaddr_t va, paddr_t *pa, unsigned int *flags);

/*
 * Replace the boot page tables with the final kernel mappings: the linear
 * map of all usable RAM (non-executable), the image with W^X sections
 * (text RX, rodata R, data and bss RW), nothing at page 0.  Called by the
 * core once the page allocator works.
 */
struct boot_info;
void arch_mmu_init(const struct boot_info *bi);

/* Make as the current user address space (the kernel half stays). */
void arch_aspace_switch(struct arch_aspace *as);

/* Core-provided allocation of zeroed page-table pages. */
paddr_t pt_page_alloc(void);		/* 0 when out of memory */
void pt_page_free(paddr_t pa);

#endif
