/*
 * Faults in user address spaces: demand-zero anonymous memory, file
 * mappings through the page cache (shared: the file's page; private: the
 * file's page read-only until the first write copies it), copy-on-write
 * after fork, SIGBUS for a file page wholly past the end of the file,
 * the growth of a stack down to RLIMIT_STACK (never into the guard gap
 * above another mapping), and the out-of-memory path: a fault that finds
 * no free page asks the OOM killer for a victim and tries again.
 *
 * A file system's readpage never runs under mm->lock (a read may take
 * locks a copy to user memory holds while it faults): the fault notes
 * what to read, drops the lock, reads the page into the cache, and
 * starts over.
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/process.h>
#include <kernel/thread.h>
#include <kernel/vfs.h>
#include <arch/user.h>

#include "mm_internal.h"

/*
 * addr lies in no VMA: extend the stack above it down to addr if the
 * rules allow (Linux's expand_downwards and acct_stack_growth).
 */
static struct vma *
expand_stack(struct mm *mm, vaddr_t addr)
{
	struct vma *v = vma_first_above(mm, addr), *prev;
	vaddr_t start = addr & PAGE_MASK;
	uint64_t limit;
	size_t grow;

	if (!v || !(v->flags & VMA_GROWSDOWN) || v->start <= addr || start < MMAP_MIN_ADDR)
		return NULL;
	prev = vma_prev(mm, v);
	if (prev && !(prev->flags & VMA_GROWSDOWN) && (prev->prot & PROT_ALL) &&
	    start - prev->end < STACK_GUARD_GAP)
		return NULL;
	limit = current_rlimit(RLIMIT_STACK);
	if (limit != ~(uint64_t)0 && v->end - start > limit)
		return NULL;
	grow = (v->start - start) >> PAGE_SHIFT;
	if (!may_expand_vm(mm, v->prot, v->flags, grow))
		return NULL;
	v->start = start;
	mm->total_vm += grow;
	return v;
}

/* p (its reference goes to mm->pages) becomes the page at va. */
static int
install(struct mm *mm, struct vma *v, vaddr_t va, struct page *p, bool writable)
{
	int err = radix_insert(&mm->pages, pindex(va), p);

	if (err) {
		page_put(p);
		return err;
	}
	mm->nr_pages++;
	if (v->prot & PROT_EXEC)
		arch_sync_icache(page_address(p), PAGE_SIZE);
	return hw_map(mm, va, p, hw_flags(v, writable));
}

/* A private copy of the first bytes of p (the rest zeros). */
static struct page *
copy_page(struct page *p, size_t bytes)
{
	struct page *copy = bytes == PAGE_SIZE ? alloc_user_page_unzeroed() : alloc_user_page();

	/* A whole page is overwritten at once: zeroing it first is wasted. */
	if (copy)
		memcpy(page_address(copy), page_address(p), bytes);
	return copy;
}

/* The first touch of va in file mapping v. */
static int
fault_file(struct mm *mm, struct vma *v, vaddr_t va, bool write, int *si_code,
	   struct fault_req *req)
{
	uint64_t index = vma_pgoff(v, va);
	bool shared = v->flags & VMA_SHARED;
	struct page *p, *copy;
	int err;

	if (!shared && va >= v->file_end) {
		/* An ELF segment's bss: no file bytes at all. */
		p = alloc_user_page();
		return p ? install(mm, v, va, p, true) : -ENOMEM;
	}
	p = pagecache_fault_page(v->mapping, index, &err);
	if (!p) {
		if (err == -EAGAIN) {
			if (!req)
				return -EAGAIN;
			if (req->file)
				fput(req->file);
			req->file = fget_file(v->file);
			req->index = index;
			return FAULT_READ_FILE;
		}
		if (err == -ENOMEM)
			return err;
		*si_code = BUS_ADRERR;	/* past the end, or no space for it (tmpfs) */
		return -EIO;
	}
	if (!shared && (write || v->file_end - va < PAGE_SIZE)) {
		copy = copy_page(p, MIN(PAGE_SIZE, v->file_end - va));
		page_put(p);
		return copy ? install(mm, v, va, copy, true) : -ENOMEM;
	}
	if (shared && write) {
		pagecache_mark_dirty(v->mapping, p);
		pagecache_note_mmap_write(v->mapping);
	}
	return install(mm, v, va, p, shared && (write || !vma_writenotify(v)));
}

/*
 * A special mapping's page again (after MADV_DONTNEED, or not copied by
 * fork): the kernel's, shared and read-only, or the writer's own copy.
 */
static int
fault_special(struct mm *mm, struct vma *v, vaddr_t va, bool write)
{
	struct page *p = v->special->pages[(va - v->start) >> PAGE_SHIFT];

	if (write) {
		p = copy_page(p, PAGE_SIZE);
		return p ? install(mm, v, va, p, true) : -ENOMEM;
	}
	page_get(p);
	return install(mm, v, va, p, false);
}

int
fault_locked(struct mm *mm, vaddr_t addr, bool write, bool exec, int *si_code,
	     struct fault_req *req)
{
	struct vma *v = vma_lookup(mm, addr);
	vaddr_t va = addr & PAGE_MASK;
	struct page *p, *copy;
	bool shared;

	*si_code = SEGV_MAPERR;
	if (!v)
		v = expand_stack(mm, addr);
	if (!v)
		return -EFAULT;
	*si_code = SEGV_ACCERR;
	if ((write && !(v->prot & PROT_WRITE)) || (exec && !(v->prot & PROT_EXEC)) ||
	    !(v->prot & PROT_ALL))
		return -EFAULT;
	*si_code = 0;
	p = radix_lookup(&mm->pages, pindex(va));
	if (!p) {
		if (v->mapping)
			return fault_file(mm, v, va, write, si_code, req);
		if (v->special)
			return fault_special(mm, v, va, write);
		p = alloc_user_page();
		return p ? install(mm, v, va, p, true) : -ENOMEM;
	}
	shared = v->flags & VMA_SHARED;
	if (write && !shared && (p->mapping || load_acquire(&p->refcount) > 1)) {
		/* Copy on write: this space gets its own copy (of a file's page, always). */
		copy = copy_page(p, PAGE_SIZE);
		if (!copy)
			return -ENOMEM;
		radix_replace(&mm->pages, pindex(va), copy);
		page_put(p);
		if (v->prot & PROT_EXEC)
			arch_sync_icache(page_address(copy), PAGE_SIZE);
		return hw_map(mm, va, copy, hw_flags(v, true));
	}
	if (write && shared && v->mapping) {
		pagecache_mark_dirty(v->mapping, p);
		pagecache_note_mmap_write(v->mapping);
	}
	/*
	 * The last holder of a private page writes, access comes back after
	 * PROT_NONE, or another thread resolved it first: map as allowed.
	 */
	return hw_map(mm, va, p, hw_flags(v, shared ? write || !vma_writenotify(v)
						    : !p->mapping && load_acquire(&p->refcount) == 1));
}

/* How long a fault waits for an OOM victim to give its memory back. */
#define OOM_WAIT_MS	10
#define OOM_TRIES	100

int
mm_fault(struct mm *mm, vaddr_t addr, bool write, bool exec, int *si_code)
{
	struct fault_req req = { 0 };
	unsigned int tries = 0;
	int err;

	if (addr >= USER_TOP) {
		*si_code = SEGV_MAPERR;
		return -EFAULT;
	}
	for (;;) {
		mutex_lock(&mm->lock);
		err = fault_locked(mm, addr, write, exec, si_code, &req);
		mutex_unlock(&mm->lock);
		if (err == FAULT_READ_FILE) {
			err = pagecache_read_page(req.file->inode->mapping, req.index);
			if (!err)
				continue;
			if (err != -ENOMEM) {
				*si_code = BUS_ADRERR;	/* an I/O error: SIGBUS, as Linux */
				err = -EIO;
				break;
			}
		}
		if (err != -ENOMEM || tries++ >= OOM_TRIES || !out_of_memory())
			break;
		thread_sleep_ms(OOM_WAIT_MS);	/* the victim is dying: its pages come back */
	}
	if (req.file)
		fput(req.file);
	return err;
}
