/*
 * What the host side of the stat tests provides (stat_linux_abi.c with the
 * host's kernel headers, stat_libc_abi.c with its C library's): the host's
 * layouts and constants, glibc's device numbers, and the host kernel's own
 * answers to stat, statx and statfs, to compare Kite's with (x86_64 hosts).
 */
#ifndef FS_TESTS_HOST_STAT_HOST_ABI_H
#define FS_TESTS_HOST_STAT_HOST_ABI_H

#include "../stat_abi.h"

extern const struct abi_layout linux_abi_stat, linux_abi_statfs;
extern const struct abi_layout linux_abi_statx, linux_abi_statx_timestamp;
extern const struct abi_const linux_abi_consts[];
extern const unsigned int linux_abi_nconsts;

extern const struct abi_layout libc_abi_dirent64;
extern const unsigned long libc_dirent64_name_offset;
extern const struct abi_const libc_abi_consts[];
extern const unsigned int libc_abi_nconsts;

/* glibc's makedev(), major(), minor(). */
unsigned long long libc_makedev(unsigned int major, unsigned int minor);
unsigned int libc_major(unsigned long long dev);
unsigned int libc_minor(unsigned long long dev);

/*
 * The host kernel's system calls (raw: -errno on failure), relative to the
 * working directory: newfstatat into a struct stat (144 bytes), statx
 * into a struct statx (256), statfs into a struct statfs (120).
 */
long host_newfstatat(const char *path, int flags, void *stat_buf);
long host_statx(const char *path, int flags, unsigned int mask, void *statx_buf);
long host_statfs(const char *path, void *statfs_buf);
int host_at_symlink_nofollow(void);

#endif
