/* Shared by the AArch64 MMU files (mmu.c, mmu_init.c, boot.c, trap.c). */
#ifndef AARCH64_MMU_INTERNAL_H
#define AARCH64_MMU_INTERNAL_H

#include <arch/mmu.h>
#include <kernel/types.h>
#include "pgtable.h"

typedef uint64_t pte_t;

struct boot_info;

/* head.S */
extern pte_t boot_kernel_root[];		/* TTBR1's boot level-0 table */
extern uint64_t aarch64_boot_idmap;		/* the identity map's level-0 table (PA) */
extern char boot_stack_guard[], boot_stack_top[];
extern char aarch64_exception_stack_guard[], aarch64_exception_stack_top[];
extern char _start[], _end[];

/* mmu.c */
void mmu_boot_init(unsigned int asid_bits);	/* before the first mapping */
pte_t mmu_prot(unsigned int flags, bool user_space);
int mmu_map_blocks(paddr_t root, vaddr_t va, paddr_t pa, uint64_t size, pte_t prot,
		   paddr_t (*alloc)(void));

/* asid.c: struct arch_aspace's asid is generation << 16 | ASID. */
#define ASID_GEN_SHIFT	16
#define ASID_MASK	((UL(1) << ASID_GEN_SHIFT) - 1)
void mmu_asid_init(unsigned int bits);
unsigned int mmu_asid_bits(void);
unsigned int mmu_current_asid(void);
/* No CPU runs as (cross calls), and no TLB keeps its ASID's entries. */
void asid_unload(struct arch_aspace *as);
void mmu_asid_limit(unsigned int count);	/* tests only (CONFIG_KTEST) */
/*
 * Tests only: called right after a rollover's TLB flush, before the new
 * TTBR0 is written, to stand in for a speculative table walk there.
 */
extern void (*mmu_asid_flush_hook)(void);

/* mmu_init.c */
unsigned int mmu_pa_bits(void);			/* the CPU's physical address size */
void mmu_map_ram_early(struct boot_info *bi);	/* all RAM in the boot linear map */
/* The boot or exception stack whose guard page holds addr, or NULL. */
const char *mmu_guard_owner(vaddr_t addr);

/* smp.c: a CPU's exception stack top (what its SP_EL0 holds), or 0. */
#ifdef CONFIG_SMP
uintptr_t aarch64_exception_stack_top_of(unsigned int cpu);
#else
static inline uintptr_t
aarch64_exception_stack_top_of(unsigned int cpu)
{
	return cpu == 0 ? (uintptr_t)aarch64_exception_stack_top : 0;
}
#endif

/* mmu_asm.S: install a new TTBR1 table from the identity map. */
void aarch64_replace_ttbr1(paddr_t root, paddr_t idmap, uint64_t voffset);

#endif
