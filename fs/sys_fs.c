/*
 * The system calls on the caller's file-system context and on file
 * systems: chdir, fchdir, chroot, getcwd, umask; fsync, fdatasync, sync,
 * syncfs; mount, umount2 (and i386's umount).
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/vfs.h>

#include "sys_internal.h"

SYSCALL_DEFINE1(chdir, const char __user *, filename)
{
	return WITH_USER_PATH(filename, path, vfs_chdir(path));
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	return vfs_fchdir((int)fd);
}

SYSCALL_DEFINE1(chroot, const char __user *, filename)
{
	return WITH_USER_PATH(filename, path, vfs_chroot(path));
}

/* The length copied, NUL included, or -ERANGE when size is too small. */
SYSCALL_DEFINE2(getcwd, char __user *, buf, unsigned long, size)
{
	char *kbuf = kmalloc(PATH_MAX);
	long len;

	if (!kbuf)
		return -ENOMEM;
	len = vfs_getcwd(kbuf, size < PATH_MAX ? size : PATH_MAX);
	if (len > 0 && copy_to_user(buf, kbuf, (size_t)len))
		len = -EFAULT;
	kfree(kbuf);
	return len;
}

SYSCALL_DEFINE1(umask, int, mask)
{
	return vfs_umask((umode_t)mask);
}

SYSCALL_DEFINE1(fsync, unsigned int, fd)
{
	return vfs_fsync((int)fd);
}

/* File systems here keep no metadata apart from data: as fsync. */
SYSCALL_DEFINE1(fdatasync, unsigned int, fd)
{
	return vfs_fsync((int)fd);
}

/*
 * No file system keeps data to write back yet (tmpfs, proc and devtmpfs
 * live in memory), so there is nothing to start; sync(2) cannot fail.
 */
SYSCALL_DEFINE0(sync)
{
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fget(fd);
	struct super_block *sb;
	int err = 0;

	if (!f)
		return -EBADF;
	sb = f->path.mnt->sb;
	if (f->mode & FMODE_PATH)
		err = -EBADF;		/* Linux's fdget() */
	else if (sb->ops && sb->ops->sync_fs)
		err = sb->ops->sync_fs(sb);
	fput(f);
	return err;
}

/*
 * mount(2)'s strings: the type and source up to PATH_MAX as Linux's
 * strndup_user() (longer is -EINVAL), the options up to a page.  NULL
 * stays NULL.
 */
static long
copy_mount_string(const char __user *s, size_t max, char **out)
{
	char *buf;
	long len;

	*out = NULL;
	if (!s)
		return 0;
	buf = kmalloc(max);
	if (!buf)
		return -ENOMEM;
	len = strncpy_from_user(buf, s, max);
	if (len < 0) {
		kfree(buf);
		return len == -ENAMETOOLONG ? -EINVAL : len;
	}
	*out = buf;
	return 0;
}

SYSCALL_DEFINE5(mount, const char __user *, dev_name, const char __user *, dir_name,
		const char __user *, type, unsigned long, flags, const void __user *, data)
{
	char *ktype, *kdev = NULL, *kdata = NULL;
	long err = copy_mount_string(type, PATH_MAX, &ktype);

	if (!err)
		err = copy_mount_string(dev_name, PATH_MAX, &kdev);
	if (!err)
		err = copy_mount_string(data, PAGE_SIZE, &kdata);
	if (!err)
		err = WITH_USER_PATH(dir_name, dir, vfs_mount(kdev, dir, ktype, flags, kdata));
	if (kdata)
		kfree(kdata);
	if (kdev)
		kfree(kdev);
	if (ktype)
		kfree(ktype);
	return err;
}

SYSCALL_DEFINE2(umount2, const char __user *, name, int, flags)
{
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	return WITH_USER_PATH(name, path, vfs_umount(path, flags));
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE1(umount, const char __user *, name)
{
	return WITH_USER_PATH(name, path, vfs_umount(path, 0));
}
#endif
