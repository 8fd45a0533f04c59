/*
 * AArch64 stage 1 translation table descriptors (4 KiB granule), and the
 * attribute sets the boot code and arch/aarch64/mmu*.c build from them.
 * Shared by head.S and C.
 */
#ifndef AARCH64_PGTABLE_H
#define AARCH64_PGTABLE_H

#include <asm/mmu.h>
#include "sysregs.h"

#define PT_ENTRIES		512
#define PT_SHIFT(level)		(39 - 9 * (level))	/* VA bits a level resolves */
#define BLOCK_2M		(UL(1) << 21)
#define BLOCK_1G		(UL(1) << 30)

/* Descriptor type, bits [1:0]. */
#define PTE_VALID		(UL(1) << 0)
#define PTE_TYPE_MASK		UL(3)
#define PTE_TYPE_BLOCK		UL(1)	/* levels 1 and 2 */
#define PTE_TYPE_TABLE		UL(3)	/* levels 0 to 2 */
#define PTE_TYPE_PAGE		UL(3)	/* level 3 */

/* Lower and upper attributes of block and page descriptors. */
#define PTE_ATTRINDX(mt)	((mt) << 2)
#define PTE_ATTRINDX_MASK	(UL(7) << 2)
#define PTE_USER		(UL(1) << 6)	/* AP[1]: EL0 may access */
#define PTE_RDONLY		(UL(1) << 7)	/* AP[2]: read-only */
#define PTE_SH_INNER		(UL(3) << 8)
#define PTE_AF			(UL(1) << 10)	/* access flag: set, never faults */
#define PTE_NG			(UL(1) << 11)	/* not global: tagged with the ASID */
#define PTE_PXN			(UL(1) << 53)
#define PTE_UXN			(UL(1) << 54)
#define PTE_ADDR_MASK		UL(0x0000fffffffff000)

/* Kernel attribute sets (without the descriptor type). */
#define PROT_NORMAL		(PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PROT_KERNEL_RW		(PROT_NORMAL | PTE_PXN | PTE_UXN)
#define PROT_KERNEL_RO		(PROT_NORMAL | PTE_RDONLY | PTE_PXN | PTE_UXN)
#define PROT_KERNEL_RX		(PROT_NORMAL | PTE_RDONLY | PTE_UXN)
#define PROT_KERNEL_RWX		(PROT_NORMAL | PTE_UXN)	/* boot tables only */

/* ID_AA64MMFR0_EL1 fields. */
#define MMFR0_PARANGE(v)	((v) & 0xf)
#define MMFR0_ASIDBITS(v)	(((v) >> 4) & 0xf)	/* 2: 16-bit ASIDs */

/*
 * Page-table pages head.S may take for its intermediate tables: the worst
 * case is 14 (each of the identity map, the image's linear alias and the
 * DTB straddling a level-0 and a level-1 boundary, plus two for the image).
 */
#define BOOT_PT_POOL_PAGES	16

#endif
