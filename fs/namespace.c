/*
 * Mounts: the tree of mounted file systems (one namespace for now),
 * crossing mount points in path walks, mount(2) (new, bind, move,
 * remount) and umount2(2) (busy mounts refuse with EBUSY unless lazily
 * detached), /proc/mounts, and paths back from a dentry to the root.
 *
 * namespace_mutex serialises mount and umount and is taken first;
 * mount_lock guards the tree and dentry.mounted, and is taken before
 * dcache_lock.  Mount refs are atomic: a reference is only ever taken by
 * someone holding one or through the tree, and only a detached mount
 * drops to 0, so getting and putting one needs no lock.
 */
#include <kernel/atomic.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <kernel/slab.h>
#include <kernel/spinlock.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

struct mutex namespace_mutex = MUTEX_INIT(namespace_mutex, "namespace");
static struct spinlock mount_lock = SPINLOCK_INIT("mount");
static LIST_HEAD(all_mounts);			/* mount_lock */
static struct mount *root_mount;		/* mount_lock */
static unsigned int next_mount_id = 1;		/* mount_lock */

void
mnt_get(struct mount *mnt)
{
	atomic_fetch_add(&mnt->refs, 1);
}

static __noinline void
mnt_free(struct mount *mnt)
{
	struct super_block *sb = mnt->sb;
	unsigned long flags;
	bool last;

	dput(mnt->root);
	flags = spin_lock_irqsave(&mount_lock);
	last = --sb->mounts == 0;
	if (last && sb->type->single == sb)
		sb->type->single = NULL;
	spin_unlock_irqrestore(&mount_lock, flags);
	if (last)
		kill_super(sb);
	kfree(mnt->source);
	kfree(mnt);
}

static void
mnt_put(struct mount *mnt)
{
	unsigned int left = atomic_sub_return(&mnt->refs, 1);

	if (left == ~0u)
		panic("mnt_put: mount of %s has no references", mnt->sb->type->name);
	/* Only a detached mount drops to 0: the tree holds one otherwise. */
	if (left == 0)
		mnt_free(mnt);
}

void
path_get(const struct path *p)
{
	mnt_get(p->mnt);
	dget(p->dentry);
}

void
path_put(struct path *p)
{
	dput(p->dentry);
	mnt_put(p->mnt);
	p->dentry = NULL;
	p->mnt = NULL;
}

bool
mnt_is_readonly(const struct mount *mnt)
{
	return (READ_ONCE(mnt->flags) & MNT_RDONLY) ||
	       (READ_ONCE(mnt->sb->flags) & MS_RDONLY);
}

bool
is_mountpoint(struct dentry *d)
{
	return READ_ONCE(d->mounted) != 0;
}

/* The topmost mount on (mnt, d), mount_lock held. */
static struct mount *
lookup_mnt(struct mount *mnt, struct dentry *d)
{
	struct mount *found = NULL;
	struct list_head *pos;

	list_for_each(pos, &mnt->children) {
		struct mount *child = list_entry(pos, struct mount, child_node);

		if (child->mountpoint == d)
			found = child;		/* later mounts stack on top */
	}
	return found;
}

bool
follow_mount(struct path *p)
{
	bool crossed = false;

	while (is_mountpoint(p->dentry)) {
		unsigned long flags = spin_lock_irqsave(&mount_lock);
		struct mount *child = lookup_mnt(p->mnt, p->dentry);
		struct path old = *p;

		if (!child) {
			spin_unlock_irqrestore(&mount_lock, flags);
			break;
		}
		atomic_fetch_add(&child->refs, 1);
		p->mnt = child;
		p->dentry = dget(child->root);
		spin_unlock_irqrestore(&mount_lock, flags);
		path_put(&old);
		crossed = true;
	}
	return crossed;
}

void
follow_dotdot(struct path *p, const struct path *root)
{
	for (;;) {
		struct path old = *p;
		unsigned long flags;

		if (p->dentry == root->dentry && p->mnt == root->mnt)
			return;
		if (p->dentry != p->mnt->root) {
			p->dentry = dget_parent(p->dentry);
			dput(old.dentry);
			break;
		}
		flags = spin_lock_irqsave(&mount_lock);
		if (p->mnt->parent == p->mnt) {
			spin_unlock_irqrestore(&mount_lock, flags);
			return;			/* the top of the tree */
		}
		p->mnt = p->mnt->parent;
		atomic_fetch_add(&p->mnt->refs, 1);
		p->dentry = dget(old.mnt->mountpoint);
		spin_unlock_irqrestore(&mount_lock, flags);
		path_put(&old);
	}
	follow_mount(p);
}

static unsigned int
ms_to_mnt_flags(unsigned long ms)
{
	unsigned int f = 0;

	if (ms & MS_RDONLY)
		f |= MNT_RDONLY;
	if (ms & MS_NOSUID)
		f |= MNT_NOSUID;
	if (ms & MS_NODEV)
		f |= MNT_NODEV;
	if (ms & MS_NOEXEC)
		f |= MNT_NOEXEC;
	if (ms & MS_NOATIME)
		f |= MNT_NOATIME;
	if (ms & MS_NODIRATIME)
		f |= MNT_NODIRATIME;
	if (!(ms & (MS_STRICTATIME | MS_NOATIME)))
		f |= MNT_RELATIME;	/* Linux's default */
	return f;
}

static struct mount *
alloc_mount(struct super_block *sb, struct dentry *root, const char *source)
{
	struct mount *mnt = kzalloc(sizeof(*mnt));
	size_t n = strlen(source ? source : "none") + 1;

	if (!mnt)
		return NULL;
	mnt->source = kmalloc(n);
	if (!mnt->source) {
		kfree(mnt);
		return NULL;
	}
	memcpy(mnt->source, source ? source : "none", n);
	mnt->sb = sb;
	mnt->root = dget(root);
	mnt->refs = 1;			/* the tree's */
	mnt->parent = mnt;
	list_init(&mnt->children);
	list_init(&mnt->child_node);
	list_init(&mnt->node);
	return mnt;
}

/* Put mnt on mp in the tree (mount_lock held): a new mount, or a move. */
static void
hang_mount(struct mount *mnt, const struct path *mp)
{
	mnt->parent = mp->mnt;
	mnt->mountpoint = dget(mp->dentry);
	mp->dentry->mounted++;
	list_add_tail(&mnt->child_node, &mp->mnt->children);
}

/* Hang a new mnt on mp (mount_lock held); mp NULL: mnt becomes the root. */
static void
attach_mount(struct mount *mnt, const struct path *mp)
{
	mnt->id = next_mount_id++;
	if (mp)
		hang_mount(mnt, mp);
	else
		root_mount = mnt;
	list_add_tail(&mnt->node, &all_mounts);
}

/* Take mnt and everything below it out of the tree (mount_lock held). */
static void
detach_tree(struct mount *mnt, struct list_head *detached)
{
	while (!list_empty(&mnt->children))
		detach_tree(list_first_entry(&mnt->children, struct mount, child_node),
			    detached);
	list_del(&mnt->child_node);
	list_del(&mnt->node);
	mnt->mountpoint->mounted--;
	mnt->flags |= MNT_DETACHED;
	list_add_tail(&mnt->node, detached);
}

/*
 * What may be grafted on mp: a directory on a directory, anything else
 * on a non-directory (Linux's graft_tree says ENOTDIR, do_move_mount
 * EINVAL: mismatch).  A directory bound over /dev/null made it a
 * directory for every later open (found by kite-fuzz).
 */
static int
graft_ok(const struct path *mp, const struct dentry *root, int mismatch)
{
	if (S_ISDIR(mp->dentry->inode->mode) != S_ISDIR(root->inode->mode))
		return mismatch;
	return 0;
}

/*
 * Hang mnt on mp (NULL: as the root), or move it there, unless mp's name was removed
 * (lock_mount's d_unlinked): ENOENT.  rmdir, unlink and rename check
 * is_mountpoint() and remove under the same inode lock
 * (vfs_remove_locked()), so a mount cannot land on a name being removed,
 * which left it in /proc/mounts under a path that no longer led to it
 * (found by kite-fuzz: its scratch directory could not be unmounted).
 */
static int
graft(struct mount *mnt, const struct path *mp, bool move)
{
	struct inode *inode;
	struct dentry *old_mp = NULL;
	unsigned long flags;
	int err = -ENOENT;

	if (!mp) {				/* the root file system, at boot */
		flags = spin_lock_irqsave(&mount_lock);
		attach_mount(mnt, NULL);
		spin_unlock_irqrestore(&mount_lock, flags);
		return 0;
	}
	inode = mp->dentry->inode;
	mutex_lock_nested(&inode->lock);
	if (!d_cant_mount(mp->dentry) && inode->nlink != 0) {
		flags = spin_lock_irqsave(&mount_lock);
		if (move) {
			list_del(&mnt->child_node);
			old_mp = mnt->mountpoint;
			old_mp->mounted--;
			hang_mount(mnt, mp);
		} else {
			attach_mount(mnt, mp);
		}
		spin_unlock_irqrestore(&mount_lock, flags);
		err = 0;
	}
	mutex_unlock(&inode->lock);
	if (old_mp)
		dput(old_mp);
	return err;
}

int
do_new_mount(const struct path *mp, const char *type_name, const char *source,
	     unsigned long ms_flags, const char *data)
{
	struct file_system_type *type = find_filesystem(type_name);
	struct super_block *sb = NULL;
	struct mount *mnt;
	unsigned long flags;
	int err;

	if (!type || (type->flags & FS_INTERNAL))
		return -ENODEV;
	if (type->flags & FS_SINGLE) {
		flags = spin_lock_irqsave(&mount_lock);
		sb = type->single;
		if (sb)
			sb->mounts++;
		spin_unlock_irqrestore(&mount_lock, flags);
	}
	if (!sb) {
		sb = sget(type, source, data, ms_flags);
		if (IS_ERR(sb))
			return (int)PTR_ERR(sb);
		flags = spin_lock_irqsave(&mount_lock);
		sb->mounts = 1;
		if (type->flags & FS_SINGLE)
			type->single = sb;
		spin_unlock_irqrestore(&mount_lock, flags);
	}
	mnt = alloc_mount(sb, sb->root, source);
	if (!mnt) {
		flags = spin_lock_irqsave(&mount_lock);
		bool last = --sb->mounts == 0;

		if (last && type->single == sb)
			type->single = NULL;
		spin_unlock_irqrestore(&mount_lock, flags);
		if (last)
			kill_super(sb);
		return -ENOMEM;
	}
	mnt->flags = ms_to_mnt_flags(ms_flags);
	err = graft(mnt, mp, false);
	if (err)
		mnt_free(mnt);		/* and the super block, if it was the only one */
	return err;
}

static int
do_bind_mount(const struct path *mp, const char *source, unsigned long ms_flags)
{
	struct path from;
	struct mount *mnt;
	unsigned long flags;
	int err = path_lookupat(AT_FDCWD, source, LOOKUP_FOLLOW, &from);

	if (err)
		return err;
	err = graft_ok(mp, from.dentry, -ENOTDIR);
	if (err) {
		path_put(&from);
		return err;
	}
	mnt = alloc_mount(from.mnt->sb, from.dentry, from.mnt->source);
	if (!mnt) {
		path_put(&from);
		return -ENOMEM;
	}
	mnt->flags = from.mnt->flags & ~MNT_DETACHED;
	if (ms_flags & MS_RDONLY)
		mnt->flags |= MNT_RDONLY;
	flags = spin_lock_irqsave(&mount_lock);
	mnt->sb->mounts++;
	spin_unlock_irqrestore(&mount_lock, flags);
	err = graft(mnt, mp, false);
	if (err)
		mnt_free(mnt);
	path_put(&from);
	return err;
}

static int
do_move_mount(const struct path *mp, const char *source)
{
	struct path from;
	struct mount *mnt;
	unsigned long flags;
	int err = path_lookupat(AT_FDCWD, source, LOOKUP_FOLLOW, &from);

	if (err)
		return err;
	mnt = from.mnt;
	err = -EINVAL;
	if (from.dentry != mnt->root || mnt->parent == mnt)
		goto out;
	err = graft_ok(mp, from.dentry, -EINVAL);
	if (err)
		goto out;
	err = -EINVAL;
	flags = spin_lock_irqsave(&mount_lock);
	/* Not below itself. */
	for (struct mount *m = mp->mnt;; m = m->parent) {
		if (m == mnt) {
			spin_unlock_irqrestore(&mount_lock, flags);
			goto out;
		}
		if (m->parent == m)
			break;
	}
	spin_unlock_irqrestore(&mount_lock, flags);
	/* namespace_mutex keeps the tree as checked. */
	err = graft(mnt, mp, true);
out:
	path_put(&from);
	return err;
}

static int
do_remount(const struct path *p, unsigned long ms_flags, const char *data)
{
	struct super_block *sb = p->mnt->sb;
	int err = 0;

	if (p->dentry != p->mnt->root)
		return -EINVAL;
	if (ms_flags & MS_BIND) {
		/* Only the mount's own flags change. */
		WRITE_ONCE(p->mnt->flags, ms_to_mnt_flags(ms_flags));
		return 0;
	}
	if (sb->ops && sb->ops->remount)
		err = sb->ops->remount(sb, ms_flags, data);
	if (err)
		return err;
	WRITE_ONCE(sb->flags, (sb->flags & ~MS_RDONLY) | (ms_flags & MS_RDONLY));
	WRITE_ONCE(p->mnt->flags, ms_to_mnt_flags(ms_flags));
	return 0;
}

#define MS_PROPAGATION	((1ul << 17) | (1ul << 18) | (1ul << 19) | (1ul << 20))
#define MS_MGC_MSK	0xffff0000ul
#define MS_MGC_VAL	0xc0ed0000ul

int
vfs_mount(const char *source, const char *target, const char *type,
	  unsigned long flags, const char *data)
{
	struct path mp;
	int err;

	if (!capable_fs())
		return -EPERM;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;	/* the old magic, still passed by some */
	err = path_lookupat(AT_FDCWD, target, LOOKUP_FOLLOW, &mp);
	if (err)
		return err;
	mutex_lock(&namespace_mutex);
	if (flags & MS_REMOUNT)
		err = do_remount(&mp, flags, data);
	else if (flags & MS_BIND)
		err = source ? do_bind_mount(&mp, source, flags) : -EINVAL;
	else if (flags & MS_MOVE)
		err = source ? do_move_mount(&mp, source) : -EINVAL;
	else if (flags & MS_PROPAGATION)
		err = 0;		/* one namespace: nothing propagates */
	else if (!type)
		err = -EINVAL;
	else if (!S_ISDIR(mp.dentry->inode->mode))
		err = -ENOTDIR;
	else
		err = do_new_mount(&mp, type, source, flags, data);
	mutex_unlock(&namespace_mutex);
	path_put(&mp);
	return err;
}

int
vfs_umount(const char *target, int flags)
{
	struct path p;
	struct mount *mnt;
	LIST_HEAD(detached);
	unsigned long irq;
	int err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (!capable_fs())
		return -EPERM;
	err = path_lookupat(AT_FDCWD, target,
			    (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	mnt = p.mnt;
	mutex_lock(&namespace_mutex);
	irq = spin_lock_irqsave(&mount_lock);
	if (p.dentry != mnt->root)
		err = -EINVAL;			/* not a mount point */
	else if (mnt->parent == mnt)
		err = -EBUSY;			/* the root stays */
	else if (flags & MNT_EXPIRE)
		err = -EAGAIN;			/* first call only marks, as Linux */
	else if (!(flags & MNT_DETACH) &&
		 (READ_ONCE(mnt->refs) > 2 || !list_empty(&mnt->children)))
		err = -EBUSY;			/* the tree's, ours, and users */
	else
		detach_tree(mnt, &detached);
	spin_unlock_irqrestore(&mount_lock, irq);
	mutex_unlock(&namespace_mutex);
	path_put(&p);
	put_detached(&detached);
	return err;
}

/* Is d at or below top?  dcache_lock held. */
static bool
dentry_below(const struct dentry *d, const struct dentry *top)
{
	for (;; d = d->parent) {
		if (d == top)
			return true;
		if (d->parent == d)
			return false;
	}
}

void
detach_mounts_below(struct dentry *d, struct list_head *detached)
{
	unsigned long irq = spin_lock_irqsave(&mount_lock);
	bool again;

	do {
		struct list_head *pos;

		again = false;
		list_for_each(pos, &all_mounts) {
			struct mount *m = list_entry(pos, struct mount, node);
			bool below;

			if (m->parent == m || m->mountpoint->sb != d->sb)
				continue;
			spin_lock(&dcache_lock);
			below = dentry_below(m->mountpoint, d);
			spin_unlock(&dcache_lock);
			if (below) {
				detach_tree(m, detached);	/* off all_mounts: walk again */
				again = true;
				break;
			}
		}
	} while (again);
	spin_unlock_irqrestore(&mount_lock, irq);
}

void
put_detached(struct list_head *detached)
{
	while (!list_empty(detached)) {
		struct mount *m = list_first_entry(detached, struct mount, node);

		list_del(&m->node);
		list_init(&m->node);
		dput(m->mountpoint);
		m->mountpoint = NULL;
		m->parent = m;
		mnt_put(m);			/* the tree's reference */
	}
}

/*
 * Walk from p up to root, writing "/a/b" at the end of buf; NULL when p
 * is not below root (outside a chroot) or buf is too small (*err).
 * mount_lock and dcache_lock held.
 */
static char *
prepend_path(const struct path *p, const struct path *root, char *buf, size_t size,
	     int *err)
{
	struct mount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	char *end = buf + size;

	*--end = '\0';
	for (;;) {
		if (d == root->dentry && mnt == root->mnt)
			break;
		if (d == mnt->root) {
			if (mnt->parent == mnt) {
				*err = -ENOENT;	/* unreachable from root */
				return NULL;
			}
			d = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		if ((size_t)(end - buf) < d->name.len + 1) {
			*err = -ENAMETOOLONG;
			return NULL;
		}
		end -= d->name.len;
		memcpy(end, d->name.name, d->name.len);
		*--end = '/';
		d = d->parent;
	}
	if (*end == '\0') {
		if (end == buf) {
			*err = -ENAMETOOLONG;
			return NULL;
		}
		*--end = '/';
	}
	return end;
}

char *
d_path(const struct path *p, char *buf, size_t size)
{
	struct fs_struct *fs = current_fs();
	struct path root;
	unsigned long flags;
	char *res;
	int err = 0;

	if (size < 2)
		return ERR_PTR(-ENAMETOOLONG);
	flags = spin_lock_irqsave(&fs->lock);
	root = fs->root;
	path_get(&root);
	spin_unlock_irqrestore(&fs->lock, flags);
	flags = spin_lock_irqsave(&mount_lock);
	spin_lock(&dcache_lock);
	res = prepend_path(p, &root, buf, size, &err);
	spin_unlock(&dcache_lock);
	spin_unlock_irqrestore(&mount_lock, flags);
	path_put(&root);
	return res ? res : ERR_PTR(err);
}

static void
show_flags(struct seqbuf *out, const struct mount *mnt)
{
	unsigned int f = mnt->flags;

	seqbuf_puts(out, mnt_is_readonly(mnt) ? "ro" : "rw");
	if (f & MNT_NOSUID)
		seqbuf_puts(out, ",nosuid");
	if (f & MNT_NODEV)
		seqbuf_puts(out, ",nodev");
	if (f & MNT_NOEXEC)
		seqbuf_puts(out, ",noexec");
	if (f & MNT_NOATIME)
		seqbuf_puts(out, ",noatime");
	if (f & MNT_NODIRATIME)
		seqbuf_puts(out, ",nodiratime");
	if (f & MNT_RELATIME)
		seqbuf_puts(out, ",relatime");
}

void
mounts_show(struct seqbuf *out)
{
	struct fs_struct *fs = current_fs();
	struct path root;
	unsigned long flags;

	flags = spin_lock_irqsave(&fs->lock);
	root = fs->root;
	path_get(&root);
	spin_unlock_irqrestore(&fs->lock, flags);
	mounts_show_from(out, &root);
	path_put(&root);
}

void
mounts_show_from(struct seqbuf *out, const struct path *root)
{
	unsigned long flags;
	char *buf = kmalloc(PATH_MAX);

	if (!buf) {
		out->overflow = true;
		return;
	}
	/*
	 * Mounts can come and go between entries: walk with the namespace
	 * held still; show_options may sleep, so no spinlock across it.
	 */
	mutex_lock(&namespace_mutex);
	struct list_head *pos;

	list_for_each(pos, &all_mounts) {
		struct mount *mnt = list_entry(pos, struct mount, node);
		struct path mp = { mnt, mnt->root };
		char *where;
		int err = 0;

		flags = spin_lock_irqsave(&mount_lock);
		spin_lock(&dcache_lock);
		where = prepend_path(&mp, root, buf, PATH_MAX, &err);
		spin_unlock(&dcache_lock);
		spin_unlock_irqrestore(&mount_lock, flags);
		if (!where)
			continue;	/* outside the caller's root */
		seqbuf_escape(out, mnt->source);
		seqbuf_putc(out, ' ');
		seqbuf_escape(out, where);
		seqbuf_printf(out, " %s ", mnt->sb->type->name);
		show_flags(out, mnt);
		if (mnt->sb->ops && mnt->sb->ops->show_options)
			mnt->sb->ops->show_options(mnt->sb, out);
		seqbuf_puts(out, " 0 0\n");
	}
	mutex_unlock(&namespace_mutex);
	kfree(buf);
}

/* The root of the tree, for a new fs_struct (referenced). */
void
get_root_mount_path(struct path *p)
{
	unsigned long flags = spin_lock_irqsave(&mount_lock);

	if (!root_mount)
		panic("vfs: no root mounted yet");
	p->mnt = root_mount;
	atomic_fetch_add(&root_mount->refs, 1);
	p->dentry = dget(root_mount->root);
	spin_unlock_irqrestore(&mount_lock, flags);
}

/*
 * A mount of a new (or, FS_SINGLE, the shared) instance of type that
 * hangs in no tree and is never unmounted, as Linux's kern_mount(): the
 * kernel's own hold on an instance, so that it outlives the mounts
 * programs make (devtmpfs keeps its nodes when /dev is unmounted).
 */
struct mount *
kern_mount(const char *type_name, const char *data)
{
	struct file_system_type *type = find_filesystem(type_name);
	struct super_block *sb = NULL;
	struct mount *mnt;
	unsigned long flags;

	if (!type)
		return ERR_PTR(-ENODEV);
	mutex_lock(&namespace_mutex);
	if (type->flags & FS_SINGLE) {
		flags = spin_lock_irqsave(&mount_lock);
		sb = type->single;
		if (sb)
			sb->mounts++;
		spin_unlock_irqrestore(&mount_lock, flags);
	}
	if (!sb) {
		sb = sget(type, "none", data, 0);
		if (IS_ERR(sb)) {
			mutex_unlock(&namespace_mutex);
			return ERR_PTR(PTR_ERR(sb));
		}
		flags = spin_lock_irqsave(&mount_lock);
		sb->mounts = 1;
		if (type->flags & FS_SINGLE)
			type->single = sb;
		spin_unlock_irqrestore(&mount_lock, flags);
	}
	mnt = alloc_mount(sb, sb->root, type_name);
	if (!mnt) {
		bool last;

		flags = spin_lock_irqsave(&mount_lock);
		last = --sb->mounts == 0;
		if (last && type->single == sb)
			type->single = NULL;
		spin_unlock_irqrestore(&mount_lock, flags);
		if (last)
			kill_super(sb);
		mutex_unlock(&namespace_mutex);
		return ERR_PTR(-ENOMEM);
	}
	mutex_unlock(&namespace_mutex);
	return mnt;
}
