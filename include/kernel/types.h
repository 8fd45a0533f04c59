/* Fixed-width and kernel-wide basic types. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uintptr_t paddr_t;	/* physical address */
typedef uintptr_t vaddr_t;	/* virtual address */
typedef long ssize_t;
#ifndef SSIZE_MAX
#define SSIZE_MAX	((ssize_t)(~(size_t)0 >> 1))
#endif

/*
 * File-system types.  Where glibc has the same name (host tests include
 * both) the type is the one glibc gives it on the x86_64 host.
 */
typedef int64_t loff_t;			/* file offset and size, every port */
#define LOFF_MAX	INT64_MAX
typedef unsigned int umode_t;		/* type and permission bits */
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned long dev_t;		/* MKDEV(major, minor), 12:20 bits */

struct timespec64 {
	int64_t tv_sec;
	long tv_nsec;
};

#endif
