/*
 * File operations as the system calls use them: per-thread file
 * descriptor tables and file-system context (root, cwd, umask), and one
 * kernel function per call with Linux's semantics and errnos (negative).
 * Paths and buffers are kernel memory; the system-call layer copies user
 * strings in (at most PATH_MAX bytes) and hands user buffers as a uio.
 */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <kernel/fcntl.h>
#include <kernel/spinlock.h>
#include <kernel/stat.h>
#include <kernel/types.h>
#include <kernel/uio.h>
#include <kernel/vfs.h>

#define NR_OPEN_DEFAULT	1024		/* RLIMIT_NOFILE's default soft limit */
#define NR_OPEN_MAX	1048576		/* Linux's fs.nr_open: RLIMIT_NOFILE's ceiling */

/* Where relative paths start and where "/" is; shared after CLONE_FS. */
struct fs_struct {
	unsigned int refs;		/* atomic */
	struct spinlock lock;		/* root, cwd, umask */
	struct path root, cwd;
	umode_t umask;
};

/* The open-file table; shared after CLONE_FILES. */
struct files_struct {
	unsigned int refs;		/* atomic */
	struct spinlock lock;		/* every field below */
	unsigned int size;		/* slots in fd[] */
	unsigned int limit;		/* RLIMIT_NOFILE */
	struct file **fd;
	unsigned long *cloexec;		/* bit per slot */
};

struct thread;

/*
 * thread_ctx_lock (a spinlock, irqsave; after tasklist_lock, before
 * fs_struct.lock and files.lock) guards the pointers thread.fs, .files
 * and .cred where they change and where another thread takes a
 * reference through them (/proc/<pid>), as Linux's task_lock.  The
 * caller keeps t itself alive (process tables: tasklist_lock).
 */
extern struct spinlock thread_ctx_lock;

struct fs_struct *current_fs(void);
struct files_struct *current_files(void);
/*
 * A new thread shares its creator's fs_struct, files and cred; these
 * give it private copies (as unshare(2) does), and release them at exit.
 */
void vfs_thread_inherit(struct thread *child, struct thread *parent);
int unshare_fs(void);
int unshare_files(void);
/*
 * fork/clone, in the parent: give child (created sharing the caller's
 * tables) private copies unless the clone flags share them.
 */
int vfs_thread_copy(struct thread *child, bool share_fs, bool share_files);
/* setrlimit(RLIMIT_NOFILE): the caller's table may grow up to limit slots. */
void files_set_limit(unsigned int limit);
/* execve: close the caller's close-on-exec descriptors. */
void files_close_on_exec(void);
void vfs_thread_exit(struct thread *t);

/* The file behind fd with a reference (fput it), or NULL. */
struct file *fget(int fd);

/*
 * The file behind fd for the span of one system call, or NULL; fdput()
 * it with the same *ref.  When the caller's table is its own (no thread
 * shares it through CLONE_FILES), nothing else can close fd meanwhile, so
 * no lock is taken and no reference (*ref false), as Linux's fdget().
 */
struct file *fdget(int fd, bool *ref);

static inline void
fdput(struct file *f, bool ref)
{
	if (ref)
		fput(f);
}

/*
 * Another thread's tables (/proc/<pid>).  get_thread_files: t's open-file
 * table, referenced (put_files_struct), or NULL once t exited.
 * files_next_file: the open file at the lowest descriptor >= *fd,
 * referenced (fput), with *fd set to that descriptor and *cloexec (may be
 * NULL) to its close-on-exec bit; NULL when there is none.
 * files_max_fds: the table's slots (status's FDSize).  thread_get_fs:
 * t's root and cwd (each may be NULL; referenced: path_put) and umask,
 * or -ENOENT once t exited.
 */
struct files_struct *get_thread_files(struct thread *t);
void put_files_struct(struct files_struct *files);
struct file *files_next_file(struct files_struct *files, unsigned int *fd, bool *cloexec);
unsigned int files_max_fds(struct files_struct *files);
int thread_get_fs(struct thread *t, struct path *root, struct path *cwd, umode_t *umask);
/* Install f (taking a reference) in the lowest free slot >= min. */
int fd_install_min(struct file *f, unsigned int min, bool cloexec);

/* Open without a file descriptor (kernel use: initramfs, exec). */
struct file *file_open(int dirfd, const char *path, int flags, umode_t mode);
ssize_t file_read(struct file *f, void *buf, size_t n, loff_t *pos);
ssize_t file_write(struct file *f, const void *buf, size_t n, loff_t *pos);

int vfs_openat(int dirfd, const char *path, int flags, umode_t mode);
int vfs_close(int fd);
ssize_t vfs_read(int fd, void *buf, size_t n);
ssize_t vfs_write(int fd, const void *buf, size_t n);
ssize_t vfs_pread(int fd, void *buf, size_t n, loff_t off);
ssize_t vfs_pwrite(int fd, const void *buf, size_t n, loff_t off);
/* readv/writev (off < 0) and preadv/pwritev over a prepared uio. */
ssize_t vfs_readv(int fd, struct uio *u, loff_t off);
ssize_t vfs_writev(int fd, struct uio *u, loff_t off);
loff_t vfs_lseek(int fd, loff_t off, int whence);
/* AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH (statx's sync flags are accepted). */
int vfs_fstatat(int dirfd, const char *path, struct kstat *st, int flags);
int vfs_fstat(int fd, struct kstat *st);
ssize_t vfs_getdents64(int fd, void *buf, size_t n);
int vfs_mkdirat(int dirfd, const char *path, umode_t mode);
int vfs_mknodat(int dirfd, const char *path, umode_t mode, dev_t dev);
int vfs_unlinkat(int dirfd, const char *path, int flags);	/* AT_REMOVEDIR */
int vfs_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		  unsigned int flags);
int vfs_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	       int flags);
int vfs_symlinkat(const char *target, int dirfd, const char *path);
ssize_t vfs_readlinkat(int dirfd, const char *path, char *buf, size_t n);
int vfs_truncate(int dirfd, const char *path, loff_t len);
int vfs_ftruncate(int fd, loff_t len);
int vfs_fchmodat(int dirfd, const char *path, umode_t mode, int flags);
int vfs_fchmod(int fd, umode_t mode);
int vfs_fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags);
int vfs_fchown(int fd, uid_t uid, gid_t gid);
/* times NULL: both now; tv_nsec may be UTIME_NOW or UTIME_OMIT. */
int vfs_utimensat(int dirfd, const char *path, const struct timespec64 *times, int flags);
int vfs_faccessat(int dirfd, const char *path, int mode, int flags);
int vfs_fsync(int fd);
int vfs_statfs(const char *path, struct kstatfs *st);
int vfs_fstatfs(int fd, struct kstatfs *st);
int vfs_mount(const char *source, const char *target, const char *type,
	      unsigned long flags, const char *data);
int vfs_umount(const char *target, int flags);
int vfs_dup(int fd);
int vfs_dup2(int oldfd, int newfd);
int vfs_dup3(int oldfd, int newfd, int flags);
int vfs_fcntl(int fd, int cmd, unsigned long arg);
long vfs_ioctl(int fd, unsigned int cmd, unsigned long arg);
int vfs_chdir(const char *path);
int vfs_fchdir(int fd);
int vfs_chroot(const char *path);
/* The cwd as a path from the root, with its NUL; length or -ERANGE. */
ssize_t vfs_getcwd(char *buf, size_t size);
umode_t vfs_umask(umode_t mask);	/* returns the old mask */
/* Readiness of fd for poll(2): POLL* bits (POLLNVAL for a bad fd). */
unsigned int vfs_poll(int fd, struct poll_table *pt);

/* Path of a dentry from the caller's root into buf ("/a/b"); start or ERR_PTR. */
char *d_path(const struct path *p, char *buf, size_t size);

#endif
