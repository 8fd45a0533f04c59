/*
 * x86 page tables, both widths: the walker, the HAL's map, unmap,
 * protect and query, address spaces and their switch with TLB upkeep
 * (PCIDs on x86_64 CPUs that have them).  The formats come from
 * pgtable.h; the boot-time kernel tables are built in mmu_init.c.
 *
 * The kernel half's root entries are made at boot and never change, so
 * a user address space copies them once and shares every kernel table
 * below them.  Kernel-half pages are global: a CR3 load keeps them.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <asm/x86.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include "internal.h"
#include "pgtable.h"

#define PCID_COUNT	4096

static struct arch_aspace kernel_as;
static struct arch_aspace *current_as = &kernel_as;
static uint32_t pcid_generation = 1;
static unsigned int next_pcid = 1;	/* PCID 0 is the kernel's */

struct arch_aspace *
arch_kernel_aspace(void)
{
	return &kernel_as;
}

void
x86_mmu_set_kernel_root(uintptr_t root)
{
	kernel_as.root = root;
}

/*
 * Whole pages that do not wrap and, on x86_64, canonical addresses: the
 * walker only looks at bits 47..12 and would alias anything else.
 */
static bool
range_ok(vaddr_t va, size_t count)
{
	vaddr_t last = va + count * PAGE_SIZE - 1;

	if ((va & (PAGE_SIZE - 1)) || count == 0 || last < va)
		return false;
#ifdef __x86_64__
	return last < USER_TOP || va >= (vaddr_t)0 - USER_TOP;
#else
	return true;
#endif
}

static inline unsigned int
pt_index(vaddr_t va, int level)
{
	uint64_t i = (uint64_t)va >> (PAGE_SHIFT + PT_SHIFT * (PT_LEAF - level));

	return (unsigned int)(i & (level == 0 ? PT_ROOT_ENTRIES - 1 : PT_ENTRIES - 1));
}

/* A table entry: the rights are decided in the leaves. */
static pte_t
pt_dir_bits(int level, vaddr_t va)
{
	if (level == 0 && PT_ROOT_FLAGS == PTE_P)
		return PTE_P;			/* PAE PDPTE */
	return PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
}

/* PAE loads the four root entries with CR3: reload it if root is live. */
static void
pt_root_changed(uintptr_t root)
{
	if (PT_LEVELS == 3 && (read_cr(3) & PTE_ADDR) == root)
		write_cr(3, read_cr(3));
}

pte_t *
pt_walk(uintptr_t root, vaddr_t va, int level, pt_alloc_fn alloc, int *err)
{
	pte_t *t = pt_table(root);

	for (int l = 0; l < level; l++) {
		pte_t *e = &t[pt_index(va, l)];

		if (l > 0 && (*e & PTE_PS)) {
			*err = -EEXIST;
			return NULL;
		}
		if (!(*e & PTE_P)) {
			paddr_t pa = alloc ? alloc() : 0;

			if (!pa) {
				*err = alloc ? -ENOMEM : -ENOENT;
				return NULL;
			}
			*e = pa | pt_dir_bits(l, va);
			if (l == 0)
				pt_root_changed(root);
		}
		t = pt_table(*e & PTE_ADDR);
	}
	return &t[pt_index(va, level)];
}

size_t
pt_count_missing(uintptr_t root, vaddr_t va, uint64_t len, int level)
{
	uint64_t last = va + len - 1;
	size_t n = 0;
	int err;

	for (int l = 1; l <= level; l++) {
		uint64_t span = pt_span(l - 1);		/* what one table at l covers */

		for (uint64_t a = va & ~(span - 1); a <= last; a += span) {
			pte_t *e = pt_walk(root, (vaddr_t)a, l - 1, NULL, &err);

			if (!e || !(*e & PTE_P))
				n++;
			if (a + span < a || (vaddr_t)(a + span) == 0)
				break;			/* the top of the address space */
		}
	}
	return n;
}

/* The entry mapping va, a 4 KiB PTE or a large PDE, or NULL; its level. */
static pte_t *
pt_lookup(uintptr_t root, vaddr_t va, int *level)
{
	pte_t *t = pt_table(root);

	for (int l = 0;; l++) {
		pte_t *e = &t[pt_index(va, l)];

		if (l == PT_LEAF || (l > 0 && (*e & PTE_PS))) {
			*level = l;
			return (*e & (PTE_P | PTE_PROTNONE)) ? e : NULL;
		}
		if (!(*e & PTE_P))
			return NULL;
		t = pt_table(*e & PTE_ADDR);
	}
}

pte_t
pt_leaf_bits(unsigned int flags, vaddr_t va)
{
	pte_t b = 0;

	if (flags & MMU_USER)
		b |= PTE_U;
	else if (va >= USER_TOP)
		b |= PTE_G;
	if (flags & MMU_DEVICE)
		b |= PTE_PCD | PTE_PWT;		/* UC with the power-on PAT */
	else if (flags & MMU_UNCACHED)
		b |= PTE_PCD;			/* UC- */
	/* No access at all: x86 cannot say it, so the entry is not present. */
	if (!(flags & (MMU_READ | MMU_WRITE | MMU_EXEC)))
		return b | PTE_PROTNONE;
	b |= PTE_P;
	if (flags & MMU_WRITE)
		b |= PTE_W;
	if (!(flags & MMU_EXEC))
		b |= pte_nx;
	return b;
}

static unsigned int
pt_flags_of(pte_t e)
{
	unsigned int f = 0;

	if (e & PTE_P) {
		f |= MMU_READ;
		if (e & PTE_W)
			f |= MMU_WRITE;
		if (!(e & PTE_NX))
			f |= MMU_EXEC;
	}
	if (e & PTE_U)
		f |= MMU_USER;
	if ((e & (PTE_PCD | PTE_PWT)) == (PTE_PCD | PTE_PWT))
		f |= MMU_DEVICE;
	else if (e & PTE_PCD)
		f |= MMU_UNCACHED;
	return f;
}

/*
 * A changed leaf: the kernel half is global and the same in every space,
 * so INVLPG reaches it whatever runs; a user space that is not loaded
 * flushes its PCID when it next is (without PCIDs every load flushes).
 */
static void
tlb_flush_page(struct arch_aspace *as, vaddr_t va)
{
	if (va >= USER_TOP || as == current_as)
		invlpg(va);
	else
		as->tlb_stale = true;
}

/* Every TLB entry of every PCID, global ones too: toggle CR4.PGE. */
static void
tlb_flush_all(void)
{
	unsigned long cr4 = read_cr(4);

	if (cr4 & CR4_PGE) {
		write_cr(4, cr4 & ~CR4_PGE);
		write_cr(4, cr4);
	} else {
		write_cr(3, read_cr(3));
	}
}

/*
 * Tables for arch_mmu_map() are allocated before anything is written, so
 * that running out of memory leaves the tables as they were.  They wait
 * in a list threaded through their first word.
 */
static paddr_t prealloc_list;

static void
prealloc_free(void)
{
	while (prealloc_list) {
		paddr_t pa = prealloc_list;

		prealloc_list = *(paddr_t *)pt_table(pa);
		pt_page_free(pa);
	}
}

static paddr_t
prealloc_take(void)
{
	paddr_t pa = prealloc_list;

	if (pa) {
		prealloc_list = *(paddr_t *)pt_table(pa);
		*(paddr_t *)pt_table(pa) = 0;
	}
	return pa;
}

static int
prealloc(size_t n)
{
	while (n--) {
		paddr_t pa = pt_page_alloc();

		if (!pa) {
			prealloc_free();
			return -ENOMEM;
		}
		*(paddr_t *)pt_table(pa) = prealloc_list;
		prealloc_list = pa;
	}
	return 0;
}

int
arch_mmu_map(struct arch_aspace *as, vaddr_t va, paddr_t pa, size_t count,
	     unsigned int flags)
{
	pte_t bits = pt_leaf_bits(flags, va);
	unsigned long irq;
	int level, err = 0;

	if (count == 0)
		return 0;
	if (!range_ok(va, count) || (pa & (PAGE_SIZE - 1)))
		return -EINVAL;
	irq = arch_irq_save();
	for (size_t i = 0; i < count; i++)
		if (pt_lookup(as->root, va + i * PAGE_SIZE, &level)) {
			err = -EEXIST;
			goto out;
		}
	err = prealloc(pt_count_missing(as->root, va, (uint64_t)count * PAGE_SIZE, PT_LEAF));
	if (err)
		goto out;
	for (size_t i = 0; i < count; i++) {
		pte_t *e = pt_walk(as->root, va + i * PAGE_SIZE, PT_LEAF, prealloc_take, &err);

		if (!e)
			panic("mmu: table for %#lx missing after preallocation (%d)",
			      (unsigned long)(va + i * PAGE_SIZE), err);
		/* Not present before: nothing of it can be in a TLB. */
		*e = (pa + i * PAGE_SIZE) | bits;
	}
	prealloc_free();		/* nothing left, unless counted twice */
out:
	arch_irq_restore(irq);
	return err;
}

/* Turn the large page at *pde into a table of 4 KiB pages, same rights. */
static int
pt_split(pte_t *pde, vaddr_t va)
{
	paddr_t pa = pt_page_alloc();
	pte_t big = *pde, *t;

	if (!pa)
		return -ENOMEM;
	t = pt_table(pa);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		t[i] = ((big & PTE_ADDR) + (uint64_t)i * PAGE_SIZE) | (big & ~(PTE_ADDR | PTE_PS));
	/* The translations stay the same: a stale large TLB entry is harmless. */
	*pde = pa | pt_dir_bits(PT_DIR, va);
	return 0;
}

/*
 * Rewrite the leaves of [va, va + count pages) with new(old): 0 unmaps.
 * Holes are skipped; a large page is rewritten whole when the range
 * covers it, split otherwise.
 */
static int
pt_rewrite(struct arch_aspace *as, vaddr_t va, size_t count, bool unmap, pte_t bits)
{
	unsigned long irq;
	int level, err = 0;

	if (count == 0)
		return 0;
	if (!range_ok(va, count))
		return -EINVAL;
	irq = arch_irq_save();

	while (count) {
		pte_t *e = pt_lookup(as->root, va, &level);
		size_t step = 1;

		if (e && level == PT_DIR) {
			if ((va & (LARGE_SIZE - 1)) == 0 && count >= LARGE_SIZE / PAGE_SIZE) {
				step = LARGE_SIZE / PAGE_SIZE;
			} else {
				err = pt_split(e, va);
				if (err)
					break;
				e = pt_lookup(as->root, va, &level);
			}
		}
		if (e) {
			pte_t keep = step > 1 ? PTE_PS : 0;

			*e = unmap ? 0 : (*e & PTE_ADDR) | bits | keep;
			for (size_t i = 0; i < step; i++)
				tlb_flush_page(as, va + i * PAGE_SIZE);
		}
		va += step * PAGE_SIZE;
		count -= step;
	}
	arch_irq_restore(irq);
	return err;
}

int
arch_mmu_unmap(struct arch_aspace *as, vaddr_t va, size_t count)
{
	return pt_rewrite(as, va, count, true, 0);
}

int
arch_mmu_protect(struct arch_aspace *as, vaddr_t va, size_t count, unsigned int flags)
{
	return pt_rewrite(as, va, count, false, pt_leaf_bits(flags, va));
}

int
arch_mmu_query(struct arch_aspace *as, vaddr_t va, paddr_t *pa, unsigned int *flags)
{
	int level;
	pte_t *e = range_ok(va & PAGE_MASK, 1) ? pt_lookup(as->root, va, &level) : NULL;

	if (!e)
		return -ENOENT;
	if (pa)
		*pa = (paddr_t)((*e & PTE_ADDR) + (va & (pt_span(level) - 1) & PAGE_MASK));
	if (flags)
		*flags = pt_flags_of(*e);
	return 0;
}

int
arch_aspace_init(struct arch_aspace *as)
{
	pte_t *k = pt_table(kernel_as.root), *t;

	as->root = pt_page_alloc();
	if (!as->root)
		return -ENOMEM;
	as->pcid = 0;
	as->pcid_gen = 0;
	as->tlb_stale = false;
	t = pt_table(as->root);
	for (unsigned int i = PT_ROOT_KERNEL; i < PT_ROOT_ENTRIES; i++)
		t[i] = k[i];
	return 0;
}

static void
pt_free_tree(uint64_t pa, int level)
{
	pte_t *t = pt_table(pa);

	if (level < PT_LEAF)
		for (unsigned int i = 0; i < PT_ENTRIES; i++)
			if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
				pt_free_tree(t[i] & PTE_ADDR, level + 1);
	pt_page_free((paddr_t)pa);
}

void
arch_aspace_destroy(struct arch_aspace *as)
{
	pte_t *t = pt_table(as->root);

	if (as == &kernel_as)
		return;
	if (as == current_as)
		arch_aspace_switch(&kernel_as);
	for (unsigned int i = 0; i < PT_ROOT_KERNEL; i++)
		if (t[i] & PTE_P)
			pt_free_tree(t[i] & PTE_ADDR, 1);
	pt_page_free(as->root);
	as->root = 0;
}

/*
 * PCIDs are handed out in generations: when they run out, every TLB
 * entry goes and the numbering starts again.  A space that gets a number
 * flushes it on its first load, as another space may have used it.
 */
static void
pcid_assign(struct arch_aspace *as)
{
	if (as == &kernel_as || (as->pcid && as->pcid_gen == pcid_generation))
		return;
	if (next_pcid == PCID_COUNT) {
		pcid_generation++;
		next_pcid = 1;
		tlb_flush_all();
	}
	as->pcid = (uint16_t)next_pcid++;
	as->pcid_gen = pcid_generation;
	as->tlb_stale = true;
}

void
arch_aspace_switch(struct arch_aspace *as)
{
	unsigned long irq = arch_irq_save();
	uint64_t cr3 = as->root;

	if (x86_pcid) {
		pcid_assign(as);
		cr3 |= as->pcid;
		if (!as->tlb_stale)
			cr3 |= CR3_NOFLUSH;
	}
	as->tlb_stale = false;
	write_cr(3, (unsigned long)cr3);
	x86_tss_set_cr3(as->root);
	current_as = as;
	arch_irq_restore(irq);
}
