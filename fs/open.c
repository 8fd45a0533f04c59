/*
 * Opening and closing files, and the calls that change a file's
 * attributes by name or descriptor: truncate, chmod, chown, utimensat,
 * access; and the fs context calls chdir, fchdir, chroot, getcwd.
 */
#include <kernel/atomic.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/slab.h>
#include <kernel/vfs.h>
#include <string.h>

#include "internal.h"

struct file *
fget_file(struct file *f)
{
	atomic_fetch_add(&f->refs, 1);
	return f;
}

/* An open for writing of a regular file: not while a program runs from it. */
static int
get_write_access(struct inode *inode)
{
	int old = READ_ONCE(inode->writecount);

	do {
		if (old < 0)
			return -ETXTBSY;
	} while (!atomic_cmpxchg(&inode->writecount, &old, old + 1));
	return 0;
}

int
deny_write_access(struct inode *inode)
{
	int old = READ_ONCE(inode->writecount);

	do {
		if (old > 0)
			return -ETXTBSY;
	} while (!atomic_cmpxchg(&inode->writecount, &old, old - 1));
	return 0;
}

void
allow_write_access(struct inode *inode)
{
	atomic_fetch_add(&inode->writecount, 1);
}

void
fput(struct file *f)
{
	if (atomic_sub_return(&f->refs, 1) != 0)
		return;
	if (f->mode & FMODE_WRITER)
		atomic_sub_return(&f->inode->writecount, 1);
	/* Out of every epoll interest list, before the object goes (Linux's eventpoll_release). */
	if (IS_ENABLED(CONFIG_PROCESSES) && READ_ONCE(f->ep_items))
		eventpoll_release(f);
	if (f->fop && f->fop->release && !(f->mode & FMODE_PATH))
		f->fop->release(f->inode, f);
	path_put(&f->path);
	kfree(f);
}

/*
 * Flags an open file keeps (F_GETFL shows them).  O_NOCTTY is there for
 * the open operation (a terminal's) only, as in Linux, and goes after it.
 */
#define KEEP_FLAGS	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_DIRECT | \
			 O_LARGEFILE | O_NOATIME | __O_SYNC | O_PATH | FASYNC | O_DIRECTORY | \
			 O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)

/* Fill a zeroed struct file for p, opened with flags. */
static void
init_file(struct file *f, const struct path *p, int flags)
{
	struct inode *inode = p->dentry->inode;

	f->refs = 1;
	f->path = *p;
	path_get(p);
	f->inode = inode;
	f->fop = inode->fop;
	if (flags & O_PATH) {
		f->mode = FMODE_PATH;
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	} else {
		if ((flags & O_ACCMODE) == O_RDONLY || (flags & O_ACCMODE) == O_RDWR)
			f->mode |= FMODE_READ;
		if ((flags & O_ACCMODE) == O_WRONLY || (flags & O_ACCMODE) == O_RDWR)
			f->mode |= FMODE_WRITE;
		if (S_ISREG(inode->mode) || S_ISDIR(inode->mode) || S_ISBLK(inode->mode))
			f->mode |= FMODE_LSEEK;
	}
	/* 64-bit ports always have large files (Linux's force_o_largefile). */
	if (sizeof(long) == 8)
		flags |= O_LARGEFILE;
	f->flags = (unsigned int)flags & KEEP_FLAGS & ~(O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW);
	mutex_init(&f->pos_lock, "file-pos");
	spin_init(&f->lock, "file");
}

struct file *
alloc_file(const struct path *p, int flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (f)
		init_file(f, p, flags);
	return f;
}

int
open_path(struct file *f)
{
	if (f->mode & FMODE_PATH || !f->fop || !f->fop->open)
		return 0;
	return f->fop->open(f->inode, f);
}

int
vfs_truncate_inode(struct inode *inode, loff_t len)
{
	struct iattr attr = { .valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME, .size = len };
	int err;

	current_time(&attr.mtime);
	attr.ctime = attr.mtime;
	mutex_lock(&inode->lock);
	if (inode->iop && inode->iop->setattr)
		err = inode->iop->setattr(inode, &attr);
	else
		err = simple_setattr(inode, &attr);
	mutex_unlock(&inode->lock);
	return err;
}

/* Checks between finding the file and opening it (Linux's may_open). */
static int
may_open(const struct path *p, int flags, bool created)
{
	struct inode *inode = p->dentry->inode;
	int acc = 0;

	if (flags & O_PATH)
		return (flags & O_DIRECTORY) && !S_ISDIR(inode->mode) ? -ENOTDIR : 0;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (S_ISDIR(inode->mode)) {
		if ((flags & O_CREAT) && !created)
			return -EISDIR;
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
			return -EISDIR;
	}
	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if ((S_ISCHR(inode->mode) || S_ISBLK(inode->mode)) && (p->mnt->flags & MNT_NODEV))
		return -EACCES;
	if (created)
		return 0;		/* the creator may open it as asked */
	if ((flags & O_ACCMODE) == O_RDONLY || (flags & O_ACCMODE) == O_RDWR)
		acc |= MAY_READ;
	if ((flags & O_ACCMODE) == O_WRONLY || (flags & O_ACCMODE) == O_RDWR || (flags & O_TRUNC))
		acc |= MAY_WRITE;
	if ((acc & MAY_WRITE) && mnt_is_readonly(p->mnt) &&
	    (S_ISREG(inode->mode) || S_ISDIR(inode->mode)))
		return -EROFS;
	return inode_permission(inode, acc);
}

struct file *
file_open(int dirfd, const char *name, int flags, umode_t mode)
{
	struct path p;
	struct file *f;
	bool created;
	int err;

	if (flags & __O_TMPFILE)
		return ERR_PTR(-EOPNOTSUPP);
	/* Before the walk, which may create: no memory must change nothing. */
	f = kzalloc(sizeof(*f));
	if (!f)
		return ERR_PTR(-ENOMEM);
	err = path_openat(dirfd, name, flags, mode, &p, &created);
	if (err) {
		kfree(f);
		return ERR_PTR(err);
	}
	err = may_open(&p, flags, created);
	if (err) {
		path_put(&p);
		kfree(f);
		return ERR_PTR(err);
	}
	init_file(f, &p, flags);
	path_put(&p);
	if ((f->mode & FMODE_WRITE) && S_ISREG(f->inode->mode)) {
		err = get_write_access(f->inode);
		if (err) {
			f->fop = NULL;
			fput(f);
			return ERR_PTR(err);
		}
		f->mode |= FMODE_WRITER;
	}
	err = open_path(f);
	if (err) {
		f->fop = NULL;		/* no release for what did not open */
		fput(f);
		return ERR_PTR(err);
	}
	f->flags &= ~O_NOCTTY;		/* not shared yet: no lock */
	if ((flags & O_TRUNC) && !created && S_ISREG(f->inode->mode) && !(flags & O_PATH)) {
		err = vfs_truncate_inode(f->inode, 0);
		if (err) {
			fput(f);
			return ERR_PTR(err);
		}
	}
	return f;
}

int
vfs_openat(int dirfd, const char *name, int flags, umode_t mode)
{
	/* The descriptor first, as Linux: EMFILE must not create or truncate. */
	int fd = fd_reserve(flags & O_CLOEXEC);
	struct file *f;

	if (fd < 0)
		return fd;
	f = file_open(dirfd, name, flags, mode);
	if (IS_ERR(f)) {
		fd_install_reserved(fd, NULL);
		return (int)PTR_ERR(f);
	}
	fd_install_reserved(fd, f);
	fput(f);
	return fd;
}

/* The target of a *at() call that may name dirfd itself (AT_EMPTY_PATH). */
static int
lookup_at(int dirfd, const char *name, int flags, struct path *p)
{
	unsigned int lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;

	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;	/* "": dirfd itself, whatever it is */
	return path_lookupat(dirfd, name, lf, p);
}

static int
setattr_locked(struct inode *inode, struct iattr *attr)
{
	if (!(attr->valid & ATTR_CTIME)) {
		attr->valid |= ATTR_CTIME;
		current_time(&attr->ctime);
	}
	if (inode->iop && inode->iop->setattr)
		return inode->iop->setattr(inode, attr);
	return simple_setattr(inode, attr);
}

static int
do_truncate_path(const struct path *p, loff_t len)
{
	struct inode *inode = p->dentry->inode;
	int err;

	if (len < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	err = inode_permission(inode, MAY_WRITE);
	if (err)
		return err;
	if (mnt_is_readonly(p->mnt))
		return -EROFS;
	return vfs_truncate_inode(inode, len);
}

int
vfs_truncate(int dirfd, const char *name, loff_t len)
{
	struct path p;
	int err = path_lookupat(dirfd, name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = do_truncate_path(&p, len);
	path_put(&p);
	return err;
}

int
vfs_ftruncate(int fd, loff_t len)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	if (len < 0 || !(f->mode & FMODE_WRITE) || !S_ISREG(f->inode->mode))
		err = -EINVAL;
	else
		err = vfs_truncate_inode(f->inode, len);
	fput(f);
	return err;
}

static int
chmod_path(const struct path *p, umode_t mode)
{
	struct inode *inode = p->dentry->inode;
	struct iattr attr = { .valid = ATTR_MODE };
	int err;

	if (mnt_is_readonly(p->mnt))
		return -EROFS;
	mutex_lock(&inode->lock);
	if (!inode_owner_or_capable(inode)) {
		err = -EPERM;
	} else {
		attr.mode = mode & S_IALLUGO;
		/* Only members of the file's group keep setgid (Linux). */
		if (!capable_fs() && !in_group_p(inode->gid))
			attr.mode &= ~S_ISGID;
		err = setattr_locked(inode, &attr);
	}
	mutex_unlock(&inode->lock);
	return err;
}

int
vfs_fchmodat(int dirfd, const char *name, umode_t mode, int flags)
{
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = lookup_at(dirfd, name, flags, &p);
	if (err)
		return err;
	if (S_ISLNK(p.dentry->inode->mode))
		err = -EOPNOTSUPP;		/* symlinks have no mode to change */
	else
		err = chmod_path(&p, mode);
	path_put(&p);
	return err;
}

int
vfs_fchmod(int fd, umode_t mode)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = chmod_path(&f->path, mode);
	fput(f);
	return err;
}

static int
chown_path(const struct path *p, uid_t uid, gid_t gid)
{
	struct inode *inode = p->dentry->inode;
	const struct cred *c = current_cred();
	struct iattr attr = { 0 };
	int err = 0;

	if (mnt_is_readonly(p->mnt))
		return -EROFS;
	mutex_lock(&inode->lock);
	if (uid != (uid_t)-1 && uid != inode->uid && !capable_fs())
		err = -EPERM;
	if (gid != (gid_t)-1 && gid != inode->gid && !capable_fs() &&
	    (c->fsuid != inode->uid || !in_group_p(gid)))
		err = -EPERM;
	if (!err) {
		if (uid != (uid_t)-1) {
			attr.valid |= ATTR_UID;
			attr.uid = uid;
		}
		if (gid != (gid_t)-1) {
			attr.valid |= ATTR_GID;
			attr.gid = gid;
		}
		if (!S_ISDIR(inode->mode) && (attr.valid & (ATTR_UID | ATTR_GID))) {
			/* A new owner does not inherit set-id powers. */
			attr.valid |= ATTR_MODE;
			attr.mode = inode->mode & ~S_ISUID;
			if (inode->mode & S_IXGRP)
				attr.mode &= ~S_ISGID;
		}
		err = setattr_locked(inode, &attr);
	}
	mutex_unlock(&inode->lock);
	return err;
}

int
vfs_fchownat(int dirfd, const char *name, uid_t uid, gid_t gid, int flags)
{
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = lookup_at(dirfd, name, flags, &p);
	if (err)
		return err;
	err = chown_path(&p, uid, gid);
	path_put(&p);
	return err;
}

int
vfs_fchown(int fd, uid_t uid, gid_t gid)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = chown_path(&f->path, uid, gid);
	fput(f);
	return err;
}

static bool
valid_nsec(long ns)
{
	return (ns >= 0 && ns < 1000000000l) || ns == UTIME_NOW || ns == UTIME_OMIT;
}

static int
utimes_path(const struct path *p, const struct timespec64 *times)
{
	struct inode *inode = p->dentry->inode;
	struct iattr attr = { .valid = ATTR_ATIME | ATTR_MTIME };
	struct timespec64 now;
	bool to_now = !times || (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW);
	int err = 0;

	current_time(&now);
	attr.atime = attr.mtime = now;
	if (times) {
		if (times[0].tv_nsec == UTIME_OMIT)
			attr.valid &= ~ATTR_ATIME;
		else if (times[0].tv_nsec != UTIME_NOW)
			attr.atime = times[0];
		if (times[1].tv_nsec == UTIME_OMIT)
			attr.valid &= ~ATTR_MTIME;
		else if (times[1].tv_nsec != UTIME_NOW)
			attr.mtime = times[1];
	}
	if (mnt_is_readonly(p->mnt))
		return -EROFS;
	mutex_lock(&inode->lock);
	if (!inode_owner_or_capable(inode)) {
		/* "Now" needs write access; explicit times need ownership. */
		if (!to_now)
			err = -EPERM;
		else
			err = inode_permission(inode, MAY_WRITE);
	}
	if (!err)
		err = setattr_locked(inode, &attr);
	mutex_unlock(&inode->lock);
	return err;
}

int
vfs_utimensat(int dirfd, const char *name, const struct timespec64 *times, int flags)
{
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (times && (!valid_nsec(times[0].tv_nsec) || !valid_nsec(times[1].tv_nsec)))
		return -EINVAL;
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (!name) {
		/* futimens(): the file dirfd itself. */
		struct file *f = fget(dirfd);

		if (!f)
			return -EBADF;
		err = utimes_path(&f->path, times);
		fput(f);
		return err;
	}
	err = lookup_at(dirfd, name, flags, &p);
	if (err)
		return err;
	err = utimes_path(&p, times);
	path_put(&p);
	return err;
}

int
vfs_faccessat(int dirfd, const char *name, int mode, int flags)
{
	const struct cred *old = current_cred();
	struct cred *c = NULL;
	struct path p;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_EACCESS) && (old->uid != old->fsuid || old->gid != old->fsgid)) {
		/* access() asks with the real ids. */
		c = cred_prepare();
		if (!c)
			return -ENOMEM;
		c->fsuid = c->uid;
		c->fsgid = c->gid;
		get_cred(old);
		cred_commit(c);
	}
	err = lookup_at(dirfd, name, flags, &p);
	if (!err) {
		struct inode *inode = p.dentry->inode;

		if (mode) {
			err = inode_permission(inode, ((mode & R_OK) ? MAY_READ : 0) |
					       ((mode & W_OK) ? MAY_WRITE : 0) |
					       ((mode & X_OK) ? MAY_EXEC : 0));
			if (!err && (mode & W_OK) && mnt_is_readonly(p.mnt) &&
			    (S_ISREG(inode->mode) || S_ISDIR(inode->mode) || S_ISLNK(inode->mode)))
				err = -EROFS;
		}
		path_put(&p);
	}
	if (c)
		cred_commit((struct cred *)old);
	return err;
}

static int
set_cwd(const struct path *p, bool root)
{
	struct fs_struct *fs = current_fs();
	struct path old;
	unsigned long flags;
	int err;

	if (!S_ISDIR(p->dentry->inode->mode))
		return -ENOTDIR;
	err = inode_permission(p->dentry->inode, MAY_EXEC);
	if (err)
		return err;
	path_get(p);
	flags = spin_lock_irqsave(&fs->lock);
	if (root) {
		old = fs->root;
		fs->root = *p;
	} else {
		old = fs->cwd;
		fs->cwd = *p;
	}
	spin_unlock_irqrestore(&fs->lock, flags);
	path_put(&old);
	return 0;
}

int
vfs_chdir(const char *name)
{
	struct path p;
	int err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	err = set_cwd(&p, false);
	path_put(&p);
	return err;
}

int
vfs_fchdir(int fd)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = set_cwd(&f->path, false);
	fput(f);
	return err;
}

int
vfs_chroot(const char *name)
{
	struct path p;
	int err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	if (err)
		return err;
	err = capable_fs() ? set_cwd(&p, true) : -EPERM;
	path_put(&p);
	return err;
}

ssize_t
vfs_getcwd(char *buf, size_t size)
{
	struct fs_struct *fs = current_fs();
	struct path cwd;
	unsigned long flags;
	char *tmp, *s;
	ssize_t len;

	flags = spin_lock_irqsave(&fs->lock);
	cwd = fs->cwd;
	path_get(&cwd);
	spin_unlock_irqrestore(&fs->lock, flags);
	if (cwd.dentry->inode->nlink == 0) {
		path_put(&cwd);
		return -ENOENT;		/* removed */
	}
	tmp = kmalloc(PATH_MAX);
	if (!tmp) {
		path_put(&cwd);
		return -ENOMEM;
	}
	s = d_path(&cwd, tmp, PATH_MAX);
	path_put(&cwd);
	if (IS_ERR(s)) {
		kfree(tmp);
		return PTR_ERR(s);
	}
	len = (ssize_t)strlen(s) + 1;
	if ((size_t)len > size)
		len = -ERANGE;
	else
		memcpy(buf, s, (size_t)len);
	kfree(tmp);
	return len;
}
