/*
 * Between the VFS's own files (the files of fs/), not for file systems.
 */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include <kernel/fs.h>
#include <kernel/vfs.h>

/* dcache.c */
extern struct spinlock dcache_lock;
struct dentry *dget_parent(struct dentry *d);

/* super.c */
void register_builtin_filesystems(void);
struct super_block *sget(struct file_system_type *type, const char *source, const char *data,
			 unsigned long ms_flags);
void kill_super(struct super_block *sb);

/* fdtable.c */
void fs_set_root(const struct path *root);
struct file *fd_take(int fd);
/*
 * The lowest free descriptor, kept for an open in progress (invisible to
 * fget, taken for other opens; dup2 onto it is EBUSY), or -EMFILE /
 * -ENOMEM; then fd_install_reserved(fd, f) fills it, or (f NULL) frees it.
 */
int fd_reserve(bool cloexec);
void fd_install_reserved(int fd, struct file *f);

/* namespace.c */
extern struct mutex namespace_mutex;
/*
 * A dentry going away for good (a /proc/<pid> directory whose process
 * exited): the mounts on it or below it leave the tree, as
 * umount2(MNT_DETACH) would and as Linux's d_invalidate() does, so none
 * outlives every path to it (namespace_mutex held).  put_detached() then
 * drops the tree's references, with no lock held.
 */
void detach_mounts_below(struct dentry *d, struct list_head *detached);
void put_detached(struct list_head *detached);
/* The topmost mount on p (referenced, p unchanged), or NULL. */
bool follow_mount(struct path *p);
/* Step to the parent across mount roots, staying at root. */
void follow_dotdot(struct path *p, const struct path *root);
/* Mount a new instance of type at mp (or as the root when mp is NULL). */
int do_new_mount(const struct path *mp, const char *type, const char *source,
		 unsigned long flags, const char *data);
bool is_mountpoint(struct dentry *d);
void mnt_get(struct mount *mnt);
void get_root_mount_path(struct path *p);
/* An instance of type held by the kernel, in no tree, never unmounted. */
struct mount *kern_mount(const char *type, const char *data);

/* namei.c */
#define LOOKUP_FOLLOW		(1u << 0)	/* follow a trailing symlink */
#define LOOKUP_DIRECTORY	(1u << 1)	/* the result must be a directory */
#define LOOKUP_EMPTY		(1u << 2)	/* "" means dirfd itself */

enum last_type { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

struct nameidata;

/* The file at path, referenced in *out. */
int path_lookupat(int dirfd, const char *path, unsigned int flags, struct path *out);
/*
 * The parent directory of path's last component (referenced in
 * *parent), and that component in *last (copied: kfree(last->name)).
 * *type says whether it is a normal name, ".", ".." or absent ("/").
 * *slash: the path ends in "/".
 */
int path_parentat(int dirfd, const char *path, struct path *parent, struct qstr *last,
		  enum last_type *type, bool *slash);
/* The child name of dir (dir's inode.lock held): referenced, maybe negative. */
struct dentry *lookup_locked(struct dentry *dir, const struct qstr *name);
/* The same without the lock held: cached, or looked up under the lock. */
struct dentry *lookup_unlocked(struct dentry *dir, const struct qstr *name);
int path_openat(int dirfd, const char *name, int flags, umode_t mode, struct path *out,
		bool *created);
int may_create(struct inode *dir);
int may_delete(struct inode *dir, struct dentry *victim, bool isdir);

/* dir.c */
/*
 * rmdir or unlink victim from dir (dir's inode.lock held, may_delete()
 * passed): EBUSY on a mountpoint.  The check and the removal happen under
 * the victim's own lock, where mount checks d_cant_mount(), so nothing is
 * ever mounted on a removed name.
 */
int vfs_remove_locked(struct inode *dir, struct dentry *victim, bool isdir);

/* read_write.c */
/*
 * getdents64 into buf, then commit(arg, buf, bytes) with the file's
 * position lock still held (the system call's copy to user space); if
 * commit fails, the position goes back and its error is returned.
 */
ssize_t getdents64_commit(int fd, void *buf, size_t n,
			  int (*commit)(void *arg, void *buf, size_t len), void *arg);

/* open.c */
struct file *alloc_file(const struct path *p, int flags);
int open_path(struct file *f);


/* char_dev.c */
int chrdev_open(struct inode *inode, struct file *f);

/* pipe.c: pipefs, before the first pipe. */
void pipe_init(void);
/* anon_inode.c: anon_inodefs, before the first eventfd, epoll ... file. */
void anon_inode_init(void);
/* epoll.c: f's last reference went: off every epoll interest list. */
void eventpoll_release(struct file *f);

/* initramfs.c */
void initramfs_unpack(void);
int initramfs_unpack_buffer(const void *buf, size_t len, unsigned long *entries, uint64_t *bytes);

/* read_write.c */
int vfs_truncate_inode(struct inode *inode, loff_t len);

#endif
