/*
 * tmpfs: a file system in page-cache pages, Linux's "tmpfs" (and the
 * "rootfs" the initramfs is unpacked into).  This file: mount options
 * (size=, nr_inodes=, mode=, uid=, gid=), the space and inode limits that
 * give ENOSPC, inodes, statfs, remount and tearing the tree down.
 */
#include <kernel/atomic.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <kernel/vfs.h>
#include <string.h>

#include "tmpfs.h"

#define PAGE_BYTES	4096u

static const struct super_operations tmpfs_sops;
static unsigned long pages_in_use;		/* atomic: every mount's */

unsigned long
tmpfs_pages_in_use(void)
{
	return READ_ONCE(pages_in_use);
}

bool
tmpfs_charge_pages(struct super_block *sb, uint64_t n)
{
	struct tmpfs_sb *ts = TSB(sb);
	unsigned long flags = spin_lock_irqsave(&ts->lock);
	bool ok = !ts->limited || ts->used_pages + n <= ts->max_pages;

	if (ok)
		ts->used_pages += n;
	spin_unlock_irqrestore(&ts->lock, flags);
	if (ok)
		(void)atomic_fetch_add(&pages_in_use, (unsigned long)n);
	return ok;
}

void
tmpfs_uncharge_pages(struct super_block *sb, uint64_t n)
{
	struct tmpfs_sb *ts = TSB(sb);
	unsigned long flags = spin_lock_irqsave(&ts->lock);

	ts->used_pages -= n;
	spin_unlock_irqrestore(&ts->lock, flags);
	(void)atomic_sub_return(&pages_in_use, (unsigned long)n);
}

static bool
charge_inode(struct super_block *sb)
{
	struct tmpfs_sb *ts = TSB(sb);
	unsigned long flags = spin_lock_irqsave(&ts->lock);
	bool ok = !ts->limited || ts->used_inodes < ts->max_inodes;

	if (ok)
		ts->used_inodes++;
	spin_unlock_irqrestore(&ts->lock, flags);
	return ok;
}

struct inode *
tmpfs_new_inode(struct super_block *sb, const struct inode *dir, umode_t mode, dev_t rdev)
{
	struct tmpfs_inode *ti;
	struct inode *inode;

	if (!charge_inode(sb))
		return ERR_PTR(-ENOSPC);
	ti = kzalloc(sizeof(*ti));
	inode = ti ? new_inode(sb, mode) : NULL;
	if (!inode) {
		unsigned long flags;

		kfree(ti);
		flags = spin_lock_irqsave(&TSB(sb)->lock);
		TSB(sb)->used_inodes--;
		spin_unlock_irqrestore(&TSB(sb)->lock, flags);
		return ERR_PTR(-ENOMEM);
	}
	inode->priv = ti;
	ti->self = inode;
	inode->ino = sb_next_ino(sb);
	inode_init_owner(inode, dir, mode);
	list_init(&ti->entries);
	list_init(&ti->work);
	ti->next_cookie = 2;		/* 0 and 1 are "." and ".." */
	switch (mode & S_IFMT) {
	case S_IFDIR:
		inode->iop = &tmpfs_dir_iops;
		inode->fop = &tmpfs_dir_fops;
		inode->nlink = 2;
		inode->size = 0;
		break;
	case S_IFREG:
		inode->iop = &tmpfs_file_iops;
		inode->fop = &tmpfs_file_fops;
		mapping_init(&ti->mapping, inode, &tmpfs_aops);
		ti->mapping.seals = F_SEAL_SEAL;	/* memfd_create(MFD_ALLOW_SEALING) clears it */
		inode->mapping = &ti->mapping;
		break;
	case S_IFLNK:
		inode->iop = &tmpfs_symlink_iops;
		break;
	default:
		inode->iop = &tmpfs_special_iops;
		init_special_inode(inode, inode->mode, rdev);
		break;
	}
	return inode;
}

static void
tmpfs_evict(struct inode *inode)
{
	struct tmpfs_inode *ti = TI(inode);
	struct tmpfs_sb *ts = TSB(inode->sb);
	unsigned long flags;

	if (S_ISREG(inode->mode))
		pagecache_release(&ti->mapping);
	/* A directory's entries are gone: rmdir needs it empty, umount walks it. */
	kfree(ti->target);
	kfree(ti);
	flags = spin_lock_irqsave(&ts->lock);
	ts->used_inodes--;
	spin_unlock_irqrestore(&ts->lock, flags);
}

/* Drop every entry of the tree without recursion (deep trees are legal). */
void
tmpfs_release_tree(struct super_block *sb)
{
	struct inode *root = sb->root->inode;
	LIST_HEAD(work);

	list_add_tail(&TI(root)->work, &work);
	while (!list_empty(&work)) {
		struct tmpfs_inode *dti = list_first_entry(&work, struct tmpfs_inode, work);
		struct inode *dir = dti->self;

		list_del(&dti->work);
		while (!list_empty(&dti->entries)) {
			struct tmpfs_dirent *e =
				list_first_entry(&dti->entries, struct tmpfs_dirent, node);

			list_del(&e->node);
			if (S_ISDIR(e->inode->mode))
				list_add_tail(&TI(e->inode)->work, &work);	/* keeps e's reference */
			else
				iput(e->inode);
			kfree(e);
		}
		dti->nentries = 0;
		if (dir != root)
			iput(dir);		/* the reference its entry had */
	}
}

static void
tmpfs_destroy(struct super_block *sb)
{
	kfree(sb->fs_info);
}

static int
tmpfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct tmpfs_sb *ts = TSB(sb);
	unsigned long flags;

	simple_statfs(sb, st);
	flags = spin_lock_irqsave(&ts->lock);
	if (ts->limited) {
		st->blocks = ts->max_pages;
		st->bfree = st->bavail = ts->max_pages - ts->used_pages;
		st->files = ts->max_inodes;
		st->ffree = ts->max_inodes - ts->used_inodes;
	}
	spin_unlock_irqrestore(&ts->lock, flags);
	return 0;
}

/* A number with an optional k/m/g/t suffix; false if malformed. */
static bool
parse_size(const char *s, uint64_t *out, bool *percent)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ull - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*percent = false;
	switch (*p) {
	case '\0':
		break;
	case 'k': case 'K':
		v <<= 10; p++;
		break;
	case 'm': case 'M':
		v <<= 20; p++;
		break;
	case 'g': case 'G':
		v <<= 30; p++;
		break;
	case 't': case 'T':
		v <<= 40; p++;
		break;
	case '%':
		*percent = true; p++;
		break;
	default:
		return false;
	}
	*out = v;
	return *p == '\0';
}

/* The whole string as a number in base (8 or 10). */
static bool
parse_uint(const char *s, unsigned int base, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (*s < '0' || d >= base || v > (~0ull - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static uint64_t
ram_pages(void)
{
	struct mm_stats st;

	mm_stats(&st);
	return st.total_pages;
}

struct tmpfs_opts {
	bool size_set, inodes_set, mode_set, uid_set, gid_set;
	uint64_t pages, inodes;
	umode_t mode;
	uid_t uid;
	gid_t gid;
};

/* "size=10m,mode=755": fill o; -EINVAL with a message for anything else. */
static int
parse_options(const char *data, struct tmpfs_opts *o)
{
	char opt[64];

	while (data && *data) {
		const char *end = strchr(data, ',');
		size_t n = end ? (size_t)(end - data) : strlen(data);
		char *val;
		uint64_t v;
		bool pct;

		if (n >= sizeof(opt)) {
			pr_warn("tmpfs: option too long\n");
			return -EINVAL;
		}
		memcpy(opt, data, n);
		opt[n] = '\0';
		data = end ? end + 1 : data + n;
		if (!n)
			continue;
		val = strchr(opt, '=');
		if (val)
			*val++ = '\0';
		if (!val) {
			pr_warn("tmpfs: unknown option \"%s\"\n", opt);
			return -EINVAL;
		}
		if (!strcmp(opt, "size") && parse_size(val, &v, &pct)) {
			o->pages = pct ? ram_pages() * v / 100 : (v + PAGE_BYTES - 1) / PAGE_BYTES;
			o->size_set = true;
		} else if (!strcmp(opt, "nr_blocks") && parse_size(val, &v, &pct) && !pct) {
			o->pages = v;
			o->size_set = true;
		} else if (!strcmp(opt, "nr_inodes") && parse_size(val, &v, &pct) && !pct) {
			o->inodes = v;
			o->inodes_set = true;
		} else if (!strcmp(opt, "mode") && parse_uint(val, 8, &v) && v <= 07777) {
			o->mode = (umode_t)v;
			o->mode_set = true;
		} else if (!strcmp(opt, "uid") && parse_uint(val, 10, &v) && v < 0xffffffffu) {
			o->uid = (uid_t)v;
			o->uid_set = true;
		} else if (!strcmp(opt, "gid") && parse_uint(val, 10, &v) && v < 0xffffffffu) {
			o->gid = (gid_t)v;
			o->gid_set = true;
		} else {
			pr_warn("tmpfs: bad option \"%s=%s\"\n", opt, val);
			return -EINVAL;
		}
	}
	return 0;
}

int
tmpfs_fill_common(struct super_block *sb, const char *data, umode_t default_mode)
{
	struct tmpfs_opts o = { 0 };
	struct tmpfs_sb *ts;
	struct inode *root;
	int err = parse_options(data, &o);

	if (err)
		return err;
	ts = kzalloc(sizeof(*ts));
	if (!ts)
		return -ENOMEM;
	spin_init(&ts->lock, "tmpfs");
	/* Linux's defaults: half of RAM, and as many inodes as half its pages. */
	ts->limited = true;
	ts->max_pages = o.size_set ? o.pages : ram_pages() / 2;
	ts->max_inodes = o.inodes_set ? o.inodes : ram_pages() / 2;
	if ((o.size_set && !o.pages) || (o.inodes_set && !o.inodes)) {
		/* size=0 / nr_inodes=0: no limit, as Linux. */
		if (o.size_set && !o.pages)
			ts->max_pages = ~0ull;
		if (o.inodes_set && !o.inodes)
			ts->max_inodes = ~0ull;
	}
	ts->root_mode = o.mode_set ? o.mode : default_mode;
	ts->root_uid = o.uid;
	ts->root_gid = o.gid;
	sb->fs_info = ts;
	sb->magic = TMPFS_MAGIC;
	sb->block_size = PAGE_BYTES;
	sb->ops = &tmpfs_sops;
	root = tmpfs_new_inode(sb, NULL, S_IFDIR | ts->root_mode, 0);
	if (IS_ERR(root)) {
		kfree(ts);
		sb->fs_info = NULL;
		return (int)PTR_ERR(root);
	}
	root->uid = ts->root_uid;
	root->gid = ts->root_gid;
	TI(root)->self = root;
	sb->root = d_make_root(root);
	if (!sb->root) {
		kfree(ts);
		sb->fs_info = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int
tmpfs_remount(struct super_block *sb, unsigned long flags, const char *data)
{
	struct tmpfs_opts o = { 0 };
	struct tmpfs_sb *ts = TSB(sb);
	unsigned long irq;
	int err = parse_options(data, &o);

	if (err)
		return err;
	irq = spin_lock_irqsave(&ts->lock);
	if ((o.size_set && o.pages && o.pages < ts->used_pages) ||
	    (o.inodes_set && o.inodes && o.inodes < ts->used_inodes)) {
		err = -EINVAL;		/* cannot shrink below what is in use */
	} else {
		if (o.size_set)
			ts->max_pages = o.pages ? o.pages : ~0ull;
		if (o.inodes_set)
			ts->max_inodes = o.inodes ? o.inodes : ~0ull;
	}
	spin_unlock_irqrestore(&ts->lock, irq);
	return err;
}

static void
tmpfs_show_options(struct super_block *sb, struct seqbuf *out)
{
	struct tmpfs_sb *ts = TSB(sb);
	struct inode *root = sb->root->inode;

	if (ts->max_pages != ~0ull)
		seqbuf_printf(out, ",size=%lluk", (unsigned long long)ts->max_pages * (PAGE_BYTES / 1024));
	if (ts->max_inodes != ~0ull)
		seqbuf_printf(out, ",nr_inodes=%llu", (unsigned long long)ts->max_inodes);
	if ((root->mode & 07777) != 01777)
		seqbuf_printf(out, ",mode=%o", root->mode & 07777);
	if (root->uid)
		seqbuf_printf(out, ",uid=%u", root->uid);
	if (root->gid)
		seqbuf_printf(out, ",gid=%u", root->gid);
}

static const struct super_operations tmpfs_sops = {
	.evict_inode = tmpfs_evict,
	.statfs = tmpfs_statfs,
	.remount = tmpfs_remount,
	.put_super = tmpfs_release_tree,
	.destroy = tmpfs_destroy,
	.show_options = tmpfs_show_options,
};

static int
tmpfs_fill_super(struct super_block *sb, const char *source, const char *data)
{
	return tmpfs_fill_common(sb, data, 01777);
}

static int
rootfs_fill_super(struct super_block *sb, const char *source, const char *data)
{
	return tmpfs_fill_common(sb, data, 0755);
}

FILESYSTEM(tmpfs_type) = {
	.name = "tmpfs",
	.fill_super = tmpfs_fill_super,
};

/* The initial root, as Linux's "rootfs" (a tmpfs). */
FILESYSTEM(rootfs_type) = {
	.name = "rootfs",
	.fill_super = rootfs_fill_super,
};
