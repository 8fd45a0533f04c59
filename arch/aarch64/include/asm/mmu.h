/*
 * AArch64 half of <arch/mmu.h>: the kernel's virtual memory layout (4 KiB
 * granule, 48-bit virtual addresses, the kernel half in TTBR1), the
 * linear map conversions and the address-space handle.  Also read by
 * head.S, so the constants are assembler-safe.
 *
 *   0x0000000000000000 - 0x0000ffffffffffff  user space (TTBR0, per ASID)
 *   0xffff000000000000 - 0xffff7fffffffffff  linear map: PA 0..128 TiB
 *   0xffffff8000000000 - 0xffffff803fffffff  kernel stacks (guard pages)
 *   0xfffffffe00000000 - 0xfffffffe03ffffff  ioremap window (64 MiB)
 *   0xffffffff80000000 -                     kernel image (linked here)
 *
 * docs/aarch64.md explains the choices.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <kernel/const.h>

#define PAGE_SHIFT		12
#define VA_BITS			48

#define USER_TOP		(UL(1) << VA_BITS)
#define LINEAR_MAP_BASE		UL(0xffff000000000000)
#define LINEAR_MAP_SIZE		(UL(1) << 47)
#define LINEAR_MAP_PHYS_END	LINEAR_MAP_SIZE
#define KSTACK_AREA_BASE	UL(0xffffff8000000000)
#define KSTACK_AREA_SIZE	(UL(1) << 30)
#define IOREMAP_BASE		UL(0xfffffffe00000000)
#define IOREMAP_SIZE		(UL(64) << 20)
#define KERNEL_VIRT_BASE	UL(0xffffffff80000000)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <kernel/spinlock.h>

/*
 * An address space: its level-0 table and its ASID.  asid holds the
 * allocator's generation above bit 16 and the ASID below; 0 means none
 * was assigned yet (arch/aarch64/asid.c, under its asid_lock).  lock
 * guards the tables below root (arch/aarch64/mmu.c).
 */
struct arch_aspace {
	uintptr_t root;			/* physical address of the level-0 table */
	uint64_t asid;
	struct spinlock lock;
};

/* Kernel image virtual address minus its physical address (head.S). */
extern uint64_t aarch64_kimage_voffset;

/* Linear-map addresses, and (for static objects) the kernel image's. */
static inline uintptr_t
virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VIRT_BASE)
		return v - aarch64_kimage_voffset;
	return v - LINEAR_MAP_BASE;
}
#endif

#ifndef __ASSEMBLER__
/*
 * Whole pages of normal memory zeroed with DC ZVA, 64 bytes an
 * instruction (string.S; memset where DCZID_EL0 forbids it or gives
 * another block size): clear_pages() in <kernel/mm.h>.
 */
#define ARCH_HAS_CLEAR_PAGES	1
void arch_clear_pages(void *addr, size_t bytes);
#endif

#endif
