/*
 * Reading attributes: the stat family (a struct kstat the system-call
 * layer turns into each port's Linux layout) and statfs.
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

static void
getattr_path(const struct path *p, struct kstat *st)
{
	inode_getattr(p->dentry->inode, st);
	st->mnt_id = p->mnt->id;
	st->mask |= STATX_MNT_ID;
}

int
vfs_fstatat(int dirfd, const char *name, struct kstat *st, int flags)
{
	unsigned int lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;	/* "": dirfd (or the cwd) itself */
	err = path_lookupat(dirfd, name, lf, &p);
	if (err)
		return err;
	getattr_path(&p, st);
	path_put(&p);
	return 0;
}

int
vfs_fstat(int fd, struct kstat *st)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	getattr_path(&f->path, st);
	fput(f);
	return 0;
}

static unsigned long
mnt_statfs_flags(const struct mount *mnt)
{
	unsigned long fl = ST_VALID;

	if (mnt_is_readonly(mnt))
		fl |= ST_RDONLY;
	if (mnt->flags & MNT_NOSUID)
		fl |= ST_NOSUID;
	if (mnt->flags & MNT_NODEV)
		fl |= ST_NODEV;
	if (mnt->flags & MNT_NOEXEC)
		fl |= ST_NOEXEC;
	if (mnt->flags & MNT_NOATIME)
		fl |= ST_NOATIME;
	if (mnt->flags & MNT_NODIRATIME)
		fl |= ST_NODIRATIME;
	if (mnt->flags & MNT_RELATIME)
		fl |= ST_RELATIME;
	return fl;
}

static int
statfs_path(const struct path *p, struct kstatfs *st)
{
	struct super_block *sb = p->mnt->sb;
	int err;

	memset(st, 0, sizeof(*st));
	if (sb->ops && sb->ops->statfs)
		err = sb->ops->statfs(sb, st);
	else
		err = simple_statfs(sb, st);
	if (err)
		return err;
	st->fsid[0] = (uint32_t)sb->dev;
	st->fsid[1] = 0;
	st->flags = mnt_statfs_flags(p->mnt);
	if (!st->frsize)
		st->frsize = st->bsize;
	return 0;
}

int
vfs_statfs(const char *name, struct kstatfs *st)
{
	struct path p;
	int err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = statfs_path(&p, st);
	path_put(&p);
	return err;
}

int
vfs_fstatfs(int fd, struct kstatfs *st)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = statfs_path(&f->path, st);
	fput(f);
	return err;
}
