/*
 * devtmpfs: Linux's "devtmpfs", a tmpfs whose one instance (FS_SINGLE)
 * every mount shows, root 0755.  The kernel holds the instance itself
 * (kern_mount), so it lives from vfs_init() on and its nodes survive an
 * unmount of /dev, as Linux's.  Drivers add the nodes of their devices
 * with devtmpfs_create_node(); requests made before the instance exists
 * wait in a queue and are carried out when vfs_init() makes it.
 *
 * Nodes are made with the file system's own directory operations on the
 * instance's dentries (each directory's inode.lock held across lookup
 * and change, as the VFS does), not through paths: the caller's root,
 * cwd, umask and mounts on top of /dev do not matter.
 *
 * devtmpfs_mutex serialises the requests and guards the queue and
 * devtmpfs_root; it is taken before any inode.lock and never while one
 * is held, and never under namespace_mutex (fill_super does not take it).
 */
#include <kernel/devtmpfs.h>
#include <kernel/errno.h>
#include <kernel/list.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <kernel/sync.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"
#include "tmpfs/tmpfs.h"

struct devtmpfs_req {
	struct list_head node;		/* devtmpfs_mutex */
	bool remove;
	umode_t mode;
	dev_t dev;
	char name[];
};

static struct mutex devtmpfs_mutex = MUTEX_INIT(devtmpfs_mutex, "devtmpfs");
static LIST_HEAD(queue);			/* devtmpfs_mutex */
static struct dentry *devtmpfs_root;		/* devtmpfs_mutex: the instance's root */

static int
devtmpfs_fill_super(struct super_block *sb, const char *source, const char *data)
{
	return tmpfs_fill_common(sb, data, 0755);
}

FILESYSTEM(devtmpfs_type) = {
	.name = "devtmpfs",
	.flags = FS_SINGLE,
	.fill_super = devtmpfs_fill_super,
};

/* "a/b/c": no empty, "." or ".." component, not absolute, short enough. */
static bool
name_ok(const char *name)
{
	const char *s = name;

	if (!*s || strnlen(name, PATH_MAX) == PATH_MAX)
		return false;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 || n > NAME_MAX || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += n;
		if (*s == '/' && !*++s)
			return false;	/* a trailing slash */
	}
	return true;
}

static void
component(struct qstr *q, const char *s, size_t n)
{
	q->name = s;
	q->len = (uint32_t)n;
	q->hash = name_hash(s, q->len);
}

/*
 * Step from dir (referenced, consumed) to its child named by q, making
 * it a 0755 directory when make is set and it is missing.  The child is
 * referenced; it must be a directory.
 */
static struct dentry *
step_dir(struct dentry *dir, const struct qstr *q, bool make)
{
	struct inode *di = dir->inode;
	struct dentry *d;
	int err = 0;

	mutex_lock(&di->lock);
	d = lookup_locked(dir, q);
	if (!IS_ERR(d) && d_is_negative(d)) {
		err = make ? di->iop->mkdir(di, d, S_IFDIR | 0755) : -ENOENT;
	} else if (!IS_ERR(d) && !S_ISDIR(d->inode->mode)) {
		err = -ENOTDIR;
	}
	mutex_unlock(&di->lock);
	dput(dir);
	if (!IS_ERR(d) && err) {
		dput(d);
		d = ERR_PTR(err);
	}
	return d;
}

/*
 * The directory holding the last component of name[0..len) (referenced),
 * and that component in *last.
 */
static struct dentry *
walk_parent(const char *name, size_t len, struct qstr *last, bool make)
{
	struct dentry *dir = dget(devtmpfs_root);
	const char *s = name, *end = name + len;

	for (;;) {
		const char *e = memchr(s, '/', (size_t)(end - s));

		if (!e) {
			component(last, s, (size_t)(end - s));
			return dir;
		}
		component(last, s, (size_t)(e - s));
		dir = step_dir(dir, last, make);
		if (IS_ERR(dir))
			return dir;
		s = e + 1;
	}
}

static int
create_node(const char *name, umode_t mode, dev_t dev)
{
	struct qstr last;
	struct dentry *dir = walk_parent(name, strlen(name), &last, true), *d;
	struct inode *di;
	int err;

	if (IS_ERR(dir))
		return (int)PTR_ERR(dir);
	di = dir->inode;
	mutex_lock(&di->lock);
	d = lookup_locked(dir, &last);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else {
		err = d_is_negative(d) ? di->iop->mknod(di, d, mode, dev) : -EEXIST;
		dput(d);
	}
	mutex_unlock(&di->lock);
	dput(dir);
	return err;
}

/* Remove the directory name[0..len) if it is empty; false to stop. */
static bool
remove_empty_dir(const char *name, size_t len)
{
	struct qstr last;
	struct dentry *dir = walk_parent(name, len, &last, false), *d;
	struct inode *di;
	int err;

	if (IS_ERR(dir))
		return false;
	di = dir->inode;
	mutex_lock(&di->lock);
	d = lookup_locked(dir, &last);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else {
		if (d_is_negative(d) || !S_ISDIR(d->inode->mode))
			err = -ENOENT;
		else
			err = vfs_remove_locked(di, d, true);	/* -ENOTEMPTY when it is not */
		dput(d);
	}
	mutex_unlock(&di->lock);
	dput(dir);
	return err == 0;
}

static int
remove_node(const char *name, dev_t dev)
{
	struct qstr last;
	struct dentry *dir = walk_parent(name, strlen(name), &last, false), *d;
	struct inode *di;
	int err;

	if (IS_ERR(dir))
		return (int)PTR_ERR(dir);
	di = dir->inode;
	mutex_lock(&di->lock);
	d = lookup_locked(dir, &last);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else {
		struct inode *victim = d->inode;

		/* Only the device's own node: a program may have replaced it. */
		if (!victim || !(S_ISCHR(victim->mode) || S_ISBLK(victim->mode)) ||
		    victim->rdev != dev)
			err = -ENOENT;
		else
			err = vfs_remove_locked(di, d, false);
		dput(d);
	}
	mutex_unlock(&di->lock);
	dput(dir);
	if (err)
		return err;
	/* The directories above it that it leaves empty ("input/"). */
	for (const char *e = strrchr(name, '/'); e; ) {
		size_t len = (size_t)(e - name);

		if (!remove_empty_dir(name, len))
			break;
		for (e = NULL; len--; )
			if (name[len] == '/') {
				e = name + len;
				break;
			}
	}
	return 0;
}

static int
queue_req(const char *name, umode_t mode, dev_t dev, bool remove)
{
	size_t n = strlen(name) + 1;
	struct devtmpfs_req *r = kmalloc(sizeof(*r) + n);

	if (!r)
		return -ENOMEM;
	r->remove = remove;
	r->mode = mode;
	r->dev = dev;
	memcpy(r->name, name, n);
	list_add_tail(&r->node, &queue);
	return 0;
}

int
devtmpfs_create_node(const char *name, umode_t mode, dev_t dev)
{
	int err;

	if (!name_ok(name))
		return -EINVAL;
	if (!(mode & S_IFMT))
		mode |= S_IFCHR;
	if (!S_ISCHR(mode) && !S_ISBLK(mode))
		return -EINVAL;
	if (!(mode & 07777))
		mode |= 0600;
	mutex_lock(&devtmpfs_mutex);
	if (devtmpfs_root)
		err = create_node(name, mode, dev);
	else
		err = queue_req(name, mode, dev, false);
	mutex_unlock(&devtmpfs_mutex);
	return err;
}

int
devtmpfs_remove_node(const char *name, dev_t dev)
{
	int err;

	if (!name_ok(name))
		return -EINVAL;
	mutex_lock(&devtmpfs_mutex);
	if (devtmpfs_root)
		err = remove_node(name, dev);
	else
		err = queue_req(name, 0, dev, true);
	mutex_unlock(&devtmpfs_mutex);
	return err;
}

void
devtmpfs_init(void)
{
	struct mount *mnt = kern_mount("devtmpfs", NULL);

	if (IS_ERR(mnt)) {
		pr_err("devtmpfs: cannot make the instance: %ld\n", PTR_ERR(mnt));
		return;
	}
	mutex_lock(&devtmpfs_mutex);
	devtmpfs_root = mnt->root;	/* the kernel's mount holds it for good */
	while (!list_empty(&queue)) {
		struct devtmpfs_req *r = list_first_entry(&queue, struct devtmpfs_req, node);
		int err = r->remove ? remove_node(r->name, r->dev)
				    : create_node(r->name, r->mode, r->dev);

		if (err)
			pr_warn("devtmpfs: %s %s: %d\n", r->remove ? "removing" : "making",
				r->name, err);
		list_del(&r->node);
		kfree(r);
	}
	mutex_unlock(&devtmpfs_mutex);
	pr_info("devtmpfs: initialized\n");
}
