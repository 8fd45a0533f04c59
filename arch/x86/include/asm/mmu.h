/*
 * x86 half of <arch/mmu.h>: the virtual memory layout of both ports, the
 * linear-map conversions and the address-space handle.  Also read by the
 * heads ({32,64}/head.S) and the linker scripts' users, so the constants
 * are assembler-safe.  docs/x86.md explains the choices.
 *
 * x86_64 (4-level paging, 48-bit virtual addresses):
 *   0x0000000000000000 - 0x00007fffffffffff  user space (page 0 never mapped)
 *   0xffff888000000000 - 0xffffc87fffffffff  linear map: PA 0..64 TiB
 *   0xffffc90000000000 - 0xffffc9003fffffff  kernel stacks (guard pages)
 *   0xffffffff80000000 - 0xffffffffbfffffff  kernel image: KERNEL_VIRT_BASE + PA
 *   0xffffffffc0000000 - 0xffffffffc3ffffff  ioremap window (64 MiB)
 *
 * i386 (PAE, 3 GiB user / 1 GiB kernel):
 *   0x00000000 - 0xbfffffff  user space (page 0 never mapped)
 *   0xc0000000 - 0xf7ffffff  linear map: PA 0..896 MiB; the image is part of it
 *   0xf8000000 - 0xfbffffff  kernel stacks (guard pages)
 *   0xfc000000 - 0xfdffffff  ioremap window (32 MiB)
 *   0xfe000000 - 0xffffffff  unused (room for fixed mappings)
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <kernel/const.h>

#define PAGE_SHIFT		12

/* The kernel is loaded at 1 MiB physical and runs at KERNEL_VIRT_BASE + PA. */
#define KERNEL_PHYS_BASE	UL(0x100000)

#ifdef __x86_64__
#define USER_TOP		UL(0x0000800000000000)
#define LINEAR_MAP_BASE		UL(0xffff888000000000)
#define LINEAR_MAP_PHYS_END	(UL(1) << 46)
#define KSTACK_AREA_BASE	UL(0xffffc90000000000)
#define KSTACK_AREA_SIZE	(UL(1) << 30)
#define KERNEL_VIRT_BASE	UL(0xffffffff80000000)
#define IOREMAP_BASE		UL(0xffffffffc0000000)
#define IOREMAP_SIZE		(UL(64) << 20)
/* What head.S maps of the linear map before C runs (2 MiB pages). */
#define BOOT_LINEAR_MAP_END	(UL(4) << 30)
#else
#define USER_TOP		UL(0xc0000000)
#define LINEAR_MAP_BASE		UL(0xc0000000)
#define LINEAR_MAP_PHYS_END	UL(0x38000000)	/* 896 MiB */
#define KSTACK_AREA_BASE	UL(0xf8000000)
#define KSTACK_AREA_SIZE	(UL(64) << 20)
#define KERNEL_VIRT_BASE	UL(0xc0000000)
#define IOREMAP_BASE		UL(0xfc000000)
#define IOREMAP_SIZE		(UL(32) << 20)
#define BOOT_LINEAR_MAP_END	LINEAR_MAP_PHYS_END
#endif

/* Physical address of an image symbol, for code that runs before paging. */
#define PHYS(sym)		((sym) - KERNEL_VIRT_BASE)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/*
 * An address space: its root table (PML4, or the PAE page-directory-
 * pointer table), the CPUs that have it loaded (a TLB shootdown's
 * targets) and, where the CPU has PCIDs, the one it runs under on each
 * CPU and which CPUs' copies under it went stale.  The masks are
 * cpumask_t words, changed atomically (arch/x86/mmu.c).
 */
struct arch_aspace {
	uintptr_t root;			/* physical address of the root table */
	unsigned long loaded;		/* CPUs with it in CR3 */
	unsigned long tlb_stale;	/* changed since: flush its PCID on load */
	struct {
		uint32_t gen;		/* that CPU's generation pcid belongs to */
		uint16_t pcid;		/* 0: none assigned there */
	} pcid[CONFIG_NR_CPUS];
};

/*
 * Linear-map addresses, and (x86_64, where the image has its own range)
 * the image's static objects.
 */
static inline uintptr_t
virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

#ifdef __x86_64__
	if (v >= KERNEL_VIRT_BASE)
		return v - KERNEL_VIRT_BASE;
#endif
	return v - LINEAR_MAP_BASE;
}
#endif

#endif
