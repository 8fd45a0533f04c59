/*
 * Changing directories: mkdir, mknod, symlink, link, unlink, rmdir,
 * rename (with RENAME_NOREPLACE and RENAME_EXCHANGE) and readlink, with
 * Linux's checks and errnos in Linux's order.  Each call holds the
 * directory's inode.lock across its lookup and the change; rename takes
 * rename_mutex and then both directories, an ancestor before its
 * descendant (as rmdir locks parent before child).
 */
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/slab.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

static struct mutex rename_mutex = MUTEX_INIT(rename_mutex, "rename");

enum create_kind { CREATE_DIR, CREATE_NODE, CREATE_SYMLINK };

struct create_args {
	enum create_kind kind;
	umode_t mode;
	dev_t dev;
	const char *target;
};

static int
do_create(const struct path *parent, struct dentry *d, const struct create_args *a)
{
	struct inode *dir = parent->dentry->inode;
	const struct inode_operations *op = dir->iop;

	switch (a->kind) {
	case CREATE_DIR:
		return op && op->mkdir ? op->mkdir(dir, d, a->mode) : -EPERM;
	case CREATE_SYMLINK:
		return op && op->symlink ? op->symlink(dir, d, a->target) : -EPERM;
	default:
		if (S_ISREG(a->mode) && op && op->create)
			return op->create(dir, d, a->mode);
		return op && op->mknod ? op->mknod(dir, d, a->mode, a->dev) : -EPERM;
	}
}

static int
create_at(int dirfd, const char *name, const struct create_args *a)
{
	struct path parent;
	struct qstr last;
	enum last_type type;
	struct dentry *d;
	struct inode *dir;
	bool slash;
	int err = path_parentat(dirfd, name, &parent, &last, &type, &slash);

	if (err)
		return err;
	if (type != LAST_NORM) {
		err = -EEXIST;		/* "/", "." and ".." exist */
		goto out;
	}
	dir = parent.dentry->inode;
	mutex_lock(&dir->lock);
	d = lookup_locked(parent.dentry, &last);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else {
		if (!d_is_negative(d))
			err = -EEXIST;
		else if (slash && a->kind != CREATE_DIR)
			err = -ENOENT;	/* "name/" can only be a directory */
		else if (mnt_is_readonly(parent.mnt))
			err = -EROFS;
		else
			err = may_create(dir);
		if (!err)
			err = do_create(&parent, d, a);
		dput(d);
	}
	mutex_unlock(&dir->lock);
out:
	kfree((void *)last.name);
	path_put(&parent);
	return err;
}

int
vfs_mkdirat(int dirfd, const char *name, umode_t mode)
{
	struct create_args a = { CREATE_DIR, 0, 0, NULL };

	a.mode = S_IFDIR | (mode & (S_IRWXU | S_IRWXG | S_IRWXO | S_ISVTX) & ~current_fs()->umask);
	return create_at(dirfd, name, &a);
}

int
vfs_mknodat(int dirfd, const char *name, umode_t mode, dev_t dev)
{
	struct create_args a = { CREATE_NODE, 0, dev, NULL };

	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (!capable_fs())
			return -EPERM;
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	a.mode = (mode & S_IFMT) | (mode & S_IALLUGO & ~current_fs()->umask);
	return create_at(dirfd, name, &a);
}

int
vfs_symlinkat(const char *target, int dirfd, const char *name)
{
	struct create_args a = { CREATE_SYMLINK, S_IFLNK | 0777, 0, target };
	size_t n = strnlen(target, PATH_MAX);

	if (n == 0)
		return -ENOENT;
	if (n == PATH_MAX)
		return -ENAMETOOLONG;
	return create_at(dirfd, name, &a);
}

int
vfs_linkat(int olddirfd, const char *oldname, int newdirfd, const char *newname, int flags)
{
	struct path old, parent;
	struct qstr last;
	enum last_type type;
	struct dentry *d;
	struct inode *dir, *inode;
	unsigned int lf = 0;
	bool slash;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH) {
		if (!capable_fs())
			return -ENOENT;		/* as Linux without CAP_DAC_READ_SEARCH */
		lf |= LOOKUP_EMPTY;
	}
	err = path_lookupat(olddirfd, oldname, lf, &old);	/* "" + LOOKUP_EMPTY: olddirfd */
	if (err)
		return err;
	inode = old.dentry->inode;
	err = path_parentat(newdirfd, newname, &parent, &last, &type, &slash);
	if (err)
		goto out_old;
	if (type != LAST_NORM) {
		err = -EEXIST;
		goto out;
	}
	dir = parent.dentry->inode;
	mutex_lock(&dir->lock);
	d = lookup_locked(parent.dentry, &last);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
		goto unlock;
	}
	if (!d_is_negative(d))
		err = -EEXIST;
	else if (slash)
		err = -ENOENT;
	else if (parent.mnt != old.mnt)
		err = -EXDEV;
	else if (mnt_is_readonly(parent.mnt))
		err = -EROFS;
	else if (S_ISDIR(inode->mode))
		err = -EPERM;
	else
		err = may_create(dir);
	if (!err) {
		mutex_lock_nested(&inode->lock);
		if (inode->nlink == 0)
			err = -ENOENT;		/* unlinked meanwhile: no resurrection */
		else if (inode->nlink >= 0xffffffffu)
			err = -EMLINK;
		else if (!dir->iop || !dir->iop->link)
			err = -EPERM;
		else
			err = dir->iop->link(old.dentry, dir, d);
		mutex_unlock(&inode->lock);
	}
	dput(d);
unlock:
	mutex_unlock(&dir->lock);
out:
	kfree((void *)last.name);
	path_put(&parent);
out_old:
	path_put(&old);
	return err;
}

int
vfs_remove_locked(struct inode *dir, struct dentry *victim, bool isdir)
{
	struct inode *inode = victim->inode;
	const struct inode_operations *op = dir->iop;
	int err;

	mutex_lock_nested(&inode->lock);
	if (is_mountpoint(victim))
		err = -EBUSY;
	else if (isdir)
		err = op && op->rmdir ? op->rmdir(dir, victim) : -EPERM;
	else
		err = op && op->unlink ? op->unlink(dir, victim) : -EPERM;
	if (!err)
		d_dont_mount(victim);
	mutex_unlock(&inode->lock);
	if (!err)
		d_delete(victim);
	return err;
}

static int
remove_at(int dirfd, const char *name, bool isdir)
{
	struct path parent;
	struct qstr last;
	enum last_type type;
	struct dentry *d;
	struct inode *dir;
	bool slash;
	int err = path_parentat(dirfd, name, &parent, &last, &type, &slash);

	if (err)
		return err;
	if (type != LAST_NORM) {
		if (!isdir)
			err = -EISDIR;
		else
			err = type == LAST_DOT ? -EINVAL : type == LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
		goto out;
	}
	dir = parent.dentry->inode;
	mutex_lock(&dir->lock);
	d = lookup_locked(parent.dentry, &last);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
		goto unlock;
	}
	if (d_is_negative(d))
		err = -ENOENT;
	else if (!isdir && slash)
		err = S_ISDIR(d->inode->mode) ? -EISDIR : -ENOTDIR;
	else
		err = may_delete(dir, d, isdir);
	if (!err && mnt_is_readonly(parent.mnt))
		err = -EROFS;
	if (!err)
		err = vfs_remove_locked(dir, d, isdir);
	dput(d);
unlock:
	mutex_unlock(&dir->lock);
out:
	kfree((void *)last.name);
	path_put(&parent);
	return err;
}

int
vfs_unlinkat(int dirfd, const char *name, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return remove_at(dirfd, name, flags & AT_REMOVEDIR);
}

/* Lock two directories for rename: an ancestor first, else by address. */
static void
lock_two(struct dentry *a, struct dentry *b)
{
	struct inode *ia = a->inode, *ib = b->inode;

	if (ia == ib) {
		mutex_lock(&ia->lock);
		return;
	}
	if (d_is_ancestor(b, a) || (!d_is_ancestor(a, b) && ib < ia)) {
		struct inode *t = ia;

		ia = ib;
		ib = t;
	}
	mutex_lock(&ia->lock);
	mutex_lock_nested(&ib->lock);
}

static void
unlock_two(struct dentry *a, struct dentry *b)
{
	mutex_unlock(&a->inode->lock);
	if (a->inode != b->inode)
		mutex_unlock(&b->inode->lock);
}

/*
 * The inodes a rename changes besides the directories (link counts,
 * ctime), locked as Linux does: a source that is not a directory, and a
 * target unless it is a directory being exchanged; two files in address
 * order.  Both directories are locked already: they come first.
 */
static void
lock_renamed(struct inode *src, struct inode *dst, unsigned int flags, struct inode *held[2])
{
	struct inode *a = S_ISDIR(src->mode) ? NULL : src;
	struct inode *b = dst && (!S_ISDIR(dst->mode) || !(flags & RENAME_EXCHANGE)) ? dst : NULL;

	if (!a || (b && b < a)) {
		struct inode *t = a;

		a = b;
		b = t;
	}
	held[0] = a;
	held[1] = b;
	if (a)
		mutex_lock_nested(&a->lock);
	if (b)
		mutex_lock_nested(&b->lock);
}

/* Checks once both entries are found (both directories locked). */
static int
may_rename(const struct path *op, struct dentry *od, const struct path *np, struct dentry *nd,
	   unsigned int flags, bool oslash, bool nslash)
{
	struct inode *odir = op->dentry->inode, *ndir = np->dentry->inode;
	struct inode *src = od->inode, *dst = nd->inode;
	bool isdir;
	int err;

	if (!src)
		return -ENOENT;
	isdir = S_ISDIR(src->mode);
	if ((oslash || nslash) && !isdir)
		return -ENOTDIR;
	if (flags & RENAME_EXCHANGE) {
		if (!dst)
			return -ENOENT;
		if (nslash && !S_ISDIR(dst->mode))
			return -ENOTDIR;
	} else if (dst && (flags & RENAME_NOREPLACE)) {
		return -EEXIST;
	}
	/* Into itself: the source would become its own ancestor. */
	if (isdir && d_is_ancestor(od, np->dentry))
		return -EINVAL;
	if (dst && S_ISDIR(dst->mode) && d_is_ancestor(nd, op->dentry))
		return (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
	if (src == dst)
		return 1;		/* the same file: nothing to do */
	err = may_delete(odir, od, isdir);
	if (err)
		return err;
	if (dst) {
		err = may_delete(ndir, nd, (flags & RENAME_EXCHANGE) ? S_ISDIR(dst->mode) : isdir);
		if (err)
			return err;
	} else {
		err = may_create(ndir);
		if (err)
			return err;
	}
	/* A directory moving elsewhere rewrites its "..". */
	if (isdir && odir != ndir) {
		err = inode_permission(src, MAY_WRITE);
		if (err)
			return err;
	}
	if ((flags & RENAME_EXCHANGE) && dst && S_ISDIR(dst->mode) && odir != ndir) {
		err = inode_permission(dst, MAY_WRITE);
		if (err)
			return err;
	}
	if (mnt_is_readonly(op->mnt))
		return -EROFS;
	return 0;
}

int
vfs_renameat2(int olddirfd, const char *oldname, int newdirfd, const char *newname,
	      unsigned int flags)
{
	struct path op, np;
	struct qstr olast, nlast;
	enum last_type otype, ntype;
	struct dentry *od = NULL, *nd = NULL;
	struct inode *held[2] = { NULL, NULL };
	bool oslash, nslash;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;		/* no overlay file systems here */
	err = path_parentat(olddirfd, oldname, &op, &olast, &otype, &oslash);
	if (err)
		return err;
	err = path_parentat(newdirfd, newname, &np, &nlast, &ntype, &nslash);
	if (err)
		goto out_old;
	err = -EXDEV;
	if (op.mnt != np.mnt)
		goto out;
	err = -EBUSY;
	if (otype != LAST_NORM || ntype != LAST_NORM)
		goto out;
	mutex_lock(&rename_mutex);
	lock_two(op.dentry, np.dentry);
	od = lookup_locked(op.dentry, &olast);
	if (IS_ERR(od)) {
		err = (int)PTR_ERR(od);
		od = NULL;
		goto unlock;
	}
	nd = lookup_locked(np.dentry, &nlast);
	if (IS_ERR(nd)) {
		err = (int)PTR_ERR(nd);
		nd = NULL;
		goto unlock;
	}
	err = may_rename(&op, od, &np, nd, flags, oslash, nslash);
	if (err == 1) {
		err = 0;
		goto unlock;
	}
	if (!err && (!op.dentry->inode->iop || !op.dentry->inode->iop->rename))
		err = -EPERM;
	if (!err) {
		/* A replaced target is checked and marked under its lock, as rmdir does. */
		lock_renamed(od->inode, nd->inode, flags, held);
		if (is_mountpoint(od) || is_mountpoint(nd))
			err = -EBUSY;
		else
			err = op.dentry->inode->iop->rename(op.dentry->inode, od,
							    np.dentry->inode, nd, flags);
		if (!err && nd->inode && !(flags & RENAME_EXCHANGE))
			d_dont_mount(nd);
		if (!err)
			err = (flags & RENAME_EXCHANGE) ? d_exchange(od, nd) : d_move(od, nd);
		for (int i = 0; i < 2; i++)
			if (held[i])
				mutex_unlock(&held[i]->lock);
	}
unlock:
	if (nd)
		dput(nd);
	if (od)
		dput(od);
	unlock_two(op.dentry, np.dentry);
	mutex_unlock(&rename_mutex);
out:
	kfree((void *)nlast.name);
	path_put(&np);
out_old:
	kfree((void *)olast.name);
	path_put(&op);
	return err;
}

ssize_t
vfs_readlinkat(int dirfd, const char *name, char *buf, size_t n)
{
	struct path p;
	struct inode *inode;
	char *tmp;
	ssize_t len;
	int err;

	if (n == 0 || n > SSIZE_MAX)
		return -EINVAL;
	/* An empty name reads the link dirfd itself is open on (O_PATH). */
	err = path_lookupat(dirfd, name, dirfd != AT_FDCWD ? LOOKUP_EMPTY : 0, &p);
	if (err)
		return err;
	inode = p.dentry->inode;
	if (!S_ISLNK(inode->mode) || !inode->iop || !inode->iop->readlink) {
		path_put(&p);
		return -EINVAL;
	}
	tmp = kmalloc(PATH_MAX);
	if (!tmp) {
		path_put(&p);
		return -ENOMEM;
	}
	len = inode->iop->readlink(inode, tmp, PATH_MAX);
	if (len > 0) {
		if ((size_t)len > n)
			len = (ssize_t)n;	/* truncated, no NUL: as Linux */
		memcpy(buf, tmp, (size_t)len);
	}
	kfree(tmp);
	path_put(&p);
	return len;
}
