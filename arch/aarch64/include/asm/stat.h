/*
 * aarch64's Linux file-status layouts: arm64's uapi <asm/stat.h> and
 * <asm/statfs.h> are asm-generic's, with 64-bit longs and __statfs_word =
 * __kernel_long_t.  struct stat is what fstat (80) and newfstatat (79)
 * return, struct statfs what statfs (43) and fstatfs (44) return (arm64
 * has no statfs64 or stat64 of its own).  fs/stat.c fills them
 * (<kernel/stat_conv.h>); statx and getdents64 are in <kernel/uapi_stat.h>.
 *
 * Field names and signedness are Linux's (unsigned long -> uint64_t,
 * long -> int64_t, int -> int32_t); offsets are pinned to
 * asm-generic/stat.h and asm-generic/statfs.h.
 */
#ifndef ASM_STAT_H
#define ASM_STAT_H

#include <kernel/uapi_stat.h>

#define LINUX_STAT_ABI_GENERIC	1

/* asm-generic struct stat (128 bytes). */
struct linux_stat {
	uint64_t st_dev;		/* new_encode_dev() */
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;		/* new_encode_dev() */
	uint64_t __pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t __pad2;
	int64_t st_blocks;		/* 512-byte units */
	int64_t st_atime;
	uint64_t st_atime_nsec;
	int64_t st_mtime;
	uint64_t st_mtime_nsec;
	int64_t st_ctime;
	uint64_t st_ctime_nsec;
	uint32_t __unused4;
	uint32_t __unused5;
};
LINUX_ABI_FIELD(linux_stat, st_dev, 0, 8);
LINUX_ABI_FIELD(linux_stat, st_ino, 8, 8);
LINUX_ABI_FIELD(linux_stat, st_mode, 16, 4);
LINUX_ABI_FIELD(linux_stat, st_nlink, 20, 4);
LINUX_ABI_FIELD(linux_stat, st_uid, 24, 4);
LINUX_ABI_FIELD(linux_stat, st_gid, 28, 4);
LINUX_ABI_FIELD(linux_stat, st_rdev, 32, 8);
LINUX_ABI_FIELD(linux_stat, __pad1, 40, 8);
LINUX_ABI_FIELD(linux_stat, st_size, 48, 8);
LINUX_ABI_FIELD(linux_stat, st_blksize, 56, 4);
LINUX_ABI_FIELD(linux_stat, __pad2, 60, 4);
LINUX_ABI_FIELD(linux_stat, st_blocks, 64, 8);
LINUX_ABI_FIELD(linux_stat, st_atime, 72, 8);
LINUX_ABI_FIELD(linux_stat, st_atime_nsec, 80, 8);
LINUX_ABI_FIELD(linux_stat, st_mtime, 88, 8);
LINUX_ABI_FIELD(linux_stat, st_mtime_nsec, 96, 8);
LINUX_ABI_FIELD(linux_stat, st_ctime, 104, 8);
LINUX_ABI_FIELD(linux_stat, st_ctime_nsec, 112, 8);
LINUX_ABI_FIELD(linux_stat, __unused4, 120, 4);
LINUX_ABI_FIELD(linux_stat, __unused5, 124, 4);
LINUX_ABI_SIZE(linux_stat, 128);

/* asm-generic struct statfs with 64-bit words (120 bytes). */
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

#endif
