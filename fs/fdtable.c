/*
 * File descriptors and the per-thread file-system context: the fd table
 * (lowest free slot, close-on-exec bits, growth up to RLIMIT_NOFILE),
 * dup/dup2/dup3 and fcntl's descriptor commands, and the fs_struct with
 * root, cwd and umask.  Threads share their creator's tables until they
 * unshare them (the processes issue turns that into fork and clone).
 * /proc/<pid> reads other threads' tables through the getters below,
 * under thread_ctx_lock (Linux's task_lock).
 */
#include <kernel/atomic.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/panic.h>
#include <kernel/pipe.h>
#include <kernel/shmem.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <string.h>

#include "internal.h"

#define BITS_PER_LONG	(8 * sizeof(unsigned long))

/*
 * A slot kept for an open in progress (fd_reserve): taken for other
 * opens and dups, empty for everything that looks files up.
 */
static struct file fd_reserved;
#define FD_RESERVED	(&fd_reserved)

static struct fs_struct init_fs = {
	.refs = 1,
	.lock = SPINLOCK_INIT("fs_struct"),
	.umask = 0022,
};

static struct files_struct init_files = {
	.refs = 1,
	.lock = SPINLOCK_INIT("files"),
	.limit = NR_OPEN_DEFAULT,
};

struct spinlock thread_ctx_lock = SPINLOCK_INIT("thread_ctx");

struct fs_struct *
current_fs(void)
{
	struct thread *t = thread_current();

	return t && t->fs ? t->fs : &init_fs;
}

struct files_struct *
current_files(void)
{
	struct thread *t = thread_current();

	return t && t->files ? t->files : &init_files;
}

/* vfs_init: the first root and cwd (referenced). */
void
fs_set_root(const struct path *root)
{
	struct fs_struct *fs = current_fs();
	unsigned long flags = spin_lock_irqsave(&fs->lock);
	struct path old_root = fs->root, old_cwd = fs->cwd;

	fs->root = *root;
	fs->cwd = *root;
	path_get(root);
	path_get(root);
	spin_unlock_irqrestore(&fs->lock, flags);
	if (old_root.mnt)
		path_put(&old_root);
	if (old_cwd.mnt)
		path_put(&old_cwd);
}

void
vfs_thread_inherit(struct thread *child, struct thread *parent)
{
	unsigned long flags;

	if (!parent)
		return;
	flags = spin_lock_irqsave(&thread_ctx_lock);
	if (parent->fs) {
		atomic_fetch_add(&parent->fs->refs, 1);
		child->fs = parent->fs;
	}
	if (parent->files) {
		atomic_fetch_add(&parent->files->refs, 1);
		child->files = parent->files;
	}
	if (parent->cred)
		child->cred = get_cred(parent->cred);
	spin_unlock_irqrestore(&thread_ctx_lock, flags);
}

static void
put_fs(struct fs_struct *fs)
{
	if (!fs || fs == &init_fs || atomic_sub_return(&fs->refs, 1) != 0)
		return;
	path_put(&fs->root);
	path_put(&fs->cwd);
	kfree(fs);
}

static void
put_files(struct files_struct *files)
{
	if (!files || files == &init_files || atomic_sub_return(&files->refs, 1) != 0)
		return;
	for (unsigned int i = 0; i < files->size; i++)
		if (files->fd[i] && files->fd[i] != FD_RESERVED)
			fput(files->fd[i]);
	kfree(files->fd);
	kfree(files->cloexec);
	kfree(files);
}

void
vfs_thread_exit(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&thread_ctx_lock);
	struct fs_struct *fs = t->fs;
	struct files_struct *files = t->files;
	const struct cred *c = t->cred;

	t->fs = NULL;
	t->files = NULL;
	t->cred = NULL;
	spin_unlock_irqrestore(&thread_ctx_lock, flags);
	put_files(files);
	put_fs(fs);
	put_cred(c);
}

/* ---- Another thread's tables, for /proc/<pid> ---- */

struct files_struct *
get_thread_files(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&thread_ctx_lock);
	struct files_struct *files = t->files;

	if (files)
		atomic_fetch_add(&files->refs, 1);
	spin_unlock_irqrestore(&thread_ctx_lock, flags);
	return files;
}

void
put_files_struct(struct files_struct *files)
{
	put_files(files);
}

int
thread_get_fs(struct thread *t, struct path *root, struct path *cwd, umode_t *umask)
{
	unsigned long flags = spin_lock_irqsave(&thread_ctx_lock);
	struct fs_struct *fs = t->fs;

	if (fs) {
		spin_lock(&fs->lock);
		if (root) {
			*root = fs->root;
			path_get(root);
		}
		if (cwd) {
			*cwd = fs->cwd;
			path_get(cwd);
		}
		if (umask)
			*umask = fs->umask;
		spin_unlock(&fs->lock);
	}
	spin_unlock_irqrestore(&thread_ctx_lock, flags);
	return fs ? 0 : -ENOENT;
}

/* A private copy of old (root, cwd, umask), or NULL. */
static struct fs_struct *
fs_dup(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs));
	unsigned long flags;

	if (!fs)
		return NULL;
	fs->refs = 1;
	spin_init(&fs->lock, "fs_struct");
	flags = spin_lock_irqsave(&old->lock);
	fs->root = old->root;
	fs->cwd = old->cwd;
	fs->umask = old->umask;
	path_get(&fs->root);
	path_get(&fs->cwd);
	spin_unlock_irqrestore(&old->lock, flags);
	return fs;
}

/* Make new t's fs_struct and drop the old one (t is the caller, or not running yet). */
static void
set_fs(struct thread *t, struct fs_struct *fs)
{
	unsigned long flags = spin_lock_irqsave(&thread_ctx_lock);
	struct fs_struct *old = t->fs;

	t->fs = fs;
	spin_unlock_irqrestore(&thread_ctx_lock, flags);
	put_fs(old);
}

int
unshare_fs(void)
{
	struct fs_struct *fs = fs_dup(current_fs());

	if (!fs)
		return -ENOMEM;
	set_fs(thread_current(), fs);
	return 0;
}

static size_t
bitmap_bytes(unsigned int slots)
{
	return (slots + BITS_PER_LONG - 1) / BITS_PER_LONG * sizeof(unsigned long);
}

static bool
test_cloexec(const struct files_struct *files, unsigned int fd)
{
	return files->cloexec[fd / BITS_PER_LONG] & (1ul << (fd % BITS_PER_LONG));
}

static void
set_cloexec(struct files_struct *files, unsigned int fd, bool on)
{
	unsigned long bit = 1ul << (fd % BITS_PER_LONG);

	if (on)
		files->cloexec[fd / BITS_PER_LONG] |= bit;
	else
		files->cloexec[fd / BITS_PER_LONG] &= ~bit;
}

/*
 * Make room for slot `need - 1` (files->lock held, dropped and retaken
 * around the allocation); 0 or -ENOMEM / -EMFILE.
 */
static int
expand_locked(struct files_struct *files, unsigned int need, unsigned long *flags)
{
	unsigned int size = files->size ? files->size : 16;
	struct file **fd;
	unsigned long *bits;

	if (need > files->limit)
		return -EMFILE;
	while (size < need)
		size *= 2;
	if (size > files->limit)
		size = files->limit;
	spin_unlock_irqrestore(&files->lock, *flags);
	fd = kzalloc(size * sizeof(*fd));
	bits = kzalloc(bitmap_bytes(size));
	*flags = spin_lock_irqsave(&files->lock);
	if (!fd || !bits) {
		kfree(fd);
		kfree(bits);
		return -ENOMEM;
	}
	if (files->size >= size) {
		/* Someone grew it meanwhile. */
		spin_unlock_irqrestore(&files->lock, *flags);
		kfree(fd);
		kfree(bits);
		*flags = spin_lock_irqsave(&files->lock);
		return 0;
	}
	if (files->size) {
		memcpy(fd, files->fd, files->size * sizeof(*fd));
		memcpy(bits, files->cloexec, bitmap_bytes(files->size));
	}
	struct file **old_fd = files->fd;
	unsigned long *old_bits = files->cloexec;

	files->fd = fd;
	files->cloexec = bits;
	files->size = size;
	spin_unlock_irqrestore(&files->lock, *flags);
	kfree(old_fd);
	kfree(old_bits);
	*flags = spin_lock_irqsave(&files->lock);
	return 0;
}

/* A private copy of old's table (close-on-exec bits kept): 0 or -errno. */
static int
files_dup(struct files_struct *old, struct files_struct **out)
{
	struct files_struct *files = kzalloc(sizeof(*files));
	unsigned long flags, oflags;
	int err = 0;

	if (!files)
		return -ENOMEM;
	files->refs = 1;
	spin_init(&files->lock, "files");
	files->limit = old->limit;
	for (;;) {
		unsigned int need;

		oflags = spin_lock_irqsave(&old->lock);
		need = old->size;
		spin_unlock_irqrestore(&old->lock, oflags);
		flags = spin_lock_irqsave(&files->lock);
		if (need > files->size)
			err = expand_locked(files, need, &flags);
		spin_unlock_irqrestore(&files->lock, flags);
		if (err) {
			put_files(files);
			return err;
		}
		oflags = spin_lock_irqsave(&old->lock);
		if (old->size <= files->size)
			break;
		spin_unlock_irqrestore(&old->lock, oflags);
	}
	/* files is private to us: its lock is not needed to fill it. */
	for (unsigned int i = 0; i < old->size; i++) {
		if (!old->fd[i] || old->fd[i] == FD_RESERVED)
			continue;
		files->fd[i] = fget_file(old->fd[i]);
		set_cloexec(files, i, test_cloexec(old, i));
	}
	spin_unlock_irqrestore(&old->lock, oflags);
	*out = files;
	return 0;
}

static void
set_files(struct thread *t, struct files_struct *files)
{
	unsigned long flags = spin_lock_irqsave(&thread_ctx_lock);
	struct files_struct *old = t->files;

	t->files = files;
	spin_unlock_irqrestore(&thread_ctx_lock, flags);
	put_files(old);
}

int
unshare_files(void)
{
	struct files_struct *files;
	int err = files_dup(current_files(), &files);

	if (err)
		return err;
	set_files(thread_current(), files);
	return 0;
}

int
vfs_thread_copy(struct thread *child, bool share_fs, bool share_files)
{
	struct files_struct *files;
	struct fs_struct *fs;
	int err;

	if (!share_fs) {
		fs = fs_dup(current_fs());
		if (!fs)
			return -ENOMEM;
		set_fs(child, fs);
	}
	if (!share_files) {
		err = files_dup(current_files(), &files);
		if (err)
			return err;
		set_files(child, files);
	}
	return 0;
}

void
files_set_limit(unsigned int limit)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);

	/* Descriptors above the new limit stay open, as in Linux. */
	files->limit = limit < NR_OPEN_MAX ? limit : NR_OPEN_MAX;
	spin_unlock_irqrestore(&files->lock, flags);
}

void
files_close_on_exec(void)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);

	for (unsigned int fd = 0; fd < files->size; fd++) {
		struct file *f = files->fd[fd];

		if (!f || f == FD_RESERVED || !test_cloexec(files, fd))
			continue;
		files->fd[fd] = NULL;
		set_cloexec(files, fd, false);
		/* fput may sleep (a release): not under the spinlock. */
		spin_unlock_irqrestore(&files->lock, flags);
		fput(f);
		flags = spin_lock_irqsave(&files->lock);
	}
	spin_unlock_irqrestore(&files->lock, flags);
}

struct file *
fget(int fd)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);
	struct file *f = NULL;

	if (fd >= 0 && (unsigned int)fd < files->size && files->fd[fd] &&
	    files->fd[fd] != FD_RESERVED)
		f = fget_file(files->fd[fd]);
	spin_unlock_irqrestore(&files->lock, flags);
	return f;
}

struct file *
fdget(int fd, bool *ref)
{
	struct thread *me = thread_current();
	struct files_struct *files = me ? me->files : NULL;

	/*
	 * Only the threads sharing a table change it; /proc's readers take a
	 * reference on the table, which sends us the locked way meanwhile.
	 * The kernel threads' init_files is shared without references.
	 */
	if (files && files != &init_files && READ_ONCE(files->refs) == 1) {
		struct file *f = (unsigned int)fd < files->size ? files->fd[fd] : NULL;

		*ref = false;
		return f == FD_RESERVED ? NULL : f;
	}
	*ref = true;
	return fget(fd);
}

struct file *
files_next_file(struct files_struct *files, unsigned int *fd, bool *cloexec)
{
	unsigned long flags = spin_lock_irqsave(&files->lock);
	struct file *f = NULL;

	for (unsigned int i = *fd; i < files->size; i++) {
		if (files->fd[i] && files->fd[i] != FD_RESERVED) {
			f = fget_file(files->fd[i]);
			*fd = i;
			if (cloexec)
				*cloexec = test_cloexec(files, i);
			break;
		}
	}
	spin_unlock_irqrestore(&files->lock, flags);
	return f;
}

unsigned int
files_max_fds(struct files_struct *files)
{
	unsigned long flags = spin_lock_irqsave(&files->lock);
	unsigned int size = files->size;

	spin_unlock_irqrestore(&files->lock, flags);
	return size;
}

/* The lowest free slot >= min, growing the table (files->lock held). */
static int
free_slot_locked(struct files_struct *files, unsigned int min, unsigned long *flags)
{
	unsigned int fd;
	int err;

	for (;;) {
		for (fd = min; fd < files->size; fd++)
			if (!files->fd[fd])
				return (int)fd;
		if (fd >= files->limit)
			return -EMFILE;
		err = expand_locked(files, fd + 1, flags);
		if (err)
			return err;
	}
}

int
fd_install_min(struct file *f, unsigned int min, bool cloexec)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);
	int fd = free_slot_locked(files, min, &flags);

	if (fd >= 0) {
		files->fd[fd] = fget_file(f);
		set_cloexec(files, (unsigned int)fd, cloexec);
	}
	spin_unlock_irqrestore(&files->lock, flags);
	return fd;
}

int
fd_reserve(bool cloexec)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);
	int fd = free_slot_locked(files, 0, &flags);

	if (fd >= 0) {
		files->fd[fd] = FD_RESERVED;
		set_cloexec(files, (unsigned int)fd, cloexec);
	}
	spin_unlock_irqrestore(&files->lock, flags);
	return fd;
}

/* Fill the reserved slot fd with f (taking a reference), or free it (f NULL). */
void
fd_install_reserved(int fd, struct file *f)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);

	if (files->fd[fd] != FD_RESERVED)
		panic("fd_install_reserved: fd %d is not reserved", fd);
	files->fd[fd] = f ? fget_file(f) : NULL;
	spin_unlock_irqrestore(&files->lock, flags);
}

struct file *
fd_take(int fd)
{
	struct files_struct *files = current_files();
	unsigned long flags = spin_lock_irqsave(&files->lock);
	struct file *f = NULL;

	if (fd >= 0 && (unsigned int)fd < files->size && files->fd[fd] != FD_RESERVED) {
		f = files->fd[fd];
		files->fd[fd] = NULL;
	}
	spin_unlock_irqrestore(&files->lock, flags);
	return f;
}

int
vfs_close(int fd)
{
	struct file *f = fd_take(fd);

	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

int
vfs_dup(int fd)
{
	struct file *f = fget(fd);
	int nfd;

	if (!f)
		return -EBADF;
	nfd = fd_install_min(f, 0, false);
	fput(f);
	return nfd;
}

static int
do_dup2(int oldfd, int newfd, bool cloexec)
{
	struct files_struct *files = current_files();
	struct file *f, *old = NULL;
	unsigned long flags;
	int err = 0;

	if (newfd < 0)
		return -EBADF;
	f = fget(oldfd);
	if (!f)
		return -EBADF;
	flags = spin_lock_irqsave(&files->lock);
	if ((unsigned int)newfd >= files->limit)
		err = -EBADF;
	else if ((unsigned int)newfd >= files->size)
		err = expand_locked(files, (unsigned int)newfd + 1, &flags);
	if (!err && files->fd[newfd] == FD_RESERVED)
		err = -EBUSY;			/* an open is filling it (Linux too) */
	if (!err) {
		old = files->fd[newfd];
		files->fd[newfd] = fget_file(f);
		set_cloexec(files, (unsigned int)newfd, cloexec);
	}
	spin_unlock_irqrestore(&files->lock, flags);
	if (old)
		fput(old);
	fput(f);
	return err ? err : newfd;
}

int
vfs_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd) {
		struct file *f = fget(oldfd);

		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return do_dup2(oldfd, newfd, false);
}

int
vfs_dup3(int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup2(oldfd, newfd, flags & O_CLOEXEC);
}

/* Status flags F_SETFL may change; the rest are fixed at open. */
#define SETFL_MASK	(O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | FASYNC)

int
vfs_fcntl(int fd, int cmd, unsigned long arg)
{
	struct files_struct *files = current_files();
	struct file *f = fget(fd);
	unsigned long flags;
	int ret = 0;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= files->limit)
			ret = -EINVAL;
		else
			ret = fd_install_min(f, (unsigned int)arg, cmd == F_DUPFD_CLOEXEC);
		break;
	case F_GETFD:
		flags = spin_lock_irqsave(&files->lock);
		if ((unsigned int)fd < files->size && files->fd[fd] == f)
			ret = test_cloexec(files, (unsigned int)fd) ? FD_CLOEXEC : 0;
		else
			ret = -EBADF;
		spin_unlock_irqrestore(&files->lock, flags);
		break;
	case F_SETFD:
		flags = spin_lock_irqsave(&files->lock);
		if ((unsigned int)fd < files->size && files->fd[fd] == f)
			set_cloexec(files, (unsigned int)fd, arg & FD_CLOEXEC);
		else
			ret = -EBADF;
		spin_unlock_irqrestore(&files->lock, flags);
		break;
	case F_GETFL:
		flags = spin_lock_irqsave(&f->lock);
		ret = (int)f->flags;
		spin_unlock_irqrestore(&f->lock, flags);
		break;
	case F_SETFL:
		flags = spin_lock_irqsave(&f->lock);
		f->flags = (f->flags & ~SETFL_MASK) | ((unsigned int)arg & SETFL_MASK);
		spin_unlock_irqrestore(&f->lock, flags);
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		ret = (int)pipe_fcntl(f, (unsigned int)cmd, arg);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		ret = shmem_fcntl_seals(f, (unsigned int)cmd, arg);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	fput(f);
	return ret;
}

umode_t
vfs_umask(umode_t mask)
{
	struct fs_struct *fs = current_fs();
	unsigned long flags = spin_lock_irqsave(&fs->lock);
	umode_t old = fs->umask;

	fs->umask = mask & 0777;
	spin_unlock_irqrestore(&fs->lock, flags);
	return old;
}
