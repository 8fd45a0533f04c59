/*
 * The system calls on descriptors themselves: dup, dup2, dup3, fcntl
 * (and i386's fcntl64) and ioctl with the generic file ioctls Linux
 * answers before a file's own (FIOCLEX, FIONBIO ...).
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/spinlock.h>
#include <kernel/vfs.h>

#include "sys_internal.h"

SYSCALL_DEFINE1(dup, unsigned int, fildes)
{
	return vfs_dup((int)fildes);
}

SYSCALL_DEFINE2(dup2, unsigned int, oldfd, unsigned int, newfd)
{
	return vfs_dup2((int)oldfd, (int)newfd);
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	return vfs_dup3((int)oldfd, (int)newfd, flags);
}

/*
 * On an O_PATH descriptor only these commands work (Linux's
 * check_fcntl_cmd()); the others are -EBADF.  Record locks (F_GETLK,
 * F_SETLK, F_SETLKW, their 64 and OFD forms) and the signal, lease and
 * notification commands are -EINVAL from the VFS: not offered.
 */
static long
do_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_GETFD:
	case F_SETFD:
	case F_GETFL:
		break;
	default: {
		int err = fd_check(fd, 0);

		if (err)
			return err;
	}
	}
	return vfs_fcntl(fd, (int)cmd, arg);
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	return do_fcntl((int)fd, cmd, arg);
}

#ifdef CONFIG_ARCH_I386
/* The same commands: fcntl64 differs only by the 64-bit lock ones. */
SYSCALL_DEFINE3(fcntl64, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	return do_fcntl((int)fd, cmd, arg);
}
#endif

/* Linux's generic ioctl numbers (asm-generic/ioctls.h, the same on every port). */
#define FIGETBSZ	0x00000002
#define FIONREAD	0x541B
#define FIONBIO		0x5421
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define FIOASYNC	0x5452
#define FIOQSIZE	0x5460

/* O_NONBLOCK on or off, as F_SETFL would (under the file's flags lock). */
static void
set_nonblock(struct file *f, bool on)
{
	unsigned long flags = spin_lock_irqsave(&f->lock);

	if (on)
		f->flags |= O_NONBLOCK;
	else
		f->flags &= ~(unsigned int)O_NONBLOCK;
	spin_unlock_irqrestore(&f->lock, flags);
}

/* The ioctls every file answers, or 1 when f's own ioctl should. */
static long
generic_ioctl(int fd, struct file *f, unsigned int cmd, unsigned long arg)
{
	struct inode *inode = f->inode;
	int on, err;

	switch (cmd) {
	case FIOCLEX:
		return vfs_fcntl(fd, F_SETFD, FD_CLOEXEC);
	case FIONCLEX:
		return vfs_fcntl(fd, F_SETFD, 0);
	case FIONBIO:
		err = get_user(on, (int __user *)arg);
		if (!err)
			set_nonblock(f, on != 0);
		return err;
	case FIOASYNC:
		err = get_user(on, (int __user *)arg);
		if (err)
			return err;
		/* No file here signals I/O (no fasync): only "no change" succeeds. */
		return !on == !(READ_ONCE(f->flags) & FASYNC) ? 0 : -ENOTTY;
	case FIOQSIZE:
		if (S_ISDIR(inode->mode) || S_ISREG(inode->mode) || S_ISLNK(inode->mode)) {
			struct kstat st;

			inode_getattr(inode, &st);
			return put_user((loff_t)st.size, (loff_t __user *)arg);
		}
		return -ENOTTY;
	case FIGETBSZ:
		return put_user((int)inode->sb->block_size, (int __user *)arg);
	case FIONREAD:
		if (S_ISREG(inode->mode)) {
			struct kstat st;

			/* Bytes after the position, as an int (Linux's file_ioctl()). */
			inode_getattr(inode, &st);
			return put_user((int)(st.size - READ_ONCE(f->pos)), (int __user *)arg);
		}
		return 1;
	default:
		return 1;
	}
}

SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget((int)fd);
	long ret;

	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH)
		ret = -EBADF;
	else
		ret = generic_ioctl((int)fd, f, cmd, arg);
	if (ret == 1)
		ret = f->fop && f->fop->ioctl ? f->fop->ioctl(f, cmd, arg) : -ENOTTY;
	fput(f);
	return ret;
}
