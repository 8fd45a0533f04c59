/*
 * x86 page tables, both widths: the walker, the HAL's map, unmap,
 * protect and query, address spaces and their switch with TLB upkeep
 * on every CPU (PCIDs on x86_64 CPUs that have them).  The formats come
 * from pgtable.h; the boot-time kernel tables are built in mmu_init.c.
 *
 * The kernel half's root entries are made at boot and never change, so
 * a user address space copies them once and shares every kernel table
 * below them.  Kernel-half pages are global: a CR3 load keeps them.
 *
 * pt_lock guards every table (all spaces share the kernel half's) and
 * the preallocation list.  It is never held while waiting for other
 * CPUs: a change is written under it, and the TLB shootdown follows
 * after it is dropped, before the call returns.  Each CPU's loaded space
 * and PCID numbering are its own (percpu.h); a space's loaded and
 * tlb_stale masks are changed atomically.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <asm/x86.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include "internal.h"
#include "percpu.h"
#include "pgtable.h"

#define PCID_COUNT		4096
/* Beyond this many pages a flush drops the whole TLB instead. */
#define TLB_FLUSH_PAGES_MAX	32

static struct arch_aspace kernel_as;
static struct spinlock pt_lock = SPINLOCK_INIT("pgtable");

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

	/* Inside one table at level (every page fault): one descent. */
	if ((va & ~(pt_span(level - 1) - 1)) == (last & ~(pt_span(level - 1) - 1))) {
		const pte_t *t = pt_table(root);

		for (int l = 0; l < level; l++) {
			pte_t e = t[pt_index(va, l)];

			if (!(e & PTE_P) || (l > 0 && (e & PTE_PS)))
				return (size_t)(level - l);	/* as pt_walk() finds them */
			t = pt_table(e & PTE_ADDR);
		}
		return 0;
	}
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

/* What changed: pages of a user space, or (as == NULL) of the kernel half. */
struct tlb_flush {
	struct arch_aspace *as;
	vaddr_t va;
	size_t pages;
};

/* On each CPU the shootdown reaches, interrupts masked. */
static void
tlb_flush_local(void *arg)
{
	const struct tlb_flush *f = arg;

	/* A space switched away from meanwhile is marked stale: its next load flushes. */
	if (f->as && x86_this_cpu()->current_as != f->as)
		return;
	if (f->pages > TLB_FLUSH_PAGES_MAX) {
		if (f->as)
			write_cr(3, read_cr(3) & ~CR3_NOFLUSH);	/* this PCID's entries */
		else
			tlb_flush_all();			/* global ones too */
		return;
	}
	for (size_t i = 0; i < f->pages; i++)
		invlpg(f->va + i * PAGE_SIZE);
}

/*
 * Leaves changed [va, va + pages): no CPU may use the old entries once
 * this returns.  The kernel half is global and the same in every space:
 * every online CPU flushes.  A user space: the CPUs that have it loaded
 * flush now, and every CPU's PCID copy of it is stale until its next
 * load (without PCIDs every load flushes anyway).  The stale marks come
 * before reading who has it loaded, and a CPU loading it sets its loaded
 * bit before taking its stale mark: one of the two sees the other.
 */
static void
tlb_shootdown(struct arch_aspace *as, vaddr_t va, size_t pages)
{
	struct tlb_flush f = { va >= USER_TOP ? NULL : as, va, pages };
	cpumask_t targets;

	if (f.as) {
		__atomic_fetch_or(&as->tlb_stale, CPUMASK_ALL, __ATOMIC_SEQ_CST);
		targets = __atomic_load_n(&as->loaded, __ATOMIC_SEQ_CST);
	} else {
		targets = cpus_online();
	}
	if (targets)
		smp_call_mask(targets, tlb_flush_local, &f, true);
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
	irq = spin_lock_irqsave(&pt_lock);
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
		/*
		 * Not present before: nothing of it can be in a TLB (an unmap's
		 * shootdown is over before its caller can reuse the range).
		 */
		*e = (pa + i * PAGE_SIZE) | bits;
	}
	prealloc_free();		/* nothing left, unless counted twice */
out:
	spin_unlock_irqrestore(&pt_lock, irq);
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
 * The entry at the lowest level that decides va: a 4 KiB PTE (level
 * PT_LEAF), a large page, or an absent directory entry, whose level
 * tells how much address space the hole spans.
 */
static pte_t *
pt_entry_of(uintptr_t root, vaddr_t va, int *level)
{
	pte_t *t = pt_table(root);

	for (int l = 0;; l++) {
		pte_t *e = &t[pt_index(va, l)];

		*level = l;
		if (l == PT_LEAF || (l > 0 && (*e & PTE_PS)) || !(*e & PTE_P))
			return e;
		t = pt_table(*e & PTE_ADDR);
	}
}

/*
 * Rewrite the leaves of [va, va + count pages) with new(old): 0 unmaps.
 * A leaf table is rewritten in one loop, and a missing directory entry
 * skips all it would cover, so the cost follows the tables present, not
 * the length.  A large page is rewritten whole when the range covers it,
 * split otherwise.  One TLB shootdown covers the whole change.
 */
static int
pt_rewrite(struct arch_aspace *as, vaddr_t va, size_t count, bool unmap, pte_t bits)
{
	vaddr_t first = 0, last = 0;
	unsigned long irq;
	int level, err = 0;

	if (count == 0)
		return 0;
	if (!range_ok(va, count))
		return -EINVAL;
	irq = spin_lock_irqsave(&pt_lock);

	while (count) {
		pte_t *e = pt_entry_of(as->root, va, &level);
		/* What e decides: a hole or large page its own span, a PTE its table's rest. */
		uint64_t span = pt_span(level == PT_LEAF ? PT_DIR : level);
		size_t step = (size_t)((span - (va & (span - 1))) >> PAGE_SHIFT);

		if (step > count)
			step = count;
		if (level < PT_LEAF && !(*e & PTE_PS))
			goto next;			/* a hole: no table below */
		if (level < PT_LEAF) {
			/* A large page (only PDEs have them). */
			if (level != PT_DIR) {
				err = -EINVAL;
				break;
			}
			if (!(*e & (PTE_P | PTE_PROTNONE)))
				goto next;
			if ((va & (LARGE_SIZE - 1)) == 0 && step == LARGE_SIZE / PAGE_SIZE) {
				*e = unmap ? 0 : (*e & PTE_ADDR) | bits | PTE_PS;
				goto changed;
			}
			err = pt_split(e, va);
			if (err)
				break;
			continue;			/* walk again: now a table */
		}
		/* A leaf table: step entries from e on. */
		{
			bool any = false;

			for (size_t i = 0; i < step; i++) {
				if (!(e[i] & (PTE_P | PTE_PROTNONE)))
					continue;
				e[i] = unmap ? 0 : (e[i] & PTE_ADDR) | bits;
				any = true;
			}
			if (!any)
				goto next;
		}
changed:
		if (!last)
			first = va;
		last = va + step * PAGE_SIZE;
next:
		va += step * PAGE_SIZE;
		count -= step;
	}
	spin_unlock_irqrestore(&pt_lock, irq);
	if (last)
		tlb_shootdown(as, first, (last - first) / PAGE_SIZE);
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
	unsigned long irq;
	int level;
	pte_t *e, entry;

	if (!range_ok(va & PAGE_MASK, 1))
		return -ENOENT;
	/* Under the lock: an i386 entry is two words, written by other CPUs. */
	irq = spin_lock_irqsave(&pt_lock);
	e = pt_lookup(as->root, va, &level);
	entry = e ? *e : 0;
	spin_unlock_irqrestore(&pt_lock, irq);
	if (!e)
		return -ENOENT;
	if (pa)
		*pa = (paddr_t)((entry & PTE_ADDR) + (va & (pt_span(level) - 1) & PAGE_MASK));
	if (flags)
		*flags = pt_flags_of(entry);
	return 0;
}

int
arch_aspace_init(struct arch_aspace *as)
{
	pte_t *k = pt_table(kernel_as.root), *t;

	*as = (struct arch_aspace){ .root = pt_page_alloc() };
	if (!as->root)
		return -ENOMEM;
	t = pt_table(as->root);
	memcpy(&t[PT_ROOT_KERNEL], &k[PT_ROOT_KERNEL],
	       (PT_ROOT_ENTRIES - PT_ROOT_KERNEL) * sizeof(pte_t));	/* one rep movs, not a loop */
	return 0;
}

static void pt_free_tree(uint64_t pa, int level);

/* The tables below t[0..n) (entries of a table at level - 1). */
static void
pt_free_entries(const pte_t *t, unsigned int n, int level)
{
	unsigned int i = 0;

	/* Tables of a process are mostly empty: eight entries at a time. */
	for (; i + 8 <= n; i += 8) {
		if (!(t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] | t[i + 6] |
		      t[i + 7]))
			continue;
		for (unsigned int j = i; j < i + 8; j++)
			if ((t[j] & PTE_P) && !(t[j] & PTE_PS))
				pt_free_tree(t[j] & PTE_ADDR, level);
	}
	for (; i < n; i++)
		if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
			pt_free_tree(t[i] & PTE_ADDR, level);
}

static void
pt_free_tree(uint64_t pa, int level)
{
	if (level < PT_LEAF)
		pt_free_entries(pt_table(pa), PT_ENTRIES, level + 1);
	pt_page_free((paddr_t)pa);
}

void
arch_aspace_destroy(struct arch_aspace *as)
{
	pte_t *t = pt_table(as->root);
	unsigned long irq;
	cpumask_t loaded;

	if (as == &kernel_as)
		return;
	irq = arch_irq_save();
	if (x86_this_cpu()->current_as == as)
		arch_aspace_switch(&kernel_as);
	loaded = __atomic_load_n(&as->loaded, __ATOMIC_SEQ_CST);
	arch_irq_restore(irq);
	if (loaded)
		panic("mmu: address space %#lx destroyed while CPUs %#lx have it loaded",
		      (unsigned long)as->root, (unsigned long)loaded);
	pt_free_entries(t, PT_ROOT_KERNEL, 1);
	pt_page_free(as->root);
	as->root = 0;
}

/*
 * Each CPU numbers PCIDs for itself, in generations: when they run out,
 * every TLB entry of that CPU goes and its numbering starts again.  A
 * space that gets a number on a CPU flushes it on its first load there,
 * as another space may have used it.  True when the number is new.
 */
static bool
pcid_assign(struct x86_cpu *c, unsigned int cpu, struct arch_aspace *as)
{
	if (as->pcid[cpu].pcid && as->pcid[cpu].gen == c->pcid_generation)
		return false;
	if (c->next_pcid == PCID_COUNT) {
		c->pcid_generation++;
		c->next_pcid = 1;
		tlb_flush_all();
	}
	as->pcid[cpu].pcid = c->next_pcid++;
	as->pcid[cpu].gen = c->pcid_generation;
	return true;
}

void
arch_aspace_switch(struct arch_aspace *as)
{
	unsigned long irq = arch_irq_save();
	struct x86_cpu *c = x86_this_cpu();
	unsigned int cpu = cpu_id();
	struct arch_aspace *old = c->current_as;
	uint64_t cr3 = as->root;

	if (as != &kernel_as) {
		cpumask_t me = cpumask_of(cpu);
		bool stale;

		/* Loaded first, then the stale mark: see tlb_shootdown(). */
		__atomic_fetch_or(&as->loaded, me, __ATOMIC_SEQ_CST);
		stale = __atomic_fetch_and(&as->tlb_stale, ~me, __ATOMIC_SEQ_CST) & me;
		if (x86_pcid) {
			bool fresh = pcid_assign(c, cpu, as);

			cr3 |= as->pcid[cpu].pcid;
			if (!fresh && !stale)
				cr3 |= CR3_NOFLUSH;
		}
	} else if (x86_pcid) {
		cr3 |= CR3_NOFLUSH;		/* PCID 0 holds only global kernel pages */
	}
	write_cr(3, (unsigned long)cr3);
	x86_tss_set_cr3(as->root);
	c->current_as = as;
	if (old && old != as && old != &kernel_as)
		__atomic_fetch_and(&old->loaded, ~cpumask_of(cpu), __ATOMIC_SEQ_CST);
	arch_irq_restore(irq);
}

void
x86_mmu_cpu_init(void)
{
	struct x86_cpu *c = x86_this_cpu();

	c->current_as = &kernel_as;
	c->pcid_generation = 1;
	c->next_pcid = 1;
	x86_tss_set_cr3(kernel_as.root);
#ifdef __x86_64__
	/* CR3 holds PCID 0 (the kernel's root), as setting PCIDE requires. */
	if (x86_pcid)
		write_cr(4, read_cr(4) | CR4_PCIDE);
#endif
}
