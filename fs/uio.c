/*
 * Moving bytes through a struct uio.  Kernel segments are plain copies;
 * user segments go through the one user-copy path (<kernel/uaccess.h>),
 * and a bad user page ends the move short (the caller reports -EFAULT when
 * nothing moved).
 */
#include <kernel/errno.h>
#include <kernel/uio.h>
#include <string.h>
#ifdef CONFIG_PROCESSES
#include <kernel/uaccess.h>
#endif

int
uio_init(struct uio *u, const struct iovec *iov, unsigned int nr, bool user)
{
	size_t total = 0;

	if (nr > UIO_MAXIOV)
		return -EINVAL;
	for (unsigned int i = 0; i < nr; i++) {
		if (iov[i].iov_len > (size_t)SSIZE_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	u->iov = iov;
	u->nr_segs = nr;
	u->seg_off = 0;
	u->resid = total;
	u->user = user;
	return 0;
}

/* The next piece of the current segment, at most n bytes; 0 at the end. */
static size_t
uio_piece(struct uio *u, size_t n, char **where)
{
	while (u->nr_segs && u->seg_off == u->iov[0].iov_len) {
		u->iov++;
		u->nr_segs--;
		u->seg_off = 0;
	}
	if (!u->nr_segs)
		return 0;
	*where = (char *)u->iov[0].iov_base + u->seg_off;
	if (n > u->iov[0].iov_len - u->seg_off)
		n = u->iov[0].iov_len - u->seg_off;
	return n;
}

static void
uio_advance(struct uio *u, size_t n)
{
	u->seg_off += n;
	u->resid -= n;
}

/*
 * mode 0: piece bytes to where from mem; 1: from where to mem; 2: zeros
 * to where.  The bytes not moved: a bad user page.
 */
static inline size_t
piece_move(bool user, char *where, void *mem, size_t piece, int mode)
{
	if (user) {
#ifdef CONFIG_PROCESSES
		if (mode == 0)
			return copy_to_user_partial(where, mem, piece);
		if (mode == 1)
			return copy_from_user_partial(mem, where, piece);
		return access_ok(where, piece) ? arch_clear_user(where, piece) : piece;
#else
		return piece;		/* no user memory without processes */
#endif
	}
	if (mode == 0)
		memcpy(where, mem, piece);
	else if (mode == 1)
		memcpy(mem, where, piece);
	else
		memset(where, 0, piece);
	return 0;
}

/* Move n bytes as piece_move() does, through the segments. */
static inline __attribute__((always_inline)) size_t
uio_move(struct uio *u, void *mem, size_t n, int mode)
{
	size_t done = 0;

	/* Within the current segment (one read() or write()): one move. */
	if (u->nr_segs && n <= u->iov[0].iov_len - u->seg_off) {
		done = n - piece_move(u->user, (char *)u->iov[0].iov_base + u->seg_off, mem, n,
				      mode);
		uio_advance(u, done);
		return done;
	}
	while (done < n) {
		char *where;
		size_t piece = uio_piece(u, n - done, &where), left;

		if (!piece)
			break;
		left = piece_move(u->user, where, mem ? (char *)mem + done : NULL, piece, mode);
		uio_advance(u, piece - left);
		done += piece - left;
		if (left)
			break;			/* a bad user page: the caller reports -EFAULT */
	}
	return done;
}

size_t
uio_copy_to(struct uio *u, const void *src, size_t n)
{
	return uio_move(u, (void *)src, n, 0);
}

size_t
uio_copy_from(struct uio *u, void *dst, size_t n)
{
	return uio_move(u, dst, n, 1);
}

size_t
uio_zero(struct uio *u, size_t n)
{
	return uio_move(u, NULL, n, 2);
}
