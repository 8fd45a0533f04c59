/*
 * Moving data between descriptors inside the kernel: sendfile(2) (and
 * i386's sendfile64), copy_file_range(2), splice(2), tee(2) and
 * vmsplice(2), with Linux's checks in Linux's order and its partial
 * transfers.  No pages change hands here: data goes through a kernel
 * page (file to file, file to pipe) or is copied between pipe buffers
 * under both pipes' locks (fs/pipe.c's splice helpers), which a program
 * cannot tell apart.
 *
 * What may be spliced, as Linux: a file's side must be a regular file
 * to read from (Linux's splice_read: files and block devices) and
 * anything writable to write to, except an O_APPEND file; one side of
 * splice(2) must be a pipe, both sides of tee(2).  Offsets given for a
 * pipe are ESPIPE.
 */
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/pipe.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <kernel/uio.h>

#include "internal.h"

/* Linux's MAX_RW_COUNT: one call moves at most this (INT_MAX, page-aligned). */
#define MAX_RW_COUNT	((size_t)(INT32_MAX & ~(PAGE_SIZE - 1)))
/* sendfile's off_t on a 32-bit port: no offset past 2 GiB - 1 (MAX_NON_LFS). */
#define MAX_NON_LFS	((loff_t)INT32_MAX)

#define SPLICE_F_MOVE		0x01
#define SPLICE_F_NONBLOCK	0x02
#define SPLICE_F_MORE		0x04
#define SPLICE_F_GIFT		0x08
#define SPLICE_F_ALL		(SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)

/* A descriptor for data calls (Linux's fdget: not an O_PATH file), referenced. */
static struct file *
data_fget(int fd)
{
	struct file *f = fget(fd);

	if (f && (f->mode & FMODE_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

static bool
is_pipe_file(const struct file *f)
{
	return f->fop == &pipefifo_fops && f->priv;
}

/* Linux's rw_verify_area: a count that fits ssize_t, a position range that fits loff_t. */
static int
verify_area(loff_t pos, size_t count)
{
	if ((ssize_t)count < 0)
		return -EINVAL;
	if (pos < 0 || (loff_t)((uint64_t)pos + count) < 0)
		return -EINVAL;
	return 0;
}

/*
 * Copy up to len bytes from in at *ipos to out at *opos (Linux's
 * do_splice_direct): the bytes moved, which end early at in's end or at
 * a short write, or the error of the first step when nothing moved.  The
 * positions advance by what reached out.
 */
static ssize_t
copy_direct(struct file *in, loff_t *ipos, struct file *out, loff_t *opos, size_t len)
{
	void *buf;
	size_t done = 0;
	ssize_t err = 0;

	if (out->flags & O_APPEND)
		return -EINVAL;
	if (!S_ISREG(in->inode->mode))
		return -EINVAL;		/* Linux splices from files and block devices */
	if (!len)
		return 0;
	buf = page_alloc_addr(GFP_KERNEL, 0);
	if (!buf)
		return -ENOMEM;
	while (done < len) {
		size_t want = MIN(len - done, (size_t)PAGE_SIZE), wrote = 0;
		loff_t at = *ipos;
		ssize_t got = file_read(in, buf, want, &at);

		if (got <= 0) {
			err = got;
			break;
		}
		while (wrote < (size_t)got) {
			ssize_t w = file_write(out, (char *)buf + wrote, (size_t)got - wrote, opos);

			if (w <= 0) {
				err = w ? w : -EIO;
				break;
			}
			wrote += (size_t)w;
		}
		*ipos += (loff_t)wrote;	/* what did not reach out is not taken */
		done += wrote;
		if (wrote < (size_t)got || signal_pending())
			break;		/* a signal: what moved so far */
	}
	page_free_addr(buf, 0);
	return done ? (ssize_t)done : err;
}

/*
 * From the regular file in at *ipos into the pipe file out (Linux's
 * splice_file_to_pipe): wait for room, then fill what fits, once.
 */
static ssize_t
file_to_pipe(struct file *in, loff_t *ipos, struct file *out, size_t len, bool nonblock)
{
	void *buf;
	size_t done = 0;
	ssize_t err = 0;
	loff_t opos = 0;		/* a pipe has none */
	long room;

	if (!S_ISREG(in->inode->mode))
		return -EINVAL;
	room = pipe_splice_wait_room(out, nonblock);
	if (room < 0)
		return room;
	if (len > (size_t)room)
		len = (size_t)room;
	buf = page_alloc_addr(GFP_KERNEL, 0);
	if (!buf)
		return -ENOMEM;
	while (done < len) {
		size_t want = MIN(len - done, (size_t)PAGE_SIZE);
		loff_t at = *ipos;
		ssize_t got = file_read(in, buf, want, &at), w;

		if (got <= 0) {
			err = got;
			break;
		}
		w = file_write(out, buf, (size_t)got, &opos);	/* it fits: no wait */
		if (w <= 0) {
			err = w;
			break;
		}
		*ipos += w;
		done += (size_t)w;
		if (w < got)
			break;
	}
	page_free_addr(buf, 0);
	return done ? (ssize_t)done : err;
}

/* ---- sendfile ---- */

/* Linux's do_sendfile; max 0: the file systems' limit. */
static ssize_t
do_sendfile(int out_fd, int in_fd, loff_t *ppos, size_t count, loff_t max)
{
	struct file *in, *out;
	loff_t pos, out_pos;
	ssize_t ret;

	in = data_fget(in_fd);
	if (!in)
		return -EBADF;
	ret = -EBADF;
	if (!(in->mode & FMODE_READ))
		goto out_in;
	ret = -ESPIPE;
	if (!ppos) {
		pos = in->pos;
	} else {
		pos = *ppos;
		if (!(in->mode & FMODE_LSEEK))
			goto out_in;
	}
	ret = verify_area(pos, count);
	if (ret)
		goto out_in;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	ret = -EBADF;
	out = data_fget(out_fd);
	if (!out)
		goto out_in;
	if (!(out->mode & FMODE_WRITE))
		goto out_out;
	out_pos = out->pos;
	if (!max)
		max = LOFF_MAX;
	if (pos + (loff_t)count > max || pos + (loff_t)count < pos) {
		ret = -EOVERFLOW;
		if (pos >= max)
			goto out_out;
		count = (size_t)(max - pos);
	}
	if (!is_pipe_file(out)) {
		ret = verify_area(out_pos, count);
		if (ret)
			goto out_out;
		ret = copy_direct(in, &pos, out, &out_pos, count);
	} else {
		ret = file_to_pipe(in, &pos, out, count, READ_ONCE(out->flags) & O_NONBLOCK);
	}
	if (ret > 0) {
		if (!is_pipe_file(out))
			out->pos = out_pos;
		if (ppos)
			*ppos = pos;
		else
			in->pos = pos;
	}
	if (pos > max)
		ret = -EOVERFLOW;
out_out:
	fput(out);
out_in:
	fput(in);
	return ret;
}

/*
 * sendfile: the port's off_t (long).  On the 64-bit ports this is Linux's
 * sendfile64 (their one sendfile); on i386 offsets stop at 2 GiB - 1.
 */
SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, long __user *, offset, size_t, count)
{
	loff_t pos;
	long off;
	ssize_t ret;

	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count, 0);
	if (copy_from_user(&off, offset, sizeof(off)))
		return -EFAULT;
	pos = off;
	ret = do_sendfile(out_fd, in_fd, &pos, count, sizeof(long) == 4 ? MAX_NON_LFS : 0);
	off = (long)pos;
	if (copy_to_user(offset, &off, sizeof(off)))
		return -EFAULT;
	return ret;
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE4(sendfile64, int, out_fd, int, in_fd, loff_t __user *, offset, size_t, count)
{
	loff_t pos;
	ssize_t ret;

	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count, 0);
	if (copy_from_user(&pos, offset, sizeof(pos)))
		return -EFAULT;
	ret = do_sendfile(out_fd, in_fd, &pos, count, 0);
	if (copy_to_user(offset, &pos, sizeof(pos)))
		return -EFAULT;
	return ret;
}
#endif

/* ---- copy_file_range ---- */

/* Linux's generic_copy_file_checks and the rest of vfs_copy_file_range's. */
static ssize_t
do_copy_file_range(struct file *in, loff_t pos_in, struct file *out, loff_t pos_out,
		   size_t len, loff_t *end_in, loff_t *end_out)
{
	struct inode *ii = in->inode, *io = out->inode;
	uint64_t count = len;
	loff_t size_in;
	ssize_t ret;

	if (S_ISDIR(ii->mode) || S_ISDIR(io->mode))
		return -EISDIR;
	if (!S_ISREG(ii->mode) || !S_ISREG(io->mode))
		return -EINVAL;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE) || (out->flags & O_APPEND))
		return -EBADF;
	if (ii->sb != io->sb)
		return -EXDEV;		/* no file system here copies across */
	if ((uint64_t)pos_in + count < (uint64_t)pos_in ||
	    (uint64_t)pos_out + count < (uint64_t)pos_out)
		return -EOVERFLOW;
	/* Shorten to the end of the input. */
	mutex_lock(&ii->lock);
	size_in = ii->size;
	mutex_unlock(&ii->lock);
	if (pos_in >= size_in)
		count = 0;
	else
		count = MIN(count, (uint64_t)(size_in - pos_in));
	if (pos_out >= LOFF_MAX)
		return -EFBIG;
	/* No overlapping copy within one file. */
	if (ii == io && (uint64_t)pos_out + count > (uint64_t)pos_in &&
	    (uint64_t)pos_out < (uint64_t)pos_in + count)
		return -EINVAL;
	ret = verify_area(pos_in, (size_t)count);
	if (!ret)
		ret = verify_area(pos_out, (size_t)count);
	if (ret)
		return ret;
	if (!count)
		return 0;
	*end_in = pos_in;
	*end_out = pos_out;
	return copy_direct(in, end_in, out, end_out, MIN((size_t)count, MAX_RW_COUNT));
}

SYSCALL_DEFINE6(copy_file_range, int, fd_in, loff_t __user *, off_in, int, fd_out,
		loff_t __user *, off_out, size_t, len, unsigned int, flags)
{
	struct file *in, *out;
	loff_t pos_in, pos_out, end_in, end_out;
	ssize_t ret = -EBADF;

	in = data_fget(fd_in);
	if (!in)
		return -EBADF;
	out = data_fget(fd_out);
	if (!out)
		goto out_in;
	ret = -EFAULT;
	if (off_in) {
		if (copy_from_user(&pos_in, off_in, sizeof(pos_in)))
			goto out_out;
	} else {
		pos_in = in->pos;
	}
	if (off_out) {
		if (copy_from_user(&pos_out, off_out, sizeof(pos_out)))
			goto out_out;
	} else {
		pos_out = out->pos;
	}
	ret = -EINVAL;
	if (flags != 0)
		goto out_out;
	ret = do_copy_file_range(in, pos_in, out, pos_out, len, &end_in, &end_out);
	if (ret > 0) {
		if (off_in) {
			if (copy_to_user(off_in, &end_in, sizeof(end_in)))
				ret = -EFAULT;
		} else {
			in->pos = end_in;
		}
		if (off_out) {
			if (copy_to_user(off_out, &end_out, sizeof(end_out)))
				ret = -EFAULT;
		} else {
			out->pos = end_out;
		}
	}
out_out:
	fput(out);
out_in:
	fput(in);
	return ret;
}

/* ---- splice, tee, vmsplice ---- */

struct to_file {
	struct file *out;
	loff_t *pos;
};

/* pipe_splice_read()'s actor for a file: write what it can, as the pipe hands it. */
static ssize_t
write_to_file(void *arg, const void *buf, size_t n)
{
	struct to_file *t = arg;

	return file_write(t->out, buf, n, t->pos);
}

/* Linux's do_splice, with its checks in order. */
static long
do_splice(struct file *in, loff_t *off_in, struct file *out, loff_t *off_out, size_t len,
	  unsigned int flags)
{
	bool ipipe = is_pipe_file(in), opipe = is_pipe_file(out);
	loff_t offset;
	long ret;

	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		return -EBADF;
	if (ipipe && opipe) {
		if (off_in || off_out)
			return -ESPIPE;
		if (((READ_ONCE(in->flags) | READ_ONCE(out->flags)) & O_NONBLOCK))
			flags |= SPLICE_F_NONBLOCK;
		return pipe_splice_pipe(in, out, len, flags & SPLICE_F_NONBLOCK, false);
	}
	if (ipipe) {
		struct to_file t = { out, &offset };

		if (off_in)
			return -ESPIPE;
		if (off_out) {
			if (!(out->mode & FMODE_LSEEK))
				return -EINVAL;
			offset = *off_out;
		} else {
			offset = out->pos;
		}
		if (out->flags & O_APPEND)
			return -EINVAL;
		ret = verify_area(offset, len);
		if (ret)
			return ret;
		if (READ_ONCE(in->flags) & O_NONBLOCK)
			flags |= SPLICE_F_NONBLOCK;
		ret = pipe_splice_read(in, len, flags & SPLICE_F_NONBLOCK, write_to_file, &t);
		if (!off_out)
			out->pos = offset;
		else
			*off_out = offset;
		return ret;
	}
	if (opipe) {
		if (off_out)
			return -ESPIPE;
		if (off_in) {
			if (!(in->mode & FMODE_LSEEK))
				return -EINVAL;
			offset = *off_in;
		} else {
			offset = in->pos;
		}
		if (READ_ONCE(out->flags) & O_NONBLOCK)
			flags |= SPLICE_F_NONBLOCK;
		ret = verify_area(offset, len);
		if (!ret)
			ret = file_to_pipe(in, &offset, out, len, flags & SPLICE_F_NONBLOCK);
		if (!off_in)
			in->pos = offset;
		else
			*off_in = offset;
		return ret;
	}
	return -EINVAL;
}

SYSCALL_DEFINE6(splice, int, fd_in, loff_t __user *, off_in, int, fd_out,
		loff_t __user *, off_out, size_t, len, unsigned int, flags)
{
	loff_t oin, oout;
	struct file *in, *out;
	long ret;

	if (!len)
		return 0;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	in = data_fget(fd_in);
	if (!in)
		return -EBADF;
	out = data_fget(fd_out);
	if (!out) {
		fput(in);
		return -EBADF;
	}
	/* Linux's __do_splice: offsets for a pipe first, then the copies in. */
	ret = -ESPIPE;
	if ((is_pipe_file(in) && off_in) || (is_pipe_file(out) && off_out))
		goto out;
	ret = -EFAULT;
	if (off_out && copy_from_user(&oout, off_out, sizeof(oout)))
		goto out;
	if (off_in && copy_from_user(&oin, off_in, sizeof(oin)))
		goto out;
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	ret = do_splice(in, off_in ? &oin : NULL, out, off_out ? &oout : NULL, len, flags);
	if (ret < 0)
		goto out;
	if (off_out && copy_to_user(off_out, &oout, sizeof(oout)))
		ret = -EFAULT;
	else if (off_in && copy_to_user(off_in, &oin, sizeof(oin)))
		ret = -EFAULT;
out:
	fput(out);
	fput(in);
	return ret;
}

SYSCALL_DEFINE4(tee, int, fd_in, int, fd_out, size_t, len, unsigned int, flags)
{
	struct file *in, *out;
	long ret;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	in = data_fget(fd_in);
	if (!in)
		return -EBADF;
	ret = -EBADF;
	out = data_fget(fd_out);
	if (out) {
		if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE)) {
			ret = -EBADF;
		} else if (!is_pipe_file(in) || !is_pipe_file(out)) {
			ret = -EINVAL;
		} else {
			if ((READ_ONCE(in->flags) | READ_ONCE(out->flags)) & O_NONBLOCK)
				flags |= SPLICE_F_NONBLOCK;
			if (len > MAX_RW_COUNT)
				len = MAX_RW_COUNT;
			ret = pipe_splice_pipe(in, out, len, flags & SPLICE_F_NONBLOCK, true);
		}
		fput(out);
	}
	fput(in);
	return ret;
}

/* pipe_splice_read()'s actor for vmsplice from a pipe: into the user's memory. */
static ssize_t
copy_to_uio(void *arg, const void *buf, size_t n)
{
	struct uio *u = arg;
	size_t moved = uio_copy_to(u, buf, n);

	return moved ? (ssize_t)moved : -EFAULT;
}

SYSCALL_DEFINE4(vmsplice, int, fd, const struct iovec __user *, uiov, unsigned long, nr_segs,
		unsigned int, flags)
{
	struct iovec fast[8], *iov = fast;
	struct file *f;
	struct uio u;
	long ret;
	bool nonblock;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	f = data_fget(fd);
	if (!f)
		return -EBADF;
	ret = -EBADF;
	if (!(f->mode & (FMODE_READ | FMODE_WRITE)))
		goto out;
	ret = -EINVAL;
	if (nr_segs > UIO_MAXIOV)
		goto out;
	if (nr_segs > 8) {
		ret = -ENOMEM;
		iov = kmalloc(nr_segs * sizeof(*iov));
		if (!iov)
			goto out;
	}
	ret = -EFAULT;
	if (nr_segs && copy_from_user(iov, uiov, nr_segs * sizeof(*iov)))
		goto out_iov;
	ret = uio_init(&u, iov, (unsigned int)nr_segs, true);
	if (ret)
		goto out_iov;
	ret = 0;
	if (!u.resid)
		goto out_iov;
	ret = -EBADF;
	if (!is_pipe_file(f))
		goto out_iov;
	/* Only the flag makes vmsplice non-blocking, not O_NONBLOCK (Linux's). */
	nonblock = flags & SPLICE_F_NONBLOCK;
	if (f->mode & FMODE_WRITE) {
		/* Into the pipe: what fits once there is room (Linux's iter_to_pipe). */
		long room = pipe_splice_wait_room(f, nonblock);

		ret = room;
		if (room > 0) {
			struct uio part = u;
			loff_t pos = 0;

			if (part.resid > (size_t)room)
				part.resid = (size_t)room;
			ret = f->fop->write(f, &part, &pos);
		}
	} else {
		/* Out of the pipe into the user's buffers. */
		ret = pipe_splice_read(f, u.resid, nonblock, copy_to_uio, &u);
	}
out_iov:
	if (iov != fast)
		kfree(iov);
out:
	fput(f);
	return ret;
}
