/*
 * Process address spaces: VMAs, the software page table of user pages
 * (mm->pages), demand paging, copy-on-write, and the kernel side of brk,
 * mmap, munmap, mprotect, mremap and madvise with Linux's rules.
 *
 * The hardware page tables only cache mm->pages: a page is mapped there
 * with the VMA's permissions, minus write while copy-on-write shares it,
 * and not at all under PROT_NONE.  mm->lock (a mutex: faults allocate and
 * read files) guards the VMAs, mm->pages and the user page tables.
 */
#include <string.h>
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/mman.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/vfs.h>
#include <arch/user.h>

/* Linux's vm.mmap_min_addr: nothing is mapped below (NULL stays a fault). */
#define MMAP_MIN_ADDR	0x10000UL

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)

static inline vaddr_t
page_up(vaddr_t a)
{
	return (a + PAGE_SIZE - 1) & PAGE_MASK;
}

static inline uint64_t
pindex(vaddr_t va)
{
	return va >> PAGE_SHIFT;
}

/* ---- refcounted pages ---- */

void
page_get(struct page *p)
{
	atomic_fetch_add(&p->refcount, 1);
}

void
page_put(struct page *p)
{
	if (atomic_sub_return(&p->refcount, 1) == 0)
		free_pages(p, 0);
}

static struct page *
user_page_alloc(void)
{
	struct page *p = alloc_pages(GFP_ZERO, 0);

	if (p)
		p->refcount = 1;
	return p;
}

/* ---- hardware mappings ---- */

/* The page-table flags for a page of vma: none (0) under PROT_NONE. */
static unsigned int
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

/* Map page at va, replacing whatever the tables held there. */
static int
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

/* The first VMA ending above addr, or NULL. */
static struct vma *
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
	mm->total_vm += (nv->end - nv->start) >> PAGE_SHIFT;
}

static void
vma_free(struct mm *mm, struct vma *v)
{
	if (mm->cache == v)
		mm->cache = NULL;
	list_del(&v->node);
	mm->total_vm -= (v->end - v->start) >> PAGE_SHIFT;
	if (v->file)
		fput(v->file);
	kfree(v);
}

static struct vma *
vma_new(vaddr_t start, vaddr_t end, unsigned int prot, unsigned int flags)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (v) {
		v->start = start;
		v->end = end;
		v->prot = prot;
		v->flags = flags;
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
	n = kzalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	*n = *v;
	n->start = addr;
	if (n->file) {
		fget_file(n->file);
		n->off += addr - v->start;
	}
	v->end = addr;
	list_add(&n->node, &v->node);
	return 0;
}

/* Make addr a VMA boundary if a VMA straddles it. */
static int
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
	struct vma *next, *prev;

	if (v->file || v->special)
		return;
	if (v->node.next != &mm->vmas) {
		next = list_entry(v->node.next, struct vma, node);
		if (!next->file && !next->special && next->start == v->end && next->prot == v->prot &&
		    next->flags == v->flags) {
			v->end = next->end;
			mm->total_vm += (next->end - next->start) >> PAGE_SHIFT;
			vma_free(mm, next);
		}
	}
	if (v->node.prev != &mm->vmas) {
		prev = list_entry(v->node.prev, struct vma, node);
		if (!prev->file && !prev->special && prev->end == v->start && prev->prot == v->prot &&
		    prev->flags == v->flags) {
			prev->end = v->end;
			mm->total_vm += (v->end - v->start) >> PAGE_SHIFT;
			vma_free(mm, v);
		}
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

/* Drop every page of [start, end): out of the tables, then released. */
static void
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

struct mm *
mm_fork(struct mm *old)
{
	struct mm *mm = mm_create();
	struct vma *v, *nv;
	struct page *p;
	uint64_t idx = 0;
	int err = 0;

	if (!mm)
		return NULL;
	mutex_lock(&old->lock);
	list_for_each_entry(v, &old->vmas, node) {
		nv = kzalloc(sizeof(*nv));
		if (!nv) {
			err = -ENOMEM;
			goto out;
		}
		*nv = *v;
		if (nv->file)
			fget_file(nv->file);
		list_add_tail(&nv->node, &mm->vmas);
		/* Private writable memory becomes copy-on-write in the parent too. */
		if (!(v->flags & VMA_SHARED) && (v->prot & PROT_WRITE) && hw_flags(v, false))
			aspace_protect(old->as, v->start, v->end - v->start, hw_flags(v, false));
	}
	mm->total_vm = old->total_vm;
	v = NULL;
	while ((p = radix_next(&old->pages, idx, &idx)) != NULL) {
		vaddr_t va = (vaddr_t)idx << PAGE_SHIFT;
		unsigned int flags;

		if (!v || va < v->start || va >= v->end)
			v = vma_lookup(old, va);
		page_get(p);
		err = radix_insert(&mm->pages, idx, p);
		if (err) {
			page_put(p);
			goto out;
		}
		mm->nr_pages++;
		flags = v ? hw_flags(v, v->flags & VMA_SHARED) : 0;
		if (flags) {
			err = aspace_map(mm->as, va, page_to_phys(p), PAGE_SIZE, flags);
			if (err)
				goto out;
		}
		idx++;
	}
	mm->brk_start = old->brk_start;
	mm->brk = old->brk;
	mm->mmap_base = old->mmap_base;
	mm->stack_top = old->stack_top;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	mm->sigpage = old->sigpage;
	mm->vdso = old->vdso;
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

/* ---- the signal trampoline page ---- */

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
	v = vma_new(addr, end, prot & sp->max_prot, 0);
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

static struct page *sigpage;		/* filled once; every process maps it */
static struct mutex sigpage_lock = MUTEX_INIT(sigpage_lock, "sigpage");

/* As 32-bit Arm Linux's trampoline page: readable and executable, never writable. */
static const struct vm_special sigpage_special = {
	.name = "[sigpage]", .pages = &sigpage, .nr_pages = 1, .max_prot = PROT_READ | PROT_EXEC,
};

int
mm_map_sigpage(struct mm *mm, vaddr_t addr)
{
	int err;

	mutex_lock(&sigpage_lock);
	if (!sigpage) {
		sigpage = user_page_alloc();
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

/* ---- faults ---- */

/*
 * A file-backed page is read without mm->lock: a read takes the inode's
 * lock, and a copy to user memory under that lock faults and takes
 * mm->lock (lock order: inode, then mm).  The fault notes what to read,
 * drops the lock, reads, and tries again with the page in hand; the
 * second try uses it only if the mapping still says the same.
 */
struct file_read_req {
	struct file *file;		/* referenced */
	loff_t pos;
	size_t len;
	vaddr_t va;
	bool exec;
	struct page *page;		/* the bytes, once read */
};

#define FAULT_READ_FILE	1		/* fault_locked(): fill *req, then call again */

static bool
req_matches(const struct file_read_req *req, const struct vma *v, vaddr_t va)
{
	return req->page && req->va == va && v->file == req->file &&
	       req->pos == v->off + (loff_t)(va - v->start) &&
	       req->len == (v->file_end - va < PAGE_SIZE ? v->file_end - va : PAGE_SIZE);
}

/* A new page for va in v: zeros, the bytes read already, or FAULT_READ_FILE. */
static struct page *
fill_page(struct vma *v, vaddr_t va, struct file_read_req *req, int *err)
{
	struct page *p;

	if (v->special) {
		/* Back after MADV_DONTNEED: the kernel's page again. */
		p = v->special->pages[(va - v->start) >> PAGE_SHIFT];
		page_get(p);
		*err = 0;
		return p;
	}
	if (v->file && va < v->file_end) {
		if (req && req_matches(req, v, va)) {
			p = req->page;
			req->page = NULL;
			*err = 0;
			return p;
		}
		*err = -EAGAIN;
		if (!req)
			return NULL;	/* populate(): leave it to the first touch */
		if (req->page) {
			page_put(req->page);	/* the mapping changed meanwhile */
			req->page = NULL;
		}
		if (req->file)
			fput(req->file);
		req->file = fget_file(v->file);
		req->va = va;
		req->pos = v->off + (loff_t)(va - v->start);
		req->len = v->file_end - va < PAGE_SIZE ? v->file_end - va : PAGE_SIZE;
		req->exec = v->prot & PROT_EXEC;
		*err = FAULT_READ_FILE;
		return NULL;
	}
	p = user_page_alloc();
	*err = p ? 0 : -ENOMEM;
	return p;
}

/* The read itself, no lock held. */
static int
read_file_page(struct file_read_req *req)
{
	struct page *p = user_page_alloc();
	loff_t pos = req->pos;
	ssize_t got;

	if (!p)
		return -ENOMEM;
	got = file_read(req->file, page_address(p), req->len, &pos);
	/* Past the file's end reads as zeros (Linux would SIGBUS: rare). */
	if (got < 0) {
		page_put(p);
		return (int)got;
	}
	if (req->exec)
		arch_sync_icache(page_address(p), PAGE_SIZE);
	req->page = p;
	return 0;
}

static int
fault_locked(struct mm *mm, vaddr_t addr, bool write, bool exec, int *si_code,
	     struct file_read_req *req)
{
	struct vma *v = vma_lookup(mm, addr);
	vaddr_t va = addr & PAGE_MASK;
	struct page *p, *copy;
	int err;

	*si_code = SEGV_MAPERR;
	if (!v)
		return -EFAULT;
	*si_code = SEGV_ACCERR;
	if ((write && !(v->prot & PROT_WRITE)) || (exec && !(v->prot & PROT_EXEC)) ||
	    !(v->prot & PROT_ALL))
		return -EFAULT;
	*si_code = 0;
	p = radix_lookup(&mm->pages, pindex(va));
	if (!p) {
		p = fill_page(v, va, req, &err);
		if (!p)
			return err;
		err = radix_insert(&mm->pages, pindex(va), p);
		if (err) {
			page_put(p);
			return err;
		}
		mm->nr_pages++;
		/* A special mapping's page is shared: read-only, and a write copies it below. */
		if (!v->special || !write)
			return hw_map(mm, va, p, hw_flags(v, !v->special));
	}
	if (write && !(v->flags & VMA_SHARED) && load_acquire(&p->refcount) > 1) {
		/* Copy on write: this space gets its own copy. */
		copy = user_page_alloc();
		if (!copy)
			return -ENOMEM;
		memcpy(page_address(copy), page_address(p), PAGE_SIZE);
		radix_delete(&mm->pages, pindex(va));
		err = radix_insert(&mm->pages, pindex(va), copy);
		if (err) {
			/* Cannot happen (the slot was just freed of its node? keep the old page). */
			radix_insert(&mm->pages, pindex(va), p);
			page_put(copy);
			return err;
		}
		err = hw_map(mm, va, copy, hw_flags(v, true));
		page_put(p);
		return err;
	}
	/*
	 * The last holder of a shared page writes, access comes back after
	 * PROT_NONE, or another thread resolved it first: map as allowed.
	 */
	return hw_map(mm, va, p, hw_flags(v, write || load_acquire(&p->refcount) == 1 ||
					  (v->flags & VMA_SHARED)));
}

int
mm_fault(struct mm *mm, vaddr_t addr, bool write, bool exec, int *si_code)
{
	struct file_read_req req = { 0 };
	int err;

	if (addr >= USER_TOP) {
		*si_code = SEGV_MAPERR;
		return -EFAULT;
	}
	for (;;) {
		mutex_lock(&mm->lock);
		err = fault_locked(mm, addr, write, exec, si_code, &req);
		mutex_unlock(&mm->lock);
		if (err != FAULT_READ_FILE)
			break;
		err = read_file_page(&req);
		if (err)
			break;
	}
	if (req.page)
		page_put(req.page);
	if (req.file)
		fput(req.file);
	return err;
}

void
mm_prefault_file_pages(struct mm *mm, vaddr_t addr, size_t len, bool write)
{
	vaddr_t va = addr & PAGE_MASK, end;
	int si_code = 0;

	if (!len || addr >= USER_TOP)
		return;
	end = len > USER_TOP - addr ? USER_TOP : page_up(addr + len);
	while (va < end) {
		struct vma *v;
		bool fault;

		mutex_lock(&mm->lock);
		v = vma_lookup(mm, va);
		if (!v) {
			mutex_unlock(&mm->lock);
			return;
		}
		if (!v->file) {
			va = v->end;		/* anonymous: the copy faults it in */
			mutex_unlock(&mm->lock);
			continue;
		}
		/* Present pages need nothing, unless written while copy-on-write shared. */
		fault = write || !radix_lookup(&mm->pages, pindex(va));
		mutex_unlock(&mm->lock);
		if (fault && mm_fault(mm, va, write, false, &si_code))
			return;
		va += PAGE_SIZE;
	}
}

/* Fault in every page of [start, end) (MAP_POPULATE, shared memory). */
static int
populate(struct mm *mm, vaddr_t start, vaddr_t end)
{
	int si_code, err;

	for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
		err = fault_locked(mm, va, false, false, &si_code, NULL);
		if (err == -EAGAIN)
			continue;	/* file pages come at the first touch */
		if (err)
			return err;
	}
	return 0;
}

/* ---- mmap and friends ---- */

/* A free range of len bytes, below mmap_base and as high as possible. */
static vaddr_t
find_free(struct mm *mm, size_t len)
{
	vaddr_t top = mm->mmap_base, cand;
	struct vma *v;

	list_for_each_entry_reverse(v, &mm->vmas, node) {
		if (v->start >= top)
			continue;
		if (v->end <= top && top - v->end >= len)
			break;
		top = v->start;
	}
	if (top < len)
		return 0;
	cand = top - len;
	return cand >= MMAP_MIN_ADDR && range_free(mm, cand, cand + len) ? cand : 0;
}

static int
check_range(vaddr_t addr, size_t len)
{
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;
	if (len > USER_TOP || addr > USER_TOP - len)
		return -ENOMEM;
	return 0;
}

static long
mmap_locked(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot, unsigned int flags,
	     struct file *f, loff_t off, vaddr_t file_end)
{
	unsigned int type = flags & MAP_TYPE;
	struct vma *v;
	int err;

	if (!len)
		return -EINVAL;
	if (len > USER_TOP)
		return -ENOMEM;
	len = page_up(len);
	if (prot & ~PROT_ALL)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (f) {
		if (!(f->mode & FMODE_READ))
			return -EACCES;
		if (!S_ISREG(f->inode->mode))
			return -ENODEV;
		if (type != MAP_PRIVATE)
			return -ENODEV;	/* shared file mappings need a page cache */
	}
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		err = check_range(addr, len);
		if (err)
			return err;
		if (!range_free(mm, addr, addr + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			err = unmap_range(mm, addr, addr + len);
			if (err)
				return err;
		}
	} else {
		addr &= PAGE_MASK;
		if (!addr || check_range(addr, len) || !range_free(mm, addr, addr + len))
			addr = find_free(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	v = vma_new(addr, addr + len, prot, type == MAP_PRIVATE ? 0 : VMA_SHARED);
	if (!v)
		return -ENOMEM;
	if (f) {
		v->file = fget_file(f);
		v->off = off;
		v->file_end = file_end ? file_end : addr + len;
	}
	vma_link(mm, v);
	/* Shared anonymous memory exists from the start, so fork shares it. */
	if ((flags & MAP_POPULATE) || (v->flags & VMA_SHARED)) {
		err = populate(mm, addr, addr + len);
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
	long ret;

	mutex_lock(&mm->lock);
	ret = mmap_locked(mm, addr, len, prot, flags, f, off, 0);
	mutex_unlock(&mm->lock);
	return ret;
}

int
mm_map_file_fixed(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot, struct file *f,
		  loff_t off, vaddr_t file_end)
{
	long ret;

	mutex_lock(&mm->lock);
	ret = mmap_locked(mm, addr, len, prot, MAP_PRIVATE | MAP_FIXED, f, off, file_end);
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

/* Every byte of [start, end) lies in some VMA. */
static bool
range_mapped(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_first_above(mm, start);

	while (v && start < end) {
		if (v->start > start)
			return false;
		start = v->end;
		v = v->node.next == &mm->vmas ? NULL : list_entry(v->node.next, struct vma, node);
	}
	return start >= end;
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
	prot &= PROT_ALL;
	if (!len)
		return 0;
	len = page_up(len);
	if (!len || len > USER_TOP || addr > USER_TOP - len)
		return -ENOMEM;
	end = addr + len;
	mutex_lock(&mm->lock);
	err = -ENOMEM;
	if (!range_mapped(mm, addr, end))
		goto out;
	err = -EACCES;
	for (v = vma_first_above(mm, addr); v && v->start < end;
	     v = v->node.next == &mm->vmas ? NULL : list_entry(v->node.next, struct vma, node))
		if (v->special && (prot & ~v->special->max_prot))
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
				       hw_flags(v, v->flags & VMA_SHARED));
	}
	err = 0;
out:
	mutex_unlock(&mm->lock);
	return err;
}

long
mm_brk(struct mm *mm, vaddr_t brk)
{
	vaddr_t old_end, new_end;
	struct vma *v;
	long ret;

	mutex_lock(&mm->lock);
	ret = (long)mm->brk;
	if (brk < mm->brk_start)
		goto out;
	old_end = page_up(mm->brk);
	new_end = page_up(brk);
	if (new_end < brk || new_end > mm->mmap_base)
		goto out;
	if (new_end < old_end) {
		if (unmap_range(mm, new_end, old_end))
			goto out;
	} else if (new_end > old_end) {
		if (!range_free(mm, old_end, new_end))
			goto out;
		v = old_end > mm->brk_start ? vma_lookup(mm, old_end - 1) : NULL;
		if (v && (v->flags & VMA_HEAP) && v->end == old_end) {
			v->end = new_end;
			mm->total_vm += (new_end - old_end) >> PAGE_SHIFT;
		} else {
			v = vma_new(old_end, new_end, PROT_READ | PROT_WRITE, VMA_HEAP);
			if (!v)
				goto out;
			vma_link(mm, v);
		}
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

		radix_delete(&mm->pages, idx);
		err = radix_insert(&mm->pages, pindex(to), p);
		if (err) {
			page_put(p);
			mm->nr_pages--;
			return err;
		}
		err = hw_map(mm, to, p, hw_flags(nv, (nv->flags & VMA_SHARED) ||
						     load_acquire(&p->refcount) == 1));
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
	struct vma *v, *nv;
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
		ret = check_range(new_addr, new_len);
		if (ret)
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
	/* Grow in place when the VMA ends here and the space after is free. */
	if (v->end == old + old_len && old + new_len <= USER_TOP &&
	    range_free(mm, v->end, old + new_len)) {
		mm->total_vm += (old + new_len - v->end) >> PAGE_SHIFT;
		v->end = old + new_len;
		if (v->file && v->file_end == old + old_len)
			v->file_end = v->end;
		ret = (long)old;
		goto out;
	}
	ret = -ENOMEM;
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
	nv = vma_new(dest, dest + new_len, v->prot, v->flags & ~(VMA_HEAP | VMA_STACK));
	ret = -ENOMEM;
	if (!nv)
		goto out;
	nv->special = v->special;
	if (v->file) {
		nv->file = fget_file(v->file);
		nv->off = v->off;
		nv->file_end = v->file_end >= v->end ? dest + new_len
			     : dest + (v->file_end > v->start ? v->file_end - v->start : 0);
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

int
mm_madvise(struct mm *mm, vaddr_t addr, size_t len, int advice)
{
	vaddr_t end;
	int err = 0;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE:
		break;
	default:
		return -EINVAL;
	}
	len = page_up(len);
	if (len > USER_TOP || addr > USER_TOP - len)
		return -EINVAL;
	if (!len)
		return 0;
	end = addr + len;
	mutex_lock(&mm->lock);
	if (!range_mapped(mm, addr, end)) {
		err = -ENOMEM;
	} else if (advice == MADV_DONTNEED || advice == MADV_FREE) {
		struct vma *v = vma_first_above(mm, addr);

		for (; v && v->start < end;
		     v = v->node.next == &mm->vmas ? NULL : list_entry(v->node.next, struct vma, node))
			if (v->special && v->special->no_madvise)
				err = -EINVAL;
		v = err ? NULL : vma_first_above(mm, addr);
		/* Shared memory keeps its pages (they are its only copy). */
		for (; v && v->start < end;
		     v = v->node.next == &mm->vmas ? NULL : list_entry(v->node.next, struct vma, node))
			if (!(v->flags & VMA_SHARED))
				pages_release(mm, v->start > addr ? v->start : addr,
					      v->end < end ? v->end : end);
	}
	mutex_unlock(&mm->lock);
	return err;
}
