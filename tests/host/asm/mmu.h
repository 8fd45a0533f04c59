/*
 * The host "port" half of <arch/mmu.h>: host memory stands in for RAM and
 * the linear map is the identity, so core mm code runs unchanged.
 */
#ifndef ASM_MMU_H
#define ASM_MMU_H

#include <stdint.h>

#define PAGE_SHIFT		12
#define LINEAR_MAP_BASE		0UL
#define LINEAR_MAP_PHYS_END	(~0ULL)
#define USER_TOP		0x1000UL
#define KSTACK_AREA_BASE	0UL
#define KSTACK_AREA_SIZE	0UL
#define IOREMAP_BASE		0UL
#define IOREMAP_SIZE		0UL

struct arch_aspace {
	int unused;
};

static inline uintptr_t virt_to_phys(const void *va) { return (uintptr_t)va; }

#endif
