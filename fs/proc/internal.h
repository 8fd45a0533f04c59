/*
 * proc internals, between the files of fs/proc/.
 *
 * The tree (generic.c): every entry is a proc_dir_entry; a directory
 * keeps its children in creation order, each with a getdents position
 * that never changes.  Entries are never freed.  proc_mutex guards the
 * children lists, the positions and the provider.
 *
 * Inodes (inode.c) are made per mount on lookup from an entry and point
 * back at it (inode.priv); they own nothing, so eviction frees nothing.
 * Their numbers come from the entry, so they are the same in every mount
 * and after the dentry cache forgot them.
 */
#ifndef FS_PROC_INTERNAL_H
#define FS_PROC_INTERNAL_H

#include <kernel/list.h>
#include <kernel/proc_fs.h>
#include <kernel/sync.h>
#include <kernel/vfs.h>

struct proc_dir_entry {
	struct proc_dir_entry *parent;
	struct list_head children;	/* proc_mutex: directories, creation order */
	struct list_head sibling;	/* proc_mutex */
	loff_t pos;			/* getdents position in parent */
	loff_t next_pos;		/* proc_mutex: for the next child */
	unsigned int nsubdirs;		/* proc_mutex: for a directory's nlink */
	umode_t mode;
	uint64_t ino;
	proc_show_t show;		/* regular files */
	proc_write_t write;		/* writable ones */
	void *data;
	const char *target;		/* symlinks (in name_store, after the name) */
	uint32_t len;
	char name[];			/* NUL-terminated */
};

extern struct mutex proc_mutex;
extern struct proc_dir_entry proc_root;
extern const struct proc_pid_ops *proc_pid_provider;	/* proc_mutex */

/* generic.c: the child of dir called name (proc_mutex held), or NULL. */
struct proc_dir_entry *proc_find_child(struct proc_dir_entry *dir, const char *name,
				       uint32_t len);
/* The built-in files, created once (proc_mutex not held). */
void proc_builtin_init(void);

/* inode.c */
struct inode *proc_get_inode(struct super_block *sb, struct proc_dir_entry *pde);
/* Forget the cached /proc/names[0]/.../names[n - 1] in every proc mount (proc_flush_name). */
void proc_flush_path(const char *const *names, unsigned int n);
extern const struct inode_operations proc_dir_iops, proc_link_iops, proc_file_iops;
extern const struct file_operations proc_dir_fops;

/* file.c: files generated at open. */
extern const struct file_operations proc_file_fops;
/* Run show into a fresh buffer that fits (kfree it): 0 or -ENOMEM. */
int proc_generate(proc_show_t show, void *data, char **text, size_t *len);
/* A show that can fail (the process is gone: -ESRCH): its error, or 0. */
typedef int (*proc_show_err_t)(struct seqbuf *out, void *data);
int proc_generate_err(proc_show_err_t show, void *data, char **text, size_t *len);
/*
 * Open f as a text file of show's output: the snapshot that
 * proc_file_read, proc_file_llseek and proc_file_release serve (other
 * files' operations use them too: the per-process files).
 */
int proc_text_open(struct file *f, proc_show_err_t show, void *data);
ssize_t proc_file_read(struct file *f, struct uio *uio, loff_t *pos);
ssize_t proc_file_write(struct file *f, struct uio *uio, loff_t *pos);
loff_t proc_file_llseek(struct file *f, loff_t offset, int whence);
void proc_file_release(struct inode *inode, struct file *f);

/* The built-in files, one source file each. */
void proc_meminfo_init(void);
void proc_cpu_init(void);		/* cpuinfo, stat, uptime, loadavg */
void proc_interrupts_init(void);
void proc_misc_init(void);		/* version, mounts, filesystems */
void proc_slabinfo_init(void);
void proc_sysctl_init(void);		/* sys/vm/drop_caches, sys/fs/dentry-state */

/* base.c: the per-process directories (CONFIG_PROCESSES). */
#ifdef CONFIG_PROCESSES
void proc_pid_init(void);
/* Free what a per-process inode holds; false for other inodes. */
bool proc_pid_evict_inode(struct inode *inode);
#else
static inline void proc_pid_init(void) { }
static inline bool proc_pid_evict_inode(struct inode *inode) { return false; }
#endif

#endif
