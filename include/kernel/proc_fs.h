/*
 * proc: Linux's "proc" file system (magic 0x9fa0) on /proc.  Kernel code
 * publishes text files, directories and symlinks in one tree of static
 * entries; every mount of "proc" shows that tree.  A file's text is made
 * when it is opened (show() prints into a seqbuf, retried with a larger
 * buffer while it overflows) and served by read() and lseek() from that
 * snapshot, as Linux's seq_file single_open() files are.
 *
 * The numeric per-process directories, "self" and "thread-self" are
 * names the tree does not hold: one provider (the processes code)
 * registers with proc_register_pid_dir() and answers for every name of
 * /proc that is not a static entry.  Until one registers, /proc lists no
 * processes and those names do not exist.
 *
 * Locking: proc_mutex (fs/proc/generic.c) guards the tree: every entry's
 * children and the provider pointer.  Taken after the directory's
 * inode.lock (lookup and getdents hold it); show() runs with neither.
 */
#ifndef KERNEL_PROC_FS_H
#define KERNEL_PROC_FS_H

#include <kernel/types.h>
#include <kernel/vfs.h>

#define PROC_SUPER_MAGIC	0x9fa0
#define PROC_ROOT_INO		1	/* Linux's: the root of every proc mount */
/* Static entries get inode numbers from here up, as Linux's proc_alloc_inum. */
#define PROC_DYNAMIC_FIRST	0xF0000000u
/*
 * getdents positions in /proc: ".", "..", then the static entries from
 * 2 up; the provider owns every position from PROC_PID_POS_FIRST on.
 */
#define PROC_PID_POS_FIRST	((loff_t)1 << 32)

struct proc_dir_entry;
struct seqbuf;

/* Print the file's whole text into out; data is proc_create_data()'s. */
typedef void (*proc_show_t)(struct seqbuf *out, void *data);
/*
 * Take what one write(2) wrote (NUL-terminated, at most PROC_WRITE_MAX
 * bytes): the bytes consumed or a negative errno.
 */
typedef ssize_t (*proc_write_t)(const char *buf, size_t len, void *data);
#define PROC_WRITE_MAX	64

/*
 * A read-only text file name in parent (NULL: /proc itself); mode's
 * permission bits (S_IFREG is implied).  NULL when the name exists or
 * without memory.  Entries live as long as the kernel (no removal yet).
 */
struct proc_dir_entry *proc_create(const char *name, umode_t mode, struct proc_dir_entry *parent,
				   proc_show_t show);
struct proc_dir_entry *proc_create_data(const char *name, umode_t mode,
					struct proc_dir_entry *parent, proc_show_t show,
					void *data);
/*
 * A file that can also be written (Linux's sysctls): each write(2) of at
 * most PROC_WRITE_MAX bytes goes to write (longer ones: EINVAL); without
 * one, writing is EIO as for every proc file.
 */
struct proc_dir_entry *proc_create_write(const char *name, umode_t mode,
					 struct proc_dir_entry *parent, proc_show_t show,
					 proc_write_t write, void *data);
/* A directory (mode 0555) in parent. */
struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent);
/* A symlink to target in parent. */
struct proc_dir_entry *proc_symlink(const char *name, struct proc_dir_entry *parent,
				    const char *target);

/*
 * The per-process part of /proc, registered by the processes code (one
 * provider; -EBUSY for a second).  Both calls get the /proc root
 * directory of one mount (its inode.lock held) and run under proc_mutex,
 * so they must not create static entries.
 *
 * iterate: emit the provider's entries of /proc (numeric pid
 *   directories; "self" and "thread-self") with dir_emit() from
 *   position ctx->pos on, in rising position order, each position >=
 *   PROC_PID_POS_FIRST (Linux uses tgid order: PROC_PID_POS_FIRST + 2 +
 *   tgid, with "self" and "thread-self" at + 0 and + 1).  Set ctx->pos
 *   past each entry emitted; return 0, or stop early when dir_emit()
 *   returns false.
 * lookup: a name that is not a static entry: make an inode of dir->sb
 *   (new_inode(), inode numbers below PROC_DYNAMIC_FIRST) and
 *   d_instantiate(d, inode); or return -ENOENT.  Never leave d negative:
 *   a cached negative entry would hide a process created later.
 *
 * The VFS keeps positive dentries cached: when a process goes away,
 * proc_flush_name() drops its directory's dentry from every proc mount
 * (Linux's proc_flush_pid), so the next walk asks lookup again.
 */
struct proc_pid_ops {
	int (*iterate)(struct inode *dir, struct file *f, struct dir_context *ctx);
	int (*lookup)(struct inode *dir, struct dentry *d);
};

int proc_register_pid_dir(const struct proc_pid_ops *ops);
void proc_unregister_pid_dir(const struct proc_pid_ops *ops);
/* Forget the cached entry name of /proc in every proc mount. */
void proc_flush_name(const char *name);

/*
 * A process left the pid table: forget /proc/<pid> in every mount (the
 * per-process directories, fs/proc/base.c; the process core calls it).
 * A thread other than the first left its process pid (or changed its
 * tid, taking the first one's in execve): forget /proc/<tid> and
 * /proc/<pid>/task/<tid>.
 */
#if defined(CONFIG_PROCFS) && defined(CONFIG_PROCESSES)
void proc_flush_pid(int pid);
void proc_flush_tid(int pid, int tid);
#else
static inline void proc_flush_pid(int pid) { (void)pid; }
static inline void proc_flush_tid(int pid, int tid) { (void)pid; (void)tid; }
#endif

#endif
