/*
 * x86's Linux file-status layouts (arch/x86/include/uapi/asm/stat.h and
 * asm-generic/statfs.h), for the 64-bit and the 32-bit port:
 *
 *   x86_64  struct stat (144 bytes): stat 4, fstat 5, lstat 6, newfstatat 262
 *           struct statfs (120, 64-bit words): statfs 137, fstatfs 138
 *   i386    struct stat (64, 32-bit fields): stat 106, lstat 107, fstat 108
 *           struct stat64 (96): stat64 195, lstat64 196, fstat64 197,
 *             fstatat64 300
 *           struct __old_kernel_stat (32): oldstat 18, oldfstat 28,
 *             oldlstat 84
 *           struct statfs (64, 32-bit words): statfs 99, fstatfs 100
 *           struct statfs64 (84): statfs64 268, fstatfs64 269 (whose size
 *             argument must be sizeof(struct linux_statfs64))
 *
 * fs/stat.c fills them (<kernel/stat_conv.h>); statx and getdents64 are in
 * <kernel/uapi_stat.h>.  Field names and signedness are Linux's; widths are
 * written out (i386's unsigned long -> uint32_t) and i386's 4-byte
 * alignment of 64-bit fields is given by linux_u64_a4 (as Linux's
 * compat_u64), so the i386 layouts come out the same when the x86_64 host
 * compiles them: the host unit tests define KITE_STAT_ABI_I386 to test the
 * i386 conversions.
 */
#ifndef ASM_STAT_H
#define ASM_STAT_H

#include <kernel/uapi_stat.h>

#if defined(__x86_64__) && !defined(KITE_STAT_ABI_I386)

#define LINUX_STAT_ABI_X86_64	1

struct linux_stat {
	uint64_t st_dev;		/* new_encode_dev() */
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;		/* new_encode_dev() */
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;		/* 512-byte units */
	uint64_t st_atime;
	uint64_t st_atime_nsec;
	uint64_t st_mtime;
	uint64_t st_mtime_nsec;
	uint64_t st_ctime;
	uint64_t st_ctime_nsec;
	int64_t __unused_pad[3];	/* Linux's __unused: <kernel/compiler.h> has that name */
};
LINUX_ABI_FIELD(linux_stat, st_dev, 0, 8);
LINUX_ABI_FIELD(linux_stat, st_ino, 8, 8);
LINUX_ABI_FIELD(linux_stat, st_nlink, 16, 8);
LINUX_ABI_FIELD(linux_stat, st_mode, 24, 4);
LINUX_ABI_FIELD(linux_stat, st_uid, 28, 4);
LINUX_ABI_FIELD(linux_stat, st_gid, 32, 4);
LINUX_ABI_FIELD(linux_stat, __pad0, 36, 4);
LINUX_ABI_FIELD(linux_stat, st_rdev, 40, 8);
LINUX_ABI_FIELD(linux_stat, st_size, 48, 8);
LINUX_ABI_FIELD(linux_stat, st_blksize, 56, 8);
LINUX_ABI_FIELD(linux_stat, st_blocks, 64, 8);
LINUX_ABI_FIELD(linux_stat, st_atime, 72, 8);
LINUX_ABI_FIELD(linux_stat, st_atime_nsec, 80, 8);
LINUX_ABI_FIELD(linux_stat, st_mtime, 88, 8);
LINUX_ABI_FIELD(linux_stat, st_mtime_nsec, 96, 8);
LINUX_ABI_FIELD(linux_stat, st_ctime, 104, 8);
LINUX_ABI_FIELD(linux_stat, st_ctime_nsec, 112, 8);
LINUX_ABI_FIELD(linux_stat, __unused_pad, 120, 24);
LINUX_ABI_SIZE(linux_stat, 144);

/* asm-generic struct statfs with 64-bit words (__kernel_long_t). */
struct linux_statfs {
	int64_t f_type;
	int64_t f_bsize;
	int64_t f_blocks;
	int64_t f_bfree;
	int64_t f_bavail;
	int64_t f_files;
	int64_t f_ffree;
	struct linux_fsid f_fsid;
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};
LINUX_ABI_FIELD(linux_statfs, f_type, 0, 8);
LINUX_ABI_FIELD(linux_statfs, f_bsize, 8, 8);
LINUX_ABI_FIELD(linux_statfs, f_blocks, 16, 8);
LINUX_ABI_FIELD(linux_statfs, f_bfree, 24, 8);
LINUX_ABI_FIELD(linux_statfs, f_bavail, 32, 8);
LINUX_ABI_FIELD(linux_statfs, f_files, 40, 8);
LINUX_ABI_FIELD(linux_statfs, f_ffree, 48, 8);
LINUX_ABI_FIELD(linux_statfs, f_fsid, 56, 8);
LINUX_ABI_FIELD(linux_statfs, f_namelen, 64, 8);
LINUX_ABI_FIELD(linux_statfs, f_frsize, 72, 8);
LINUX_ABI_FIELD(linux_statfs, f_flags, 80, 8);
LINUX_ABI_FIELD(linux_statfs, f_spare, 88, 32);
LINUX_ABI_SIZE(linux_statfs, 120);

#else	/* i386 */

#define LINUX_STAT_ABI_I386	1

/* i386's long long: 8 bytes, 4-aligned. */
typedef uint64_t linux_u64_a4 __attribute__((aligned(4)));
typedef int64_t linux_s64_a4 __attribute__((aligned(4)));

/* struct stat: 32-bit fields, 16-bit mode, nlink, uid and gid. */
struct linux_stat {
	uint32_t st_dev;		/* new_encode_dev() */
	uint32_t st_ino;
	uint16_t st_mode;
	uint16_t st_nlink;
	uint16_t st_uid;
	uint16_t st_gid;
	uint32_t st_rdev;		/* new_encode_dev() */
	uint32_t st_size;
	uint32_t st_blksize;
	uint32_t st_blocks;
	uint32_t st_atime;
	uint32_t st_atime_nsec;
	uint32_t st_mtime;
	uint32_t st_mtime_nsec;
	uint32_t st_ctime;
	uint32_t st_ctime_nsec;
	uint32_t __unused4;
	uint32_t __unused5;
};
LINUX_ABI_FIELD(linux_stat, st_dev, 0, 4);
LINUX_ABI_FIELD(linux_stat, st_ino, 4, 4);
LINUX_ABI_FIELD(linux_stat, st_mode, 8, 2);
LINUX_ABI_FIELD(linux_stat, st_nlink, 10, 2);
LINUX_ABI_FIELD(linux_stat, st_uid, 12, 2);
LINUX_ABI_FIELD(linux_stat, st_gid, 14, 2);
LINUX_ABI_FIELD(linux_stat, st_rdev, 16, 4);
LINUX_ABI_FIELD(linux_stat, st_size, 20, 4);
LINUX_ABI_FIELD(linux_stat, st_blksize, 24, 4);
LINUX_ABI_FIELD(linux_stat, st_blocks, 28, 4);
LINUX_ABI_FIELD(linux_stat, st_atime, 32, 4);
LINUX_ABI_FIELD(linux_stat, st_atime_nsec, 36, 4);
LINUX_ABI_FIELD(linux_stat, st_mtime, 40, 4);
LINUX_ABI_FIELD(linux_stat, st_mtime_nsec, 44, 4);
LINUX_ABI_FIELD(linux_stat, st_ctime, 48, 4);
LINUX_ABI_FIELD(linux_stat, st_ctime_nsec, 52, 4);
LINUX_ABI_FIELD(linux_stat, __unused4, 56, 4);
LINUX_ABI_FIELD(linux_stat, __unused5, 60, 4);
LINUX_ABI_SIZE(linux_stat, 64);

/*
 * struct stat64 ("matches struct stat64 in glibc2.1"): the inode number
 * twice, its low 32 bits in __st_ino (STAT64_HAS_BROKEN_ST_INO).
 */
struct linux_stat64 {
	linux_u64_a4 st_dev;		/* huge_encode_dev() */
	unsigned char __pad0[4];
	uint32_t __st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	linux_u64_a4 st_rdev;		/* huge_encode_dev() */
	unsigned char __pad3[4];
	linux_s64_a4 st_size;
	uint32_t st_blksize;
	linux_u64_a4 st_blocks;
	uint32_t st_atime;
	uint32_t st_atime_nsec;
	uint32_t st_mtime;
	uint32_t st_mtime_nsec;
	uint32_t st_ctime;
	uint32_t st_ctime_nsec;
	linux_u64_a4 st_ino;
};
LINUX_ABI_FIELD(linux_stat64, st_dev, 0, 8);
LINUX_ABI_FIELD(linux_stat64, __pad0, 8, 4);
LINUX_ABI_FIELD(linux_stat64, __st_ino, 12, 4);
LINUX_ABI_FIELD(linux_stat64, st_mode, 16, 4);
LINUX_ABI_FIELD(linux_stat64, st_nlink, 20, 4);
LINUX_ABI_FIELD(linux_stat64, st_uid, 24, 4);
LINUX_ABI_FIELD(linux_stat64, st_gid, 28, 4);
LINUX_ABI_FIELD(linux_stat64, st_rdev, 32, 8);
LINUX_ABI_FIELD(linux_stat64, __pad3, 40, 4);
LINUX_ABI_FIELD(linux_stat64, st_size, 44, 8);
LINUX_ABI_FIELD(linux_stat64, st_blksize, 52, 4);
LINUX_ABI_FIELD(linux_stat64, st_blocks, 56, 8);
LINUX_ABI_FIELD(linux_stat64, st_atime, 64, 4);
LINUX_ABI_FIELD(linux_stat64, st_atime_nsec, 68, 4);
LINUX_ABI_FIELD(linux_stat64, st_mtime, 72, 4);
LINUX_ABI_FIELD(linux_stat64, st_mtime_nsec, 76, 4);
LINUX_ABI_FIELD(linux_stat64, st_ctime, 80, 4);
LINUX_ABI_FIELD(linux_stat64, st_ctime_nsec, 84, 4);
LINUX_ABI_FIELD(linux_stat64, st_ino, 88, 8);
LINUX_ABI_SIZE(linux_stat64, 96);

/* struct __old_kernel_stat: 16-bit device and inode numbers. */
struct linux_old_kernel_stat {
	uint16_t st_dev;		/* old_encode_dev() */
	uint16_t st_ino;
	uint16_t st_mode;
	uint16_t st_nlink;
	uint16_t st_uid;
	uint16_t st_gid;
	uint16_t st_rdev;		/* old_encode_dev() */
	uint16_t __pad;			/* unnamed padding in Linux's */
	uint32_t st_size;
	uint32_t st_atime;
	uint32_t st_mtime;
	uint32_t st_ctime;
};
LINUX_ABI_FIELD(linux_old_kernel_stat, st_dev, 0, 2);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_ino, 2, 2);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_mode, 4, 2);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_nlink, 6, 2);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_uid, 8, 2);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_gid, 10, 2);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_rdev, 12, 2);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_size, 16, 4);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_atime, 20, 4);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_mtime, 24, 4);
LINUX_ABI_FIELD(linux_old_kernel_stat, st_ctime, 28, 4);
LINUX_ABI_SIZE(linux_old_kernel_stat, 32);

/* asm-generic struct statfs with 32-bit words (__u32). */
struct linux_statfs {
	uint32_t f_type;
	uint32_t f_bsize;
	uint32_t f_blocks;
	uint32_t f_bfree;
	uint32_t f_bavail;
	uint32_t f_files;
	uint32_t f_ffree;
	struct linux_fsid f_fsid;
	uint32_t f_namelen;
	uint32_t f_frsize;
	uint32_t f_flags;
	uint32_t f_spare[4];
};
LINUX_ABI_FIELD(linux_statfs, f_type, 0, 4);
LINUX_ABI_FIELD(linux_statfs, f_bsize, 4, 4);
LINUX_ABI_FIELD(linux_statfs, f_blocks, 8, 4);
LINUX_ABI_FIELD(linux_statfs, f_bfree, 12, 4);
LINUX_ABI_FIELD(linux_statfs, f_bavail, 16, 4);
LINUX_ABI_FIELD(linux_statfs, f_files, 20, 4);
LINUX_ABI_FIELD(linux_statfs, f_ffree, 24, 4);
LINUX_ABI_FIELD(linux_statfs, f_fsid, 28, 8);
LINUX_ABI_FIELD(linux_statfs, f_namelen, 36, 4);
LINUX_ABI_FIELD(linux_statfs, f_frsize, 40, 4);
LINUX_ABI_FIELD(linux_statfs, f_flags, 44, 4);
LINUX_ABI_FIELD(linux_statfs, f_spare, 48, 16);
LINUX_ABI_SIZE(linux_statfs, 64);

/* asm-generic struct statfs64 with 32-bit words, 64-bit counts. */
struct linux_statfs64 {
	uint32_t f_type;
	uint32_t f_bsize;
	linux_u64_a4 f_blocks;
	linux_u64_a4 f_bfree;
	linux_u64_a4 f_bavail;
	linux_u64_a4 f_files;
	linux_u64_a4 f_ffree;
	struct linux_fsid f_fsid;
	uint32_t f_namelen;
	uint32_t f_frsize;
	uint32_t f_flags;
	uint32_t f_spare[4];
};
LINUX_ABI_FIELD(linux_statfs64, f_type, 0, 4);
LINUX_ABI_FIELD(linux_statfs64, f_bsize, 4, 4);
LINUX_ABI_FIELD(linux_statfs64, f_blocks, 8, 8);
LINUX_ABI_FIELD(linux_statfs64, f_bfree, 16, 8);
LINUX_ABI_FIELD(linux_statfs64, f_bavail, 24, 8);
LINUX_ABI_FIELD(linux_statfs64, f_files, 32, 8);
LINUX_ABI_FIELD(linux_statfs64, f_ffree, 40, 8);
LINUX_ABI_FIELD(linux_statfs64, f_fsid, 48, 8);
LINUX_ABI_FIELD(linux_statfs64, f_namelen, 56, 4);
LINUX_ABI_FIELD(linux_statfs64, f_frsize, 60, 4);
LINUX_ABI_FIELD(linux_statfs64, f_flags, 64, 4);
LINUX_ABI_FIELD(linux_statfs64, f_spare, 68, 16);
LINUX_ABI_SIZE(linux_statfs64, 84);

#endif	/* i386 */

#endif
