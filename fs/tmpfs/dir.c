/*
 * tmpfs directories and symlinks: entries in creation order with rising
 * getdents cookies, link counts as Linux keeps them (a directory has 2
 * plus one per subdirectory), and rename including RENAME_EXCHANGE.
 * The VFS holds the directories' inode.lock around each call.
 */
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/slab.h>
#include <kernel/vfs.h>
#include <string.h>

#include "tmpfs.h"

static struct tmpfs_dirent *
find_entry(struct inode *dir, const struct qstr *name)
{
	struct list_head *pos;

	list_for_each(pos, &TI(dir)->entries) {
		struct tmpfs_dirent *e = list_entry(pos, struct tmpfs_dirent, node);

		if (e->len == name->len && memcmp(e->name, name->name, name->len) == 0)
			return e;
	}
	return NULL;
}

/* A new entry for inode (taking a reference) at the end of dir. */
static int
add_entry(struct inode *dir, const struct qstr *name, struct inode *inode)
{
	struct tmpfs_dirent *e = kmalloc(sizeof(*e) + name->len + 1);

	if (!e)
		return -ENOMEM;
	e->inode = igrab(inode);
	e->len = name->len;
	memcpy(e->name, name->name, name->len);
	e->name[name->len] = '\0';
	e->cookie = TI(dir)->next_cookie++;
	list_add_tail(&e->node, &TI(dir)->entries);
	TI(dir)->nentries++;
	return 0;
}

/* Take e out of dir; the caller drops e->inode's reference. */
static void
remove_entry(struct inode *dir, struct tmpfs_dirent *e)
{
	list_del(&e->node);
	TI(dir)->nentries--;
	kfree(e);
}

static void
dir_changed(struct inode *dir)
{
	inode_touch(dir, ATTR_MTIME | ATTR_CTIME);
	dir->size = (loff_t)TI(dir)->nentries * 20;	/* as tmpfs: a size that grows */
}

static int
tmpfs_lookup(struct inode *dir, struct dentry *d)
{
	struct tmpfs_dirent *e = find_entry(dir, &d->name);

	if (e)
		d_instantiate(d, igrab(e->inode));
	return 0;
}

/* Make an inode of mode, enter it as d in dir. */
static int
make_node(struct inode *dir, struct dentry *d, umode_t mode, dev_t rdev, const char *target)
{
	struct inode *inode = tmpfs_new_inode(dir->sb, dir, mode, rdev);
	int err;

	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	if (target) {
		size_t n = strlen(target);
		struct tmpfs_inode *ti = TI(inode);

		ti->target = kmalloc(n + 1);
		if (!ti->target) {
			iput(inode);
			return -ENOMEM;
		}
		memcpy(ti->target, target, n + 1);
		ti->target_len = n;
		inode->size = (loff_t)n;
	}
	err = add_entry(dir, &d->name, inode);
	if (err) {
		iput(inode);
		return err;
	}
	if (S_ISDIR(mode))
		inc_nlink(dir);
	dir_changed(dir);
	d_instantiate(d, inode);	/* the creation reference */
	return 0;
}

static int
tmpfs_create(struct inode *dir, struct dentry *d, umode_t mode)
{
	return make_node(dir, d, mode, 0, NULL);
}

static int
tmpfs_mkdir(struct inode *dir, struct dentry *d, umode_t mode)
{
	return make_node(dir, d, mode, 0, NULL);
}

static int
tmpfs_mknod(struct inode *dir, struct dentry *d, umode_t mode, dev_t rdev)
{
	return make_node(dir, d, mode, rdev, NULL);
}

static int
tmpfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	return make_node(dir, d, S_IFLNK | 0777, 0, target);
}

static int
tmpfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->inode;
	int err = add_entry(dir, &d->name, inode);

	if (err)
		return err;
	inc_nlink(inode);
	inode_touch(inode, ATTR_CTIME);
	dir_changed(dir);
	d_instantiate(d, igrab(inode));
	return 0;
}

static int
tmpfs_unlink(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->inode;
	struct tmpfs_dirent *e = find_entry(dir, &d->name);

	if (!e || e->inode != inode)
		return -ENOENT;
	remove_entry(dir, e);
	drop_nlink(inode);
	inode_touch(inode, ATTR_CTIME);
	dir_changed(dir);
	iput(inode);			/* the entry's reference */
	return 0;
}

static int
tmpfs_rmdir(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->inode;
	struct tmpfs_dirent *e = find_entry(dir, &d->name);

	if (!e || e->inode != inode)
		return -ENOENT;
	if (TI(inode)->nentries)
		return -ENOTEMPTY;
	remove_entry(dir, e);
	inode->nlink = 0;		/* its "." and its name */
	inode_touch(inode, ATTR_CTIME);
	drop_nlink(dir);		/* its ".." */
	dir_changed(dir);
	iput(inode);
	return 0;
}

static int
tmpfs_rename(struct inode *odir, struct dentry *od, struct inode *ndir, struct dentry *nd,
	     unsigned int flags)
{
	struct tmpfs_dirent *oe = find_entry(odir, &od->name), *ne = find_entry(ndir, &nd->name);
	struct inode *src = od->inode, *dst = nd->inode;
	bool src_dir = S_ISDIR(src->mode);
	int err;

	if (!oe || oe->inode != src || (dst && (!ne || ne->inode != dst)))
		return -ENOENT;
	if (flags & RENAME_EXCHANGE) {
		bool dst_dir = S_ISDIR(dst->mode);

		oe->inode = dst;
		ne->inode = src;
		if (odir != ndir && src_dir != dst_dir) {
			/* The ".." links move with the directories. */
			if (src_dir) {
				drop_nlink(odir);
				inc_nlink(ndir);
			} else {
				inc_nlink(odir);
				drop_nlink(ndir);
			}
		}
		inode_touch(src, ATTR_CTIME);
		inode_touch(dst, ATTR_CTIME);
		dir_changed(odir);
		dir_changed(ndir);
		return 0;
	}
	if (dst) {
		if (S_ISDIR(dst->mode) && TI(dst)->nentries)
			return -ENOTEMPTY;
		/* The target's entry now names the source; the target loses it. */
		ne->inode = src;
		if (S_ISDIR(dst->mode)) {
			dst->nlink = 0;
			drop_nlink(ndir);
		} else {
			drop_nlink(dst);
		}
		inode_touch(dst, ATTR_CTIME);
		iput(dst);		/* the entry's reference */
	} else {
		err = add_entry(ndir, &nd->name, src);
		if (err)
			return err;
		iput(src);		/* add_entry took one; oe's moves over */
	}
	remove_entry(odir, oe);
	if (src_dir && odir != ndir) {
		drop_nlink(odir);
		inc_nlink(ndir);
	}
	inode_touch(src, ATTR_CTIME);
	dir_changed(odir);
	dir_changed(ndir);
	return 0;
}

static ssize_t
tmpfs_readlink(struct inode *inode, char *buf, size_t size)
{
	struct tmpfs_inode *ti = TI(inode);
	size_t n = ti->target_len < size ? ti->target_len : size;

	memcpy(buf, ti->target, n);
	return (ssize_t)n;
}

static int
tmpfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct list_head *pos;

	if (!dir_emit_dots(f, ctx))
		return 0;
	list_for_each(pos, &TI(f->inode)->entries) {
		struct tmpfs_dirent *e = list_entry(pos, struct tmpfs_dirent, node);

		if (e->cookie < ctx->pos)
			continue;
		ctx->pos = e->cookie;
		if (!dir_emit(ctx, e->name, e->len, e->inode->ino, mode_to_dtype(e->inode->mode)))
			return 0;
		ctx->pos = e->cookie + 1;
	}
	return 0;
}

const struct inode_operations tmpfs_dir_iops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create,
	.mkdir = tmpfs_mkdir,
	.mknod = tmpfs_mknod,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
};

const struct inode_operations tmpfs_symlink_iops = {
	.readlink = tmpfs_readlink,
	.setattr = tmpfs_setattr,
};

const struct inode_operations tmpfs_special_iops = {
	.setattr = tmpfs_setattr,
};

const struct file_operations tmpfs_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = tmpfs_iterate,
};
