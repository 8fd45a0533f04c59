/*
 * Another process's memory as the kernel reads it (/proc/<pid>/cmdline,
 * environ, auxv): Linux's access_process_vm(), through the address
 * space's software page table (mm->pages) and the kernel's own mapping of
 * each page, so it never depends on which address space the CPU has.
 */
#include <string.h>
#include <kernel/atomic.h>
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/mman.h>

/*
 * The page at va, ready for the access (mm->lock held): NULL when it is
 * not there yet or (write) still shared copy-on-write, so the caller
 * faults it in; *denied when the area does not allow the access at all.
 */
static struct page *
page_for_access(struct mm *mm, vaddr_t va, bool write, bool *denied)
{
	struct vma *v = vma_lookup(mm, va);
	struct page *p;

	*denied = !v || !(v->prot & (write ? PROT_WRITE : PROT_READ));
	if (*denied)
		return NULL;
	p = radix_lookup(&mm->pages, va >> PAGE_SHIFT);
	if (p && write && !(v->flags & VMA_SHARED) && load_acquire(&p->refcount) > 1)
		return NULL;
	return p;
}

size_t
access_process_vm(struct mm *mm, vaddr_t addr, void *buf, size_t len, bool write)
{
	size_t done = 0;
	bool faulted = false;

	while (done < len) {
		vaddr_t va = addr + done;
		size_t off = va & (PAGE_SIZE - 1);
		size_t n = MIN(PAGE_SIZE - off, len - done);
		struct page *p;
		bool denied;
		int code;

		if (va < addr || va >= USER_TOP)
			break;
		mutex_lock(&mm->lock);
		p = page_for_access(mm, va, write, &denied);
		if (!p) {
			mutex_unlock(&mm->lock);
			/* One fault per page: a page that vanishes again ends the copy. */
			if (denied || faulted || mm_fault(mm, va, write, false, &code))
				break;
			faulted = true;
			continue;
		}
		if (write)
			memcpy((char *)page_address(p) + off, (const char *)buf + done, n);
		else
			memcpy((char *)buf + done, (const char *)page_address(p) + off, n);
		mutex_unlock(&mm->lock);
		done += n;
		faulted = false;
	}
	return done;
}

int
mm_shared_key(struct mm *mm, vaddr_t addr, uint64_t *key)
{
	struct page *p = NULL;
	struct vma *v;
	int code, ret;

	for (int tries = 0; tries < 2; tries++) {
		mutex_lock(&mm->lock);
		v = vma_lookup(mm, addr);
		if (!v || !(v->prot & PROT_READ)) {
			mutex_unlock(&mm->lock);
			return -EFAULT;
		}
		if (!(v->flags & VMA_SHARED)) {
			mutex_unlock(&mm->lock);
			return 0;
		}
		p = radix_lookup(&mm->pages, addr >> PAGE_SHIFT);
		if (p)
			*key = (uint64_t)page_to_phys(p) + (addr & (PAGE_SIZE - 1));
		mutex_unlock(&mm->lock);
		if (p)
			return 1;
		ret = mm_fault(mm, addr, false, false, &code);
		if (ret)
			return -EFAULT;
	}
	return -EFAULT;
}
