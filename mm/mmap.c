/*
 * Process address spaces: VMAs, the software page table of user pages
 * (mm->pages), fork's copy, the list of mappings each page cache keeps
 * (truncate unmaps through it), and the kernel side of brk, mmap, munmap,
 * mprotect and mremap with Linux's rules and errnos.  Faults are
 * mm/user_fault.c's; madvise, msync and mincore mm/msync.c's.
 *
 * The hardware page tables only cache mm->pages: a page is mapped there
 * with the VMA's permissions, minus write while copy-on-write shares it
 * (or while a file's page is mapped privately), and not at all under
 * PROT_NONE.  mm->lock (a mutex: faults allocate and read files) guards
 * the VMAs, mm->pages and the user page tables.  Lock order: a file's
 * inode.lock, then mm->lock, then the file's mapping->lock.
 */
#include <string.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/shmem.h>
#include <kernel/slab.h>
#include <kernel/vfs.h>
#include <arch/user.h>

#include "mm_internal.h"

/* ---- hardware mappings ---- */

unsigned int
hw_flags(const struct vma *vma, bool writable)
{
	unsigned int f = MMU_USER | MMU_READ;

	if (!(vma->prot & PROT_ALL))
		return 0;
	if ((vma->prot & PROT_WRITE) && writable)
		f |= MMU_WRITE;
	if (vma->prot & PROT_EXEC)
		f |= MMU_EXEC;
	return f;
}

int
hw_map(struct mm *mm, vaddr_t va, struct page *p, unsigned int flags)
{
	int err;

	if (!flags)
		return aspace_unmap(mm->as, va, PAGE_SIZE);
	err = aspace_map(mm->as, va, page_to_phys(p), PAGE_SIZE, flags);
	if (err == -EEXIST) {
		aspace_unmap(mm->as, va, PAGE_SIZE);
		err = aspace_map(mm->as, va, page_to_phys(p), PAGE_SIZE, flags);
	}
	return err;
}

/* ---- limits ---- */

uint64_t
current_rlimit(unsigned int res)
{
	struct process *p = current_process();
	unsigned long flags;
	uint64_t v;

	if (!p)
		return ~(uint64_t)0;
	flags = spin_lock_irqsave(&tasklist_lock);
	v = p->rlim[res].rlim_cur;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return v;
}

/* Linux's is_data_mapping(): private, writable, not a stack. */
static bool
is_data(unsigned int prot, unsigned int flags)
{
	return (prot & PROT_WRITE) && !(flags & (VMA_SHARED | VMA_STACK | VMA_GROWSDOWN));
}

static size_t
data_pages(struct mm *mm)
{
	struct vma *v;
	size_t n = 0;

	list_for_each_entry(v, &mm->vmas, node)
		if (is_data(v->prot, v->flags))
			n += (v->end - v->start) >> PAGE_SHIFT;
	return n;
}

bool
may_expand_vm(struct mm *mm, unsigned int prot, unsigned int flags, size_t pages)
{
	uint64_t as = current_rlimit(RLIMIT_AS), data;

	if (as != ~(uint64_t)0 && mm->total_vm + pages > (as >> PAGE_SHIFT))
		return false;
	if (!is_data(prot, flags))
		return true;
	data = current_rlimit(RLIMIT_DATA);
	return data == ~(uint64_t)0 || data_pages(mm) + pages <= (data >> PAGE_SHIFT);
}

/* ---- VMAs ---- */

struct vma *
vma_lookup(struct mm *mm, vaddr_t addr)
{
	struct vma *v = mm->cache;

	if (v && addr >= v->start && addr < v->end)
		return v;
	list_for_each_entry(v, &mm->vmas, node) {
		if (addr < v->start)
			return NULL;
		if (addr < v->end) {
			mm->cache = v;
			return v;
		}
	}
	return NULL;
}

struct vma *
vma_first_above(struct mm *mm, vaddr_t addr)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if (v->end > addr)
			return v;
	return NULL;
}

static bool
range_free(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_first_above(mm, start);

	return !v || v->start >= end;
}

bool
range_mapped(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_first_above(mm, start);

	while (v && start < end) {
		if (v->start > start)
			return false;
		start = v->end;
		v = vma_next(mm, v);
	}
	return start >= end;
}

/* Pages of VMAs inside [start, end) (what a MAP_FIXED mapping replaces). */
static size_t
mapped_pages(struct mm *mm, vaddr_t start, vaddr_t end)
{
	size_t n = 0;

	for (struct vma *v = vma_first_above(mm, start); v && v->start < end; v = vma_next(mm, v))
		n += (MIN(v->end, end) - MAX(v->start, start)) >> PAGE_SHIFT;
	return n;
}

static void
vma_link(struct mm *mm, struct vma *nv)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		if (v->start >= nv->end) {
			list_add_tail(&nv->node, &v->node);
			goto linked;
		}
	list_add_tail(&nv->node, &mm->vmas);
linked:
	mm->map_count++;
	mm->total_vm += (nv->end - nv->start) >> PAGE_SHIFT;
}

/* A shared mapping of the file that may write: F_SEAL_WRITE waits for none. */
static bool
counts_writable(const struct vma *v)
{
	return (v->flags & (VMA_SHARED | VMA_MAYWRITE)) == (VMA_SHARED | VMA_MAYWRITE);
}

/* v (with file, mapping and off set, referenced) joins its file's list of mappings. */
static void
mapping_link(struct vma *v)
{
	struct address_space *m = v->mapping;

	if (!m)
		return;
	mutex_lock(&m->lock);
	list_add_tail(&v->mapping_node, &m->i_mmap);
	if (counts_writable(v))
		m->nr_writable++;
	mutex_unlock(&m->lock);
}

static void
mapping_unlink(struct vma *v)
{
	struct address_space *m = v->mapping;

	if (!m)
		return;
	mutex_lock(&m->lock);
	list_del(&v->mapping_node);
	if (counts_writable(v))
		m->nr_writable--;
	mutex_unlock(&m->lock);
}

/* v, a copy of a file VMA, takes its own reference and place in the lists. */
static void
vma_dup_file(struct vma *v)
{
	if (!v->file)
		return;
	fget_file(v->file);
	mapping_link(v);
}

static void
vma_free(struct mm *mm, struct vma *v)
{
	if (mm->cache == v)
		mm->cache = NULL;
	list_del(&v->node);
	mm->map_count--;
	mm->total_vm -= (v->end - v->start) >> PAGE_SHIFT;
	if (v->file) {
		mapping_unlink(v);
		fput(v->file);
	}
	kfree(v);
}

static struct vma *
vma_new(struct mm *mm, vaddr_t start, vaddr_t end, unsigned int prot, unsigned int flags)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (v) {
		v->mm = mm;
		v->start = start;
		v->end = end;
		v->prot = prot;
		v->flags = flags;
		list_init(&v->mapping_node);
	}
	return v;
}

/* Split v at addr (inside it): v keeps [start, addr), a new VMA [addr, end). */
static int
vma_split(struct mm *mm, struct vma *v, vaddr_t addr)
{
	struct vma *n;

	if (v->special)
		return -EINVAL;		/* Linux's special_mapping_split() */
	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;		/* Linux's split_vma() */
	n = kzalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	*n = *v;
	n->start = addr;
	if (n->file) {
		n->off += (loff_t)(addr - v->start);
		vma_dup_file(n);
	}
	v->end = addr;
	list_add(&n->node, &v->node);
	mm->map_count++;
	return 0;
}

int
vma_cut(struct mm *mm, vaddr_t addr)
{
	struct vma *v = vma_lookup(mm, addr);

	if (!v || v->start == addr)
		return 0;
	return vma_split(mm, v, addr);
}

/* Anonymous neighbours with the same attributes become one VMA. */
static void
vma_try_merge(struct mm *mm, struct vma *v)
{
	struct vma *next = vma_next(mm, v), *prev = vma_prev(mm, v);

	if (v->file || v->special)
		return;
	if (next && !next->file && !next->special && next->start == v->end && next->prot == v->prot &&
	    next->flags == v->flags) {
		v->end = next->end;
		mm->total_vm += (next->end - next->start) >> PAGE_SHIFT;
		vma_free(mm, next);
	}
	if (prev && !prev->file && !prev->special && prev->end == v->start && prev->prot == v->prot &&
	    prev->flags == v->flags) {
		prev->end = v->end;
		mm->total_vm += (v->end - v->start) >> PAGE_SHIFT;
		vma_free(mm, v);
	}
}

/* ---- pages of a range ---- */

static void
release_page(void *item, void *arg)
{
	struct mm *mm = arg;

	page_put(item);
	mm->nr_pages--;
}

void
pages_release(struct mm *mm, vaddr_t start, vaddr_t end)
{
	if (start >= end)
		return;
	aspace_unmap(mm->as, start, end - start);
	radix_remove_range(&mm->pages, pindex(start), pindex(end) - 1, release_page, mm);
}

/* Remove [start, end) (page aligned) from the VMAs and release its pages. */
static int
unmap_range(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v, *tmp;
	int err;

	err = vma_cut(mm, start);
	if (!err)
		err = vma_cut(mm, end);
	if (err)
		return err;
	list_for_each_entry_safe(v, tmp, &mm->vmas, node) {
		if (v->start >= end)
			break;
		if (v->end > start)
			vma_free(mm, v);
	}
	pages_release(mm, start, end);
	return 0;
}

/* ---- address spaces ---- */

struct mm *
mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->as = aspace_create();
	if (!mm->as) {
		kfree(mm);
		return NULL;
	}
	mm->refs = 1;
	mutex_init(&mm->lock, "mm");
	list_init(&mm->vmas);
	return mm;
}

void
mm_get(struct mm *mm)
{
	atomic_fetch_add(&mm->refs, 1);
}

bool
mm_tryget(struct mm *mm)
{
	unsigned int refs = load_acquire(&mm->refs);

	while (refs)
		if (atomic_cmpxchg(&mm->refs, &refs, refs + 1))
			return true;
	return false;
}

void
mm_put(struct mm *mm)
{
	struct vma *v, *tmp;

	if (atomic_sub_return(&mm->refs, 1) != 0)
		return;
	list_for_each_entry_safe(v, tmp, &mm->vmas, node)
		vma_free(mm, v);
	radix_truncate(&mm->pages, 0, release_page, mm);
	if (mm->exe_file) {
		allow_write_access(mm->exe_file->inode);
		fput(mm->exe_file);
	}
	aspace_destroy(mm->as);
	kfree(mm);
}

void
mm_activate(struct mm *mm)
{
	aspace_switch(mm ? mm->as : kernel_aspace());
}

static void
fork_get_page(void *item, void *arg)
{
	struct mm *mm = arg;

	page_get(item);
	mm->nr_pages++;
}

/*
 * The pages of v in old become the child's (mm's): shared, copy-on-write
 * if private.  Only mm->pages is copied, a radix leaf (64 pages) at a
 * time; the child's page tables start empty and a first touch maps the
 * page from mm->pages (fault_locked()), so a child that execs or exits
 * soon pays nothing per page.  The parent's private writable pages lose
 * write access in one range operation (one TLB flush).
 */
static int
fork_pages(struct mm *mm, struct mm *old, const struct vma *v)
{
	/* Private writable memory becomes copy-on-write in the parent too. */
	if (!(v->flags & VMA_SHARED) && (v->prot & PROT_WRITE) && hw_flags(v, false))
		aspace_protect(old->as, v->start, v->end - v->start, hw_flags(v, false));
	return radix_copy_range(&mm->pages, &old->pages, pindex(v->start), pindex(v->end) - 1,
				fork_get_page, mm);
}

struct mm *
mm_fork(struct mm *old)
{
	struct mm *mm = mm_create();
	struct vma *v, *nv;
	int err = 0;

	if (!mm)
		return NULL;
	mutex_lock(&old->lock);
	list_for_each_entry(v, &old->vmas, node) {
		if (v->flags & VMA_DONTFORK)
			continue;
		nv = kzalloc(sizeof(*nv));
		if (!nv) {
			err = -ENOMEM;
			goto out;
		}
		*nv = *v;
		nv->mm = mm;
		nv->flags &= ~(VMA_LOCKED | VMA_LOCKONFAULT);	/* locks are not inherited */
		vma_dup_file(nv);
		list_add_tail(&nv->node, &mm->vmas);
		mm->map_count++;
		mm->total_vm += (nv->end - nv->start) >> PAGE_SHIFT;
		if (!(v->flags & VMA_WIPEONFORK) || v->file) {
			err = fork_pages(mm, old, v);
			if (err)
				goto out;
		}
	}
	mm->brk_start = old->brk_start;
	mm->brk = old->brk;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->mmap_base = old->mmap_base;
	mm->stack_top = old->stack_top;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	mm->sigpage = old->sigpage;
	mm->vdso = old->vdso;
	mm->personality = old->personality;
	if (old->exe_file && !deny_write_access(old->exe_file->inode))
		mm->exe_file = fget_file(old->exe_file);
out:
	mutex_unlock(&old->lock);
	if (err) {
		mm_put(mm);
		return NULL;
	}
	return mm;
}

/* ---- special mappings ---- */

int
mm_map_special(struct mm *mm, vaddr_t addr, const struct vm_special *sp, unsigned int prot)
{
	vaddr_t end = addr + (vaddr_t)sp->nr_pages * PAGE_SIZE;
	struct vma *v;
	int err;

	mutex_lock(&mm->lock);
	err = -EEXIST;
	if (!range_free(mm, addr, end))
		goto out;
	err = -ENOMEM;
	v = vma_new(mm, addr, end, prot, sp->vma_flags & (VMA_MAYWRITE | VMA_MAYEXEC));
	if (!v)
		goto out;
	v->special = sp;
	vma_link(mm, v);
	/* The kernel's pages, read-only: a write copies (fault_locked()). */
	for (unsigned int i = 0; i < sp->nr_pages; i++) {
		vaddr_t va = addr + (vaddr_t)i * PAGE_SIZE;

		page_get(sp->pages[i]);
		err = radix_insert(&mm->pages, pindex(va), sp->pages[i]);
		if (err) {
			page_put(sp->pages[i]);
			unmap_range(mm, addr, end);
			goto out;
		}
		mm->nr_pages++;
		err = hw_map(mm, va, sp->pages[i], hw_flags(v, false));
		if (err) {
			unmap_range(mm, addr, end);
			goto out;
		}
	}
	err = 0;
out:
	mutex_unlock(&mm->lock);
	return err;
}

/* ---- the signal trampoline page ---- */

static struct page *sigpage;		/* filled once; every process maps it */
static struct mutex sigpage_lock = MUTEX_INIT(sigpage_lock, "sigpage");

/* As Linux's vDSO: mprotect may make it writable (a debugger's breakpoint copies it). */
static const struct vm_special sigpage_special = {
	.name = "[sigpage]", .pages = &sigpage, .nr_pages = 1,
	.vma_flags = VMA_MAYWRITE | VMA_MAYEXEC,
};

int
mm_map_sigpage(struct mm *mm, vaddr_t addr)
{
	int err;

	mutex_lock(&sigpage_lock);
	if (!sigpage) {
		sigpage = alloc_user_page();
		if (sigpage)
			arch_sigpage_fill(page_address(sigpage));
	}
	mutex_unlock(&sigpage_lock);
	if (!sigpage)
		return -ENOMEM;
	err = mm_map_special(mm, addr, &sigpage_special, PROT_READ | PROT_EXEC);
	if (!err)
		mm->sigpage = addr;
	return err;
}

/* ---- truncate: every mapping of a file loses the pages past its end ---- */

/* Release the pages of m's mappings in mm at file page first and beyond. */
static void
zap_mm(struct mm *mm, struct address_space *m, uint64_t first)
{
	struct vma *v;

	mutex_lock(&mm->lock);
	list_for_each_entry(v, &mm->vmas, node) {
		uint64_t vfirst;

		if (v->mapping != m)
			continue;
		vfirst = vma_pgoff(v, v->start);
		if (first <= vfirst)
			pages_release(mm, v->start, v->end);
		else if (first - vfirst < (uint64_t)((v->end - v->start) >> PAGE_SHIFT))
			pages_release(mm, v->start + (vaddr_t)((first - vfirst) << PAGE_SHIFT),
				      v->end);
	}
	mutex_unlock(&mm->lock);
}

void
unmap_mapping_pages(struct address_space *m, uint64_t first)
{
	static unsigned int seq_counter;	/* atomic: a pass's mark */
	unsigned int seq = atomic_add_return(&seq_counter, 1);
	struct vma *v, *w;

	for (;;) {
		struct mm *mm = NULL;

		/*
		 * Each pass takes one address space that has a mapping not
		 * yet seen, marks all its mappings of m seen, and zaps them
		 * under its own lock (which nests outside m->lock).
		 */
		mutex_lock(&m->lock);
		list_for_each_entry(v, &m->i_mmap, mapping_node) {
			if (v->zap_seq == seq)
				continue;
			v->zap_seq = seq;
			if (!mm_tryget(v->mm))
				continue;	/* dying: its pages go with it */
			mm = v->mm;
			list_for_each_entry(w, &m->i_mmap, mapping_node)
				if (w->mm == mm)
					w->zap_seq = seq;
			break;
		}
		mutex_unlock(&m->lock);
		if (!mm)
			return;
		zap_mm(mm, m, first);
		mm_put(mm);
	}
}

/* ---- placement ---- */

/* Where a VMA's reach starts: a stack keeps the guard gap below it free. */
static vaddr_t
gap_start(const struct vma *v)
{
	if (!(v->flags & VMA_GROWSDOWN))
		return v->start;
	return v->start > STACK_GUARD_GAP ? v->start - STACK_GUARD_GAP : 0;
}

/* [start, start + len) is free, outside every stack's guard gap. */
static bool
range_placeable(struct mm *mm, vaddr_t start, size_t len)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node) {
		if (v->end <= start)
			continue;
		return gap_start(v) >= start + len;
	}
	return true;
}

/* A free range of len bytes, below mmap_base and as high as possible. */
static vaddr_t
find_free(struct mm *mm, size_t len)
{
	vaddr_t top = mm->mmap_base;
	struct vma *v;

	list_for_each_entry_reverse(v, &mm->vmas, node) {
		if (v->end <= top && top - v->end >= len)
			break;
		if (gap_start(v) < top)
			top = gap_start(v);
	}
	top &= PAGE_MASK;
	if (top < len || top - len < MMAP_MIN_ADDR)
		return 0;
	return top - len;
}

/* ---- mmap ---- */

#define MAP_UNINITIALIZED	0x4000000
#define LEGACY_MAP_MASK	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | \
			 MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | \
			 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

/* Linux's do_mmap() checks of a file mapping; the VMA flags it gets. */
static int
file_mmap_flags(struct file *f, unsigned int prot, unsigned int flags, loff_t off, size_t len,
		unsigned int *vflags)
{
	struct address_space *m = f->inode->mapping;

	if (off < 0 || (uint64_t)off > (uint64_t)LOFF_MAX - len)
		return -EOVERFLOW;
	*vflags = VMA_MAYWRITE | VMA_MAYEXEC;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		/* Flags beyond Linux's LEGACY_MAP_MASK: no file here supports any (tmpfs's none). */
		if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE && (flags & ~LEGACY_MAP_MASK))
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && !(f->mode & FMODE_WRITE))
			return -EACCES;
		*vflags |= VMA_SHARED;
		if (!(f->mode & FMODE_WRITE))
			*vflags &= ~VMA_MAYWRITE;
		/* fall through */
	case MAP_PRIVATE:
		if (!(f->mode & FMODE_READ))
			return -EACCES;
		if (f->path.mnt && (f->path.mnt->flags & MNT_NOEXEC)) {
			if (prot & PROT_EXEC)
				return -EPERM;
			*vflags &= ~VMA_MAYEXEC;
		}
		if (!m)
			return -ENODEV;
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Seals: a writable shared mapping of a sealed file is refused; a
 * read-only one may never become writable (m->lock held).
 */
static int
check_seals(struct address_space *m, unsigned int prot, unsigned int *vflags)
{
	if (!(*vflags & VMA_SHARED) || !(m->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return 0;
	if (prot & PROT_WRITE)
		return -EPERM;
	*vflags &= ~VMA_MAYWRITE;
	return 0;
}

int
mm_populate_locked(struct mm *mm, vaddr_t start, vaddr_t end, bool write)
{
	int si_code, err;

	for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
		err = fault_locked(mm, va, write, false, &si_code, NULL);
		if (err == -EAGAIN || err == -EIO)
			continue;	/* a file's pages come at the first touch, or never */
		if (err)
			return err;
	}
	return 0;
}

/*
 * anon: f is the tmpfs file behind shared anonymous memory (the caller
 * made it); file_end: an ELF segment's end of file bytes (0: none).
 */
static long
mmap_locked(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot, unsigned int flags,
	    struct file *f, loff_t off, vaddr_t file_end, bool anon)
{
	unsigned int type = flags & MAP_TYPE, vflags = 0;
	struct vma *v;
	int err;

	if (!len)
		return -EINVAL;
	if ((prot & PROT_READ) && (mm->personality & READ_IMPLIES_EXEC) &&
	    !(f && f->path.mnt && (f->path.mnt->flags & MNT_NOEXEC)))
		prot |= PROT_EXEC;
	prot &= PROT_ALL;		/* mmap ignores other bits (PROT_SEM, PROT_BTI ...) */
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED)) {
		addr &= PAGE_MASK;
		if (addr && addr < MMAP_MIN_ADDR)
			addr = MMAP_MIN_ADDR;
	}
	if (len > USER_TOP)
		return -ENOMEM;
	len = page_up(len);
	if (!len)
		return -ENOMEM;
	if (mm->map_count > MAX_MAP_COUNT)
		return -ENOMEM;		/* Linux's vm.max_map_count check in do_mmap */
	/* The address: checked (MAP_FIXED) or chosen. */
	if (flags & MAP_FIXED) {
		if (addr > USER_TOP - len)
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		if ((flags & MAP_FIXED_NOREPLACE) && !range_free(mm, addr, addr + len))
			return -EEXIST;
	} else {
		if (!addr || addr > USER_TOP - len || !range_placeable(mm, addr, len))
			addr = find_free(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	if (f && !anon) {
		err = file_mmap_flags(f, prot, flags, off, len, &vflags);
		if (err)
			return err;
	} else {
		vflags = VMA_MAYWRITE | VMA_MAYEXEC;
		if (type == MAP_SHARED) {
			if (flags & MAP_GROWSDOWN)
				return -EINVAL;
			vflags |= VMA_SHARED;
		} else if (type != MAP_PRIVATE) {
			return -EINVAL;
		} else if (flags & MAP_GROWSDOWN) {
			vflags |= VMA_GROWSDOWN;
		}
	}
	if (!may_expand_vm(mm, prot, vflags, (len >> PAGE_SHIFT) -
			   ((flags & MAP_FIXED) ? mapped_pages(mm, addr, addr + len) : 0)))
		return -ENOMEM;
	/* mlockall(MCL_FUTURE) locks it; MAP_LOCKED too, as mlock would (Linux's VM_LOCKED). */
	vflags |= mm->def_flags;
	if (flags & MAP_LOCKED)
		vflags = (vflags & ~VMA_LOCKONFAULT) | VMA_LOCKED;
	if (!mlock_future_ok(mm, vflags, len))
		return -EAGAIN;
	if ((vflags & (VMA_LOCKED | VMA_LOCKONFAULT)) == VMA_LOCKED && (prot & PROT_ALL))
		flags |= MAP_POPULATE;
	v = vma_new(mm, addr, addr + len, prot, vflags);
	if (!v)
		return -ENOMEM;
	if (f) {
		struct address_space *m = f->inode->mapping;

		mutex_lock(&m->lock);
		err = check_seals(m, prot, &v->flags);
		mutex_unlock(&m->lock);
		if (err) {
			kfree(v);
			return err;
		}
	}
	if (flags & MAP_FIXED) {
		err = unmap_range(mm, addr, addr + len);
		if (err) {
			kfree(v);
			return err;
		}
	}
	if (f) {
		v->file = f;
		v->mapping = f->inode->mapping;
		v->off = off;
		v->file_end = file_end ? file_end : addr + len;
		vma_dup_file(v);
	}
	vma_link(mm, v);
	if (flags & MAP_POPULATE) {
		err = mm_populate_locked(mm, addr, addr + len,
					 (prot & PROT_WRITE) && !(vflags & VMA_SHARED));
		if (err) {
			unmap_range(mm, addr, addr + len);
			return err;
		}
	}
	vma_try_merge(mm, v);
	return (long)addr;
}

long
mm_mmap(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot, unsigned int flags,
	struct file *f, loff_t off)
{
	struct file *zero = NULL;
	long ret;

	/* Shared anonymous memory is an unlinked tmpfs file (Linux's /dev/zero (deleted)). */
	if (!f && (flags & MAP_TYPE) == MAP_SHARED && len && len <= USER_TOP &&
	    !(flags & MAP_GROWSDOWN)) {
		zero = shmem_zero_file((loff_t)page_up(len));
		if (IS_ERR(zero))
			return PTR_ERR(zero);
		f = zero;
		off = 0;
	}
	mutex_lock(&mm->lock);
	ret = mmap_locked(mm, addr, len, prot, flags, f, off, 0, zero != NULL);
	mutex_unlock(&mm->lock);
	if (zero)
		fput(zero);
	return ret;
}

int
mm_map_file_fixed(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot, struct file *f,
		  loff_t off, vaddr_t file_end)
{
	long ret;

	mutex_lock(&mm->lock);
	ret = mmap_locked(mm, addr, len, prot, MAP_PRIVATE | MAP_FIXED, f, off, file_end, false);
	mutex_unlock(&mm->lock);
	return IS_ERR_VALUE(ret) ? (int)ret : 0;
}

int
mm_munmap(struct mm *mm, vaddr_t addr, size_t len)
{
	int err;

	if ((addr & (PAGE_SIZE - 1)) || !len || len > USER_TOP || addr > USER_TOP - len)
		return -EINVAL;
	len = page_up(len);
	mutex_lock(&mm->lock);
	err = unmap_range(mm, addr, addr + len);
	mutex_unlock(&mm->lock);
	return err;
}

int
mm_mprotect(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot)
{
	struct vma *v;
	vaddr_t end;
	int err;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(PROT_ALL | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if ((prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!len)
		return 0;
	len = page_up(len);
	if (!len || len > USER_TOP || addr > USER_TOP - len)
		return -ENOMEM;
	end = addr + len;
	mutex_lock(&mm->lock);
	/* PROT_GROWSDOWN: the change reaches down to the start of the stack. */
	if (prot & PROT_GROWSDOWN) {
		v = vma_lookup(mm, addr);
		err = -EINVAL;
		if (v && !(v->flags & VMA_GROWSDOWN))
			goto out;
		if (v)
			addr = v->start;
	}
	prot &= PROT_ALL;
	if ((prot & PROT_READ) && (mm->personality & READ_IMPLIES_EXEC))
		prot |= PROT_EXEC;
	err = -ENOMEM;
	if (!range_mapped(mm, addr, end))
		goto out;
	/* What the mappings may become, before anything changes (Linux's VM_MAY* rule). */
	err = -EACCES;
	for (v = vma_first_above(mm, addr); v && v->start < end; v = vma_next(mm, v))
		if (((prot & PROT_WRITE) && !(v->flags & VMA_MAYWRITE)) ||
		    ((prot & PROT_EXEC) && !(v->flags & VMA_MAYEXEC)))
			goto out;
	err = vma_cut(mm, addr);
	if (!err)
		err = vma_cut(mm, end);
	if (err)
		goto out;
	list_for_each_entry(v, &mm->vmas, node) {
		if (v->start >= end)
			break;
		if (v->end <= addr)
			continue;
		v->prot = prot;
		/*
		 * Present pages keep no more than read access until a write
		 * fault decides whether copy-on-write still applies.
		 */
		if (!hw_flags(v, false))
			aspace_unmap(mm->as, v->start, v->end - v->start);
		else
			aspace_protect(mm->as, v->start, v->end - v->start,
				       hw_flags(v, (v->flags & VMA_SHARED) && !vma_writenotify(v)));
	}
out:
	mutex_unlock(&mm->lock);
	return err;
}

long
mm_brk(struct mm *mm, vaddr_t brk)
{
	vaddr_t old_end, new_end;
	uint64_t data;
	struct vma *v, *next;
	long ret;

	mutex_lock(&mm->lock);
	ret = (long)mm->brk;
	if (brk < mm->brk_start)
		goto out;
	/* Linux's check_data_rlimit(): the heap and the program's data. */
	data = current_rlimit(RLIMIT_DATA);
	if (data != ~(uint64_t)0 &&
	    (uint64_t)(brk - mm->brk_start) + (mm->end_data - mm->start_data) > data)
		goto out;
	old_end = page_up(mm->brk);
	new_end = page_up(brk);
	if (new_end < brk || new_end > USER_TOP)
		goto out;
	if (new_end < old_end) {
		if (unmap_range(mm, new_end, old_end))
			goto out;
	} else if (new_end > old_end) {
		next = vma_first_above(mm, old_end);
		if (next && new_end > gap_start(next))
			goto out;	/* not into a mapping nor a stack's guard gap */
		if (!may_expand_vm(mm, PROT_READ | PROT_WRITE, VMA_HEAP,
				   (new_end - old_end) >> PAGE_SHIFT))
			goto out;
		/* mlockall(MCL_FUTURE) locks the new heap too, as Linux's do_brk_flags. */
		if (!mlock_future_ok(mm, mm->def_flags, new_end - old_end))
			goto out;
		v = old_end > mm->brk_start ? vma_lookup(mm, old_end - 1) : NULL;
		if (v && (v->flags & VMA_HEAP) && v->end == old_end &&
		    (v->flags & (VMA_LOCKED | VMA_LOCKONFAULT)) == mm->def_flags) {
			v->end = new_end;
			mm->total_vm += (new_end - old_end) >> PAGE_SHIFT;
		} else {
			v = vma_new(mm, old_end, new_end, PROT_READ | PROT_WRITE,
				    VMA_HEAP | VMA_MAYWRITE | VMA_MAYEXEC | mm->def_flags);
			if (!v)
				goto out;
			vma_link(mm, v);
		}
		if ((mm->def_flags & (VMA_LOCKED | VMA_LOCKONFAULT)) == VMA_LOCKED)
			mm_populate_locked(mm, old_end, new_end, true);	/* errors ignored, as Linux */
	}
	mm->brk = brk;
	ret = (long)brk;
out:
	mutex_unlock(&mm->lock);
	return ret;
}

/* Move the pages of [old, old + len) to new (both page aligned, disjoint). */
static int
move_pages(struct mm *mm, struct vma *nv, vaddr_t old, vaddr_t new, size_t len)
{
	uint64_t idx = pindex(old), last = pindex(old + len) - 1;
	struct page *p;
	int err;

	aspace_unmap(mm->as, old, len);
	while ((p = radix_next(&mm->pages, idx, &idx)) != NULL && idx <= last) {
		vaddr_t to = new + ((vaddr_t)(idx - pindex(old)) << PAGE_SHIFT);
		bool writable = (nv->flags & VMA_SHARED) ? !vma_writenotify(nv)
			      : !p->mapping && load_acquire(&p->refcount) == 1;

		radix_delete(&mm->pages, idx);
		err = radix_insert(&mm->pages, pindex(to), p);
		if (err) {
			page_put(p);
			mm->nr_pages--;
			return err;
		}
		err = hw_map(mm, to, p, hw_flags(nv, writable));
		if (err)
			return err;
		idx++;
	}
	return 0;
}

long
mm_mremap(struct mm *mm, vaddr_t old, size_t old_len, size_t new_len, unsigned int flags,
	  vaddr_t new_addr)
{
	struct vma *v, *nv, *next;
	vaddr_t dest;
	long ret;
	int err;

	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL;		/* not supported yet: say so rather than misbehave */
	if ((old & (PAGE_SIZE - 1)) || !new_len)
		return -EINVAL;
	old_len = page_up(old_len);
	new_len = page_up(new_len);
	if (!new_len || !old_len)
		return -EINVAL;		/* old_len 0 duplicates a shared mapping: not supported */
	if (old_len > USER_TOP || old > USER_TOP - old_len)
		return -EFAULT;
	mutex_lock(&mm->lock);
	v = vma_lookup(mm, old);
	ret = -EFAULT;
	if (!v || old + old_len > v->end)
		goto out;
	if (v->special && new_len > old_len)
		goto out;		/* Linux's VM_DONTEXPAND */
	if (flags & MREMAP_FIXED) {
		ret = -EINVAL;
		if ((new_addr & (PAGE_SIZE - 1)) ||
		    (new_addr < old + old_len && old < new_addr + new_len))
			goto out;
		ret = -ENOMEM;
		if (new_len > USER_TOP || new_addr > USER_TOP - new_len)
			goto out;
		ret = -EPERM;
		if (new_addr < MMAP_MIN_ADDR)
			goto out;
		ret = -ENOMEM;
		if (new_len > old_len &&
		    !may_expand_vm(mm, v->prot, v->flags, (new_len - old_len) >> PAGE_SHIFT))
			goto out;
		ret = unmap_range(mm, new_addr, new_addr + new_len);
		if (ret)
			goto out;
		v = vma_lookup(mm, old);
		dest = new_addr;
		goto move;
	}
	if (new_len <= old_len) {
		ret = unmap_range(mm, old + new_len, old + old_len);
		if (!ret)
			ret = (long)old;
		goto out;
	}
	ret = -ENOMEM;
	if (!may_expand_vm(mm, v->prot, v->flags, (new_len - old_len) >> PAGE_SHIFT))
		goto out;
	/* Grow in place when the VMA ends here and the space after is free. */
	next = vma_next(mm, v);
	if (v->end == old + old_len && new_len - old_len <= USER_TOP - v->end &&
	    (!next || old + new_len <= gap_start(next))) {
		mm->total_vm += (old + new_len - v->end) >> PAGE_SHIFT;
		v->end = old + new_len;
		if (v->file && v->file_end == old + old_len)
			v->file_end = v->end;
		ret = (long)old;
		goto out;
	}
	if (!(flags & MREMAP_MAYMOVE))
		goto out;
	dest = find_free(mm, new_len);
	if (!dest)
		goto out;
move:
	err = vma_cut(mm, old);
	if (!err)
		err = vma_cut(mm, old + old_len);
	ret = err;
	if (err)
		goto out;
	v = vma_lookup(mm, old);
	nv = vma_new(mm, dest, dest + new_len, v->prot, v->flags & ~(VMA_HEAP | VMA_STACK));
	ret = -ENOMEM;
	if (!nv)
		goto out;
	nv->special = v->special;
	if (v->file) {
		nv->file = v->file;
		nv->mapping = v->mapping;
		nv->off = v->off;
		nv->file_end = v->file_end >= v->end ? dest + new_len
			     : dest + (v->file_end > v->start ? v->file_end - v->start : 0);
		vma_dup_file(nv);
	}
	vma_link(mm, nv);
	ret = move_pages(mm, nv, old, dest, old_len < new_len ? old_len : new_len);
	if (!ret) {
		vma_free(mm, v);
		pages_release(mm, old, old + old_len);
		if (nv->special && nv->special->moved)
			nv->special->moved(mm, dest);
		ret = (long)dest;
	}
out:
	mutex_unlock(&mm->lock);
	return ret;
}
