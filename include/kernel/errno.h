/*
 * Error numbers.  Kernel functions that can fail return a negative errno
 * (or a pointer checked with IS_ERR).  The numbers are Linux's, since user
 * programs will see them through the Linux system-call ABI.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#include <kernel/compiler.h>

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define ENOTBLK		15
#define EBUSY		16
#define EEXIST		17
#define EXDEV		18
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define ETXTBSY		26
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EMLINK		31
#define EPIPE		32
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ENOTEMPTY	39
#define ELOOP		40
#define EOVERFLOW	75
#define EOPNOTSUPP	95
#define ENOTSUP		EOPNOTSUPP
#define ETIMEDOUT	110
#define ECANCELED	125

/* Kernel-internal, never returned to user space. */
#define EPROBE_DEFER	517	/* a dependency of this device is not probed yet */

#define MAX_ERRNO	4095

static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline int IS_ERR(const void *p)
{
	return unlikely((unsigned long)p >= (unsigned long)-MAX_ERRNO);
}
/* An address-or-errno result (mmap's): on 32-bit ports addresses may look negative. */
static inline int IS_ERR_VALUE(long v)
{
	return unlikely((unsigned long)v >= (unsigned long)-MAX_ERRNO);
}


#endif
