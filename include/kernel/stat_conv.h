/*
 * struct kstat / struct kstatfs (what the VFS fills) into the Linux layouts
 * a port's system calls hand to user space (<asm/stat.h>,
 * <kernel/uapi_stat.h>), with Linux's rules (fs/stat.c, fs/statfs.c):
 *
 * - Every byte of the destination is written (padding and spare fields
 *   zero), so the whole structure can be copied out.
 * - A value that does not fit a narrower field is -EOVERFLOW where Linux
 *   says so (i386: inode numbers, link counts, sizes above 2^31 - 1,
 *   statfs block and file counts above 32 bits, except f_files and f_ffree
 *   of -1); on -EOVERFLOW the destination holds garbage and must not be
 *   copied out.  Elsewhere a value is truncated as Linux truncates it
 *   (i386's 32-bit seconds and block counts, old_encode_dev()).
 * - A uid or gid that does not fit 16 bits reads 65534 (Linux's default
 *   overflowuid/overflowgid); (uid_t)-1 reads 65534 everywhere, as Linux's
 *   from_kuid_munged() has it.
 * - Device numbers: new_encode_dev() (<kernel/kdev_t.h>) in struct stat,
 *   huge_encode_dev() in stat64, old_encode_dev() in __old_kernel_stat,
 *   major and minor apart in statx.
 */
#ifndef KERNEL_STAT_CONV_H
#define KERNEL_STAT_CONV_H

#include <kernel/stat.h>
#include <kernel/uapi_stat.h>
#include <asm/stat.h>

/* Linux's overflowuid / overflowgid (a sysctl there, fixed here). */
#define LINUX_OVERFLOWUID	65534
#define LINUX_OVERFLOWGID	65534

/* The largest size the 32-bit struct stat can report (MAX_NON_LFS). */
#define LINUX_MAX_NON_LFS	((1ul << 31) - 1)

/* stat, fstat, lstat, newfstatat: 0 or -EOVERFLOW (only i386 overflows). */
int stat_to_linux(const struct kstat *k, struct linux_stat *st);

/*
 * statx: stx_mask is what k->mask says was filled (of the STATX_* bits
 * Kite knows); the basic fields are copied whatever the mask, like Linux,
 * btime and mnt_id only when their bit is set.  As with Linux the answer
 * may hold fields not asked for; requested_mask changes nothing yet (the
 * one request-dependent field of Linux's, STATX_MNT_ID_UNIQUE, Kite does
 * not offer: the mount id is reported as STATX_MNT_ID).  The caller
 * rejects STATX__RESERVED in the request with -EINVAL before the lookup.
 */
void statx_fill(const struct kstat *k, uint32_t requested_mask, struct linux_statx *stx);

/* statfs, fstatfs: 0 or -EOVERFLOW (only i386 overflows). */
int statfs_to_linux(const struct kstatfs *k, struct linux_statfs *sf);

#ifdef LINUX_STAT_ABI_I386
/* stat64, lstat64, fstat64, fstatat64: always 0. */
int stat64_to_linux(const struct kstat *k, struct linux_stat64 *st);
/* oldstat, oldfstat, oldlstat: 0 or -EOVERFLOW. */
int old_stat_to_linux(const struct kstat *k, struct linux_old_kernel_stat *st);
/* statfs64, fstatfs64: always 0. */
int statfs64_to_linux(const struct kstatfs *k, struct linux_statfs64 *sf);
#endif

#endif
