/*
 * memfd_create(2): an anonymous tmpfs file of the kernel's own instance
 * (<kernel/shmem.h>), read-write, named "memfd:<name>" for /proc, with
 * Linux 6.1's flags: MFD_CLOEXEC, MFD_ALLOW_SEALING (else the file is
 * sealed against more seals); MFD_HUGETLB is EINVAL (no hugetlbfs).
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/pagecache.h>
#include <kernel/shmem.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>

#include "../internal.h"

#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U
#define MFD_PREFIX		"memfd:"
#define MFD_NAME_MAX_LEN	(NAME_MAX - (sizeof(MFD_PREFIX) - 1))

SYSCALL_DEFINE2(memfd_create, const char __user *, uname, unsigned int, flags)
{
	char *name, *full;
	struct file *f;
	long len;
	int fd;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;		/* MFD_HUGETLB and the later flags too */
	len = strndup_user(uname, MFD_NAME_MAX_LEN + 1, &name);
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return len;
	full = kmalloc(sizeof(MFD_PREFIX) + (size_t)len);
	if (!full) {
		kfree(name);
		return -ENOMEM;
	}
	memcpy(full, MFD_PREFIX, sizeof(MFD_PREFIX) - 1);
	memcpy(full + sizeof(MFD_PREFIX) - 1, name, (size_t)len + 1);
	kfree(name);
	fd = fd_reserve(flags & MFD_CLOEXEC);
	if (fd < 0) {
		kfree(full);
		return fd;
	}
	f = shmem_file_setup(full, 0);
	kfree(full);
	if (IS_ERR(f)) {
		fd_install_reserved(fd, NULL);
		return PTR_ERR(f);
	}
	if (flags & MFD_ALLOW_SEALING)
		f->inode->mapping->seals &= ~(unsigned int)F_SEAL_SEAL;	/* nobody else has it yet */
	fd_install_reserved(fd, f);
	fput(f);			/* the descriptor holds it */
	return fd;
}
