/*
 * x86 page-table formats for the shared walker (mmu.c): both ports use
 * 64-bit entries (x86_64 long mode, i386 PAE) and 512-entry tables below
 * the root; they differ in the number of levels and in the root, which
 * on PAE has four entries that may carry nothing but P, PWT and PCD.
 * Private to arch/x86.
 */
#ifndef ARCH_X86_PGTABLE_H
#define ARCH_X86_PGTABLE_H

#include <asm/mmu.h>
#include <kernel/types.h>

typedef uint64_t pte_t;

#define PTE_P		(1ull << 0)	/* present */
#define PTE_W		(1ull << 1)	/* writable */
#define PTE_U		(1ull << 2)	/* user */
#define PTE_PWT		(1ull << 3)	/* write-through */
#define PTE_PCD		(1ull << 4)	/* cache disable */
#define PTE_A		(1ull << 5)
#define PTE_D		(1ull << 6)
#define PTE_PS		(1ull << 7)	/* large page (in a page directory) */
#define PTE_G		(1ull << 8)	/* global: survives CR3 loads */
#define PTE_PROTNONE	(1ull << 9)	/* software: mapped, no access (P clear) */
#define PTE_NX		(1ull << 63)
#define PTE_ADDR	0x000ffffffffff000ull

#define PT_ENTRIES	512		/* below the root */
#define PT_SHIFT	9

#ifdef __x86_64__
#define PT_LEVELS	4		/* PML4, PDPT, PD, PT */
#define PT_ROOT_ENTRIES	512
#define PT_ROOT_KERNEL	256		/* first root entry of the kernel half */
/* Root entries: the rights are decided in the leaves. */
#define PT_ROOT_FLAGS	(PTE_P | PTE_W | PTE_U)
#else
#define PT_LEVELS	3		/* PDPT, PD, PT */
#define PT_ROOT_ENTRIES	4
#define PT_ROOT_KERNEL	3		/* 0xc0000000 and up */
/* PAE PDPTEs: anything but P, PWT and PCD is reserved. */
#define PT_ROOT_FLAGS	PTE_P
#endif

#define PT_LEAF		(PT_LEVELS - 1)	/* level of the 4 KiB page tables */
#define PT_DIR		(PT_LEVELS - 2)	/* page directories: 2 MiB leaves allowed */
#define LARGE_SHIFT	21
#define LARGE_SIZE	(1ul << LARGE_SHIFT)

/* Bytes one entry at this level covers. */
static inline uint64_t
pt_span(int level)
{
	return 1ull << (PAGE_SHIFT + PT_SHIFT * (PT_LEAF - level));
}

static inline pte_t *
pt_table(uint64_t pa)
{
	return phys_to_virt((uintptr_t)pa);
}

/* Where tables come from: a zeroed page's physical address, 0 if none. */
typedef paddr_t (*pt_alloc_fn)(void);

/*
 * The entry for va at level under root.  Tables missing on the way are
 * made with alloc; without one, or when it fails, or when a large page
 * covers va, the walk stops: NULL and *err = -ENOENT, -ENOMEM, -EEXIST.
 */
pte_t *pt_walk(uintptr_t root, vaddr_t va, int level, pt_alloc_fn alloc, int *err);

/* How many tables pt_walk(..., level, ...) would make for [va, va + len). */
size_t pt_count_missing(uintptr_t root, vaddr_t va, uint64_t len, int level);

/* Leaf rights for portable MMU_* flags at va (kernel-half pages are global). */
pte_t pt_leaf_bits(unsigned int flags, vaddr_t va);

/* What the CPU lets the tables use, decided at boot (mmu_init.c). */
extern pte_t pte_nx;			/* PTE_NX once EFER.NXE is on, else 0 */
extern bool x86_pcid;			/* CR4.PCIDE is on */

/* The kernel's address space and its root, boot tables first (mmu.c). */
void x86_mmu_set_kernel_root(uintptr_t root);

#endif
