/*
 * struct kstat and struct kstatfs into the Linux layouts of this port
 * (<kernel/stat_conv.h> says what each function promises).  The rules are
 * those of Linux's fs/stat.c (cp_new_stat, cp_new_stat64, cp_old_stat,
 * cp_statx) and fs/statfs.c (do_statfs_native, do_statfs64); where Linux
 * decides by BITS_PER_LONG, these decide by the width of the field, which
 * gives the same answer on every port and lets the host tests run the
 * i386 rules on x86_64.
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/kdev_t.h>
#include <kernel/stat_conv.h>

/*
 * A uid or gid as Linux reports it: from_kuid_munged() (no such id, -1,
 * reads as the overflow id), then, into a 16-bit field, high2lowuid().
 */
static uint32_t
linux_id(uint32_t id, size_t width, uint32_t overflow)
{
	if (id == (uint32_t)-1)
		return overflow;
	if (width < sizeof(uint32_t) && (id & ~0xffffu))
		return overflow;
	return id;
}

#define SET_UID(var, uid)	((var) = linux_id((uid), sizeof(var), LINUX_OVERFLOWUID))
#define SET_GID(var, gid)	((var) = linux_id((gid), sizeof(var), LINUX_OVERFLOWGID))

/* cp_new_stat() */
int
stat_to_linux(const struct kstat *k, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	/* Only a 16-bit st_dev needs old_valid_dev(); no port of ours has one. */
	if (sizeof(st->st_dev) < 4 && !old_valid_dev(k->dev))
		return -EOVERFLOW;
	if (sizeof(st->st_rdev) < 4 && !old_valid_dev(k->rdev))
		return -EOVERFLOW;
	if (sizeof(st->st_size) < sizeof(k->size) && k->size > (loff_t)LINUX_MAX_NON_LFS)
		return -EOVERFLOW;

	st->st_dev = new_encode_dev(k->dev);
	st->st_ino = k->ino;
	if (st->st_ino != k->ino)
		return -EOVERFLOW;
	st->st_mode = k->mode;
	st->st_nlink = k->nlink;
	if ((uint32_t)st->st_nlink != k->nlink)
		return -EOVERFLOW;
	SET_UID(st->st_uid, k->uid);
	SET_GID(st->st_gid, k->gid);
	st->st_rdev = new_encode_dev(k->rdev);
	st->st_size = k->size;
	st->st_atime = k->atime.tv_sec;
	st->st_mtime = k->mtime.tv_sec;
	st->st_ctime = k->ctime.tv_sec;
	st->st_atime_nsec = k->atime.tv_nsec;
	st->st_mtime_nsec = k->mtime.tv_nsec;
	st->st_ctime_nsec = k->ctime.tv_nsec;
	st->st_blocks = k->blocks;
	st->st_blksize = k->blksize;
	return 0;
}

/* The statx mask bits a struct kstat can carry. */
#define KSTAT_STATX_MASK	(STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID)

static void
statx_time(struct linux_statx_timestamp *t, const struct timespec64 *ts)
{
	t->tv_sec = ts->tv_sec;
	t->tv_nsec = (uint32_t)ts->tv_nsec;
}

/* cp_statx() */
void
statx_fill(const struct kstat *k, uint32_t requested_mask, struct linux_statx *stx)
{
	(void)requested_mask;
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = k->mask & KSTAT_STATX_MASK;
	stx->stx_blksize = k->blksize;
	stx->stx_attributes = 0;
	stx->stx_attributes_mask = 0;
	stx->stx_nlink = k->nlink;
	SET_UID(stx->stx_uid, k->uid);
	SET_GID(stx->stx_gid, k->gid);
	stx->stx_mode = (uint16_t)k->mode;
	stx->stx_ino = k->ino;
	stx->stx_size = (uint64_t)k->size;
	stx->stx_blocks = k->blocks;
	statx_time(&stx->stx_atime, &k->atime);
	statx_time(&stx->stx_ctime, &k->ctime);
	statx_time(&stx->stx_mtime, &k->mtime);
	if (stx->stx_mask & STATX_BTIME)
		statx_time(&stx->stx_btime, &k->btime);
	stx->stx_rdev_major = MAJOR(k->rdev);
	stx->stx_rdev_minor = MINOR(k->rdev);
	stx->stx_dev_major = MAJOR(k->dev);
	stx->stx_dev_minor = MINOR(k->dev);
	if (stx->stx_mask & STATX_MNT_ID)
		stx->stx_mnt_id = k->mnt_id;
}

/* do_statfs_native() */
int
statfs_to_linux(const struct kstatfs *k, struct linux_statfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	if (sizeof(sf->f_blocks) == 4) {
		if ((k->blocks | k->bfree | k->bavail | k->bsize | k->frsize) &
		    0xffffffff00000000ull)
			return -EOVERFLOW;
		/* f_files and f_ffree may be -1 ("not known"): that fits. */
		if (k->files != (uint64_t)-1 && (k->files & 0xffffffff00000000ull))
			return -EOVERFLOW;
		if (k->ffree != (uint64_t)-1 && (k->ffree & 0xffffffff00000000ull))
			return -EOVERFLOW;
	}
	sf->f_type = k->type;
	sf->f_bsize = k->bsize;
	sf->f_blocks = k->blocks;
	sf->f_bfree = k->bfree;
	sf->f_bavail = k->bavail;
	sf->f_files = k->files;
	sf->f_ffree = k->ffree;
	sf->f_fsid.val[0] = (int32_t)k->fsid[0];
	sf->f_fsid.val[1] = (int32_t)k->fsid[1];
	sf->f_namelen = k->namelen;
	sf->f_frsize = k->frsize;
	sf->f_flags = k->flags;
	return 0;
}

#ifdef LINUX_STAT_ABI_I386

/* cp_new_stat64() */
int
stat64_to_linux(const struct kstat *k, struct linux_stat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = huge_encode_dev(k->dev);
	st->st_rdev = huge_encode_dev(k->rdev);
	st->st_ino = k->ino;
	st->__st_ino = (uint32_t)k->ino;
	st->st_mode = k->mode;
	st->st_nlink = k->nlink;
	SET_UID(st->st_uid, k->uid);
	SET_GID(st->st_gid, k->gid);
	st->st_atime = (uint32_t)k->atime.tv_sec;
	st->st_atime_nsec = (uint32_t)k->atime.tv_nsec;
	st->st_mtime = (uint32_t)k->mtime.tv_sec;
	st->st_mtime_nsec = (uint32_t)k->mtime.tv_nsec;
	st->st_ctime = (uint32_t)k->ctime.tv_sec;
	st->st_ctime_nsec = (uint32_t)k->ctime.tv_nsec;
	st->st_size = k->size;
	st->st_blocks = k->blocks;
	st->st_blksize = k->blksize;
	return 0;
}

/*
 * cp_old_stat(): old_encode_dev() without old_valid_dev(), as Linux (a
 * major or minor above 255 comes out truncated, not as -EOVERFLOW).
 * Linux also warns, five times, "VFS: Warning: %s using old stat() call.
 * Recompile your binary."; that is for the system call, which knows the
 * caller's name.
 */
int
old_stat_to_linux(const struct kstat *k, struct linux_old_kernel_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = old_encode_dev(k->dev);
	st->st_ino = (uint16_t)k->ino;
	if (st->st_ino != k->ino)
		return -EOVERFLOW;
	st->st_mode = (uint16_t)k->mode;
	st->st_nlink = (uint16_t)k->nlink;
	if ((uint32_t)st->st_nlink != k->nlink)
		return -EOVERFLOW;
	SET_UID(st->st_uid, k->uid);
	SET_GID(st->st_gid, k->gid);
	st->st_rdev = old_encode_dev(k->rdev);
	if (k->size > (loff_t)LINUX_MAX_NON_LFS)
		return -EOVERFLOW;
	st->st_size = (uint32_t)k->size;
	st->st_atime = (uint32_t)k->atime.tv_sec;
	st->st_mtime = (uint32_t)k->mtime.tv_sec;
	st->st_ctime = (uint32_t)k->ctime.tv_sec;
	return 0;
}

/* do_statfs64() */
int
statfs64_to_linux(const struct kstatfs *k, struct linux_statfs64 *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_type = (uint32_t)k->type;
	sf->f_bsize = (uint32_t)k->bsize;
	sf->f_blocks = k->blocks;
	sf->f_bfree = k->bfree;
	sf->f_bavail = k->bavail;
	sf->f_files = k->files;
	sf->f_ffree = k->ffree;
	sf->f_fsid.val[0] = (int32_t)k->fsid[0];
	sf->f_fsid.val[1] = (int32_t)k->fsid[1];
	sf->f_namelen = (uint32_t)k->namelen;
	sf->f_frsize = (uint32_t)k->frsize;
	sf->f_flags = (uint32_t)k->flags;
	return 0;
}

#endif	/* LINUX_STAT_ABI_I386 */
