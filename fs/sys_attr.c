/*
 * The system calls that change or test a file's attributes: truncate,
 * chmod, chown (and i386's 16-bit-id forms), utimensat, utimes, futimesat,
 * utime, access and faccessat(2).
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/stat_conv.h>
#include <kernel/vfs.h>

#include "sys_internal.h"

SYSCALL_DEFINE2(truncate, const char __user *, path, long, length)
{
	if (length < 0)
		return -EINVAL;
	return WITH_USER_PATH(path, p, vfs_truncate(AT_FDCWD, p, length));
}

/*
 * Linux's do_sys_ftruncate(): small is set for the 32-bit call, which
 * may not grow a file opened without O_LARGEFILE past 2 GiB - 1.
 */
static long
do_ftruncate(int fd, loff_t length, bool small)
{
	struct file *f;
	int err;

	if (length < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	if (f->mode & FMODE_PATH)
		err = -EBADF;
	else if (small && !(f->flags & O_LARGEFILE) && length > (loff_t)LINUX_MAX_NON_LFS)
		err = -EINVAL;
	else
		err = vfs_ftruncate(fd, length);
	fput(f);
	return err;
}

/* The length is unsigned long: zero-extended on i386, as in Linux. */
SYSCALL_DEFINE2(ftruncate, unsigned int, fd, unsigned long, length)
{
	return do_ftruncate((int)fd, (loff_t)length, sizeof(long) == 4);
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE3(ia32_truncate64, const char __user *, path, unsigned long, len_lo,
		unsigned long, len_hi)
{
	loff_t length = SC_ARG64(len_lo, len_hi);

	if (length < 0)
		return -EINVAL;
	return WITH_USER_PATH(path, p, vfs_truncate(AT_FDCWD, p, length));
}

SYSCALL_DEFINE3(ia32_ftruncate64, unsigned int, fd, unsigned long, len_lo,
		unsigned long, len_hi)
{
	return do_ftruncate((int)fd, SC_ARG64(len_lo, len_hi), false);
}
#endif

SYSCALL_DEFINE3(fchmodat, int, dfd, const char __user *, filename, umode_t, mode)
{
	return WITH_USER_PATH(filename, path, vfs_fchmodat(dfd, path, mode, 0));
}

SYSCALL_DEFINE2(chmod, const char __user *, filename, umode_t, mode)
{
	return WITH_USER_PATH(filename, path, vfs_fchmodat(AT_FDCWD, path, mode, 0));
}

/* fchmod, fchown and futimens refuse O_PATH descriptors (Linux's fdget()). */
SYSCALL_DEFINE2(fchmod, unsigned int, fd, umode_t, mode)
{
	int err = fd_check((int)fd, 0);

	return err ? err : vfs_fchmod((int)fd, mode);
}

static long
do_fchownat(int dfd, const char __user *filename, uid_t user, gid_t group, int flag)
{
	if (flag & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return WITH_USER_PATH(filename, path, vfs_fchownat(dfd, path, user, group, flag));
}

static long
do_fchown(int fd, uid_t user, gid_t group)
{
	int err = fd_check(fd, 0);

	return err ? err : vfs_fchown(fd, user, group);
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char __user *, filename, uid_t, user,
		gid_t, group, int, flag)
{
	return do_fchownat(dfd, filename, user, group, flag);
}

SYSCALL_DEFINE3(chown, const char __user *, filename, uid_t, user, gid_t, group)
{
	return do_fchownat(AT_FDCWD, filename, user, group, 0);
}

SYSCALL_DEFINE3(lchown, const char __user *, filename, uid_t, user, gid_t, group)
{
	return do_fchownat(AT_FDCWD, filename, user, group, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE3(fchown, unsigned int, fd, uid_t, user, gid_t, group)
{
	return do_fchown((int)fd, user, group);
}

#ifdef CONFIG_ARCH_I386
/* i386's first chown calls take 16-bit ids; 0xffff means "unchanged". */
static uid_t
low2highuid(unsigned long id)
{
	return (uint16_t)id == 0xffff ? (uid_t)-1 : (uid_t)(uint16_t)id;
}

SYSCALL_DEFINE3(chown16, const char __user *, filename, unsigned long, user,
		unsigned long, group)
{
	return do_fchownat(AT_FDCWD, filename, low2highuid(user), low2highuid(group), 0);
}

SYSCALL_DEFINE3(lchown16, const char __user *, filename, unsigned long, user,
		unsigned long, group)
{
	return do_fchownat(AT_FDCWD, filename, low2highuid(user), low2highuid(group),
			   AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE3(fchown16, unsigned int, fd, unsigned long, user, unsigned long, group)
{
	return do_fchown((int)fd, low2highuid(user), low2highuid(group));
}
#endif

/*
 * Linux's do_utimes(): no name with a real descriptor is futimens() on
 * the descriptor itself (flags must then be 0); a NULL name otherwise is
 * -EFAULT.  times NULL: both now.
 */
static long
do_utimes(int dfd, const char __user *filename, struct timespec64 *times, int flags)
{
	if (!filename && dfd != AT_FDCWD) {
		int err;

		if (flags)
			return -EINVAL;
		err = fd_check(dfd, 0);
		return err ? err : vfs_utimensat(dfd, NULL, times, 0);
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return WITH_USER_PATH(filename, path, vfs_utimensat(dfd, path, times, flags));
}

/* struct __kernel_timespec: 64-bit seconds and nanoseconds on every port. */
struct linux_kernel_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* struct old_timespec32: i386's utimensat (320) before the time64 one. */
struct linux_old_timespec32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};

/* The two times in either layout; NULL times: both now. */
static long
do_utimensat(int dfd, const char __user *filename, const void __user *utimes, bool time32,
	     int flags)
{
	struct timespec64 t[2];

	if (utimes) {
		struct linux_kernel_timespec kt[2];
		struct linux_old_timespec32 ot[2];
		int err = time32 ? copy_from_user(ot, utimes, sizeof(ot))
				 : copy_from_user(kt, utimes, sizeof(kt));

		if (err)
			return err;
		for (int i = 0; i < 2; i++) {
			t[i].tv_sec = time32 ? ot[i].tv_sec : kt[i].tv_sec;
			/* i386's time64 call keeps the low half of tv_nsec (Linux). */
			t[i].tv_nsec = time32 ? ot[i].tv_nsec : (long)kt[i].tv_nsec;
		}
		/* Nothing to do: not even the path is looked at (Linux). */
		if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	return do_utimes(dfd, filename, utimes ? t : NULL, flags);
}

SYSCALL_DEFINE4(utimensat, int, dfd, const char __user *, filename,
		const struct linux_kernel_timespec __user *, utimes, int, flags)
{
	return do_utimensat(dfd, filename, utimes, false, flags);
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE4(utimensat_time32, int, dfd, const char __user *, filename,
		const struct linux_old_timespec32 __user *, utimes, int, flags)
{
	return do_utimensat(dfd, filename, utimes, true, flags);
}
#endif

#if defined(CONFIG_ARCH_X86_64) || defined(CONFIG_ARCH_I386)
/* struct timeval and struct utimbuf: the port's long (32 bits on i386). */
struct linux_timeval {
	long tv_sec;
	long tv_usec;
};

struct linux_utimbuf {
	long actime;
	long modtime;
};

/*
 * Microseconds are checked here, before they become nanoseconds, so that
 * UTIME_NOW/UTIME_OMIT cannot be smuggled in (Linux's do_futimesat()).
 */
static long
do_futimesat(int dfd, const char __user *filename, const struct linux_timeval __user *utimes)
{
	struct linux_timeval tv[2];
	struct timespec64 t[2];

	if (utimes) {
		int err = copy_from_user(tv, utimes, sizeof(tv));

		if (err)
			return err;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			t[i].tv_sec = tv[i].tv_sec;
			t[i].tv_nsec = tv[i].tv_usec * 1000;
		}
	}
	return do_utimes(dfd, filename, utimes ? t : NULL, 0);
}

SYSCALL_DEFINE3(futimesat, int, dfd, const char __user *, filename,
		const struct linux_timeval __user *, utimes)
{
	return do_futimesat(dfd, filename, utimes);
}

SYSCALL_DEFINE2(utimes, const char __user *, filename, const struct linux_timeval __user *,
		utimes)
{
	return do_futimesat(AT_FDCWD, filename, utimes);
}

SYSCALL_DEFINE2(utime, const char __user *, filename, const struct linux_utimbuf __user *,
		times)
{
	struct linux_utimbuf ub;
	struct timespec64 t[2];

	if (times) {
		int err = copy_from_user(&ub, times, sizeof(ub));

		if (err)
			return err;
		t[0].tv_sec = ub.actime;
		t[0].tv_nsec = 0;
		t[1].tv_sec = ub.modtime;
		t[1].tv_nsec = 0;
	}
	return do_utimes(AT_FDCWD, filename, times ? t : NULL, 0);
}
#endif

/* Linux's do_faccessat(): mode and flags are checked before the path. */
static long
do_faccessat(int dfd, const char __user *filename, int mode, int flags)
{
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return WITH_USER_PATH(filename, path, vfs_faccessat(dfd, path, mode, flags));
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char __user *, filename, int, mode, int, flags)
{
	return do_faccessat(dfd, filename, mode, flags);
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, filename, int, mode)
{
	return do_faccessat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE2(access, const char __user *, filename, int, mode)
{
	return do_faccessat(AT_FDCWD, filename, mode, 0);
}
