/*
 * Between the files of proc's per-process part: base.c (the directories,
 * links and small files), array.c (stat, status, statm), task_mmu.c
 * (maps and address-space counts) and fd.c (fd/ and fdinfo/).
 *
 * A per-process inode names its process by pid and its thread by tid
 * (struct pid_node in inode->priv, freed at eviction), never by pointer:
 * every operation looks them up again (process_find, thread_find_locked)
 * and answers -ESRCH or -ENOENT once they are gone, as Linux's proc does
 * with its struct pid.
 */
#ifndef FS_PROC_PID_H
#define FS_PROC_PID_H

#include <kernel/cpu.h>
#include <kernel/process.h>
#include <kernel/vfs.h>

struct cred;
struct files_struct;
struct mm;
struct pid_entry;
struct seqbuf;

/*
 * What a per-process inode stands for: /proc/<pid> is {pid, pid, false},
 * /proc/<tid> of a thread other than the first {pid, tid, false} (found,
 * not listed, as Linux), and .../task/<tid> {pid, tid, true}.  The
 * files show the thread tid (for /proc/<pid>: the process's live
 * thread, the first while it lives); task/ ones count only that
 * thread's CPU time, the others the whole process's (Linux's "whole").
 */
struct pid_node {
	pid_t pid;			/* the process (its thread group id) */
	pid_t tid;			/* the thread */
	bool task;			/* under task/<tid> */
	const struct pid_entry *ent;	/* NULL: the <pid> or <tid> directory itself */
	int fd;				/* fd/<n>, fdinfo/<n> */
};

/* One name in /proc/<pid>/ (Linux's tgid_base_stuff, in its order). */
struct pid_entry {
	const char *name;
	umode_t mode;
	const struct inode_operations *iop;
	const struct file_operations *fop;
	/* text files; links exe, cwd, root.  n: the inode's, for its thread. */
	int (*show)(struct seqbuf *m, struct process *p, const struct pid_node *n);
	int (*link)(struct process *p, const struct pid_node *n, struct path *out);
	unsigned int flags;		/* PE_* */
};

#define PE_PTRACE	1u	/* readers need ptrace read access (environ, maps, links) */
#define PE_TGID_ONLY	2u	/* in /proc/<pid>, not in task/<tid> */

/* Inode numbers below PROC_DYNAMIC_FIRST; the same in every mount. */
#define PROC_INO_SELF		2
#define PROC_INO_THREAD_SELF	3
uint64_t pid_entry_ino(pid_t tid, bool task, unsigned int idx);	/* idx 0: the directory */
uint64_t pid_fd_ino(pid_t tid, int fd, bool info);

/* base.c */
static inline struct pid_node *
PID_NODE(const struct inode *inode)
{
	return inode->priv;
}

/*
 * The process of an inode, referenced (process_put), or NULL once gone:
 * for a thread other than the first, once that thread has exited (the
 * first one stays while its process does, as Linux's zombie leader).
 */
struct process *pid_node_process(const struct pid_node *n);
/*
 * The live thread n shows (tasklist_lock held; it stays while held), or
 * NULL: exited.  n NULL, or /proc/<pid>: the process's live thread.
 */
struct thread *pid_node_thread_locked(struct process *p, const struct pid_node *n);
/*
 * May the caller read p's private state (environ, maps, links, fds)?
 * Linux's ptrace_may_access(PTRACE_MODE_READ_FSCREDS): p itself, root,
 * or fsuid and fsgid matching every uid and gid of p.
 */
bool proc_may_ptrace(struct process *p);
/* A new inode of sb for n of p, owned by its thread's effective ids; NULL without memory. */
struct inode *pid_make_inode(struct super_block *sb, struct process *p, umode_t mode,
			     uint64_t ino, const struct pid_node *n,
			     const struct inode_operations *iop, const struct file_operations *fop);
/* The text a /proc link shows for path: d_path, or "pipe:[ino]" and the like. */
ssize_t proc_path_text(const struct path *path, char *buf, size_t size);
/* readlink of a magic link: the text of where its get_link leads, cut to size. */
ssize_t proc_magic_readlink(struct inode *inode, char *buf, size_t size);
extern const struct inode_operations pid_link_iops;
int pid_setattr(struct inode *inode, const struct iattr *attr);

/*
 * What the per-process files read of a process at one moment (array.c),
 * under tasklist_lock and its sighand->lock: the process's, and the
 * thread's of a node (NULL: the process's live thread, as /proc/<pid>).
 * References: mm, cred, files (task_snapshot_put drops them).
 */
#define SNAP_MM		1u
#define SNAP_CRED	2u
#define SNAP_FILES	4u
#define SNAP_EXE	8u	/* with SNAP_MM: the program's file, while there is an mm */

struct task_snap {
	pid_t pid, tid, ppid, pgid, sid;
	char state;			/* R S D T Z: the thread's */
	bool zombie, execed, has_tty;
	dev_t tty_dev;
	pid_t tpgid;			/* the terminal's foreground group: 0 none, -1 no terminal */
	unsigned int threads;		/* live threads (at least 1, as Linux shows a zombie) */
	int exit_status, exit_signal;	/* exit_signal -1: a thread but the first (Linux's) */
	unsigned int cpu;
	cpumask_t affinity;
	uint64_t utime_ns, stime_ns;	/* the process's, or the thread's under task/ */
	uint64_t cutime_ns, cstime_ns, start_ns;
	unsigned long min_flt, maj_flt;	/* the process's, or the thread's under task/ */
	unsigned long cmin_flt, cmaj_flt;	/* waited-for children's */
	unsigned long nvcsw, nivcsw;	/* the thread's switches (blocked, preempted), as Linux's */
	uintptr_t start_stack;
	uint64_t pending, blocked, ignored, caught;	/* pending: the process's (shared) */
	uint64_t thread_pending;	/* signals for the thread alone */
	int umask;			/* -1 without an fs context */
	char comm[TASK_COMM_LEN];	/* the thread's name: the process's for the first */
	struct rlimit64 rlim[RLIM_NLIMITS];
	unsigned long nr_slices;
	int nice, rt_priority, policy;	/* the thread's (sched_setscheduler) */
	struct mm *mm;
	const struct cred *cred;
	struct files_struct *files;
	struct path exe;		/* mnt NULL: none */
};

void task_snapshot(struct process *p, const struct pid_node *n, struct task_snap *s,
		   unsigned int want);
void task_snapshot_put(struct task_snap *s);
int proc_pid_stat(struct seqbuf *m, struct process *p, const struct pid_node *n);
int proc_pid_status(struct seqbuf *m, struct process *p, const struct pid_node *n);
int proc_pid_statm(struct seqbuf *m, struct process *p, const struct pid_node *n);

/*
 * task_mmu.c: an address space's sizes in pages, as Linux's mm
 * counters, and where the program's image lies: Linux's start_code ..
 * end_data, here from the areas that map the program's file (exe; NULL:
 * none): code from the lowest one to where the file's bytes end in the
 * highest executable one, data from the start of the highest one to
 * where its file bytes end.
 */
struct mm_counts {
	unsigned long total_vm, rss, rss_anon, rss_file, rss_shmem;
	unsigned long data_vm, stack_vm, exec_vm, locked_vm;
	unsigned long text_bytes, lib_bytes;	/* VmExe, VmLib */
	vaddr_t start_code, end_code, start_data, end_data;
};

void mm_counts(struct mm *mm, const struct inode *exe, struct mm_counts *c);
int proc_pid_maps(struct seqbuf *m, struct process *p, const struct pid_node *n);

/* fd.c */
extern const struct inode_operations proc_fd_dir_iops, proc_fdinfo_dir_iops;
extern const struct file_operations proc_fd_dir_fops, proc_fdinfo_dir_fops;

#endif
