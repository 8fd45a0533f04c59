/*
 * File attributes as the VFS carries them (struct kstat, struct kstatfs)
 * and the Linux mode bits and device-number encoding.  The per-port Linux
 * layouts (struct stat, stat64, statx, statfs) that user space sees are
 * filled from these by fs/stat.c.
 */
#ifndef KERNEL_STAT_H
#define KERNEL_STAT_H

#include <kernel/types.h>

#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000
#define S_IRWXU		00700
#define S_IRUSR		00400
#define S_IWUSR		00200
#define S_IXUSR		00100
#define S_IRWXG		00070
#define S_IRGRP		00040
#define S_IWGRP		00020
#define S_IXGRP		00010
#define S_IRWXO		00007
#define S_IROTH		00004
#define S_IWOTH		00002
#define S_IXOTH		00001
#define S_IALLUGO	(S_ISUID | S_ISGID | S_ISVTX | 0777)

#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)

/* The kernel's device numbers: 12-bit major, 20-bit minor. */
#define MINORBITS	20
#define MINORMASK	((1u << MINORBITS) - 1)
#define MKDEV(ma, mi)	((dev_t)(((unsigned long)(ma) << MINORBITS) | (mi)))
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & MINORMASK))

/* statx() mask bits: which fields of a struct kstat are valid. */
#define STATX_TYPE		0x00000001u
#define STATX_MODE		0x00000002u
#define STATX_NLINK		0x00000004u
#define STATX_UID		0x00000008u
#define STATX_GID		0x00000010u
#define STATX_ATIME		0x00000020u
#define STATX_MTIME		0x00000040u
#define STATX_CTIME		0x00000080u
#define STATX_INO		0x00000100u
#define STATX_SIZE		0x00000200u
#define STATX_BLOCKS		0x00000400u
#define STATX_BASIC_STATS	0x000007ffu
#define STATX_BTIME		0x00000800u
#define STATX_MNT_ID		0x00001000u

struct kstat {
	uint32_t mask;			/* STATX_* bits filled in */
	umode_t mode;			/* S_IF* type and permissions */
	uint32_t nlink;
	uid_t uid;
	gid_t gid;
	uint64_t ino;
	dev_t dev;			/* the file system's device */
	dev_t rdev;			/* device files: the device */
	loff_t size;
	uint32_t blksize;		/* preferred I/O size */
	uint64_t blocks;		/* 512-byte units allocated */
	struct timespec64 atime, mtime, ctime, btime;
	uint64_t mnt_id;
};

struct kstatfs {
	unsigned long type;		/* the file system's magic number */
	unsigned long bsize;
	uint64_t blocks, bfree, bavail;
	uint64_t files, ffree;
	uint32_t fsid[2];
	unsigned long namelen;
	unsigned long frsize;
	unsigned long flags;		/* ST_* mount flags */
};

/* statfs() f_flags (ST_*): what the mount is. */
#define ST_RDONLY	0x0001
#define ST_NOSUID	0x0002
#define ST_NODEV	0x0004
#define ST_NOEXEC	0x0008
#define ST_SYNCHRONOUS	0x0010
#define ST_VALID	0x0020
#define ST_NOATIME	0x0400
#define ST_NODIRATIME	0x0800
#define ST_RELATIME	0x1000

#endif
