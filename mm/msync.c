/*
 * What a process asks of its mapped memory: madvise (MADV_DONTNEED drops
 * pages: private memory reads as zeros or the file again, shared memory
 * keeps its data in the file), msync (a shared file mapping's dirty pages
 * to the file system) and mincore (which pages are in memory), with
 * Linux's argument rules and errnos.
 */
#include <string.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/vfs.h>

#include "mm_internal.h"

static bool
advice_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE:
	case MADV_DONTFORK: case MADV_DOFORK: case MADV_MERGEABLE: case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD: case MADV_PAGEOUT:
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
		return true;
	default:
		return false;
	}
}

/* One VMA's part [start, end) of a madvise range. */
static int
advise_vma(struct mm *mm, struct vma *v, vaddr_t start, vaddr_t end, int advice)
{
	switch (advice) {
	case MADV_DONTNEED:
		if (v->special && v->special->no_madvise)
			return -EINVAL;	/* Linux's VM_PFNMAP [vvar] */
		/*
		 * Private anonymous memory reads as zeros again, a private
		 * file mapping as the file; a shared mapping only lets go of
		 * its view of the file's pages.
		 */
		pages_release(mm, start, end);
		return 0;
	case MADV_FREE:
		if (v->file || v->special)
			return -EINVAL;	/* anonymous private memory only */
		pages_release(mm, start, end);	/* freed at once: no lazy free */
		return 0;
	case MADV_REMOVE:
		return v->file && (v->flags & VMA_SHARED) ? -EOPNOTSUPP : -EINVAL;
	case MADV_DONTFORK:
		v->flags |= VMA_DONTFORK;
		return 0;
	case MADV_DOFORK:
		v->flags &= ~VMA_DONTFORK;
		return 0;
	case MADV_WIPEONFORK:
		if (v->file || (v->flags & VMA_SHARED))
			return -EINVAL;
		v->flags |= VMA_WIPEONFORK;
		return 0;
	case MADV_KEEPONFORK:
		v->flags &= ~VMA_WIPEONFORK;
		return 0;
	default:
		return 0;		/* hints: nothing to do here */
	}
}

/* Advice that changes VMA flags splits VMAs at the range's ends (Linux does). */
static bool
changes_flags(int advice)
{
	return advice == MADV_DONTFORK || advice == MADV_DOFORK || advice == MADV_WIPEONFORK ||
	       advice == MADV_KEEPONFORK;
}

/* MADV_POPULATE_READ/WRITE: fault every page in as that access would. */
static int
populate_range(struct mm *mm, vaddr_t addr, vaddr_t end, bool write)
{
	bool mapped;
	int err;

	mutex_lock(&mm->lock);
	mapped = range_mapped(mm, addr, end);
	mutex_unlock(&mm->lock);
	if (!mapped)
		return -ENOMEM;
	for (vaddr_t va = addr; va < end; va += PAGE_SIZE) {
		int si_code;

		err = mm_fault(mm, va, write, false, &si_code);
		if (err == -EFAULT)
			return -EINVAL;	/* the mapping does not allow the access */
		if (err == -EIO)
			return -EFAULT;	/* SIGBUS territory */
		if (err)
			return err;
	}
	return 0;
}

int
mm_madvise(struct mm *mm, vaddr_t addr, size_t len, int advice)
{
	vaddr_t end, start = addr;
	int err = 0, unmapped = 0;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!advice_valid(advice))
		return -EINVAL;
	len = page_up(len);
	if (len > USER_TOP || addr > USER_TOP - len)
		return -EINVAL;
	if (!len)
		return 0;
	end = addr + len;
	if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE)
		return populate_range(mm, addr, end, advice == MADV_POPULATE_WRITE);
	mutex_lock(&mm->lock);
	if (changes_flags(advice)) {
		err = vma_cut(mm, addr);
		if (!err)
			err = vma_cut(mm, end);
	}
	for (struct vma *v = vma_first_above(mm, addr); !err && v && v->start < end;
	     v = vma_next(mm, v)) {
		if (v->start > start)
			unmapped = -ENOMEM;	/* a hole: the rest still gets the advice */
		err = advise_vma(mm, v, MAX(v->start, addr), MIN(v->end, end), advice);
		start = v->end;
	}
	if (start < end)
		unmapped = -ENOMEM;
	mutex_unlock(&mm->lock);
	return err ? err : unmapped;
}

int
mm_msync(struct mm *mm, vaddr_t start, size_t len, int flags)
{
	int unmapped = 0, err = 0;
	vaddr_t end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = page_up(len);
	end = start + len;
	if (end < start || (len && !end))
		return -ENOMEM;
	if (end == start)
		return 0;
	/*
	 * Linux's loop: holes are skipped but make the result ENOMEM (at
	 * once for a plain MS_ASYNC, which has nothing else to do); MS_SYNC
	 * writes back each shared file mapping's dirty pages, without
	 * mm->lock.
	 */
	mutex_lock(&mm->lock);
	for (;;) {
		struct vma *v = vma_first_above(mm, start);
		struct file *file = NULL;
		uint64_t first, last;

		if (!v) {
			err = -ENOMEM;
			break;
		}
		if (start < v->start) {
			if (flags == MS_ASYNC) {
				err = -ENOMEM;
				break;
			}
			start = v->start;
			if (start >= end) {
				err = -ENOMEM;
				break;
			}
			unmapped = -ENOMEM;
		}
		/* Linux: locked pages cannot be invalidated. */
		if ((flags & MS_INVALIDATE) && (v->flags & VMA_LOCKED)) {
			err = -EBUSY;
			break;
		}
		first = vma_pgoff(v, start);
		last = vma_pgoff(v, MIN(end, v->end) - 1);
		start = v->end;
		if (v->file && v->mapping && (v->flags & VMA_SHARED) &&
		    ((flags & MS_SYNC) || READ_ONCE(v->mapping->mmap_written)))
			file = fget_file(v->file);
		if (file) {
			struct inode *inode = file->inode;

			mutex_unlock(&mm->lock);
			/* Written through a mapping since the last msync: POSIX's time marks. */
			if (pagecache_take_mmap_write(inode->mapping)) {
				mutex_lock(&inode->lock);
				inode_touch(inode, ATTR_MTIME | ATTR_CTIME);
				mutex_unlock(&inode->lock);
			}
			if (flags & MS_SYNC) {
				err = pagecache_writeback(inode->mapping, first, last);
				if (!err && file->fop && file->fop->fsync)
					err = file->fop->fsync(file);
			}
			fput(file);
			if (err || start >= end)
				return err ? err : unmapped;
			mutex_lock(&mm->lock);
			continue;
		}
		if (start >= end)
			break;
	}
	mutex_unlock(&mm->lock);
	return err ? err : unmapped;
}

/*
 * Linux's can_do_mincore(): the page cache of a file is only shown to
 * those who could write it (or own it); others see every page resident.
 */
static bool
may_see_cache(const struct vma *v)
{
	struct inode *inode;

	if (!v->file)
		return true;
	inode = v->file->inode;
	return inode_owner_or_capable(inode) || inode_permission(inode, MAY_WRITE) == 0;
}

int
mm_mincore(struct mm *mm, vaddr_t addr, size_t pages, unsigned char *vec)
{
	vaddr_t end = addr + (pages << PAGE_SHIFT), va = addr;
	size_t i = 0;

	mutex_lock(&mm->lock);
	while (va < end) {
		struct vma *v = vma_lookup(mm, va);
		vaddr_t stop;

		if (!v) {
			mutex_unlock(&mm->lock);
			return -ENOMEM;
		}
		stop = MIN(v->end, end);
		for (; va < stop; va += PAGE_SIZE, i++) {
			bool in = radix_lookup(&mm->pages, pindex(va)) != NULL;

			if (!in && v->mapping)
				in = !may_see_cache(v) || pagecache_present(v->mapping, vma_pgoff(v, va));
			vec[i] = in;
		}
	}
	mutex_unlock(&mm->lock);
	return (int)i;
}
