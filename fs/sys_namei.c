/*
 * The system calls that open and name files: open, openat, creat, close,
 * and the directory-changing ones (mkdir, mknod, rmdir, unlink, rename,
 * link, symlink, readlink) in their old and *at forms.  aarch64 has only
 * the *at forms; the old ones are those calls with AT_FDCWD.
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/kdev_t.h>
#include <kernel/vfs.h>

#include "sys_internal.h"

/* The flags open() and openat() look at; the rest are ignored (Linux). */
#define VALID_OPEN_FLAGS						\
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |	\
	 O_NONBLOCK | __O_SYNC | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | \
	 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH | __O_TMPFILE)
/* What O_PATH keeps. */
#define O_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define O_TMPFILE_MASK	(__O_TMPFILE | O_DIRECTORY | O_CREAT)

/* Linux's build_open_how() and build_open_flags() for open and openat. */
static long
do_open(int dfd, const char __user *filename, int flags, umode_t mode)
{
	flags &= VALID_OPEN_FLAGS;
	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	if (flags & (O_CREAT | __O_TMPFILE))
		mode &= S_IALLUGO;
	else
		mode = 0;
	if (flags & __O_TMPFILE) {
		if ((flags & O_TMPFILE_MASK) != O_TMPFILE)
			return -EINVAL;
		if ((flags & O_ACCMODE) != O_WRONLY && (flags & O_ACCMODE) != O_RDWR)
			return -EINVAL;
	}
	if (flags & __O_SYNC)
		flags |= O_DSYNC;
	return WITH_USER_PATH(filename, path, vfs_openat(dfd, path, flags, mode));
}

SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_open(AT_FDCWD, filename, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_open(dfd, filename, flags, mode);
}

SYSCALL_DEFINE2(creat, const char __user *, pathname, umode_t, mode)
{
	return do_open(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return vfs_close((int)fd);
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, pathname, umode_t, mode)
{
	return WITH_USER_PATH(pathname, path, vfs_mkdirat(dfd, path, mode));
}

SYSCALL_DEFINE2(mkdir, const char __user *, pathname, umode_t, mode)
{
	return WITH_USER_PATH(pathname, path, vfs_mkdirat(AT_FDCWD, path, mode));
}

/* dev is the user's encoding (<sys/sysmacros.h> makedev(), 32 bits). */
SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, filename, umode_t, mode,
		unsigned int, dev)
{
	return WITH_USER_PATH(filename, path, vfs_mknodat(dfd, path, mode, new_decode_dev(dev)));
}

SYSCALL_DEFINE3(mknod, const char __user *, filename, umode_t, mode, unsigned int, dev)
{
	return WITH_USER_PATH(filename, path,
			      vfs_mknodat(AT_FDCWD, path, mode, new_decode_dev(dev)));
}

SYSCALL_DEFINE1(rmdir, const char __user *, pathname)
{
	return WITH_USER_PATH(pathname, path, vfs_unlinkat(AT_FDCWD, path, AT_REMOVEDIR));
}

SYSCALL_DEFINE1(unlink, const char __user *, pathname)
{
	return WITH_USER_PATH(pathname, path, vfs_unlinkat(AT_FDCWD, path, 0));
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, pathname, int, flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	return WITH_USER_PATH(pathname, path, vfs_unlinkat(dfd, path, flag));
}

/* The descriptors and flags of a call on two names. */
struct two_names {
	int olddfd, newdfd;
	unsigned int flags;
	long (*fn)(const char *oldname, const char *newname, const struct two_names *a);
};

/* Both names are copied in before anything is checked, as in Linux. */
static long
with_two_names(const char __user *oldname, const char __user *newname,
	       const struct two_names *a)
{
	char *from;
	long err = getname(oldname, &from);

	if (err < 0)
		return err;
	err = WITH_USER_PATH(newname, to, a->fn(from, to, a));
	kfree(from);
	return err;
}

static long
rename_names(const char *from, const char *to, const struct two_names *a)
{
	return vfs_renameat2(a->olddfd, from, a->newdfd, to, a->flags);
}

static long
do_renameat2(int olddfd, const char __user *oldname, int newdfd,
	     const char __user *newname, unsigned int flags)
{
	const struct two_names a = { olddfd, newdfd, flags, rename_names };

	return with_two_names(oldname, newname, &a);
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, unsigned int, flags)
{
	return do_renameat2(olddfd, oldname, newdfd, newname, flags);
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname)
{
	return do_renameat2(olddfd, oldname, newdfd, newname, 0);
}

SYSCALL_DEFINE2(rename, const char __user *, oldname, const char __user *, newname)
{
	return do_renameat2(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

static long
link_names(const char *from, const char *to, const struct two_names *a)
{
	return vfs_linkat(a->olddfd, from, a->newdfd, to, (int)a->flags);
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, int, flags)
{
	const struct two_names a = { olddfd, newdfd, (unsigned int)flags, link_names };

	return with_two_names(oldname, newname, &a);
}

SYSCALL_DEFINE2(link, const char __user *, oldname, const char __user *, newname)
{
	const struct two_names a = { AT_FDCWD, AT_FDCWD, 0, link_names };

	return with_two_names(oldname, newname, &a);
}

/* The first name is the link's target, any string up to PATH_MAX. */
static long
symlink_names(const char *target, const char *path, const struct two_names *a)
{
	return vfs_symlinkat(target, a->newdfd, path);
}

SYSCALL_DEFINE3(symlinkat, const char __user *, oldname, int, newdfd,
		const char __user *, newname)
{
	const struct two_names a = { AT_FDCWD, newdfd, 0, symlink_names };

	return with_two_names(oldname, newname, &a);
}

SYSCALL_DEFINE2(symlink, const char __user *, oldname, const char __user *, newname)
{
	const struct two_names a = { AT_FDCWD, AT_FDCWD, 0, symlink_names };

	return with_two_names(oldname, newname, &a);
}

/* The target, not NUL-terminated, cut to bufsiz (as Linux). */
static long
do_readlinkat(int dfd, const char __user *pathname, char __user *buf, int bufsiz)
{
	size_t n;
	char *kbuf;
	long len;

	if (bufsiz <= 0)
		return -EINVAL;
	n = (size_t)bufsiz < PATH_MAX ? (size_t)bufsiz : PATH_MAX;
	kbuf = kmalloc(n);
	if (!kbuf)
		return -ENOMEM;
	len = WITH_USER_PATH(pathname, path, vfs_readlinkat(dfd, path, kbuf, n));
	if (len > 0 && copy_to_user(buf, kbuf, (size_t)len))
		len = -EFAULT;
	kfree(kbuf);
	return len;
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, pathname, char __user *, buf,
		int, bufsiz)
{
	return do_readlinkat(dfd, pathname, buf, bufsiz);
}

SYSCALL_DEFINE3(readlink, const char __user *, path, char __user *, buf, int, bufsiz)
{
	return do_readlinkat(AT_FDCWD, path, buf, bufsiz);
}
