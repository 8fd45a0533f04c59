/*
 * Moving data through open files: read, write and their positioned and
 * vectored forms, lseek, getdents64, fsync, ioctl and poll readiness.
 * A file's position is serialised by its pos_lock, so threads sharing a
 * file (after dup) never read or write the same bytes twice.
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/poll.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

static ssize_t
do_read(struct file *f, struct uio *u, loff_t *pos)
{
	if (!(f->mode & FMODE_READ))
		return -EBADF;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!f->fop || !f->fop->read)
		return -EINVAL;
	if (u->resid == 0)
		return 0;
	return f->fop->read(f, u, pos);
}

static ssize_t
do_write(struct file *f, struct uio *u, loff_t *pos)
{
	if (!(f->mode & FMODE_WRITE))
		return -EBADF;
	if (!f->fop || !f->fop->write)
		return -EINVAL;
	if (u->resid == 0)
		return 0;
	return f->fop->write(f, u, pos);
}

/*
 * Read or write at the file's position (off < 0) or at off (pread and
 * pwrite: not on pipes and ttys, and the position stays).  alone: no
 * other descriptor or table refers to f, so nobody else can move its
 * position and pos_lock is not needed (Linux's fdget_pos()).
 */
static ssize_t
rw_file(struct file *f, struct uio *u, loff_t off, bool write, bool alone)
{
	ssize_t n;

	if (off >= 0) {
		if (!(f->mode & FMODE_LSEEK))
			return -ESPIPE;
		return write ? do_write(f, u, &off) : do_read(f, u, &off);
	}
	if (!(f->mode & FMODE_LSEEK))
		return write ? do_write(f, u, &f->pos) : do_read(f, u, &f->pos);
	if (!alone)
		mutex_lock(&f->pos_lock);
	{
		loff_t pos = f->pos;

		n = write ? do_write(f, u, &pos) : do_read(f, u, &pos);
		if (n >= 0)
			f->pos = pos;
	}
	if (!alone)
		mutex_unlock(&f->pos_lock);
	return n;
}

static ssize_t
rw_fd(int fd, struct uio *u, loff_t off, bool write)
{
	bool ref;
	struct file *f = fdget(fd, &ref);
	ssize_t n;

	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH)
		n = -EBADF;
	else
		n = rw_file(f, u, off, write, !ref && READ_ONCE(f->refs) == 1);
	fdput(f, ref);
	return n;
}

ssize_t
file_read(struct file *f, void *buf, size_t n, loff_t *pos)
{
	struct iovec iov;
	struct uio u;

	uio_init_kernel(&u, &iov, buf, n);
	return do_read(f, &u, pos);
}

ssize_t
file_write(struct file *f, const void *buf, size_t n, loff_t *pos)
{
	struct iovec iov;
	struct uio u;

	uio_init_kernel(&u, &iov, (void *)buf, n);
	return do_write(f, &u, pos);
}

ssize_t
vfs_read(int fd, void *buf, size_t n)
{
	struct iovec iov;
	struct uio u;

	uio_init_kernel(&u, &iov, buf, n > SSIZE_MAX ? SSIZE_MAX : n);
	return rw_fd(fd, &u, -1, false);
}

ssize_t
vfs_write(int fd, const void *buf, size_t n)
{
	struct iovec iov;
	struct uio u;

	uio_init_kernel(&u, &iov, (void *)buf, n > SSIZE_MAX ? SSIZE_MAX : n);
	return rw_fd(fd, &u, -1, true);
}

ssize_t
vfs_pread(int fd, void *buf, size_t n, loff_t off)
{
	struct iovec iov;
	struct uio u;

	if (off < 0)
		return -EINVAL;
	uio_init_kernel(&u, &iov, buf, n > SSIZE_MAX ? SSIZE_MAX : n);
	return rw_fd(fd, &u, off, false);
}

ssize_t
vfs_pwrite(int fd, const void *buf, size_t n, loff_t off)
{
	struct iovec iov;
	struct uio u;

	if (off < 0)
		return -EINVAL;
	uio_init_kernel(&u, &iov, (void *)buf, n > SSIZE_MAX ? SSIZE_MAX : n);
	return rw_fd(fd, &u, off, true);
}

ssize_t
vfs_readv(int fd, struct uio *u, loff_t off)
{
	return rw_fd(fd, u, off < 0 ? -1 : off, false);
}

ssize_t
vfs_writev(int fd, struct uio *u, loff_t off)
{
	return rw_fd(fd, u, off < 0 ? -1 : off, true);
}

loff_t
generic_file_llseek(struct file *f, loff_t offset, int whence)
{
	struct inode *inode = f->inode;
	loff_t base, size;

	mutex_lock(&inode->lock);
	size = inode->size;
	mutex_unlock(&inode->lock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = size;
		break;
	case SEEK_DATA:
		/* No holes known: data everywhere before the end. */
		if (offset < 0 || offset >= size)
			return -ENXIO;
		return f->pos = offset;
	case SEEK_HOLE:
		if (offset < 0 || offset >= size)
			return -ENXIO;
		return f->pos = size;
	default:
		return -EINVAL;
	}
	if ((offset > 0 && base > LOFF_MAX - offset) || base + offset < 0)
		return -EINVAL;
	f->pos = base + offset;
	return f->pos;
}

loff_t
vfs_lseek(int fd, loff_t off, int whence)
{
	struct file *f = fget(fd);
	loff_t ret;

	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH)
		ret = -EBADF;
	else if (!(f->mode & FMODE_LSEEK))
		ret = -ESPIPE;
	else {
		mutex_lock(&f->pos_lock);
		if (f->fop && f->fop->llseek)
			ret = f->fop->llseek(f, off, whence);
		else
			ret = generic_file_llseek(f, off, whence);
		mutex_unlock(&f->pos_lock);
	}
	fput(f);
	return ret;
}

bool
dir_emit_dots(struct file *f, struct dir_context *ctx)
{
	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, f->inode->ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct dentry *parent = dget_parent(f->path.dentry);
		uint64_t ino = parent->inode ? parent->inode->ino : f->inode->ino;

		/* At a mount root ".." is the root's own entry, as Linux shows. */
		if (f->path.dentry == f->path.mnt->root)
			ino = f->inode->ino;
		dput(parent);
		if (!dir_emit(ctx, "..", 2, ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}

struct getdents_ctx {
	struct dir_context ctx;
	char *buf;
	size_t size, used;
	size_t prev;			/* offset of the last record, or SIZE_MAX */
	int error;
};

struct linux_dirent64_hdr {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
} __packed;

#define DIRENT_NAME_OFF	19	/* offsetof(struct linux_dirent64, d_name) */

static void
set_d_off(struct getdents_ctx *g, loff_t off)
{
	int64_t v = off;

	memcpy(g->buf + g->prev + offsetof(struct linux_dirent64_hdr, d_off), &v, sizeof(v));
}

static bool
fill_dirent64(struct dir_context *ctx, const char *name, unsigned int len, uint64_t ino,
	      unsigned int type)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	size_t reclen = (DIRENT_NAME_OFF + len + 1 + 7) & ~(size_t)7;
	struct linux_dirent64_hdr h;
	char *rec;

	if (g->used + reclen > g->size) {
		if (g->used == 0)
			g->error = -EINVAL;	/* not even one entry fits */
		return false;
	}
	if (g->prev != SIZE_MAX)
		set_d_off(g, ctx->pos);	/* the previous entry resumes here */
	g->prev = g->used;
	rec = g->buf + g->used;
	h.d_ino = ino;
	h.d_off = 0;			/* set once the next position is known */
	h.d_reclen = (uint16_t)reclen;
	h.d_type = (uint8_t)type;
	memcpy(rec, &h, DIRENT_NAME_OFF);
	memcpy(rec + DIRENT_NAME_OFF, name, len);
	memset(rec + DIRENT_NAME_OFF + len, 0, reclen - DIRENT_NAME_OFF - len);
	g->used += reclen;
	return true;
}

/*
 * An entry's d_off is the position after it, which is known only when the
 * file system moves on: each record's is set when the next one comes, the
 * last one's after the walk (positions need not be consecutive).
 */
ssize_t
getdents64_commit(int fd, void *buf, size_t n, int (*commit)(void *arg, void *buf, size_t len),
		  void *arg)
{
	struct file *f = fget(fd);
	struct getdents_ctx g = { .ctx.actor = fill_dirent64, .buf = buf, .size = n,
				  .prev = SIZE_MAX };
	int err;

	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH)
		err = -EBADF;
	else if (!S_ISDIR(f->inode->mode) || !f->fop || !f->fop->iterate)
		err = -ENOTDIR;
	else {
		loff_t start;

		mutex_lock(&f->pos_lock);
		mutex_lock(&f->inode->lock);
		start = g.ctx.pos = f->pos;
		if (f->inode->nlink == 0)
			err = 0;		/* removed: nothing left to list */
		else
			err = f->fop->iterate(f, &g.ctx);
		f->pos = g.ctx.pos;
		if (g.prev != SIZE_MAX)
			set_d_off(&g, g.ctx.pos);
		mutex_unlock(&f->inode->lock);
		if (!err)
			err = g.error;
		if (!err && g.used && commit) {
			err = commit(arg, buf, g.used);
			if (err)
				f->pos = start;	/* not delivered: read them again */
		}
		mutex_unlock(&f->pos_lock);
	}
	fput(f);
	return err ? err : (ssize_t)g.used;
}

ssize_t
vfs_getdents64(int fd, void *buf, size_t n)
{
	return getdents64_commit(fd, buf, n, NULL, NULL);
}

int
vfs_fsync(int fd)
{
	struct file *f = fget(fd);
	int err = 0;

	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH)
		err = -EBADF;
	else if (f->fop && f->fop->fsync)
		err = f->fop->fsync(f);
	fput(f);
	return err;
}

long
vfs_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH)
		err = -EBADF;
	else if (f->fop && f->fop->ioctl)
		err = f->fop->ioctl(f, cmd, arg);
	else
		err = -ENOTTY;
	fput(f);
	return err;
}

unsigned int
vfs_poll(int fd, struct poll_table *pt)
{
	struct file *f = fget(fd);
	unsigned int mask;

	if (!f)
		return POLLNVAL;
	if (f->mode & FMODE_PATH)
		mask = POLLNVAL;
	else
		mask = vfs_poll_file(f, pt);
	fput(f);
	return mask;
}
