/*
 * The stat and statfs system calls: the VFS's struct kstat / kstatfs
 * turned into the port's Linux layouts (fs/stat.c, docs/stat-abi.md) and
 * copied out whole.  x86_64 and aarch64 have stat/fstat/lstat/newfstatat
 * (aarch64 only fstat and newfstatat), i386 also the stat64 family and
 * the old __old_kernel_stat calls; statx is everyone's.
 */
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <kernel/stat_conv.h>
#include <kernel/thread.h>
#include <kernel/vfs.h>

#include "sys_internal.h"

static long
fstatat_user(int dfd, const char __user *upath, struct kstat *k, int flags)
{
	return WITH_USER_PATH(upath, path, vfs_fstatat(dfd, path, k, flags));
}

static long
put_stat(long err, const struct kstat *k, struct linux_stat __user *ubuf)
{
	struct linux_stat st;

	if (err)
		return err;
	err = stat_to_linux(k, &st);
	return err ? err : copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL_DEFINE2(fstat, unsigned int, fd, struct linux_stat __user *, statbuf)
{
	struct kstat k;

	return put_stat(vfs_fstat((int)fd, &k), &k, statbuf);
}

#ifndef LINUX_STAT_ABI_I386
SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, filename,
		struct linux_stat __user *, statbuf, int, flag)
{
	struct kstat k;

	return put_stat(fstatat_user(dfd, filename, &k, flag), &k, statbuf);
}
#endif

#if defined(CONFIG_ARCH_X86_64) || defined(CONFIG_ARCH_I386)
SYSCALL_DEFINE2(stat, const char __user *, filename, struct linux_stat __user *, statbuf)
{
	struct kstat k;

	return put_stat(fstatat_user(AT_FDCWD, filename, &k, 0), &k, statbuf);
}

SYSCALL_DEFINE2(lstat, const char __user *, filename, struct linux_stat __user *, statbuf)
{
	struct kstat k;

	return put_stat(fstatat_user(AT_FDCWD, filename, &k, AT_SYMLINK_NOFOLLOW), &k, statbuf);
}
#endif

#ifdef LINUX_STAT_ABI_I386
static long
put_stat64(long err, const struct kstat *k, struct linux_stat64 __user *ubuf)
{
	struct linux_stat64 st;

	if (err)
		return err;
	stat64_to_linux(k, &st);
	return copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL_DEFINE2(stat64, const char __user *, filename, struct linux_stat64 __user *, statbuf)
{
	struct kstat k;

	return put_stat64(fstatat_user(AT_FDCWD, filename, &k, 0), &k, statbuf);
}

SYSCALL_DEFINE2(lstat64, const char __user *, filename, struct linux_stat64 __user *, statbuf)
{
	struct kstat k;

	return put_stat64(fstatat_user(AT_FDCWD, filename, &k, AT_SYMLINK_NOFOLLOW), &k,
			  statbuf);
}

SYSCALL_DEFINE2(fstat64, unsigned long, fd, struct linux_stat64 __user *, statbuf)
{
	struct kstat k;

	return put_stat64(vfs_fstat((int)fd, &k), &k, statbuf);
}

SYSCALL_DEFINE4(fstatat64, int, dfd, const char __user *, filename,
		struct linux_stat64 __user *, statbuf, int, flag)
{
	struct kstat k;

	return put_stat64(fstatat_user(dfd, filename, &k, flag), &k, statbuf);
}

/* Linux warns about the pre-1.0 calls a few times; once is enough here. */
static long
put_old_stat(long err, const struct kstat *k, struct linux_old_kernel_stat __user *ubuf)
{
	static unsigned int warned;
	struct linux_old_kernel_stat st;

	if (!atomic_xchg(&warned, 1u))
		pr_warn("VFS: Warning: %s using old stat() call. Recompile your binary.\n",
			thread_current()->name);
	if (err)
		return err;
	err = old_stat_to_linux(k, &st);
	return err ? err : copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL_DEFINE2(oldstat, const char __user *, filename,
		struct linux_old_kernel_stat __user *, statbuf)
{
	struct kstat k;

	return put_old_stat(fstatat_user(AT_FDCWD, filename, &k, 0), &k, statbuf);
}

SYSCALL_DEFINE2(oldlstat, const char __user *, filename,
		struct linux_old_kernel_stat __user *, statbuf)
{
	struct kstat k;

	return put_old_stat(fstatat_user(AT_FDCWD, filename, &k, AT_SYMLINK_NOFOLLOW), &k,
			    statbuf);
}

SYSCALL_DEFINE2(oldfstat, unsigned int, fd, struct linux_old_kernel_stat __user *, statbuf)
{
	struct kstat k;

	return put_old_stat(vfs_fstat((int)fd, &k), &k, statbuf);
}
#endif

SYSCALL_DEFINE5(statx, int, dfd, const char __user *, filename, unsigned int, flags,
		unsigned int, mask, struct linux_statx __user *, buffer)
{
	struct linux_statx stx;
	struct kstat k;
	long err;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;		/* FORCE_SYNC and DONT_SYNC at once */
	err = fstatat_user(dfd, filename, &k, (int)flags);
	if (err)
		return err;
	statx_fill(&k, mask, &stx);
	return copy_to_user(buffer, &stx, sizeof(stx));
}

static long
put_statfs(long err, const struct kstatfs *k, struct linux_statfs __user *ubuf)
{
	struct linux_statfs sf;

	if (err)
		return err;
	err = statfs_to_linux(k, &sf);
	return err ? err : copy_to_user(ubuf, &sf, sizeof(sf));
}

SYSCALL_DEFINE2(statfs, const char __user *, pathname, struct linux_statfs __user *, buf)
{
	struct kstatfs k;

	return put_statfs(WITH_USER_PATH(pathname, path, vfs_statfs(path, &k)), &k, buf);
}

SYSCALL_DEFINE2(fstatfs, unsigned int, fd, struct linux_statfs __user *, buf)
{
	struct kstatfs k;

	return put_statfs(vfs_fstatfs((int)fd, &k), &k, buf);
}

#ifdef LINUX_STAT_ABI_I386
/* statfs64 and fstatfs64 take the structure's size, which must be Linux's. */
static long
put_statfs64(long err, const struct kstatfs *k, struct linux_statfs64 __user *ubuf)
{
	struct linux_statfs64 sf;

	if (err)
		return err;
	statfs64_to_linux(k, &sf);
	return copy_to_user(ubuf, &sf, sizeof(sf));
}

SYSCALL_DEFINE3(statfs64, const char __user *, pathname, size_t, sz,
		struct linux_statfs64 __user *, buf)
{
	struct kstatfs k;

	if (sz != sizeof(struct linux_statfs64))
		return -EINVAL;
	return put_statfs64(WITH_USER_PATH(pathname, path, vfs_statfs(path, &k)), &k, buf);
}

SYSCALL_DEFINE3(fstatfs64, unsigned int, fd, size_t, sz, struct linux_statfs64 __user *, buf)
{
	struct kstatfs k;

	if (sz != sizeof(struct linux_statfs64))
		return -EINVAL;
	return put_statfs64(vfs_fstatfs((int)fd, &k), &k, buf);
}
#endif
