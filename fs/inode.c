/*
 * In-memory inodes: creation, reference counting and eviction, link
 * counts, attributes and their changes, and the permission check every
 * path walk and open makes.
 */
#include <kernel/atomic.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/panic.h>
#include <kernel/slab.h>
#include <kernel/time.h>
#include <kernel/vfs.h>
#include <string.h>

/* File times are real time (CLOCK_REALTIME), as in Linux. */
void
current_time(struct timespec64 *ts)
{
	realtime_ts64(ts);
}

uint64_t
sb_next_ino(struct super_block *sb)
{
	unsigned long flags = spin_lock_irqsave(&sb->lock);
	uint64_t ino = ++sb->next_ino;

	spin_unlock_irqrestore(&sb->lock, flags);
	return ino;
}

struct inode *
new_inode(struct super_block *sb, umode_t mode)
{
	const struct cred *c = current_cred();
	struct inode *inode = kzalloc(sizeof(*inode));
	unsigned long flags;

	if (!inode)
		return NULL;
	inode->sb = sb;
	inode->mode = mode;
	inode->nlink = 1;
	inode->uid = c->fsuid;
	inode->gid = c->fsgid;
	inode->refs = 1;
	current_time(&inode->mtime);
	inode->atime = inode->ctime = inode->btime = inode->mtime;
	mutex_init(&inode->lock, "inode");
	flags = spin_lock_irqsave(&sb->lock);
	list_add_tail(&inode->sb_node, &sb->inodes);
	spin_unlock_irqrestore(&sb->lock, flags);
	return inode;
}

void
inode_init_owner(struct inode *inode, const struct inode *dir, umode_t mode)
{
	const struct cred *c = current_cred();

	inode->uid = c->fsuid;
	if (dir && (dir->mode & S_ISGID)) {
		inode->gid = dir->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
		else if ((mode & S_ISGID) && (mode & S_IXGRP) && !in_group_p(inode->gid) &&
			 c->fsuid != 0)
			mode &= ~S_ISGID;
	} else {
		inode->gid = c->fsgid;
	}
	inode->mode = mode;
}

struct inode *
igrab(struct inode *inode)
{
	atomic_fetch_add(&inode->refs, 1);
	return inode;
}

void
iput(struct inode *inode)
{
	struct super_block *sb;
	unsigned long flags;

	if (!inode)
		return;
	if (atomic_sub_return(&inode->refs, 1) != 0)
		return;
	sb = inode->sb;
	if (sb->ops && sb->ops->evict_inode)
		sb->ops->evict_inode(inode);
	flags = spin_lock_irqsave(&sb->lock);
	list_del(&inode->sb_node);
	spin_unlock_irqrestore(&sb->lock, flags);
	kfree(inode);
}

void
inc_nlink(struct inode *inode)
{
	inode->nlink++;
}

void
drop_nlink(struct inode *inode)
{
	if (inode->nlink == 0)
		panic("drop_nlink: inode %llu has no links", (unsigned long long)inode->ino);
	inode->nlink--;
}

void
inode_touch(struct inode *inode, unsigned int which)
{
	struct timespec64 now;

	current_time(&now);
	if (which & ATTR_ATIME)
		inode->atime = now;
	if (which & ATTR_MTIME)
		inode->mtime = now;
	if (which & ATTR_CTIME)
		inode->ctime = now;
}

static bool
ts_after(const struct timespec64 *a, const struct timespec64 *b)
{
	return a->tv_sec != b->tv_sec ? a->tv_sec > b->tv_sec : a->tv_nsec > b->tv_nsec;
}

void
file_accessed(struct file *f)
{
	struct inode *inode = f->inode;
	unsigned int mflags = f->path.mnt ? f->path.mnt->flags : MNT_RELATIME;
	struct timespec64 now;

	if ((READ_ONCE(f->flags) & O_NOATIME) || (mflags & MNT_NOATIME))
		return;
	current_time(&now);
	mutex_lock(&inode->lock);
	if (!(mflags & MNT_RELATIME) || !ts_after(&inode->atime, &inode->mtime) ||
	    !ts_after(&inode->atime, &inode->ctime) || now.tv_sec - inode->atime.tv_sec >= 24 * 3600)
		inode->atime = now;
	mutex_unlock(&inode->lock);
}

void
inode_getattr(struct inode *inode, struct kstat *st)
{
	mutex_lock(&inode->lock);
	st->mask = STATX_BASIC_STATS | STATX_BTIME;
	st->mode = inode->mode;
	st->nlink = inode->nlink;
	st->uid = inode->uid;
	st->gid = inode->gid;
	st->ino = inode->ino;
	st->dev = inode->sb->dev;
	st->rdev = inode->rdev;
	st->size = inode->size;
	st->blksize = inode->sb->block_size ? inode->sb->block_size : 4096;
	st->blocks = inode->blocks;
	st->atime = inode->atime;
	st->mtime = inode->mtime;
	st->ctime = inode->ctime;
	st->btime = inode->btime;
	mutex_unlock(&inode->lock);
}

int
simple_setattr(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & ATTR_SIZE) {
		if (!S_ISREG(inode->mode))
			return -EINVAL;
		inode->size = attr->size;
	}
	if (attr->valid & ATTR_MODE)
		inode->mode = (inode->mode & S_IFMT) | (attr->mode & S_IALLUGO);
	if (attr->valid & ATTR_UID)
		inode->uid = attr->uid;
	if (attr->valid & ATTR_GID)
		inode->gid = attr->gid;
	if (attr->valid & ATTR_ATIME)
		inode->atime = attr->atime;
	if (attr->valid & ATTR_MTIME)
		inode->mtime = attr->mtime;
	if (attr->valid & ATTR_CTIME)
		inode->ctime = attr->ctime;
	return 0;
}

bool
inode_owner_or_capable(const struct inode *inode)
{
	return capable_fs() || current_cred()->fsuid == inode->uid;
}

int
inode_permission(struct inode *inode, int mask)
{
	const struct cred *c = current_cred();
	umode_t mode = READ_ONCE(inode->mode);
	unsigned int bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (c->fsuid == 0) {
		/*
		 * Root reads and writes anything and searches any directory,
		 * but executes a file only if some execute bit is set.
		 */
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	if (c->fsuid == inode->uid)
		bits = (mode >> 6) & 7;
	else if (in_group_p(inode->gid))
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return ((unsigned int)mask & ~bits) ? -EACCES : 0;
}
