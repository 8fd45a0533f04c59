/*
 * The virtual file system: file-system types, superblocks, inodes, the
 * dentry cache, mounts, open files, and the operations a file system
 * provides.  The calls that programs make (open, read, mkdir, rename ...)
 * are in <kernel/fs.h>; this header is for file systems and the VFS.
 *
 * Locking (docs/vfs.md has the whole story and the order):
 *   fs_types_lock  the list of registered file-system types
 *   sb_list_lock   the list of superblocks
 *   mount_lock     the mount tree, mount reference counts, dentry.mounted
 *   dcache_lock    the dentry hash, parent/child links, dentry.inode,
 *                  dentry reference counts and the unused list
 *   inode.lock     (a mutex) the inode's attributes and data; for a
 *                  directory also its entries: held across lookup,
 *                  create and remove in it
 *   rename_mutex   cross-directory renames (taken before any inode.lock)
 *   namespace_mutex mount and umount (taken before everything above)
 */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/stat.h>
#include <kernel/sync.h>
#include <kernel/types.h>
#include <kernel/uio.h>

#define PATH_MAX	4096		/* bytes in a path, with its NUL */
#define NAME_MAX	255		/* bytes in one component */
#define MAXSYMLINKS	40		/* symlinks followed in one walk */

struct dentry;
struct epitem;
struct file;
struct inode;
struct kstatfs;
struct mount;
struct path;
struct pipe_inode_info;
struct poll_table;
struct seqbuf;
struct super_block;

/* A name with its length and hash (not NUL-terminated in general). */
struct qstr {
	const char *name;
	uint32_t len;
	uint32_t hash;
};

/* The dcache's name hash (FNV-1a), whole or a byte at a time (path walks hash as they scan). */
#define NAME_HASH_INIT	2166136261u

static inline uint32_t
name_hash_step(uint32_t h, char c)
{
	return (h ^ (unsigned char)c) * 16777619u;
}

uint32_t name_hash(const char *name, uint32_t len);

/* Directory iteration: the file system calls dir_emit() per entry. */
struct dir_context {
	/* Returns false when the caller's buffer is full: stop there. */
	bool (*actor)(struct dir_context *ctx, const char *name, unsigned int len,
		      uint64_t ino, unsigned int type);
	loff_t pos;			/* next entry to emit */
};

/* d_type values of getdents64. */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

static inline unsigned int
mode_to_dtype(umode_t mode)
{
	return (mode & S_IFMT) >> 12;
}

/* Emit one entry at ctx->pos; true to go on (then ctx->pos is advanced). */
static inline bool
dir_emit(struct dir_context *ctx, const char *name, unsigned int len, uint64_t ino,
	 unsigned int type)
{
	return ctx->actor(ctx, name, len, ino, type);
}

/* "." at position 0 and ".." at 1, for file systems that keep neither. */
bool dir_emit_dots(struct file *f, struct dir_context *ctx);

/* Readiness, as poll(2) reports it. */
#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLWRNORM	0x0100

/*
 * A file's poll operation reports its readiness now and, when pt is not
 * NULL, hands pt each wait queue that a change of readiness wakes; the
 * poll system call sleeps on them.
 */
struct poll_table {
	void (*queue)(struct poll_table *pt, struct file *f, struct wait_queue *wq);
};

static inline void
poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	if (pt && wq)
		pt->queue(pt, f, wq);
}

struct file_operations {
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct inode *inode, struct file *f);
	/*
	 * Move bytes between the file at *pos and the uio; advance *pos by
	 * what moved.  Return the bytes moved, or a negative errno when none
	 * did.  write() with O_APPEND first sets *pos to the end, under the
	 * inode's lock.
	 */
	ssize_t (*read)(struct file *f, struct uio *uio, loff_t *pos);
	ssize_t (*write)(struct file *f, struct uio *uio, loff_t *pos);
	loff_t (*llseek)(struct file *f, loff_t offset, int whence);
	int (*iterate)(struct file *f, struct dir_context *ctx);
	int (*fsync)(struct file *f);
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* Lines of /proc/<pid>/fdinfo/<n> after the common ones (eventfd-count ...). */
	void (*show_fdinfo)(struct seqbuf *m, struct file *f);
};

/* What setattr changes (struct iattr.valid). */
#define ATTR_MODE	(1u << 0)
#define ATTR_UID	(1u << 1)
#define ATTR_GID	(1u << 2)
#define ATTR_SIZE	(1u << 3)
#define ATTR_ATIME	(1u << 4)
#define ATTR_MTIME	(1u << 5)
#define ATTR_CTIME	(1u << 6)

struct iattr {
	unsigned int valid;		/* ATTR_* */
	umode_t mode;
	uid_t uid;
	gid_t gid;
	loff_t size;
	struct timespec64 atime, mtime, ctime;
};

/*
 * Directory operations are called with the directory's inode.lock held
 * (both directories' for rename), after the VFS checked permissions, the
 * name and what the dentry is: create, mkdir, mknod, symlink and link get
 * a negative dentry and make it positive with d_instantiate(); unlink and
 * rmdir get a positive one (rmdir: an empty directory is the file
 * system's check) and leave the dentry to the VFS.
 */
struct inode_operations {
	/* Find d->name in dir: d_instantiate(d, inode), or leave d negative. */
	int (*lookup)(struct inode *dir, struct dentry *d);
	int (*create)(struct inode *dir, struct dentry *d, umode_t mode);
	int (*mkdir)(struct inode *dir, struct dentry *d, umode_t mode);
	int (*mknod)(struct inode *dir, struct dentry *d, umode_t mode, dev_t rdev);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	/* RENAME_NOREPLACE and RENAME_EXCHANGE are checked by the VFS. */
	int (*rename)(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
		      struct dentry *new, unsigned int flags);
	/* The target, not NUL-terminated; its length or a negative errno. */
	ssize_t (*readlink)(struct inode *inode, char *buf, size_t size);
	/*
	 * A "magic" link (/proc/<pid>/exe, cwd, root, fd/<n>): the walk goes
	 * on from *out (referenced), the object itself, instead of following
	 * readlink's text, which only describes it ("pipe:[1234]").
	 */
	int (*get_link)(struct inode *inode, struct path *out);
	/* Apply a checked change (inode.lock held); NULL: simple_setattr. */
	int (*setattr)(struct inode *inode, const struct iattr *attr);
};

struct super_operations {
	/*
	 * The last reference to inode is gone: free what the file system
	 * keeps for it, and its storage if nlink is 0.
	 */
	void (*evict_inode)(struct inode *inode);
	int (*statfs)(struct super_block *sb, struct kstatfs *st);
	/* MS_REMOUNT: new flags (MS_RDONLY ...) and options. */
	int (*remount)(struct super_block *sb, unsigned long flags, const char *data);
	/*
	 * The last mount of sb is gone: drop what the file system holds (a
	 * memory file system's tree).  The root dentry is put after it.
	 */
	void (*put_super)(struct super_block *sb);
	/* Every inode and dentry of sb is gone: free sb->fs_info. */
	void (*destroy)(struct super_block *sb);
	int (*sync_fs)(struct super_block *sb);
	/* Options for /proc/mounts after "rw", e.g. ",size=1024k,mode=755". */
	void (*show_options)(struct super_block *sb, struct seqbuf *sb_out);
};

/* file_system_type.flags */
#define FS_REQUIRES_DEV	(1u << 0)	/* mounts a block device (source) */
#define FS_SINGLE	(1u << 1)	/* one instance shared by every mount */
#define FS_INTERNAL	(1u << 2)	/* the kernel's only: not listed, mount(2) gets ENODEV */

struct file_system_type {
	const char *name;		/* Linux's: "tmpfs", "proc", "devtmpfs" */
	unsigned int flags;
	/*
	 * Set up sb (ops, magic, root via d_make_root) from the source and
	 * option string; 0 or a negative errno (sb is then discarded).
	 */
	int (*fill_super)(struct super_block *sb, const char *source, const char *data);
	struct super_block *single;	/* FS_SINGLE: the instance (namespace_mutex) */
	struct list_head node;		/* fs_types_lock */
};

/* A type built into the kernel, registered by vfs_init(). */
#define FILESYSTEM(var)							\
	static struct file_system_type var;				\
	static struct file_system_type *const var##_ptr			\
		__section(".filesystems") __used = &var;		\
	static struct file_system_type var

int register_filesystem(struct file_system_type *type);
int unregister_filesystem(struct file_system_type *type);	/* -EBUSY if mounted */
struct file_system_type *find_filesystem(const char *name);
/* Each type for /proc/filesystems: "nodev\ttmpfs" ... */
void filesystems_show(struct seqbuf *out);

struct super_block {
	struct file_system_type *type;
	const struct super_operations *ops;
	struct dentry *root;
	dev_t dev;			/* st_dev of its files */
	unsigned long magic;		/* statfs f_type */
	unsigned long flags;		/* MS_RDONLY ... (namespace_mutex) */
	uint32_t block_size;
	unsigned int mounts;		/* mount_lock: mounts of this sb */
	struct spinlock lock;		/* inodes, next_ino */
	struct list_head inodes;	/* lock: every inode of sb */
	uint64_t next_ino;		/* lock: for file systems that number */
	struct list_head node;		/* sb_list_lock */
	void *fs_info;			/* the file system's */
};

uint64_t sb_next_ino(struct super_block *sb);

/*
 * An in-memory inode.  refs counts the dentries and open files using it
 * (and any reference the file system keeps); at 0 it is evicted.
 */
struct inode {
	uint64_t ino;
	umode_t mode;			/* lock */
	uint32_t nlink;			/* lock */
	uid_t uid;			/* lock */
	gid_t gid;			/* lock */
	dev_t rdev;
	loff_t size;			/* lock */
	uint64_t blocks;		/* lock: 512-byte units */
	struct timespec64 atime, mtime, ctime, btime;	/* lock */
	struct super_block *sb;
	const struct inode_operations *iop;
	const struct file_operations *fop;
	unsigned int refs;		/* atomic */
	struct mutex lock;
	struct list_head sb_node;	/* sb->lock */
	void *priv;			/* the file system's */
	struct pipe_inode_info *pipe;	/* lock: a FIFO's or pipe's buffer while open */
	/*
	 * The page cache of a regular file whose file system keeps one
	 * (<kernel/pagecache.h>): what mmap maps.  NULL: no mmap (ENODEV).
	 */
	struct address_space *mapping;
	/*
	 * Atomic: > 0, the number of opens for writing; < 0, the number of
	 * address spaces running it as their program (writers get ETXTBSY).
	 */
	int writecount;
};

/* A program runs from inode: writers are refused (0, or -ETXTBSY when one exists). */
int deny_write_access(struct inode *inode);
void allow_write_access(struct inode *inode);

/* A new inode of sb (refs 1, nlink 1, times now, owner the caller's fs ids). */
struct inode *new_inode(struct super_block *sb, umode_t mode);
/* Owner and group of a new inode in dir (setgid directories pass theirs on). */
void inode_init_owner(struct inode *inode, const struct inode *dir, umode_t mode);
struct inode *igrab(struct inode *inode);
void iput(struct inode *inode);
/* Initialise a device, fifo or socket inode: its file ops come from rdev. */
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);
/* Times to now: which is a mask of ATTR_ATIME/MTIME/CTIME (inode.lock). */
void inode_touch(struct inode *inode, unsigned int which);
/*
 * f's data was accessed (mmap): atime to now as Linux's file_accessed
 * under relatime (only when not newer than mtime or ctime, or a day old;
 * never with O_NOATIME or on a noatime mount).  Takes inode.lock.
 */
void file_accessed(struct file *f);
void inode_getattr(struct inode *inode, struct kstat *st);	/* takes inode.lock */
/* The default setattr: attributes in the inode, size via truncate. */
int simple_setattr(struct inode *inode, const struct iattr *attr);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);

/* Access checks (MAY_* as the access(2) bits) with the caller's fs ids. */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4
int inode_permission(struct inode *inode, int mask);
bool inode_owner_or_capable(const struct inode *inode);

/* dentry.flags */
#define DCACHE_HASHED	(1u << 0)	/* findable by lookup */
#define DCACHE_LRU	(1u << 1)	/* on the unused list */
#define DCACHE_CANT_MOUNT (1u << 2)	/* its name was removed (set under inode.lock) */

#define DNAME_INLINE_LEN	32

struct dentry {
	struct dentry *parent;		/* dcache_lock; holds a reference */
	struct inode *inode;		/* dcache_lock; NULL: a negative entry */
	struct super_block *sb;
	unsigned int refs;		/* atomic; 0 <-> 1 under dcache_lock */
	unsigned int flags;		/* dcache_lock */
	unsigned int mounted;		/* mount_lock: mounts on this dentry */
	struct qstr name;		/* dcache_lock (rename changes it) */
	struct list_head hash_node;	/* dcache_lock */
	struct list_head lru_node;	/* dcache_lock: refs 0, in the cache */
	void *fsdata;			/* the file system's */
	char inline_name[DNAME_INLINE_LEN];
};

/* The root dentry of a new superblock, holding inode's reference. */
struct dentry *d_make_root(struct inode *inode);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* Make d positive: it takes over the caller's reference to inode. */
void d_instantiate(struct dentry *d, struct inode *inode);
/* The cached child of parent called name (referenced), or NULL. */
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);
/* A new unhashed child of parent, negative, or NULL without memory. */
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
void d_rehash(struct dentry *d);	/* make it findable */
void d_drop(struct dentry *d);		/* make it unfindable */
/*
 * Its name is gone (rmdir, unlink, replaced by rename): set under the
 * inode's lock, where mount checks d_cant_mount() before grafting on it.
 */
void d_dont_mount(struct dentry *d);
bool d_cant_mount(const struct dentry *d);
/* After unlink/rmdir: negative if unused, else dropped. */
void d_delete(struct dentry *d);
/*
 * Rename: d gets target's name and parent; target is dropped (and keeps
 * d's old name).  Neither this nor d_exchange allocates: both return 0,
 * after the file system renamed they cannot fail.
 */
int d_move(struct dentry *d, struct dentry *target);
/* RENAME_EXCHANGE: a and b swap names and parents. */
int d_exchange(struct dentry *a, struct dentry *b);
/* The inode of d (referenced), or NULL for a negative dentry. */
struct inode *d_inode_get(struct dentry *d);
bool d_is_negative(struct dentry *d);
/* Is d (or a parent of it) anc?  For renames into oneself. */
bool d_is_ancestor(struct dentry *anc, struct dentry *d);
/* Drop every unused dentry of sb (umount), or of everything (sb NULL). */
void shrink_dcache(struct super_block *sb);
/* How many dentries exist, and how many sit unused in the cache. */
void dcache_counts(unsigned int *total, unsigned int *unused);

/* A place in the tree: a mount and a dentry in it (both referenced). */
struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

void path_get(const struct path *p);
void path_put(struct path *p);

/* mount.flags */
#define MNT_RDONLY	(1u << 0)
#define MNT_NOSUID	(1u << 1)
#define MNT_NODEV	(1u << 2)
#define MNT_NOEXEC	(1u << 3)
#define MNT_NOATIME	(1u << 4)
#define MNT_NODIRATIME	(1u << 5)
#define MNT_RELATIME	(1u << 6)
#define MNT_DETACHED	(1u << 16)	/* lazily unmounted, freed at refs 0 */

struct mount {
	struct mount *parent;		/* mount_lock; itself for the root */
	struct dentry *mountpoint;	/* mount_lock; in parent, referenced */
	struct dentry *root;
	struct super_block *sb;
	unsigned int refs;		/* atomic: 1 for the tree, 1 per path */
	unsigned int flags;		/* MNT_* (namespace_mutex to change) */
	unsigned int id;
	struct list_head children;	/* mount_lock */
	struct list_head child_node;	/* mount_lock */
	struct list_head node;		/* mount_lock: all mounts, mount order */
	char *source;			/* "none", "/dev/vda1", ... */
};

bool mnt_is_readonly(const struct mount *mnt);
/* Each mount for /proc/mounts, as seen from the caller's root. */
void mounts_show(struct seqbuf *out);
/* The same seen from root (/proc/<pid>/mounts: that process's root). */
void mounts_show_from(struct seqbuf *out, const struct path *root);

/* file.mode: what the file was opened for. */
#define FMODE_READ	(1u << 0)
#define FMODE_WRITE	(1u << 1)
#define FMODE_LSEEK	(1u << 2)	/* seekable */
#define FMODE_PATH	(1u << 3)	/* O_PATH: no I/O */
#define FMODE_WRITER	(1u << 4)	/* counted in inode->writecount */

struct file {
	unsigned int refs;		/* atomic: fd slots and users */
	struct path path;
	struct inode *inode;
	const struct file_operations *fop;
	unsigned int mode;		/* FMODE_* */
	unsigned int flags;		/* lock: O_* status flags (O_APPEND ...) */
	loff_t pos;			/* pos_lock */
	struct mutex pos_lock;		/* read/write/lseek/getdents of a shared file */
	struct spinlock lock;		/* flags */
	void *priv;			/* the file system's */
	/* fs/epoll.c (epoll_files_lock): the epoll items watching this file. */
	struct epitem *ep_items;
};

struct file *fget_file(struct file *f);
void fput(struct file *f);

/*
 * Helpers for simple file systems: a generic lseek for regular files,
 * and lookup of a name the cache does not have in a file system that
 * keeps everything in the cache.
 */
loff_t generic_file_llseek(struct file *f, loff_t offset, int whence);
int simple_lookup(struct inode *dir, struct dentry *d);
int simple_statfs(struct super_block *sb, struct kstatfs *st);

/* Pages of file data every tmpfs mount holds (meminfo's Shmem and Cached). */
unsigned long tmpfs_pages_in_use(void);

/* Wall-clock time for file times: the real-time clock (CLOCK_REALTIME). */
void current_time(struct timespec64 *ts);

/* Mount the root file system and the kernel's mounts; unpack the initramfs. */
void vfs_init(void);

#endif
