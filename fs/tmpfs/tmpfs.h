/*
 * tmpfs internals, shared by its super, directory and file code.
 *
 * Every directory keeps its entries in a list in creation order; each
 * entry holds a reference to its inode, so a linked inode lives as long
 * as its names.  A regular file's pages are its page cache, by index
 * (holes are absent pages).  The inode's lock guards its entries, size
 * and seals; mapping->lock the pages; tmpfs_sb.lock the space and inode
 * counters.
 */
#ifndef FS_TMPFS_H
#define FS_TMPFS_H

#include <kernel/list.h>
#include <kernel/pagecache.h>
#include <kernel/shmem.h>
#include <kernel/spinlock.h>
#include <kernel/vfs.h>


struct tmpfs_sb {
	struct spinlock lock;		/* the counters below */
	uint64_t max_pages, used_pages;
	uint64_t max_inodes, used_inodes;
	umode_t root_mode;
	uid_t root_uid;
	gid_t root_gid;
	bool limited;			/* size= given (or the default half of RAM) */
};

struct tmpfs_dirent {
	struct list_head node;		/* dir's inode.lock */
	struct inode *inode;		/* referenced */
	loff_t cookie;			/* getdents position, rising */
	uint32_t len;
	char name[];
};

struct tmpfs_inode {
	struct inode *self;
	/* Directories. */
	struct list_head entries;
	unsigned int nentries;
	loff_t next_cookie;
	struct list_head work;		/* put_super's walk */
	/* Regular files: their pages and seals (inode->mapping points here). */
	struct address_space mapping;
	/* Symlinks. */
	char *target;
	size_t target_len;
};

static inline struct tmpfs_inode *
TI(const struct inode *inode)
{
	return inode->priv;
}

static inline struct tmpfs_sb *
TSB(const struct super_block *sb)
{
	return sb->fs_info;
}

extern const struct inode_operations tmpfs_dir_iops, tmpfs_file_iops, tmpfs_symlink_iops,
	tmpfs_special_iops;
extern const struct file_operations tmpfs_dir_fops, tmpfs_file_fops;
extern const struct address_space_operations tmpfs_aops;

struct inode *tmpfs_new_inode(struct super_block *sb, const struct inode *dir, umode_t mode,
			      dev_t rdev);
bool tmpfs_charge_pages(struct super_block *sb, uint64_t n);
void tmpfs_uncharge_pages(struct super_block *sb, uint64_t n);
int tmpfs_setattr(struct inode *inode, const struct iattr *attr);
void tmpfs_release_tree(struct super_block *sb);
/*
 * Fill sb as a tmpfs from the option string, its root directory of
 * default_mode unless mode= says otherwise (devtmpfs is a tmpfs too).
 */
int tmpfs_fill_common(struct super_block *sb, const char *data, umode_t default_mode);

#endif
