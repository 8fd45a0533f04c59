/*
 * Helpers of the file-system system calls (fs/sys_internal.h): descriptor
 * checks and iovec arrays from user space.
 */
#include <kernel/errno.h>
#include <kernel/vfs.h>

#include "sys_internal.h"

int
fd_check(int fd, unsigned int fmode)
{
	struct file *f = fget(fd);
	int err = 0;

	if (!f)
		return -EBADF;
	if ((f->mode & FMODE_PATH) || (f->mode & fmode) != fmode)
		err = -EBADF;
	fput(f);
	return err;
}

int
iovec_import(const struct iovec __user *uvec, unsigned long nr, struct iovec *fast,
	     struct iovec **iovp, struct uio *u)
{
	struct iovec *iov = fast;
	size_t total = 0;
	int err;

	*iovp = fast;
	if (nr > UIO_MAXIOV)
		return -EINVAL;
	if (nr > UIO_FASTIOV) {
		iov = kmalloc(nr * sizeof(*iov));
		if (!iov)
			return -ENOMEM;
	}
	err = copy_from_user(iov, uvec, nr * sizeof(*iov));
	/* Lengths first, then addresses: Linux's order of EINVAL and EFAULT. */
	for (unsigned long i = 0; !err && i < nr; i++)
		if (iov[i].iov_len > (size_t)SSIZE_MAX)
			err = -EINVAL;
	for (unsigned long i = 0; !err && i < nr; i++) {
		if (!access_ok(iov[i].iov_base, iov[i].iov_len)) {
			err = -EFAULT;
			break;
		}
		if (iov[i].iov_len > MAX_RW_COUNT - total)
			iov[i].iov_len = MAX_RW_COUNT - total;	/* the rest moves nothing */
		total += iov[i].iov_len;
	}
	if (!err)
		err = uio_init(u, iov, (unsigned int)nr, true);
	if (err) {
		iovec_free(iov, fast);
		return err;
	}
	*iovp = iov;
	return 0;
}

void
iovec_free(struct iovec *iov, const struct iovec *fast)
{
	if (iov != fast)
		kfree(iov);
}
