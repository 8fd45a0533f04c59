/*
 * Scatter/gather I/O descriptors: where read() puts bytes and write()
 * takes them from.  The segments are in kernel memory or in the user
 * address space (then every copy goes through the one user-copy path and
 * a bad pointer gives -EFAULT).
 */
#ifndef KERNEL_UIO_H
#define KERNEL_UIO_H

#include <kernel/types.h>

#define UIO_MAXIOV	1024		/* IOV_MAX */

struct iovec {
	void *iov_base;
	size_t iov_len;
};

struct uio {
	const struct iovec *iov;	/* segments left, the first partly used */
	unsigned int nr_segs;
	size_t seg_off;			/* bytes of iov[0] already moved */
	size_t resid;			/* bytes left in all segments */
	bool user;			/* segments are user addresses */
};

/* A uio over one buffer of len bytes (iov is storage for the segment). */
static inline void
uio_init_one(struct uio *u, struct iovec *iov, void *buf, size_t len, bool user)
{
	iov->iov_base = buf;
	iov->iov_len = len;
	u->iov = iov;
	u->nr_segs = 1;
	u->seg_off = 0;
	u->resid = len;
	u->user = user;
}

static inline void
uio_init_kernel(struct uio *u, struct iovec *iov, void *buf, size_t len)
{
	uio_init_one(u, iov, buf, len, false);
}
/*
 * A uio over nr segments; -EINVAL when nr exceeds UIO_MAXIOV or the total
 * overflows ssize_t (as readv/writev require).
 */
int uio_init(struct uio *u, const struct iovec *iov, unsigned int nr, bool user);

/*
 * Copy n bytes from src into the uio (to) or from the uio into dst (from)
 * and advance it.  Return the bytes copied, short when the uio ends or a
 * user page faults (the caller then reports -EFAULT if nothing moved).
 */
size_t uio_copy_to(struct uio *u, const void *src, size_t n);
size_t uio_copy_from(struct uio *u, void *dst, size_t n);
/* Copy n zero bytes into the uio (holes, /dev/zero). */
size_t uio_zero(struct uio *u, size_t n);

#endif
