/*
 * Path walk: from the root, the cwd or a directory fd, component by
 * component through the dentry cache (asking the file system on a miss),
 * across mount points both ways, following symlinks (at most MAXSYMLINKS
 * in one walk) with Linux's rules for trailing slashes, "." and "..",
 * ENAMETOOLONG and search permission.  Also the open-time walk that
 * creates the last component (through a dangling symlink too).
 */
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/slab.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

struct nameidata {
	struct path path;		/* where the walk is */
	struct path root;		/* the caller's "/" */
	const char *cursor;		/* what is left of the current string */
	unsigned int links;		/* symlinks followed */
	bool jumped;			/* a magic link put the walk where it is */
	unsigned int depth;		/* strings suspended by symlinks */
	const char *saved[MAXSYMLINKS];
	unsigned int nbodies;
	char *bodies[MAXSYMLINKS];	/* symlink targets read, freed at the end */
};

static void
nd_free(struct nameidata *nd)
{
	if (nd->path.mnt)
		path_put(&nd->path);
	if (nd->root.mnt)
		path_put(&nd->root);
	for (unsigned int i = 0; i < nd->nbodies; i++)
		kfree(nd->bodies[i]);
	kfree(nd);
}

/* Set up a walk of name from dirfd; on error nothing is held. */
static struct nameidata *
nd_start(int dirfd, const char *name, unsigned int flags, int *errp)
{
	struct nameidata *nd;
	struct fs_struct *fs = current_fs();
	unsigned long irq;
	int err = 0;

	if (strnlen(name, PATH_MAX) == PATH_MAX) {
		*errp = -ENAMETOOLONG;
		return NULL;
	}
	if (!*name && !(flags & LOOKUP_EMPTY)) {
		*errp = -ENOENT;
		return NULL;
	}
	/* Not zeroed whole: saved[] and bodies[] are used only up to depth and nbodies. */
	nd = kmalloc(sizeof(*nd));
	if (!nd) {
		*errp = -ENOMEM;
		return NULL;
	}
	nd->path = (struct path){ 0 };
	nd->cursor = NULL;
	nd->links = 0;
	nd->jumped = false;
	nd->depth = 0;
	nd->nbodies = 0;
	irq = spin_lock_irqsave(&fs->lock);
	nd->root = fs->root;
	path_get(&nd->root);
	if (*name == '/') {
		nd->path = fs->root;
		path_get(&nd->path);
	} else if (dirfd == AT_FDCWD) {
		nd->path = fs->cwd;
		path_get(&nd->path);
	}
	spin_unlock_irqrestore(&fs->lock, irq);
	if (*name != '/' && dirfd != AT_FDCWD) {
		struct file *f = fget(dirfd);

		if (!f) {
			err = -EBADF;
		} else {
			if (*name && !S_ISDIR(f->inode->mode))
				err = -ENOTDIR;
			else {
				nd->path = f->path;
				path_get(&nd->path);
			}
			fput(f);
		}
	}
	if (err) {
		nd_free(nd);
		*errp = err;
		return NULL;
	}
	nd->cursor = name;
	return nd;
}

/* Replace the walk's place with p (taking over its references). */
static void
nd_set(struct nameidata *nd, struct path *p)
{
	path_put(&nd->path);
	nd->path = *p;
}

static int
may_lookup(struct nameidata *nd)
{
	struct inode *dir = nd->path.dentry->inode;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	return inode_permission(dir, MAY_EXEC);
}

struct dentry *
lookup_locked(struct dentry *dir, const struct qstr *name)
{
	struct inode *inode = dir->inode;
	struct dentry *d = d_lookup(dir, name);
	int err;

	if (d)
		return d;
	if (inode->nlink == 0)
		return ERR_PTR(-ENOENT);	/* a removed directory stays empty */
	if (!inode->iop || !inode->iop->lookup)
		return ERR_PTR(-ENOTDIR);
	d = d_alloc(dir, name);
	if (!d)
		return ERR_PTR(-ENOMEM);
	err = inode->iop->lookup(inode, d);
	if (err) {
		dput(d);
		return ERR_PTR(err);
	}
	d_rehash(d);
	return d;
}

struct dentry *
lookup_unlocked(struct dentry *dir, const struct qstr *name)
{
	struct dentry *d = d_lookup(dir, name);

	if (d)
		return d;
	mutex_lock(&dir->inode->lock);
	d = lookup_locked(dir, name);
	mutex_unlock(&dir->inode->lock);
	return d;
}

/*
 * The path to child, a dentry in the walk's directory: it takes over the
 * caller's reference to child and enters what is mounted on it.
 */
static void
enter_child(struct nameidata *nd, struct dentry *child, struct path *next)
{
	mnt_get(nd->path.mnt);
	next->mnt = nd->path.mnt;
	next->dentry = child;
	follow_mount(next);
}

/* The existing entry last of the walk's directory, in *next (referenced). */
static int
lookup_child(struct nameidata *nd, const struct qstr *last, struct path *next)
{
	struct dentry *child = lookup_unlocked(nd->path.dentry, last);

	if (IS_ERR(child))
		return (int)PTR_ERR(child);
	if (d_is_negative(child)) {
		dput(child);
		return -ENOENT;
	}
	enter_child(nd, child, next);
	return 0;
}

/* The next component: its name in *last, its kind in *type, false at the end. */
static bool
next_component(struct nameidata *nd, struct qstr *last, enum last_type *type, int *err)
{
	const char *s = nd->cursor, *e;
	uint32_t h = NAME_HASH_INIT;

	while (*s == '/')
		s++;
	if (!*s)
		return false;
	for (e = s; *e && *e != '/'; e++)
		h = name_hash_step(h, *e);	/* one pass: the hash as the scan goes */
	if (e - s > NAME_MAX) {
		*err = -ENAMETOOLONG;
		return false;
	}
	nd->jumped = false;
	last->name = s;
	last->len = (uint32_t)(e - s);
	last->hash = h;
	if (last->len == 1 && s[0] == '.')
		*type = LAST_DOT;
	else if (last->len == 2 && s[0] == '.' && s[1] == '.')
		*type = LAST_DOTDOT;
	else
		*type = LAST_NORM;
	nd->cursor = e;
	return true;
}

/* True if only slashes are left of the current string. */
static bool
at_end(struct nameidata *nd, bool *slash)
{
	const char *s = nd->cursor;

	*slash = *s == '/';
	while (*s == '/')
		s++;
	return *s == '\0';
}

/*
 * Read the symlink at child into a new string and continue the walk
 * there: from the root if it is absolute, else from where the walk is
 * (the link's directory).  A magic link (get_link) puts the walk on the
 * object itself instead, with nothing left of its string.
 */
static int
follow_link(struct nameidata *nd, struct dentry *child)
{
	struct inode *inode = child->inode;
	char *body;
	ssize_t n;

	if (++nd->links > MAXSYMLINKS)
		return -ELOOP;
	if (inode->iop && inode->iop->get_link) {
		struct path target;
		int err = inode->iop->get_link(inode, &target);

		if (err)
			return err;
		nd_set(nd, &target);
		nd->cursor = "";
		nd->jumped = true;
		return 0;
	}
	if (!inode->iop || !inode->iop->readlink)
		return -EINVAL;
	body = kmalloc(PATH_MAX);
	if (!body)
		return -ENOMEM;
	nd->bodies[nd->nbodies++] = body;
	n = inode->iop->readlink(inode, body, PATH_MAX);
	if (n < 0)
		return (int)n;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	body[n] = '\0';
	if (n == 0)
		return -ENOENT;
	nd->cursor = body;
	if (body[0] == '/') {
		struct path root = nd->root;

		path_get(&root);
		nd_set(nd, &root);
	}
	return 0;
}

/*
 * Walk every component but the last; stop with the last in *last (or
 * type LAST_ROOT when the string names the starting point itself, "/").
 */
static int
walk_to_last(struct nameidata *nd, struct qstr *last, enum last_type *type, bool *slash)
{
	int err = 0;

	*slash = false;
	for (;;) {
		struct path next;

		if (!next_component(nd, last, type, &err)) {
			if (err)
				return err;
			if (nd->depth) {
				/* A target of slashes only ("/"): resume the outer string. */
				nd->cursor = nd->saved[--nd->depth];
				continue;
			}
			*type = LAST_ROOT;	/* nothing after the start ("/", "") */
			return 0;
		}
		if (at_end(nd, slash)) {
			if (nd->depth == 0)
				return 0;
			/* The end of a symlink's target: resume the outer string. */
			nd->cursor = nd->saved[--nd->depth];
			*slash = false;
		}
		err = may_lookup(nd);
		if (err)
			return err;
		if (*type == LAST_DOT)
			continue;
		if (*type == LAST_DOTDOT) {
			follow_dotdot(&nd->path, &nd->root);
			continue;
		}
		err = lookup_child(nd, last, &next);
		if (err)
			return err;
		if (S_ISLNK(next.dentry->inode->mode)) {
			if (nd->depth == MAXSYMLINKS) {
				path_put(&next);
				return -ELOOP;
			}
			nd->saved[nd->depth++] = nd->cursor;
			err = follow_link(nd, next.dentry);
			path_put(&next);
			if (err)
				return err;
			continue;
		}
		nd_set(nd, &next);
	}
}

/*
 * Resolve the last component as a lookup does.  Returns 1 when it was a
 * symlink to follow (the walk continues in its target), 0 when nd->path
 * is the result.
 */
static int
lookup_last(struct nameidata *nd, const struct qstr *last, enum last_type type, bool slash,
	    unsigned int flags)
{
	struct path next;
	int err;

	if (type == LAST_ROOT)
		return 0;
	/* "." too: "file/." is ENOTDIR, "dir/." needs search on dir. */
	err = may_lookup(nd);
	if (err)
		return err;
	if (type == LAST_DOT)
		return 0;
	if (type == LAST_DOTDOT) {
		follow_dotdot(&nd->path, &nd->root);
		return 0;
	}
	err = lookup_child(nd, last, &next);
	if (err)
		return err;
	if (S_ISLNK(next.dentry->inode->mode) &&
	    (flags & (LOOKUP_FOLLOW | LOOKUP_DIRECTORY) || slash)) {
		err = follow_link(nd, next.dentry);
		path_put(&next);
		return err ? err : 1;
	}
	nd_set(nd, &next);
	return 0;
}

int
path_lookupat(int dirfd, const char *name, unsigned int flags, struct path *out)
{
	struct nameidata *nd;
	struct qstr last;
	enum last_type type;
	bool slash;
	int err;

	nd = nd_start(dirfd, name, flags, &err);
	if (!nd)
		return err;
	do {
		err = walk_to_last(nd, &last, &type, &slash);
		if (!err) {
			/* "name/": followed to a directory, through every symlink. */
			if (slash)
				flags |= LOOKUP_DIRECTORY;
			err = lookup_last(nd, &last, type, slash, flags);
		}
	} while (err == 1);
	if (!err && (slash || (flags & LOOKUP_DIRECTORY)) &&
	    !S_ISDIR(nd->path.dentry->inode->mode))
		err = -ENOTDIR;
	if (!err) {
		*out = nd->path;
		nd->path.mnt = NULL;
		nd->path.dentry = NULL;
	}
	nd_free(nd);
	return err;
}

int
path_parentat(int dirfd, const char *name, struct path *parent, struct qstr *last,
	      enum last_type *type, bool *slash)
{
	struct nameidata *nd;
	char *copy;
	int err;

	nd = nd_start(dirfd, name, 0, &err);
	if (!nd)
		return err;
	err = walk_to_last(nd, last, type, slash);
	if (!err && *type != LAST_ROOT)
		err = may_lookup(nd);
	if (!err) {
		copy = kmalloc(*type == LAST_ROOT ? 1 : last->len + 1);
		if (!copy) {
			err = -ENOMEM;
		} else {
			if (*type == LAST_ROOT)
				last->len = 0;
			else
				memcpy(copy, last->name, last->len);
			copy[last->len] = '\0';
			last->name = copy;
			last->hash = name_hash(copy, last->len);
			*parent = nd->path;
			nd->path.mnt = NULL;
			nd->path.dentry = NULL;
		}
	}
	nd_free(nd);
	return err;
}

int
may_create(struct inode *dir)
{
	if (dir->nlink == 0)
		return -ENOENT;
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

int
may_delete(struct inode *dir, struct dentry *victim, bool isdir)
{
	const struct cred *c = current_cred();
	struct inode *inode = victim->inode;
	int err;

	if (!inode)
		return -ENOENT;
	err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	/* The sticky bit: only owners of the file or the directory delete. */
	if ((dir->mode & S_ISVTX) && c->fsuid != 0 && c->fsuid != inode->uid &&
	    c->fsuid != dir->uid)
		return -EPERM;
	if (isdir && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(inode->mode))
		return -EISDIR;
	return 0;			/* a mountpoint: vfs_remove_locked() and rename say EBUSY */
}

/*
 * The open-time walk: find the last component, creating a regular file
 * for O_CREAT when it is missing (also at the end of a dangling
 * symlink).  *created says whether it was made here.
 */
int
path_openat(int dirfd, const char *name, int flags, umode_t mode, struct path *out,
	    bool *created)
{
	struct nameidata *nd;
	struct qstr last;
	enum last_type type;
	bool slash, dir_only = false;	/* a trailing slash, in the path or a target */
	int err;

	*created = false;
	nd = nd_start(dirfd, name, 0, &err);
	if (!nd)
		return err;
	for (;;) {
		struct inode *dir;
		struct dentry *child;
		struct path next;

		err = walk_to_last(nd, &last, &type, &slash);
		if (err)
			break;
		dir_only |= slash;
		if (type == LAST_ROOT && nd->jumped && (flags & O_CREAT)) {
			/* A magic link names an existing file (/dev/stdout -> /proc/self/fd/1). */
			if (flags & O_EXCL)
				err = -EEXIST;
			else if (S_ISDIR(nd->path.dentry->inode->mode))
				err = -EISDIR;
			break;
		}
		if (type != LAST_NORM) {
			if (flags & O_CREAT) {
				err = -EISDIR;
				break;
			}
			err = lookup_last(nd, &last, type, dir_only, LOOKUP_FOLLOW);
			break;
		}
		if (!(flags & O_CREAT)) {
			err = lookup_last(nd, &last, type, dir_only,
					  (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
			if (err == 1)
				continue;
			if (!err && !dir_only && S_ISLNK(nd->path.dentry->inode->mode) &&
			    !(flags & O_PATH))
				err = -ELOOP;		/* O_NOFOLLOW on a symlink */
			break;
		}
		if (dir_only) {
			err = -EISDIR;
			break;
		}
		dir = nd->path.dentry->inode;
		err = may_lookup(nd);
		if (err)
			break;
		mutex_lock(&dir->lock);
		child = lookup_locked(nd->path.dentry, &last);
		if (IS_ERR(child)) {
			mutex_unlock(&dir->lock);
			err = (int)PTR_ERR(child);
			break;
		}
		if (d_is_negative(child)) {
			err = may_create(dir);
			if (!err && mnt_is_readonly(nd->path.mnt))
				err = -EROFS;
			if (!err && (!dir->iop || !dir->iop->create))
				err = -EACCES;
			if (!err)
				err = dir->iop->create(dir, child,
						       S_IFREG | (mode & S_IALLUGO & ~current_fs()->umask));
			mutex_unlock(&dir->lock);
			if (err) {
				dput(child);
				break;
			}
			*created = true;
			enter_child(nd, child, &next);
			nd_set(nd, &next);
			break;
		}
		mutex_unlock(&dir->lock);
		if (flags & O_EXCL) {
			dput(child);
			err = -EEXIST;
			break;
		}
		enter_child(nd, child, &next);
		if (S_ISLNK(next.dentry->inode->mode)) {
			if (flags & O_NOFOLLOW) {
				path_put(&next);
				err = -ELOOP;
				break;
			}
			err = follow_link(nd, next.dentry);
			path_put(&next);
			if (err)
				break;
			continue;
		}
		nd_set(nd, &next);
		break;
	}
	if (!err && dir_only && !S_ISDIR(nd->path.dentry->inode->mode))
		err = -ENOTDIR;
	if (!err) {
		*out = nd->path;
		nd->path.mnt = NULL;
		nd->path.dentry = NULL;
	}
	nd_free(nd);
	return err;
}
