/*
 * AArch64 page tables in portable terms: map, unmap, protect and query
 * over 4-level, 4 KiB-granule stage 1 tables, with TLB maintenance by VA
 * and ASID broadcast to every CPU, and the address-space handles.  Each
 * address space's tables change under its own lock (struct arch_aspace);
 * ASIDs and the TTBR0 switch are asid.c's.  The kernel half (TTBR1) is
 * built in mmu_init.c; the block mapper here (mmu_map_blocks) serves it
 * too.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include "mmu_internal.h"

static struct arch_aspace kernel_as;

struct arch_aspace *
arch_kernel_aspace(void)
{
	return &kernel_as;
}

static inline unsigned int
pt_index(vaddr_t va, int level)
{
	return (unsigned int)(va >> PT_SHIFT(level)) & (PT_ENTRIES - 1);
}

static inline pte_t *
pt_table(pte_t desc)
{
	return phys_to_virt(desc & PTE_ADDR_MASK);
}

/* A descriptor the walker may now use; tables it points to are zeroed. */
static inline void
pte_set(pte_t *e, pte_t v)
{
	WRITE_ONCE(*e, v);
}

static inline void
dsb_ishst(void)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
}

static inline void
dsb_ish(void)
{
	__asm__ __volatile__("dsb ish" ::: "memory");
}

static inline void
tlb_sync(void)
{
	__asm__ __volatile__("dsb ish; isb" ::: "memory");
}

/*
 * A new table for the entry e (level < 3), from alloc.  The page is
 * zeroed by its allocator; the barrier orders that before the walker can
 * see the table.
 */
static int
pt_install(pte_t *e, paddr_t (*alloc)(void))
{
	paddr_t pa = alloc ? alloc() : 0;

	if (!pa)
		return -ENOMEM;
	dsb_ishst();
	pte_set(e, pa | PTE_TYPE_TABLE);
	return 0;
}

/*
 * Map [va, va + size) to pa with attributes prot, using 1 GiB and 2 MiB
 * blocks where both addresses are aligned.  An entry that already maps
 * the same way is left alone (the boot tables overlap); anything else
 * there is -EEXIST.  Tables come from alloc.
 */
static int
map_level(pte_t *table, int level, vaddr_t va, paddr_t pa, uint64_t size, pte_t prot,
	  paddr_t (*alloc)(void))
{
	uint64_t span = 1UL << PT_SHIFT(level);

	while (size) {
		pte_t *e = &table[pt_index(va, level)];
		uint64_t n = span - (va & (span - 1));
		bool leaf;
		int err;

		if (n > size)
			n = size;
		leaf = level == 3 || (level >= 1 && n == span && !(pa & (span - 1)));
		/* A table where a block would do: map inside it instead. */
		if (leaf && level < 3 && (*e & PTE_TYPE_MASK) == PTE_TYPE_TABLE)
			leaf = false;
		if (leaf) {
			pte_t want = pa | prot | (level == 3 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK);

			if (!(*e & PTE_VALID))
				pte_set(e, want);
			else if (*e != want)
				return -EEXIST;
		} else {
			if (!(*e & PTE_VALID)) {
				err = pt_install(e, alloc);
				if (err)
					return err;
			} else if ((*e & PTE_TYPE_MASK) != PTE_TYPE_TABLE) {
				/*
				 * A block (head.S maps 2 MiB at a time): fine if it
				 * already maps this part the same way; not split.
				 */
				if ((*e & ~PTE_ADDR_MASK) != (prot | PTE_TYPE_BLOCK) ||
				    (*e & PTE_ADDR_MASK) + (va & (span - 1)) != pa)
					return -EEXIST;
				goto next;
			}
			err = map_level(pt_table(*e), level + 1, va, pa, n, prot, alloc);
			if (err)
				return err;
		}
next:
		va += n;
		pa += n;
		size -= n;
	}
	return 0;
}

int
mmu_map_blocks(paddr_t root, vaddr_t va, paddr_t pa, uint64_t size, pte_t prot,
	       paddr_t (*alloc)(void))
{
	int err = map_level(phys_to_virt(root), 0, va, pa, size, prot, alloc);

	dsb_ishst();
	__asm__ __volatile__("isb" ::: "memory");
	return err;
}

/*
 * The valid leaf (page or block) translating va, or NULL; *level says
 * which level it is at.
 */
static pte_t *
lookup(const struct arch_aspace *as, vaddr_t va, int *level)
{
	pte_t *t = phys_to_virt(as->root);

	for (int l = 0; l <= 3; l++) {
		pte_t *e = &t[pt_index(va, l)];

		if (!(*e & PTE_VALID))
			return NULL;
		if (l == 3 || (*e & PTE_TYPE_MASK) == PTE_TYPE_BLOCK) {
			*level = l;
			return e;
		}
		t = pt_table(*e);
	}
	return NULL;
}

/*
 * The level-3 table translating va.  Missing tables are created with
 * alloc, or give -ENOENT without one (*hole then says where the gap
 * ends); a block on the way is -EEXIST.
 */
static pte_t *
l3_table(const struct arch_aspace *as, vaddr_t va, paddr_t (*alloc)(void), int *err,
	 vaddr_t *hole)
{
	pte_t *t = phys_to_virt(as->root);

	for (int l = 0; l < 3; l++) {
		pte_t *e = &t[pt_index(va, l)];

		if (!(*e & PTE_VALID)) {
			*err = alloc ? pt_install(e, alloc) : -ENOENT;
			if (*err) {
				if (hole)
					*hole = (va | ((1UL << PT_SHIFT(l)) - 1)) + 1;
				return NULL;
			}
		} else if ((*e & PTE_TYPE_MASK) != PTE_TYPE_TABLE) {
			*err = -EEXIST;
			return NULL;
		}
		t = pt_table(*e);
	}
	return t;
}

void
mmu_boot_init(unsigned int asid_bits)
{
	mmu_asid_init(asid_bits);
	spin_init(&kernel_as.lock, "pgtable-kernel");
	kernel_as.root = virt_to_phys(boot_kernel_root);
}

/* ------------------------------------------------------ TLB maintenance */

/*
 * Invalidate one page's last-level entry on every CPU (inner shareable):
 * the kernel's are global (all ASIDs), a user address space's carry its
 * ASID, whatever its generation (an old one may still run on a CPU that
 * has not switched since a rollover).  Without an ASID it was never in a
 * TLB.  The caller has made the entry's change visible (a full dsb: the
 * ASID is read after it, see asid.c) and ends the batch with tlb_sync(),
 * which waits until every CPU has done it.
 */
static void
tlb_flush_page(const struct arch_aspace *as, vaddr_t va)
{
	uint64_t page = (va >> PAGE_SHIFT) & ((1UL << 44) - 1);
	uint64_t asid = READ_ONCE(as->asid) & ASID_MASK;

	if (as == &kernel_as)
		__asm__ __volatile__("tlbi vaale1is, %0" :: "r"(page) : "memory");
	else if (asid)
		__asm__ __volatile__("tlbi vale1is, %0" :: "r"(page | asid << 48) : "memory");
}

/* ------------------------------------------------------------ attributes */

pte_t
mmu_prot(unsigned int flags, bool user_space)
{
	pte_t p = PTE_AF | PTE_SH_INNER;

	if (flags & MMU_DEVICE)
		p |= PTE_ATTRINDX(MT_DEVICE) | PTE_PXN | PTE_UXN;
	else if (flags & MMU_UNCACHED)
		p |= PTE_ATTRINDX(MT_NORMAL_NC);
	else
		p |= PTE_ATTRINDX(MT_NORMAL);
	if (!(flags & MMU_WRITE))
		p |= PTE_RDONLY;
	if (user_space)
		p |= PTE_NG;
	if (flags & MMU_USER) {
		/* The kernel never runs user code. */
		p |= PTE_USER | PTE_PXN;
		if (!(flags & MMU_EXEC))
			p |= PTE_UXN;
	} else {
		p |= PTE_UXN;
		if (!(flags & MMU_EXEC))
			p |= PTE_PXN;
	}
	return p;
}

static unsigned int
pte_flags(pte_t e)
{
	unsigned int f = MMU_READ;
	unsigned int mt = (unsigned int)((e & PTE_ATTRINDX_MASK) >> 2);

	if (!(e & PTE_RDONLY))
		f |= MMU_WRITE;
	if (e & PTE_USER) {
		f |= MMU_USER;
		if (!(e & PTE_UXN))
			f |= MMU_EXEC;
	} else if (!(e & PTE_PXN)) {
		f |= MMU_EXEC;
	}
	if (mt == MT_DEVICE)
		f |= MMU_DEVICE;
	else if (mt == MT_NORMAL_NC)
		f |= MMU_UNCACHED;
	return f;
}

/*
 * The range must lie in the address space's half; the kernel half has no
 * user pages and nothing both writable and executable (W^X).
 */
static int
check(const struct arch_aspace *as, vaddr_t va, size_t count, unsigned int flags)
{
	uint64_t len = (uint64_t)count << PAGE_SHIFT;

	if (va & (PAGE_SIZE - 1) || count == 0 || count > (USER_TOP >> PAGE_SHIFT))
		return -EINVAL;
	if (as == &kernel_as) {
		if (va < LINEAR_MAP_BASE || va + len - 1 < va)
			return -EINVAL;
		if (flags & MMU_USER)
			return -EINVAL;
		if ((flags & (MMU_WRITE | MMU_EXEC)) == (MMU_WRITE | MMU_EXEC))
			return -EPERM;
	} else if (va >= USER_TOP || len > USER_TOP - va) {
		return -EINVAL;
	}
	return 0;
}

/* The number of pages from va to the end of its level-3 table. */
static inline size_t
chunk(vaddr_t va, size_t left)
{
	size_t n = PT_ENTRIES - pt_index(va, 3);

	return n < left ? n : left;
}

int
arch_mmu_map(struct arch_aspace *as, vaddr_t va, paddr_t pa, size_t count,
	     unsigned int flags)
{
	pte_t prot = mmu_prot(flags, as != &kernel_as);
	unsigned long irq;
	int err = check(as, va, count, flags);

	if (err)
		return err;
	if (pa & (PAGE_SIZE - 1) || (pa + ((uint64_t)count << PAGE_SHIFT) - 1) > PTE_ADDR_MASK)
		return -EINVAL;
	irq = spin_lock_irqsave(&as->lock);
	/* First make every table exist and check every page is free... */
	for (size_t done = 0; done < count;) {
		vaddr_t v = va + (done << PAGE_SHIFT);
		size_t n = chunk(v, count - done);
		pte_t *t = l3_table(as, v, pt_page_alloc, &err, NULL);

		if (!t)
			goto out;
		for (size_t i = 0; i < n; i++)
			if (t[pt_index(v, 3) + i] & PTE_VALID) {
				err = -EEXIST;
				goto out;
			}
		done += n;
	}
	/* ...then fill them in: nothing can fail half-way. */
	for (size_t done = 0; done < count;) {
		vaddr_t v = va + (done << PAGE_SHIFT);
		size_t n = chunk(v, count - done);
		pte_t *t = l3_table(as, v, NULL, &err, NULL);

		for (size_t i = 0; i < n; i++)
			pte_set(&t[pt_index(v, 3) + i],
				(pa + ((done + i) << PAGE_SHIFT)) | prot | PTE_TYPE_PAGE);
		done += n;
	}
	/* Invalid entries are never cached: no TLB maintenance. */
	dsb_ishst();
	__asm__ __volatile__("isb" ::: "memory");
out:
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/* Beyond this many pages a range flush drops the whole ASID instead. */
#define TLB_FLUSH_PAGES_MAX	32

/*
 * The pages [first, last) changed (entries written, made visible by a
 * full dsb): invalidate them on every CPU and wait.  A long user range
 * drops the space's whole ASID; without an ASID it was never in a TLB.
 */
static void
tlb_flush_range(const struct arch_aspace *as, vaddr_t first, vaddr_t last)
{
	uint64_t asid = READ_ONCE(as->asid) & ASID_MASK;

	if (((last - first) >> PAGE_SHIFT) > TLB_FLUSH_PAGES_MAX) {
		if (as == &kernel_as)
			__asm__ __volatile__("tlbi vmalle1is" ::: "memory");
		else if (asid)
			__asm__ __volatile__("tlbi aside1is, %0" :: "r"(asid << 48) : "memory");
	} else {
		for (vaddr_t v = first; v != last; v += PAGE_SIZE)
			tlb_flush_page(as, v);
	}
	tlb_sync();
}

/*
 * Visit every mapped page of the range: fn gets its entry and says
 * whether it changed it.  Holes are skipped a table at a time; a block
 * (only the linear map has them) is -EINVAL, since splitting one under
 * the kernel's feet is not supported.  One flush covers the changes.
 */
static int
each_page(struct arch_aspace *as, vaddr_t va, size_t count,
	  bool (*fn)(struct arch_aspace *, vaddr_t, pte_t *, pte_t), pte_t arg)
{
	vaddr_t end = va + ((uint64_t)count << PAGE_SHIFT);	/* 0: the top */
	vaddr_t first = 0, last = 0;
	bool any = false;
	int err = 0;

	for (vaddr_t v = va; v != end;) {
		size_t n = chunk(v, (end - v) >> PAGE_SHIFT);
		vaddr_t hole = 0;
		pte_t *t = l3_table(as, v, NULL, &err, &hole);

		if (!t) {
			if (err == -EEXIST)
				break;
			err = 0;
			/* Skip the whole gap (hole is 0 past the top). */
			if (hole == 0 || hole - va >= end - va)
				break;
			v = hole;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			pte_t *e = &t[pt_index(v, 3) + i];
			vaddr_t pv = v + (i << PAGE_SHIFT);

			if ((*e & PTE_VALID) && fn(as, pv, e, arg)) {
				if (!any)
					first = pv;
				any = true;
				last = pv + PAGE_SIZE;
			}
		}
		v += n << PAGE_SHIFT;
	}
	if (any) {
		dsb_ish();
		tlb_flush_range(as, first, last);
	}
	return err == -EEXIST ? -EINVAL : 0;
}

static bool
unmap_one(struct arch_aspace *as, vaddr_t va, pte_t *e, pte_t unused)
{
	pte_set(e, 0);
	return true;
}

/*
 * When this returns, no CPU's TLB translates the range any more (the
 * invalidations are broadcast and waited for): the caller may free the
 * frames (kstack_free does).
 */
int
arch_mmu_unmap(struct arch_aspace *as, vaddr_t va, size_t count)
{
	unsigned long irq;
	int err = check(as, va, count, 0);

	if (err)
		return err;
	irq = spin_lock_irqsave(&as->lock);
	err = each_page(as, va, count, unmap_one, 0);
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/*
 * New attributes for a mapped page.  Permissions may change in place
 * (the batch's flush follows); a different memory type needs
 * break-before-make (the architecture forbids two TLB entries with
 * conflicting attributes), so that page is flushed at once.
 */
static bool
protect_one(struct arch_aspace *as, vaddr_t va, pte_t *e, pte_t prot)
{
	pte_t want = (*e & PTE_ADDR_MASK) | prot | PTE_TYPE_PAGE;

	if (*e == want)
		return false;
	if ((*e ^ want) & PTE_ATTRINDX_MASK) {
		pte_set(e, 0);
		dsb_ish();
		tlb_flush_page(as, va);
		tlb_sync();
	}
	pte_set(e, want);
	return true;
}

/* Like unmap: every CPU sees the new attributes when this returns. */
int
arch_mmu_protect(struct arch_aspace *as, vaddr_t va, size_t count, unsigned int flags)
{
	unsigned long irq;
	int err = check(as, va, count, flags);

	if (err)
		return err;
	irq = spin_lock_irqsave(&as->lock);
	err = each_page(as, va, count, protect_one, mmu_prot(flags, as != &kernel_as));
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

int
arch_mmu_query(struct arch_aspace *as, vaddr_t va, paddr_t *pa, unsigned int *flags)
{
	int level;
	pte_t *e, v = 0;
	unsigned long irq;
	uint64_t span;

	/* Outside the address space's half nothing is mapped. */
	if (as == &kernel_as ? va < LINEAR_MAP_BASE : va >= USER_TOP)
		return -ENOENT;
	irq = spin_lock_irqsave(&as->lock);
	e = lookup(as, va, &level);
	if (e)
		v = *e;
	spin_unlock_irqrestore(&as->lock, irq);
	if (!e)
		return -ENOENT;
	span = 1UL << PT_SHIFT(level);
	if (pa)
		*pa = ((v & PTE_ADDR_MASK & ~(span - 1)) | (va & (span - 1))) & PAGE_MASK;
	if (flags)
		*flags = pte_flags(v);
	return 0;
}

/* ------------------------------------------------------- address spaces */

int
arch_aspace_init(struct arch_aspace *as)
{
	spin_init(&as->lock, "pgtable");
	as->root = pt_page_alloc();
	as->asid = 0;
	return as->root ? 0 : -ENOMEM;
}

static void
free_tables(paddr_t table, int level)
{
	pte_t *t = phys_to_virt(table);

	if (level < 3)
		for (unsigned int i = 0; i < PT_ENTRIES; i += 8) {
			/* Tables of a process are mostly empty: eight entries at a time. */
			if (!(t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] | t[i + 6] |
			      t[i + 7]))
				continue;
			for (unsigned int j = i; j < i + 8; j++)
				if ((t[j] & PTE_TYPE_MASK) == PTE_TYPE_TABLE)
					free_tables(t[j] & PTE_ADDR_MASK, level + 1);
		}
	pt_page_free(table);
}

void
arch_aspace_destroy(struct arch_aspace *as)
{
	if (as == &kernel_as || !as->root)
		return;
	/* No CPU may walk the tables once they are freed. */
	asid_unload(as);
	free_tables(as->root, 0);
	as->root = 0;
}
