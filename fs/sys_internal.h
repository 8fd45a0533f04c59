/*
 * Between the file-system system calls (fs/sys_*.c): copying user paths
 * and iovec arrays in, and the checks Linux makes before it touches a
 * file, in Linux's order, so a call with several bad arguments fails with
 * the errno Linux gives.
 */
#ifndef FS_SYS_INTERNAL_H
#define FS_SYS_INTERNAL_H

#include <kernel/fs.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <kernel/uio.h>
#include <arch/mmu.h>

/* Linux's MAX_RW_COUNT: one read or write moves at most this much. */
#define MAX_RW_COUNT	((size_t)0x7fffffff & ~(size_t)(PAGE_SIZE - 1))

/* iovec arrays this short are copied onto the stack. */
#define UIO_FASTIOV	8

/*
 * fd names an open file that is not O_PATH and was opened for fmode
 * (FMODE_READ, FMODE_WRITE, or 0 for any): 0, or -EBADF.  For the
 * EBADF-before-EFAULT/EINVAL order on error paths, and for calls Linux
 * refuses on O_PATH descriptors (fdget()).
 */
int fd_check(int fd, unsigned int fmode);

/*
 * Copy the user's iovec array in and describe it as a user uio, with
 * Linux's import_iovec() checks: more than UIO_MAXIOV segments or a length
 * above SSIZE_MAX is -EINVAL, a segment outside user space -EFAULT, and the
 * total is cut to MAX_RW_COUNT.  *iovp is fast (UIO_FASTIOV entries) or a
 * kmalloc'ed array: give it to iovec_free().
 */
int iovec_import(const struct iovec __user *uvec, unsigned long nr, struct iovec *fast,
		 struct iovec **iovp, struct uio *u);
void iovec_free(struct iovec *iov, const struct iovec *fast);

/* The user path in, run fn on it, free it: getname()'s errors or fn's result. */
#define WITH_USER_PATH(upath, path, expr) ({				\
	char *path;							\
	long ret_ = getname((upath), &path);				\
	if (ret_ >= 0) {						\
		ret_ = (expr);						\
		kfree(path);						\
	}								\
	ret_;								\
})

#endif
