/*
 * The Linux file-status layouts that are the same on every port:
 * struct statx (include/uapi/linux/stat.h), struct linux_dirent64
 * (include/linux/dirent.h) and the DT_* types getdents64 reports.  The
 * per-port layouts (struct stat, stat64, statfs, statfs64) are in the
 * port's <asm/stat.h>; fs/stat.c fills both from struct kstat / kstatfs
 * (<kernel/stat_conv.h>).
 *
 * Every offset and size is pinned below with the numbers of Linux's uapi
 * headers; fs/tests/ compares them field by field with the real headers
 * where a compiler has them.  Names are Linux's (a field is found by the
 * same name in both), structures carry a linux_ prefix so that a file can
 * include this header next to Linux's own.  Only fixed-width types: the
 * layouts come out the same whatever the compiler's long is.
 *
 * Macros this header shares with <linux/stat.h> are spelled exactly as
 * Linux spells them, so that the two may be included together.
 */
#ifndef KERNEL_UAPI_STAT_H
#define KERNEL_UAPI_STAT_H

#include <stddef.h>
#include <stdint.h>

/* Pins a field of a Linux layout: offset and size in bytes. */
#define LINUX_ABI_FIELD(type, field, off, size)					\
	_Static_assert(offsetof(struct type, field) == (off) &&			\
		       sizeof(((struct type *)0)->field) == (size),		\
		       "struct " #type ": " #field " is not at " #off " (size " #size ")")
#define LINUX_ABI_SIZE(type, size)						\
	_Static_assert(sizeof(struct type) == (size), "struct " #type " is not " #size " bytes")

/* __kernel_fsid_t */
struct linux_fsid {
	int32_t val[2];
};
LINUX_ABI_SIZE(linux_fsid, 8);

/* ---------------------------------------------------------------- statx */

struct linux_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};
LINUX_ABI_FIELD(linux_statx_timestamp, tv_sec, 0, 8);
LINUX_ABI_FIELD(linux_statx_timestamp, tv_nsec, 8, 4);
LINUX_ABI_FIELD(linux_statx_timestamp, __reserved, 12, 4);
LINUX_ABI_SIZE(linux_statx_timestamp, 16);

/* struct statx as of Linux 6.16 (stx_atomic_write_unit_max_opt). */
struct linux_statx {
	/* 0x00 */
	uint32_t stx_mask;		/* what the other fields hold (STATX_*) */
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	/* 0x10 */
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0[1];
	/* 0x20 */
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	/* 0x40 */
	struct linux_statx_timestamp stx_atime;
	struct linux_statx_timestamp stx_btime;
	struct linux_statx_timestamp stx_ctime;
	struct linux_statx_timestamp stx_mtime;
	/* 0x80 */
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	/* 0x90 */
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align;
	uint32_t stx_dio_offset_align;
	/* 0xa0 */
	uint64_t stx_subvol;
	uint32_t stx_atomic_write_unit_min;
	uint32_t stx_atomic_write_unit_max;
	/* 0xb0 */
	uint32_t stx_atomic_write_segments_max;
	uint32_t stx_dio_read_offset_align;
	uint32_t stx_atomic_write_unit_max_opt;
	uint32_t __spare2[1];
	/* 0xc0 */
	uint64_t __spare3[8];
	/* 0x100 */
};
LINUX_ABI_FIELD(linux_statx, stx_mask, 0x00, 4);
LINUX_ABI_FIELD(linux_statx, stx_blksize, 0x04, 4);
LINUX_ABI_FIELD(linux_statx, stx_attributes, 0x08, 8);
LINUX_ABI_FIELD(linux_statx, stx_nlink, 0x10, 4);
LINUX_ABI_FIELD(linux_statx, stx_uid, 0x14, 4);
LINUX_ABI_FIELD(linux_statx, stx_gid, 0x18, 4);
LINUX_ABI_FIELD(linux_statx, stx_mode, 0x1c, 2);
LINUX_ABI_FIELD(linux_statx, __spare0, 0x1e, 2);
LINUX_ABI_FIELD(linux_statx, stx_ino, 0x20, 8);
LINUX_ABI_FIELD(linux_statx, stx_size, 0x28, 8);
LINUX_ABI_FIELD(linux_statx, stx_blocks, 0x30, 8);
LINUX_ABI_FIELD(linux_statx, stx_attributes_mask, 0x38, 8);
LINUX_ABI_FIELD(linux_statx, stx_atime, 0x40, 16);
LINUX_ABI_FIELD(linux_statx, stx_btime, 0x50, 16);
LINUX_ABI_FIELD(linux_statx, stx_ctime, 0x60, 16);
LINUX_ABI_FIELD(linux_statx, stx_mtime, 0x70, 16);
LINUX_ABI_FIELD(linux_statx, stx_rdev_major, 0x80, 4);
LINUX_ABI_FIELD(linux_statx, stx_rdev_minor, 0x84, 4);
LINUX_ABI_FIELD(linux_statx, stx_dev_major, 0x88, 4);
LINUX_ABI_FIELD(linux_statx, stx_dev_minor, 0x8c, 4);
LINUX_ABI_FIELD(linux_statx, stx_mnt_id, 0x90, 8);
LINUX_ABI_FIELD(linux_statx, stx_dio_mem_align, 0x98, 4);
LINUX_ABI_FIELD(linux_statx, stx_dio_offset_align, 0x9c, 4);
LINUX_ABI_FIELD(linux_statx, stx_subvol, 0xa0, 8);
LINUX_ABI_FIELD(linux_statx, stx_atomic_write_unit_min, 0xa8, 4);
LINUX_ABI_FIELD(linux_statx, stx_atomic_write_unit_max, 0xac, 4);
LINUX_ABI_FIELD(linux_statx, stx_atomic_write_segments_max, 0xb0, 4);
LINUX_ABI_FIELD(linux_statx, stx_dio_read_offset_align, 0xb4, 4);
LINUX_ABI_FIELD(linux_statx, stx_atomic_write_unit_max_opt, 0xb8, 4);
LINUX_ABI_FIELD(linux_statx, __spare2, 0xbc, 4);
LINUX_ABI_FIELD(linux_statx, __spare3, 0xc0, 64);
LINUX_ABI_SIZE(linux_statx, 256);

/*
 * statx() mask bits beyond those of <kernel/stat.h>, and the attribute
 * bits (stx_attributes, stx_attributes_mask), as Linux spells them.
 */
#define STATX_DIOALIGN		0x00002000U
#define STATX_MNT_ID_UNIQUE	0x00004000U
#define STATX_SUBVOL		0x00008000U
#define STATX_WRITE_ATOMIC	0x00010000U
#define STATX_DIO_READ_ALIGN	0x00020000U
#define STATX__RESERVED		0x80000000U	/* statx() fails with EINVAL */
#define STATX_ALL		0x00000fffU	/* deprecated: BASIC_STATS | BTIME */

#define STATX_ATTR_COMPRESSED		0x00000004
#define STATX_ATTR_IMMUTABLE		0x00000010
#define STATX_ATTR_APPEND		0x00000020
#define STATX_ATTR_NODUMP		0x00000040
#define STATX_ATTR_ENCRYPTED		0x00000800
#define STATX_ATTR_AUTOMOUNT		0x00001000
#define STATX_ATTR_MOUNT_ROOT		0x00002000
#define STATX_ATTR_VERITY		0x00100000
#define STATX_ATTR_DAX			0x00200000
#define STATX_ATTR_WRITE_ATOMIC		0x00400000

/* ---------------------------------------------------------------- getdents64 */

/*
 * One getdents64() record.  d_reclen covers the name, its NUL and padding
 * to 8 bytes (linux_dirent64_reclen()); sizeof is not a record's size
 * (it is 24 on 64-bit ports, 20 on i386, where a u64 is 4-aligned).
 */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;			/* the position after this entry */
	uint16_t d_reclen;
	uint8_t d_type;			/* DT_* */
	char d_name[];
};
LINUX_ABI_FIELD(linux_dirent64, d_ino, 0, 8);
LINUX_ABI_FIELD(linux_dirent64, d_off, 8, 8);
LINUX_ABI_FIELD(linux_dirent64, d_reclen, 16, 2);
LINUX_ABI_FIELD(linux_dirent64, d_type, 18, 1);
_Static_assert(offsetof(struct linux_dirent64, d_name) == 19, "linux_dirent64: d_name is not at 19");

/* d_type: the S_IFMT bits of the mode shifted down (Linux's S_DT()). */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define DT_WHT		14

static inline uint8_t
linux_dt_type(unsigned int mode)
{
	return (mode >> 12) & 15;
}

/* A record's length for a name of namelen bytes (Linux's filldir64()). */
static inline size_t
linux_dirent64_reclen(size_t namelen)
{
	return (offsetof(struct linux_dirent64, d_name) + namelen + 1 + 7) & ~(size_t)7;
}

#endif
