/*
 * The fields of each Linux file-status layout, by name, for the tests
 * that compare Kite's layouts (<asm/stat.h>, <kernel/uapi_stat.h>) with
 * Linux's own headers: the host unit test (x86_64, against the host's
 * kernel headers) and the compile-time check stat_abi_check.c (any port
 * whose compiler has Linux's headers; i386 through the host compiler's
 * -m32).  Each list names every field both layouts have; padding that
 * Linux leaves unnamed is not listed.  No includes: the files that use
 * the lists include Linux's headers or Kite's, or both.
 */
#ifndef FS_TESTS_STAT_ABI_H
#define FS_TESTS_STAT_ABI_H

/*
 * x86_64 struct stat.  Its last field, Linux's __unused[3], is Kite's
 * __unused_pad (<kernel/compiler.h> defines __unused): the one field
 * whose names differ, listed apart as Y(Kite's name, Linux's name).
 */
#define ABI_STAT_X86_64(X)							\
	X(st_dev) X(st_ino) X(st_nlink) X(st_mode) X(st_uid) X(st_gid)		\
	X(__pad0) X(st_rdev) X(st_size) X(st_blksize) X(st_blocks)		\
	X(st_atime) X(st_atime_nsec) X(st_mtime) X(st_mtime_nsec)		\
	X(st_ctime) X(st_ctime_nsec)
#define ABI_STAT_X86_64_RENAMED(Y)	Y(__unused_pad, __unused)

/* asm-generic struct stat (aarch64) */
#define ABI_STAT_GENERIC(X)							\
	X(st_dev) X(st_ino) X(st_mode) X(st_nlink) X(st_uid) X(st_gid)		\
	X(st_rdev) X(__pad1) X(st_size) X(st_blksize) X(__pad2) X(st_blocks)	\
	X(st_atime) X(st_atime_nsec) X(st_mtime) X(st_mtime_nsec)		\
	X(st_ctime) X(st_ctime_nsec) X(__unused4) X(__unused5)

/* i386 struct stat */
#define ABI_STAT_I386(X)							\
	X(st_dev) X(st_ino) X(st_mode) X(st_nlink) X(st_uid) X(st_gid)		\
	X(st_rdev) X(st_size) X(st_blksize) X(st_blocks)			\
	X(st_atime) X(st_atime_nsec) X(st_mtime) X(st_mtime_nsec)		\
	X(st_ctime) X(st_ctime_nsec) X(__unused4) X(__unused5)

/* i386 struct stat64 */
#define ABI_STAT64_I386(X)							\
	X(st_dev) X(__pad0) X(__st_ino) X(st_mode) X(st_nlink) X(st_uid)	\
	X(st_gid) X(st_rdev) X(__pad3) X(st_size) X(st_blksize) X(st_blocks)	\
	X(st_atime) X(st_atime_nsec) X(st_mtime) X(st_mtime_nsec)		\
	X(st_ctime) X(st_ctime_nsec) X(st_ino)

/* i386 struct __old_kernel_stat */
#define ABI_OLD_STAT_I386(X)							\
	X(st_dev) X(st_ino) X(st_mode) X(st_nlink) X(st_uid) X(st_gid)		\
	X(st_rdev) X(st_size) X(st_atime) X(st_mtime) X(st_ctime)

/* struct statfs and struct statfs64, every port */
#define ABI_STATFS(X)								\
	X(f_type) X(f_bsize) X(f_blocks) X(f_bfree) X(f_bavail) X(f_files)	\
	X(f_ffree) X(f_fsid) X(f_namelen) X(f_frsize) X(f_flags) X(f_spare)

/* struct statx_timestamp */
#define ABI_STATX_TIMESTAMP(X)	X(tv_sec) X(tv_nsec) X(__reserved)

/* struct statx, the fields Linux 6.1's headers (Debian bookworm) have */
#define ABI_STATX_6_1(X)							\
	X(stx_mask) X(stx_blksize) X(stx_attributes) X(stx_nlink) X(stx_uid)	\
	X(stx_gid) X(stx_mode) X(__spare0) X(stx_ino) X(stx_size)		\
	X(stx_blocks) X(stx_attributes_mask) X(stx_atime) X(stx_btime)		\
	X(stx_ctime) X(stx_mtime) X(stx_rdev_major) X(stx_rdev_minor)		\
	X(stx_dev_major) X(stx_dev_minor) X(stx_mnt_id)			\
	X(stx_dio_mem_align) X(stx_dio_offset_align)

/* struct linux_dirent64 against glibc's struct dirent64 (d_name apart) */
#define ABI_DIRENT64(X)	X(d_ino) X(d_off) X(d_reclen) X(d_type)

/* Constants Kite shares with Linux's uapi headers (<linux/stat.h>). */
#define ABI_CONSTS_UAPI(X)							\
	X(STATX_TYPE) X(STATX_MODE) X(STATX_NLINK) X(STATX_UID) X(STATX_GID)	\
	X(STATX_ATIME) X(STATX_MTIME) X(STATX_CTIME) X(STATX_INO)		\
	X(STATX_SIZE) X(STATX_BLOCKS) X(STATX_BASIC_STATS) X(STATX_BTIME)	\
	X(STATX_MNT_ID) X(STATX_DIOALIGN) X(STATX__RESERVED) X(STATX_ALL)	\
	X(STATX_ATTR_COMPRESSED) X(STATX_ATTR_IMMUTABLE) X(STATX_ATTR_APPEND)	\
	X(STATX_ATTR_NODUMP) X(STATX_ATTR_ENCRYPTED) X(STATX_ATTR_AUTOMOUNT)	\
	X(STATX_ATTR_MOUNT_ROOT) X(STATX_ATTR_VERITY) X(STATX_ATTR_DAX)

/* ... and with the C library's (<sys/stat.h>, <dirent.h>, <sys/statvfs.h>). */
#define ABI_CONSTS_LIBC(X)							\
	X(S_IFMT) X(S_IFSOCK) X(S_IFLNK) X(S_IFREG) X(S_IFBLK) X(S_IFDIR)	\
	X(S_IFCHR) X(S_IFIFO) X(S_ISUID) X(S_ISGID) X(S_ISVTX)			\
	X(S_IRWXU) X(S_IRUSR) X(S_IWUSR) X(S_IXUSR) X(S_IRWXG) X(S_IRGRP)	\
	X(S_IWGRP) X(S_IXGRP) X(S_IRWXO) X(S_IROTH) X(S_IWOTH) X(S_IXOTH)	\
	X(DT_UNKNOWN) X(DT_FIFO) X(DT_CHR) X(DT_DIR) X(DT_BLK) X(DT_REG)	\
	X(DT_LNK) X(DT_SOCK) X(DT_WHT)						\
	X(ST_RDONLY) X(ST_NOSUID) X(ST_NODEV) X(ST_NOEXEC) X(ST_SYNCHRONOUS)	\
	X(ST_NOATIME) X(ST_NODIRATIME) X(ST_RELATIME)

/* One field's place, for the run-time comparison. */
struct abi_field {
	const char *name;
	unsigned long offset, size;
};

struct abi_layout {
	const char *name;
	unsigned long size;
	const struct abi_field *fields;
	unsigned int nfields;
};

struct abi_const {
	const char *name;
	long long value;
};

#define ABI_FIELD_ENTRY(type, f)						\
	{ #f, (unsigned long)offsetof(type, f), (unsigned long)sizeof(((type *)0)->f) },
/* A field under Linux's name (a string: __unused may be a macro here). */
#define ABI_FIELD_ENTRY_AS(type, f, linux_name)					\
	{ linux_name, (unsigned long)offsetof(type, f), (unsigned long)sizeof(((type *)0)->f) },
#define ABI_LAYOUT_INIT(type, fields)						\
	{ #type, sizeof(type), fields, sizeof(fields) / sizeof(fields[0]) }
#define ABI_CONST_ENTRY(c)	{ #c, (long long)(c) },

#endif
