/*
 * Memory locking: mlock, mlock2, munlock, mlockall, munlockall.  Kite has
 * no swap, so a locked page never leaves memory anyway; what a program
 * can see is what Linux does: the range is faulted in (unless
 * MLOCK_ONFAULT / MCL_ONFAULT), its VMAs carry VMA_LOCKED (kept across
 * splits and mremap, dropped by munlock, not inherited by fork or exec),
 * mlockall(MCL_FUTURE) locks later mappings (mm->def_flags), VmLck in
 * /proc/<pid>/status counts the locked pages, and RLIMIT_MEMLOCK bounds
 * them for callers without CAP_IPC_LOCK (euid 0 here).  mm->lock guards
 * the VMA flags and def_flags.
 */
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/process.h>

#include "mm_internal.h"

#define LOCK_FLAGS	(VMA_LOCKED | VMA_LOCKONFAULT)

/* Linux's capable(CAP_IPC_LOCK): root has every capability here. */
static bool
capable_ipc_lock(void)
{
	return current_cred()->euid == 0;
}

/* Linux's can_do_mlock(): a non-zero limit or the capability. */
static bool
can_do_mlock(void)
{
	return current_rlimit(RLIMIT_MEMLOCK) != 0 || capable_ipc_lock();
}

/* Pages locked in mm; only those of [start, end) if end > start. */
static size_t
locked_pages(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;
	size_t n = 0;

	list_for_each_entry(v, &mm->vmas, node) {
		vaddr_t s = v->start, e = v->end;

		if (!(v->flags & VMA_LOCKED))
			continue;
		if (end > start) {
			s = s > start ? s : start;
			e = e < end ? e : end;
			if (s >= e)
				continue;
		}
		n += (e - s) >> PAGE_SHIFT;
	}
	return n;
}

size_t
mm_locked_pages(struct mm *mm)
{
	return locked_pages(mm, 0, 0);
}

/*
 * Give every VMA of [start, end) the lock flags set (0: unlocked).  As
 * Linux's mlock_fixup, special mappings ([vdso], [vvar], [sigpage]) are
 * never locked.  The caller checked that the range is mapped.
 */
static int
apply_lock_flags(struct mm *mm, vaddr_t start, vaddr_t end, unsigned int set)
{
	struct vma *v;
	int err;

	err = vma_cut(mm, start);
	if (!err)
		err = vma_cut(mm, end);
	if (err)
		return err;
	for (v = vma_first_above(mm, start); v && v->start < end; v = vma_next(mm, v)) {
		if (v->special)
			continue;
		v->flags = (v->flags & ~LOCK_FLAGS) | set;
	}
	return 0;
}

/*
 * Fault in the accessible pages of the locked VMAs of [start, end), for
 * writing where the memory is private and writable, as Linux's
 * populate_vma_page_range (PROT_NONE areas are skipped).
 */
static int
populate_locked(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;
	int err;

	for (v = vma_first_above(mm, start); v && v->start < end; v = vma_next(mm, v)) {
		vaddr_t s = v->start > start ? v->start : start;
		vaddr_t e = v->end < end ? v->end : end;

		if (v->special || !(v->flags & VMA_LOCKED) || (v->flags & VMA_LOCKONFAULT) ||
		    !(v->prot & PROT_ALL))
			continue;
		err = mm_populate_locked(mm, s, e,
					 (v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED));
		if (err)
			return err;
	}
	return 0;
}

/* Linux's __mlock_posix_error_return: a fault's errors as mlock reports them. */
static int
populate_error(int err)
{
	if (err == -EFAULT)
		return -ENOMEM;
	if (err == -ENOMEM)
		return -EAGAIN;
	return err;
}

/* [start, end) of whole pages for mlock/munlock's (start, len), as Linux rounds it. */
static int
lock_range(vaddr_t *start, size_t len, vaddr_t *end)
{
	len += *start & (PAGE_SIZE - 1);
	*start &= PAGE_MASK;
	if (len > USER_TOP)
		return -ENOMEM;
	*end = *start + page_up(len);
	return *end < *start ? -EINVAL : 0;
}

int
mm_mlock(struct mm *mm, vaddr_t start, size_t len, bool onfault)
{
	uint64_t limit = current_rlimit(RLIMIT_MEMLOCK);
	vaddr_t end;
	size_t locked;
	int err;

	if (!can_do_mlock())
		return -EPERM;
	err = lock_range(&start, len, &end);
	if (err || end == start)
		return err;
	mutex_lock(&mm->lock);
	locked = (end - start) >> PAGE_SHIFT;
	err = -ENOMEM;
	if (!capable_ipc_lock() && limit != ~(uint64_t)0) {
		/* Pages of the range already locked count once. */
		locked += locked_pages(mm, 0, 0) - locked_pages(mm, start, end);
		if (locked > (limit >> PAGE_SHIFT))
			goto out;
	}
	if (end > USER_TOP || !range_mapped(mm, start, end))
		goto out;
	err = apply_lock_flags(mm, start, end, VMA_LOCKED | (onfault ? VMA_LOCKONFAULT : 0));
	if (!err && !onfault)
		err = populate_error(populate_locked(mm, start, end));
out:
	mutex_unlock(&mm->lock);
	return err;
}

int
mm_munlock(struct mm *mm, vaddr_t start, size_t len)
{
	vaddr_t end;
	int err;

	err = lock_range(&start, len, &end);
	if (err || end == start)
		return err;
	err = -ENOMEM;
	mutex_lock(&mm->lock);
	if (end <= USER_TOP && range_mapped(mm, start, end))
		err = apply_lock_flags(mm, start, end, 0);
	mutex_unlock(&mm->lock);
	return err;
}

int
mm_mlockall(struct mm *mm, int flags)
{
	uint64_t limit = current_rlimit(RLIMIT_MEMLOCK);
	unsigned int set = VMA_LOCKED | ((flags & MCL_ONFAULT) ? VMA_LOCKONFAULT : 0);
	int err = 0;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	mutex_lock(&mm->lock);
	if ((flags & MCL_CURRENT) && !capable_ipc_lock() && limit != ~(uint64_t)0 &&
	    mm->total_vm > (limit >> PAGE_SHIFT)) {
		mutex_unlock(&mm->lock);
		return -ENOMEM;
	}
	mm->def_flags = (flags & MCL_FUTURE) ? set : 0;
	if (flags & MCL_CURRENT) {
		struct vma *v;

		list_for_each_entry(v, &mm->vmas, node)
			if (!v->special)
				v->flags = (v->flags & ~LOCK_FLAGS) | set;
		/* As Linux's mm_populate after mlockall: errors are ignored. */
		if (!(flags & MCL_ONFAULT))
			populate_locked(mm, 0, USER_TOP);
	}
	mutex_unlock(&mm->lock);
	return err;
}

int
mm_munlockall(struct mm *mm)
{
	struct vma *v;

	mutex_lock(&mm->lock);
	mm->def_flags = 0;
	list_for_each_entry(v, &mm->vmas, node)
		v->flags &= ~LOCK_FLAGS;
	mutex_unlock(&mm->lock);
	return 0;
}

bool
mlock_future_ok(struct mm *mm, unsigned int vflags, size_t len)
{
	uint64_t limit;

	if (!(vflags & VMA_LOCKED) || capable_ipc_lock())
		return true;
	limit = current_rlimit(RLIMIT_MEMLOCK);
	return limit == ~(uint64_t)0 ||
	       locked_pages(mm, 0, 0) + (page_up(len) >> PAGE_SHIFT) <= (limit >> PAGE_SHIFT);
}
