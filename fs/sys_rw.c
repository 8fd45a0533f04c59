/*
 * The system calls that move data through descriptors: read, write and
 * their positioned and vectored forms, lseek (and i386's _llseek and
 * split-offset pread64/pwrite64), getdents64 and x86's old getdents.
 * User buffers reach the VFS as a user uio (fs/read_write.c).
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"
#include "sys_internal.h"

/* preadv2/pwritev2 flags (RWF_*). */
#define RWF_HIPRI	0x00000001	/* poll for completion: a hint, no polling here */
#define RWF_DSYNC	0x00000002
#define RWF_SYNC	0x00000004
#define RWF_NOWAIT	0x00000008
#define RWF_APPEND	0x00000010

/*
 * One user buffer at the file position (pos < 0) or at pos.  A buffer
 * outside user space is -EFAULT, after the descriptor's -EBADF as in
 * Linux; a fault inside it ends the transfer short (or -EFAULT when
 * nothing moved).
 */
static ssize_t
rw_user(int fd, void __user *buf, size_t count, loff_t pos, bool write)
{
	struct iovec iov;
	struct uio u;

	if (!access_ok(buf, count)) {
		int err = fd_check(fd, write ? FMODE_WRITE : FMODE_READ);

		return err ? err : -EFAULT;
	}
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	uio_init_one(&u, &iov, buf, count, true);
	return write ? vfs_writev(fd, &u, pos) : vfs_readv(fd, &u, pos);
}

static ssize_t
rwv_user(int fd, const struct iovec __user *vec, unsigned long vlen, loff_t pos, bool write)
{
	struct iovec fast[UIO_FASTIOV], *iov;
	struct uio u;
	ssize_t ret = iovec_import(vec, vlen, fast, &iov, &u);

	if (ret < 0) {
		int err = fd_check(fd, 0);

		return err ? err : ret;
	}
	ret = write ? vfs_writev(fd, &u, pos) : vfs_readv(fd, &u, pos);
	iovec_free(iov, fast);
	return ret;
}

SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	return rw_user((int)fd, buf, count, -1, false);
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t, count)
{
	return rw_user((int)fd, (void __user *)buf, count, -1, true);
}

static ssize_t
prw_user(int fd, void __user *buf, size_t count, loff_t pos, bool write)
{
	if (pos < 0)
		return -EINVAL;		/* before the descriptor, as Linux */
	return rw_user(fd, buf, count, pos, write);
}

SYSCALL_DEFINE4(pread64, unsigned int, fd, char __user *, buf, size_t, count, loff_t, pos)
{
	return prw_user((int)fd, buf, count, pos, false);
}

SYSCALL_DEFINE4(pwrite64, unsigned int, fd, const char __user *, buf, size_t, count,
		loff_t, pos)
{
	return prw_user((int)fd, (void __user *)buf, count, pos, true);
}

#ifdef CONFIG_ARCH_I386
/* i386 passes the 64-bit position in two registers, low word first. */
SYSCALL_DEFINE5(ia32_pread64, unsigned int, fd, char __user *, buf, size_t, count,
		unsigned long, pos_lo, unsigned long, pos_hi)
{
	return prw_user((int)fd, buf, count, SC_ARG64(pos_lo, pos_hi), false);
}

SYSCALL_DEFINE5(ia32_pwrite64, unsigned int, fd, const char __user *, buf, size_t, count,
		unsigned long, pos_lo, unsigned long, pos_hi)
{
	return prw_user((int)fd, (void __user *)buf, count, SC_ARG64(pos_lo, pos_hi), true);
}
#endif

SYSCALL_DEFINE3(readv, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	return rwv_user((int)fd, vec, vlen, -1, false);
}

SYSCALL_DEFINE3(writev, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	return rwv_user((int)fd, vec, vlen, -1, true);
}

/*
 * preadv and friends take the position as two words on every port (low,
 * high); on a 64-bit port the low word holds all of it and high is
 * ignored, as in Linux's pos_from_hilo().
 */
static loff_t
pos_from_hilo(unsigned long high, unsigned long low)
{
#if __SIZEOF_LONG__ == 4
	return (loff_t)(((uint64_t)high << 32) | low);
#else
	(void)high;
	return (loff_t)low;
#endif
}

static ssize_t
prwv_user(int fd, const struct iovec __user *vec, unsigned long vlen, unsigned long pos_l,
	  unsigned long pos_h, bool write)
{
	loff_t pos = pos_from_hilo(pos_h, pos_l);

	if (pos < 0)
		return -EINVAL;
	return rwv_user(fd, vec, vlen, pos, write);
}

SYSCALL_DEFINE5(preadv, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen, unsigned long, pos_l, unsigned long, pos_h)
{
	return prwv_user((int)fd, vec, vlen, pos_l, pos_h, false);
}

SYSCALL_DEFINE5(pwritev, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen, unsigned long, pos_l, unsigned long, pos_h)
{
	return prwv_user((int)fd, vec, vlen, pos_l, pos_h, true);
}

/*
 * preadv2/pwritev2: position -1 means the file position.  RWF_HIPRI is a
 * hint Linux ignores for buffered I/O, RWF_DSYNC/RWF_SYNC make a write
 * synchronous (an fsync after it); RWF_NOWAIT and RWF_APPEND are not
 * offered (-EOPNOTSUPP, as Linux for a file without them).
 */
static ssize_t
rwv2_user(int fd, const struct iovec __user *vec, unsigned long vlen, unsigned long pos_l,
	  unsigned long pos_h, unsigned int flags, bool write)
{
	loff_t pos = pos_from_hilo(pos_h, pos_l);
	ssize_t ret;

	if (pos < -1)
		return -EINVAL;
	if (flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC))
		return -EOPNOTSUPP;
	ret = rwv_user(fd, vec, vlen, pos, write);
	if (ret > 0 && write && (flags & (RWF_DSYNC | RWF_SYNC))) {
		int err = vfs_fsync(fd);

		if (err)
			ret = err;
	}
	return ret;
}

SYSCALL_DEFINE6(preadv2, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen, unsigned long, pos_l, unsigned long, pos_h,
		unsigned int, flags)
{
	return rwv2_user((int)fd, vec, vlen, pos_l, pos_h, flags, false);
}

SYSCALL_DEFINE6(pwritev2, unsigned long, fd, const struct iovec __user *, vec,
		unsigned long, vlen, unsigned long, pos_l, unsigned long, pos_h,
		unsigned int, flags)
{
	return rwv2_user((int)fd, vec, vlen, pos_l, pos_h, flags, true);
}

#define SEEK_MAX	SEEK_HOLE

/* lseek's offset and result are the port's long (32 bits on i386). */
SYSCALL_DEFINE3(lseek, unsigned int, fd, long, offset, unsigned int, whence)
{
	loff_t res;

	if (whence > SEEK_MAX) {
		int err = fd_check((int)fd, 0);

		return err ? err : -EINVAL;
	}
	res = vfs_lseek((int)fd, offset, (int)whence);
	if (res >= 0 && res != (long)res)
		return -EOVERFLOW;	/* the position moved all the same, as in Linux */
	return (long)res;
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE5(llseek, unsigned int, fd, unsigned long, offset_high,
		unsigned long, offset_low, loff_t __user *, result, unsigned int, whence)
{
	loff_t res;

	if (whence > SEEK_MAX) {
		int err = fd_check((int)fd, 0);

		return err ? err : -EINVAL;
	}
	res = vfs_lseek((int)fd, SC_ARG64(offset_low, offset_high), (int)whence);
	if (res < 0)
		return (long)res;
	return copy_to_user(result, &res, sizeof(res));
}
#endif

/*
 * getdents64 fills a kernel buffer of at most this much per call (the
 * caller asks again), copied out while the directory's position is still
 * held: a copy that faults puts the position back, so no entry is lost.
 */
#define GETDENTS_MAX	(32 * 1024)

static int
copy_dirents(void *ubuf, void *kbuf, size_t len)
{
	return copy_to_user((void __user *)ubuf, kbuf, len);
}

static ssize_t
getdents_user(int fd, void __user *dirent, unsigned int count,
	      int (*commit)(void *arg, void *buf, size_t len), void *arg)
{
	size_t n = count < GETDENTS_MAX ? count : GETDENTS_MAX;
	char *kbuf;
	ssize_t ret;

	if (!access_ok(dirent, count))
		return -EFAULT;		/* before the descriptor, as Linux */
	kbuf = kmalloc(n ? n : 1);
	if (!kbuf)
		return -ENOMEM;
	ret = getdents64_commit(fd, kbuf, n, commit, arg);
	kfree(kbuf);
	return ret;
}

SYSCALL_DEFINE3(getdents64, unsigned int, fd, void __user *, dirent, unsigned int, count)
{
	return getdents_user((int)fd, dirent, count, copy_dirents, dirent);
}

#if defined(CONFIG_ARCH_X86_64) || defined(CONFIG_ARCH_I386)
/*
 * x86's getdents: struct linux_dirent, {long d_ino; long d_off; unsigned
 * short d_reclen; char d_name[]}, the name's NUL, then d_type in the
 * record's last byte; records long-aligned.  Made from getdents64's
 * records in place (an old record is never longer than the new one: the
 * same length on the 64-bit port, shorter on i386).
 */
#define DIRENT_NAME_OFF		(2 * sizeof(long) + sizeof(unsigned short))
#define DIRENT64_NAME_OFF	19

static size_t
old_reclen(size_t namelen)
{
	return (DIRENT_NAME_OFF + namelen + 2 + sizeof(long) - 1) & ~(sizeof(long) - 1);
}

/*
 * Convert the records in buf[0, n): the new length, or -EOVERFLOW when the
 * first inode number does not fit (a later one ends the list there, and
 * the entries after it are skipped: no file system here numbers past 32
 * bits).
 */
static ssize_t
dirent64_to_old(char *buf, size_t n)
{
	size_t in = 0, out = 0;

	while (in < n) {
		uint64_t ino;
		int64_t off;
		uint16_t reclen;
		uint8_t type;
		size_t namelen, olen;
		unsigned long oino, ooff;
		unsigned short oreclen;

		memcpy(&ino, buf + in, 8);
		memcpy(&off, buf + in + 8, 8);
		memcpy(&reclen, buf + in + 16, 2);
		type = (uint8_t)buf[in + 18];
		namelen = strnlen(buf + in + DIRENT64_NAME_OFF, reclen - DIRENT64_NAME_OFF);
		oino = (unsigned long)ino;
		if (oino != ino)
			return out ? (ssize_t)out : -EOVERFLOW;	/* i386: no 64-bit inodes */
		ooff = (unsigned long)off;	/* truncated, as Linux's filldir() */
		olen = old_reclen(namelen);
		oreclen = (unsigned short)olen;
		memmove(buf + out + DIRENT_NAME_OFF, buf + in + DIRENT64_NAME_OFF, namelen);
		memcpy(buf + out, &oino, sizeof(oino));
		memcpy(buf + out + sizeof(long), &ooff, sizeof(ooff));
		memcpy(buf + out + 2 * sizeof(long), &oreclen, sizeof(oreclen));
		memset(buf + out + DIRENT_NAME_OFF + namelen, 0, olen - DIRENT_NAME_OFF - namelen);
		buf[out + olen - 1] = (char)type;
		in += reclen;
		out += olen;
	}
	return (ssize_t)out;
}

/* Convert, copy out, and report the converted length through *arg. */
struct old_dirents {
	void __user *ubuf;
	ssize_t len;
};

static int
copy_old_dirents(void *arg, void *kbuf, size_t len)
{
	struct old_dirents *od = arg;

	od->len = dirent64_to_old(kbuf, len);
	if (od->len < 0)
		return (int)od->len;
	return copy_to_user(od->ubuf, kbuf, (size_t)od->len);
}

SYSCALL_DEFINE3(getdents, unsigned int, fd, void __user *, dirent, unsigned int, count)
{
	struct old_dirents od = { dirent, 0 };
	ssize_t ret = getdents_user((int)fd, dirent, count, copy_old_dirents, &od);

	return ret > 0 ? od.len : ret;
}
#endif
