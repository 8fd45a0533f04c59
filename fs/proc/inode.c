/*
 * proc mounts: the superblock, inodes made from tree entries, directory
 * lookup and listing (static entries, then the provider's), symlinks.
 * Every mount of "proc" is its own superblock over the one tree.
 */
#include <kernel/errno.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <kernel/vfs.h>
#include <string.h>

#include "../internal.h"
#include "internal.h"

struct proc_sb {
	struct dentry *root;		/* referenced until put_super */
	struct list_head node;		/* proc_mutex: proc_supers */
};

static LIST_HEAD(proc_supers);		/* proc_mutex: every proc mount */

static struct proc_dir_entry *
PDE(const struct inode *inode)
{
	return inode->priv;
}

struct inode *
proc_get_inode(struct super_block *sb, struct proc_dir_entry *pde)
{
	struct inode *inode = new_inode(sb, pde->mode);

	if (!inode)
		return NULL;
	inode->ino = pde->ino;
	inode->uid = 0;
	inode->gid = 0;
	inode->priv = pde;
	switch (pde->mode & S_IFMT) {
	case S_IFDIR:
		inode->nlink = 2 + READ_ONCE(pde->nsubdirs);
		inode->iop = &proc_dir_iops;
		inode->fop = &proc_dir_fops;
		break;
	case S_IFLNK:
		inode->size = (loff_t)strlen(pde->target);
		inode->iop = &proc_link_iops;
		break;
	default:
		inode->iop = &proc_file_iops;
		inode->fop = &proc_file_fops;	/* size 0, as Linux shows */
		break;
	}
	return inode;
}

/* ------------------------------------------------------------ directories */

static int
proc_lookup(struct inode *dir, struct dentry *d)
{
	struct proc_dir_entry *e;
	struct inode *inode;
	int err = -ENOENT;

	mutex_lock(&proc_mutex);
	e = proc_find_child(PDE(dir), d->name.name, d->name.len);
	if (e) {
		inode = proc_get_inode(dir->sb, e);
		if (inode) {
			d_instantiate(d, inode);
			err = 0;
		} else {
			err = -ENOMEM;
		}
	} else if (PDE(dir) == &proc_root && proc_pid_provider) {
		err = proc_pid_provider->lookup(dir, d);
	}
	mutex_unlock(&proc_mutex);
	/* Never negative: a missing name is ENOENT, as Linux's proc says. */
	return err;
}

static int
proc_iterate(struct file *f, struct dir_context *ctx)
{
	struct proc_dir_entry *dir = PDE(f->inode);
	struct list_head *pos;
	int err = 0;

	if (!dir_emit_dots(f, ctx))
		return 0;
	mutex_lock(&proc_mutex);
	list_for_each(pos, &dir->children) {
		struct proc_dir_entry *e = list_entry(pos, struct proc_dir_entry, sibling);

		if (e->pos < ctx->pos)
			continue;
		ctx->pos = e->pos;
		if (!dir_emit(ctx, e->name, e->len, e->ino, mode_to_dtype(e->mode)))
			goto out;
		ctx->pos = e->pos + 1;
	}
	if (dir == &proc_root && proc_pid_provider) {
		if (ctx->pos < PROC_PID_POS_FIRST)
			ctx->pos = PROC_PID_POS_FIRST;
		err = proc_pid_provider->iterate(f->inode, f, ctx);
	}
out:
	mutex_unlock(&proc_mutex);
	return err;
}

/* chmod and chown change this mount's inode; a size (O_TRUNC) is ignored. */
static int
proc_setattr(struct inode *inode, const struct iattr *attr)
{
	struct iattr a = *attr;

	a.valid &= ~ATTR_SIZE;
	return simple_setattr(inode, &a);
}

static ssize_t
proc_readlink(struct inode *inode, char *buf, size_t size)
{
	const char *t = PDE(inode)->target;
	size_t n = strlen(t);

	if (n > size)
		n = size;
	memcpy(buf, t, n);
	return (ssize_t)n;
}

const struct inode_operations proc_dir_iops = {
	.lookup = proc_lookup,
	.setattr = proc_setattr,
};

const struct inode_operations proc_link_iops = {
	.readlink = proc_readlink,
	.setattr = proc_setattr,
};

const struct inode_operations proc_file_iops = {
	.setattr = proc_setattr,
};

const struct file_operations proc_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_iterate,
};

/* ------------------------------------------------------------ superblock */

/* The cached dentry names[0]/.../names[n - 1] below dir (referenced), or NULL. */
static struct dentry *
cached_path(struct dentry *dir, const char *const *names, unsigned int n)
{
	struct dentry *d = dget(dir), *child;

	for (unsigned int i = 0; i < n && d; i++) {
		struct qstr q = { names[i], (uint32_t)strlen(names[i]), 0 };

		q.hash = name_hash(q.name, q.len);
		child = d_lookup(d, &q);
		dput(d);
		d = child;
	}
	return d;
}

void
proc_flush_path(const char *const *names, unsigned int n)
{
	struct list_head *pos;
	LIST_HEAD(detached);

	mutex_lock(&namespace_mutex);		/* before proc_mutex, as mount's fill_super */
	mutex_lock(&proc_mutex);
	list_for_each(pos, &proc_supers) {
		struct proc_sb *ps = list_entry(pos, struct proc_sb, node);
		struct dentry *d = cached_path(ps->root, names, n);

		if (d) {
			detach_mounts_below(d, &detached);
			d_drop(d);
			dput(d);
		}
	}
	mutex_unlock(&proc_mutex);
	mutex_unlock(&namespace_mutex);
	put_detached(&detached);
}

void
proc_flush_name(const char *name)
{
	proc_flush_path(&name, 1);
}

static void
proc_put_super(struct super_block *sb)
{
	struct proc_sb *ps = sb->fs_info;

	mutex_lock(&proc_mutex);
	list_del(&ps->node);
	mutex_unlock(&proc_mutex);
	dput(ps->root);
	kfree(ps);
}

/* Entries own nothing; per-process inodes own what they stand for. */
static void
proc_evict_inode(struct inode *inode)
{
	proc_pid_evict_inode(inode);
}

static const struct super_operations proc_sops = {
	.evict_inode = proc_evict_inode,
	.statfs = simple_statfs,
	.put_super = proc_put_super,
};

static int
proc_fill_super(struct super_block *sb, const char *source, const char *data)
{
	struct proc_sb *ps = kzalloc(sizeof(*ps));
	struct inode *root;

	if (!ps)
		return -ENOMEM;
	proc_builtin_init();
	sb->magic = PROC_SUPER_MAGIC;
	sb->ops = &proc_sops;
	sb->fs_info = ps;
	root = proc_get_inode(sb, &proc_root);
	sb->root = d_make_root(root);
	if (!sb->root) {
		kfree(ps);
		sb->fs_info = NULL;
		return -ENOMEM;
	}
	/* Our own reference: proc_flush_name() may use it until put_super. */
	ps->root = dget(sb->root);
	mutex_lock(&proc_mutex);
	list_add_tail(&ps->node, &proc_supers);
	mutex_unlock(&proc_mutex);
	return 0;
}

FILESYSTEM(proc_fs_type) = {
	.name = "proc",
	.fill_super = proc_fill_super,
};
