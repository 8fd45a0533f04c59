/*
 * Memory system calls over mm/: brk, mmap (and i386's mmap2 with a page
 * offset, and its old one-pointer mmap), munmap, mprotect, mremap,
 * madvise, msync, mincore, the mlock family (mm/mlock.c), and personality (whose ADDR_NO_RANDOMIZE the
 * layout of the next exec reads).
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/mman.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

static struct mm *
current_mm(void)
{
	return thread_current()->mm;
}

SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	return mm_brk(current_mm(), brk);
}

static long
do_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	int fd, loff_t off)
{
	struct file *f = NULL;
	long ret;

	if (!(flags & MAP_ANONYMOUS)) {
		f = fget(fd);
		if (!f)
			return -EBADF;
		if (flags & MAP_HUGETLB) {
			fput(f);
			return -EINVAL;
		}
		/* /dev/zero: anonymous memory, private or shared (Linux's mmap_zero). */
		if (S_ISCHR(f->inode->mode) && f->inode->rdev == MKDEV(1, 5) &&
		    (f->mode & FMODE_READ) &&
		    ((flags & MAP_TYPE) == MAP_PRIVATE || !(prot & PROT_WRITE) ||
		     (f->mode & FMODE_WRITE))) {
			fput(f);
			f = NULL;
			flags |= MAP_ANONYMOUS;
		}
	} else if (flags & MAP_HUGETLB) {
		return -ENOMEM;		/* no huge pages reserved (Linux's default) */
	}
	ret = mm_mmap(current_mm(), addr, len, (unsigned int)prot, (unsigned int)flags, f, off);
	if (f) {
		if (!IS_ERR_VALUE(ret))
			file_accessed(f);	/* as Linux's ->mmap of a file */
		fput(f);
	}
	return ret;
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE6(mmap_pgoff, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, int, fd, unsigned long, pgoff)
{
	return do_mmap(addr, len, prot, flags, fd, (loff_t)pgoff << PAGE_SHIFT);
}

/* i386's old mmap (90): one pointer to the six arguments. */
struct mmap_arg_struct {
	unsigned long addr, len, prot, flags, fd, offset;
};

SYSCALL_DEFINE1(old_mmap, const struct mmap_arg_struct __user *, uarg)
{
	struct mmap_arg_struct a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.offset & (PAGE_SIZE - 1))
		return -EINVAL;
	return do_mmap(a.addr, a.len, a.prot, a.flags, (int)a.fd, (loff_t)a.offset);
}
#else
SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, int, fd, unsigned long, off)
{
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	return do_mmap(addr, len, prot, flags, fd, (loff_t)off);
}
#endif

SYSCALL_DEFINE2(munmap, unsigned long, addr, size_t, len)
{
	return mm_munmap(current_mm(), addr, len);
}

SYSCALL_DEFINE3(mprotect, unsigned long, addr, size_t, len, unsigned long, prot)
{
	return mm_mprotect(current_mm(), addr, len, (unsigned int)prot);
}

SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len, unsigned long, new_len,
		unsigned long, flags, unsigned long, new_addr)
{
	return mm_mremap(current_mm(), addr, old_len, new_len, (unsigned int)flags, new_addr);
}

SYSCALL_DEFINE3(madvise, unsigned long, addr, size_t, len, int, advice)
{
	return mm_madvise(current_mm(), addr, len, advice);
}

SYSCALL_DEFINE3(msync, unsigned long, start, size_t, len, int, flags)
{
	return mm_msync(current_mm(), start, len, flags);
}

SYSCALL_DEFINE3(mincore, unsigned long, start, size_t, len, unsigned char __user *, vec)
{
	size_t pages;
	unsigned char *tmp;
	long ret = 0;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!access_ok((const void __user *)start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & (PAGE_SIZE - 1)) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	tmp = page_alloc_addr(0, 0);
	if (!tmp)
		return -EAGAIN;		/* Linux's answer when it has no page for the vector */
	while (pages) {
		size_t n = pages < PAGE_SIZE ? pages : PAGE_SIZE;

		ret = mm_mincore(current_mm(), start, n, tmp);
		if (ret < 0)
			break;
		if (copy_to_user(vec, tmp, n)) {
			ret = -EFAULT;
			break;
		}
		pages -= n;
		vec += n;
		start += n << PAGE_SHIFT;
		ret = 0;
	}
	page_free_addr(tmp, 0);
	return ret;
}

SYSCALL_DEFINE2(mlock, unsigned long, start, size_t, len)
{
	return mm_mlock(current_mm(), start, len, false);
}

SYSCALL_DEFINE3(mlock2, unsigned long, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return mm_mlock(current_mm(), start, len, flags & MLOCK_ONFAULT);
}

SYSCALL_DEFINE2(munlock, unsigned long, start, size_t, len)
{
	return mm_munlock(current_mm(), start, len);
}

SYSCALL_DEFINE1(mlockall, int, flags)
{
	return mm_mlockall(current_mm(), flags);
}

SYSCALL_DEFINE0(munlockall)
{
	return mm_munlockall(current_mm());
}

/* The persona: only its flags matter here (ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC). */
SYSCALL_DEFINE1(personality, unsigned int, persona)
{
	struct mm *mm = current_mm();
	unsigned int old = READ_ONCE(mm->personality);

	if (persona != 0xffffffffu)
		WRITE_ONCE(mm->personality, persona);
	return (long)(int)old;
}
