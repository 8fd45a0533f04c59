/*
 * The per-process part of /proc (Linux's fs/proc/base.c): the provider
 * behind /proc's numeric directories, "self" and "thread-self"; the
 * <pid> and task/<tid> directories with their entries (and <tid> of a
 * thread other than the first: found, not listed); the links exe,
 * cwd and root (magic links: following one reaches the object itself);
 * and the small files cmdline, environ, auxv, comm, limits and mounts.
 * stat, status and statm are in array.c, maps in task_mmu.c, fd/ and
 * fdinfo/ in fd.c.
 *
 * Permissions as Linux: every inode of /proc/<pid> belongs to the
 * process's effective uid and gid (the mode bits gate the open), and
 * the entries marked PE_PTRACE also need ptrace read access
 * (proc_may_ptrace) when opened, read as links or followed.
 */
#include <arch/trap.h>
#include <arch/user.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mman.h>
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <kernel/shmem.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <string.h>

#include "internal.h"
#include "pid.h"
#include "pid_format.h"

/* Sockets and anonymous inodes: Linux's magic numbers, for their link names. */
#define SOCKFS_MAGIC		0x534F434B
#define ANON_INODE_FS_MAGIC	0x09041934
#define PIPEFS_MAGIC		0x50495045

/* ------------------------------------------------------------ numbers */

uint64_t
pid_entry_ino(pid_t tid, bool task, unsigned int idx)
{
	return (task ? 0x01000000u : 0) + ((uint64_t)tid << 8) + idx;
}

uint64_t
pid_fd_ino(pid_t tid, int fd, bool info)
{
	return (info ? 0x18000000u : 0x10000000u) + ((uint64_t)tid << 12) + ((unsigned int)fd & 0xfff);
}

/* A pid as /proc names it: decimal digits, no leading zero; -1 otherwise. */
static pid_t
name_to_pid(const char *name, uint32_t len)
{
	pid_t pid = 0;

	if (len == 0 || len > 5 || name[0] == '0')
		return -1;
	for (uint32_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid < PID_MAX ? pid : -1;
}

/* ------------------------------------------------------------ processes */

struct thread *
pid_node_thread_locked(struct process *p, const struct pid_node *n)
{
	struct thread *t;

	if (!n || (!n->task && n->tid == p->pid))
		return p->thread;
	t = thread_find_locked(n->tid);
	return t && t->proc == p ? t : NULL;
}

struct process *
pid_node_process(const struct pid_node *n)
{
	struct process *p = process_find(n->pid);
	unsigned long flags;
	bool gone;

	if (!p || n->tid == n->pid)
		return p;
	flags = spin_lock_irqsave(&tasklist_lock);
	gone = !pid_node_thread_locked(p, n);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (gone) {
		process_put(p);
		return NULL;
	}
	return p;
}

/*
 * The process of thread tid (its first one's pid), or 0: none lives.
 * Zombies have no live thread; their pid is their own.
 */
static pid_t
tid_to_pid(pid_t tid)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct thread *t = thread_find_locked(tid);
	pid_t pid = t ? t->proc->pid : 0;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}

bool
proc_may_ptrace(struct process *p)
{
	const struct cred *me = current_cred(), *c;
	struct task_snap s;
	bool ok;

	if (p == current_process() || me->fsuid == 0)
		return true;
	task_snapshot(p, NULL, &s, SNAP_CRED);
	c = s.cred;
	ok = c && me->fsuid == c->uid && me->fsuid == c->euid && me->fsuid == c->suid &&
	     me->fsgid == c->gid && me->fsgid == c->egid && me->fsgid == c->sgid;
	task_snapshot_put(&s);
	return ok;
}

struct inode *
pid_make_inode(struct super_block *sb, struct process *p, umode_t mode, uint64_t ino,
	       const struct pid_node *n, const struct inode_operations *iop,
	       const struct file_operations *fop)
{
	struct inode *inode;
	struct pid_node *copy = kmalloc(sizeof(*copy));
	struct task_snap s;

	if (!copy)
		return NULL;
	inode = new_inode(sb, mode);
	if (!inode) {
		kfree(copy);
		return NULL;
	}
	*copy = *n;
	inode->ino = ino;
	inode->priv = copy;
	inode->iop = iop;
	inode->fop = fop;
	/* Linux's task_dump_owner(): the effective ids (a zombie's: root). */
	task_snapshot(p, n, &s, SNAP_CRED);
	inode->uid = s.cred ? s.cred->euid : 0;
	inode->gid = s.cred ? s.cred->egid : 0;
	task_snapshot_put(&s);
	return inode;
}

bool
proc_pid_evict_inode(struct inode *inode)
{
	/* Everything numbered below the static entries is ours (pid.h). */
	if (inode->ino == PROC_ROOT_INO || inode->ino >= PROC_DYNAMIC_FIRST)
		return false;
	kfree(inode->priv);
	inode->priv = NULL;
	return true;
}

/* chmod is refused, as Linux's proc_setattr; the rest stays in this inode. */
int
pid_setattr(struct inode *inode, const struct iattr *attr)
{
	struct iattr a = *attr;

	if (a.valid & ATTR_MODE)
		return -EPERM;
	a.valid &= ~ATTR_SIZE;
	return simple_setattr(inode, &a);
}

/* ------------------------------------------------------------ links */

ssize_t
proc_path_text(const struct path *path, char *buf, size_t size)
{
	struct inode *inode = path->dentry->inode;
	struct super_block *sb = path->dentry->sb;
	char *tmp, *where;
	int n;

	/* Linux's d_dname() names: the object has no place in the tree. */
	if (sb->magic == PIPEFS_MAGIC)
		n = snprintf(buf, size, "pipe:[%llu]", (unsigned long long)inode->ino);
	else if (sb->magic == SOCKFS_MAGIC)
		n = snprintf(buf, size, "socket:[%llu]", (unsigned long long)inode->ino);
	else if (sb->magic == ANON_INODE_FS_MAGIC)
		n = snprintf(buf, size, "anon_inode:%.*s", (int)path->dentry->name.len,
			     path->dentry->name.name);
	else if (shmem_sb(sb))		/* shared anonymous memory, memfd: unlinked from the start */
		n = snprintf(buf, size, "/%.*s (deleted)", (int)path->dentry->name.len,
			     path->dentry->name.name);
	else
		n = -1;
	if (n >= 0)
		return n < (int)size ? n : (ssize_t)size - 1;
	tmp = kmalloc(PATH_MAX);
	if (!tmp)
		return -ENOMEM;
	where = d_path(path, tmp, PATH_MAX);
	if (IS_ERR(where))	/* outside the reader's root or any tree */
		n = snprintf(buf, size, "%s:[%llu]", sb->type->name, (unsigned long long)inode->ino);
	else
		n = snprintf(buf, size, "%s", where);
	kfree(tmp);
	return n < (int)size ? n : (ssize_t)size - 1;
}

/* Where a link of /proc/<pid> leads (referenced), after the access check. */
static int
pid_link_target(struct inode *inode, struct path *out)
{
	struct pid_node *n = PID_NODE(inode);
	struct process *p = pid_node_process(n);
	int err;

	if (!p)
		return -ENOENT;
	if (!proc_may_ptrace(p))
		err = -EACCES;
	else
		err = n->ent->link(p, n, out);
	process_put(p);
	return err;
}

static int
pid_link_get(struct inode *inode, struct path *out)
{
	return pid_link_target(inode, out);
}

ssize_t
proc_magic_readlink(struct inode *inode, char *buf, size_t size)
{
	struct path target;
	char *text;
	ssize_t n;
	int err = inode->iop->get_link(inode, &target);

	if (err)
		return err;
	text = kmalloc(PATH_MAX);
	if (!text) {
		path_put(&target);
		return -ENOMEM;
	}
	n = proc_path_text(&target, text, PATH_MAX);
	path_put(&target);
	if (n > 0) {
		if ((size_t)n > size)
			n = (ssize_t)size;
		memcpy(buf, text, (size_t)n);
	}
	kfree(text);
	return n;
}

const struct inode_operations pid_link_iops = {
	.readlink = proc_magic_readlink,
	.get_link = pid_link_get,
	.setattr = pid_setattr,
};

/* exe: the program's file, while the process has an address space. */
static int
link_exe(struct process *p, const struct pid_node *n, struct path *out)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	int err = -ENOENT;

	if (p->mm && p->exe.mnt) {
		*out = p->exe;
		path_get(out);
		err = 0;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* cwd and root: from the thread's fs context, none once it exited. */
static int
link_fs(struct process *p, const struct pid_node *n, struct path *out, bool root)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct thread *t = pid_node_thread_locked(p, n);
	int err = -ENOENT;

	if (t)
		err = thread_get_fs(t, root ? out : NULL, root ? NULL : out, NULL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

static int
link_cwd(struct process *p, const struct pid_node *n, struct path *out)
{
	return link_fs(p, n, out, false);
}

static int
link_root(struct process *p, const struct pid_node *n, struct path *out)
{
	return link_fs(p, n, out, true);
}

/* ------------------------------------------------------------ small files */

/* The bytes [start, end) of p's memory (bounded), appended to m. */
static void
show_user_bytes(struct seqbuf *m, struct mm *mm, vaddr_t start, vaddr_t end)
{
	char *page = kmalloc(PAGE_SIZE);

	if (!page) {
		m->overflow = true;
		return;
	}
	while (start < end && !m->overflow) {
		size_t want = end - start < PAGE_SIZE ? end - start : PAGE_SIZE;
		size_t got = access_process_vm(mm, start, page, want, false);

		seqbuf_write(m, page, got);
		if (got < want)
			break;
		start += got;
	}
	kfree(page);
}

static struct mm *
get_mm(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct mm *mm = p->mm;

	if (mm)
		mm_get(mm);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return mm;
}

/*
 * Linux's get_mm_cmdline(): the argument strings; when the last byte
 * of the argument area is no longer a NUL (setproctitle() wrote past
 * it), the text runs on into the environment area up to the first NUL.
 */
static int
show_cmdline(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	struct mm *mm = get_mm(p);
	vaddr_t arg_start, arg_end, env_start, env_end;
	char last = 0;

	if (!mm)
		return 0;
	arg_start = mm->arg_start;
	arg_end = mm->arg_end;
	env_start = mm->env_start;
	env_end = mm->env_end;
	if (arg_start >= arg_end) {
		mm_put(mm);
		return 0;
	}
	if (env_start != arg_end || env_end < env_start)
		env_start = env_end = arg_end;
	if (access_process_vm(mm, arg_end - 1, &last, 1, false) == 1 && last) {
		/* One string of at most a page, its NUL kept (get_mm_proctitle()). */
		size_t from = m->len, limit = env_end - arg_start;
		const char *nul;

		show_user_bytes(m, mm, arg_start, arg_start + PAGE_SIZE);
		if (!m->overflow) {
			nul = memchr(m->buf + from, '\0', m->len - from);
			if (nul)
				m->len = (size_t)(nul - m->buf) + 1;
			if (m->len - from > limit)
				m->len = from + limit;
			m->buf[m->len] = '\0';
		}
	} else {
		show_user_bytes(m, mm, arg_start, arg_end);
	}
	mm_put(mm);
	return 0;
}

static int
show_environ(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	struct mm *mm = get_mm(p);

	if (!mm)
		return 0;
	if (mm->env_end)
		show_user_bytes(m, mm, mm->env_start, mm->env_end);
	mm_put(mm);
	return 0;
}

/* Pairs Linux keeps at most (AT_VECTOR_SIZE's 2 * (2 + 20 + 1) words). */
#define AUXV_MAX_PAIRS	23

/* The aux vector as exec laid it out: pairs of words up to AT_NULL's, included. */
static int
show_auxv(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	struct mm *mm = get_mm(p);
	unsigned long pair[2];
	vaddr_t at;

	if (!mm)
		return 0;
	at = READ_ONCE(p->auxv_start);
	for (unsigned int i = 0; at && i < AUXV_MAX_PAIRS; i++, at += sizeof(pair)) {
		if (access_process_vm(mm, at, pair, sizeof(pair), false) != sizeof(pair))
			break;
		seqbuf_write(m, pair, sizeof(pair));
		if (pair[0] == 0)	/* AT_NULL */
			break;
	}
	mm_put(mm);
	return 0;
}

static int
show_comm(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	struct task_snap s;

	task_snapshot(p, n, &s, 0);
	seqbuf_printf(m, "%s\n", s.comm);
	task_snapshot_put(&s);
	return 0;
}

static int
show_limits(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	uint64_t soft[PROC_NLIMITS], hard[PROC_NLIMITS];
	struct task_snap s;

	task_snapshot(p, NULL, &s, 0);
	for (unsigned int i = 0; i < PROC_NLIMITS; i++) {
		soft[i] = s.rlim[i].rlim_cur;
		hard[i] = s.rlim[i].rlim_max;
		/* A 32-bit kernel's limits are unsigned longs: ~0UL is infinity. */
		if (sizeof(long) == 4 && soft[i] >= 0xffffffffull)
			soft[i] = PROC_RLIM_INFINITY;
		if (sizeof(long) == 4 && hard[i] >= 0xffffffffull)
			hard[i] = PROC_RLIM_INFINITY;
	}
	task_snapshot_put(&s);
	proc_format_limits(m, soft, hard);
	return 0;
}

/*
 * Linux's syscall file: a thread blocked in a system call shows "nr
 * arg0 .. arg5 sp pc" (in hex but nr), one blocked outside any (a page
 * fault) "-1 sp pc", a running one "running" (but the reader itself: the
 * open that makes the text; Linux shows the read).  What a hung process waits in (the fuzzer's reports
 * read it).
 */
static int
show_syscall(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	struct thread *t = pid_node_thread_locked(p, n);
	unsigned long args[6] = { 0 };
	uintptr_t sp = 0, pc = 0;
	bool blocked = false;
	long nr = -1;

	if (t && t->user_regs) {
		/* t lives while it is p's thread: tasklist_lock keeps it so. */
		blocked = READ_ONCE(t->state) == THREAD_BLOCKED || t == thread_current();
		nr = READ_ONCE(t->syscall_nr);
		arch_syscall_args(t->user_regs, args);
		sp = arch_user_sp(t->user_regs);
		pc = arch_regs_pc(t->user_regs);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!blocked)
		seqbuf_puts(m, "running\n");
	else if (nr < 0)
		seqbuf_printf(m, "-1 %#lx %#lx\n", (unsigned long)sp, (unsigned long)pc);
	else
		seqbuf_printf(m, "%ld %#lx %#lx %#lx %#lx %#lx %#lx %#lx %#lx\n", nr, args[0],
			      args[1], args[2], args[3], args[4], args[5], (unsigned long)sp,
			      (unsigned long)pc);
	return 0;
}

/* The mount table as the process sees it from its root. */
static int
show_mounts(struct seqbuf *m, struct process *p, const struct pid_node *n)
{
	struct path root;
	int err = link_root(p, n, &root);

	if (err)
		return 0;		/* an exited process: empty, as Linux */
	mounts_show_from(m, &root);
	path_put(&root);
	return 0;
}

/* ------------------------------------------------------------ text files */

struct pid_show_call {
	const struct pid_node *n;
	struct process *p;
};

static int
pid_show(struct seqbuf *m, void *data)
{
	struct pid_show_call *c = data;

	return c->n->ent->show(m, c->p, c->n);
}

static int
pid_file_open(struct inode *inode, struct file *f)
{
	struct pid_node *n = PID_NODE(inode);
	struct process *p = pid_node_process(n);
	struct pid_show_call c = { n, p };
	int err = 0;

	if (!p)
		return -ENOENT;		/* as a walk to it now would say */
	if ((n->ent->flags & PE_PTRACE) && !proc_may_ptrace(p))
		err = -EACCES;
	else if (f->mode & FMODE_READ)
		err = proc_text_open(f, pid_show, &c);
	process_put(p);
	return err;
}

static const struct inode_operations pid_file_iops = {
	.setattr = pid_setattr,
};

static const struct file_operations pid_file_fops = {
	.open = pid_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_file_write,
	.llseek = proc_file_llseek,
};

/*
 * Rename the thread n shows, as prctl(PR_SET_NAME) in it: the first
 * one's name is the process's; another's is its own (tasklist_lock
 * keeps it while it is p's).  -ESRCH once it exited, as Linux.
 */
static int
set_thread_comm(struct process *p, const struct pid_node *n, const char *name)
{
	unsigned long flags;
	struct thread *t;

	if (n->tid == p->pid) {
		process_set_comm(p, name);
		return 0;
	}
	flags = spin_lock_irqsave(&tasklist_lock);
	t = pid_node_thread_locked(p, n);
	if (t)
		strlcpy(t->name, name, sizeof(t->name));
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t ? 0 : -ESRCH;
}

/* comm: a thread may rename any of its process's (others: EINVAL), as Linux. */
static ssize_t
comm_write(struct file *f, struct uio *uio, loff_t *pos)
{
	struct pid_node *n = PID_NODE(f->inode);
	char name[TASK_COMM_LEN];
	size_t len = uio->resid < sizeof(name) - 1 ? uio->resid : sizeof(name) - 1;
	size_t total = uio->resid;
	struct process *me = current_process();
	int err;

	if (!me || me->pid != n->pid)
		return -EINVAL;
	memset(name, 0, sizeof(name));
	if (len && uio_copy_from(uio, name, len) != len)
		return -EFAULT;
	err = set_thread_comm(me, n, name);
	if (err)
		return err;
	*pos += (loff_t)total;
	return (ssize_t)total;
}

static const struct file_operations pid_comm_fops = {
	.open = pid_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = comm_write,
	.llseek = proc_file_llseek,
};

/* ------------------------------------------------------------ directories */

static const struct inode_operations pid_dir_iops, task_dir_iops;
static const struct file_operations pid_dir_fops, task_dir_fops;

#define DIR_ENT(n, m, i, f, fl)	{ .name = n, .mode = S_IFDIR | (m), .iop = i, .fop = f, .flags = fl }
#define REG(n, m, s, fl)	{ .name = n, .mode = S_IFREG | (m), .iop = &pid_file_iops, \
				  .fop = &pid_file_fops, .show = s, .flags = fl }
#define LNK(n, l)		{ .name = n, .mode = S_IFLNK | 0777, .iop = &pid_link_iops, \
				  .link = l, .flags = PE_PTRACE }

/* Linux's order (tgid_base_stuff), the entries this kernel has. */
static const struct pid_entry pid_entries[] = {
	DIR_ENT("task", 0555, &task_dir_iops, &task_dir_fops, PE_TGID_ONLY),
	DIR_ENT("fd", 0500, &proc_fd_dir_iops, &proc_fd_dir_fops, 0),
	DIR_ENT("fdinfo", 0555, &proc_fdinfo_dir_iops, &proc_fdinfo_dir_fops, 0),
	REG("environ", 0400, show_environ, PE_PTRACE),
	REG("auxv", 0400, show_auxv, PE_PTRACE),
	REG("syscall", 0400, show_syscall, PE_PTRACE),
	REG("status", 0444, proc_pid_status, 0),
	REG("limits", 0444, show_limits, 0),
	{ .name = "comm", .mode = S_IFREG | 0644, .iop = &pid_file_iops, .fop = &pid_comm_fops,
	  .show = show_comm },
	REG("cmdline", 0444, show_cmdline, 0),
	REG("stat", 0444, proc_pid_stat, 0),
	REG("statm", 0444, proc_pid_statm, 0),
	REG("maps", 0444, proc_pid_maps, PE_PTRACE),
	LNK("cwd", link_cwd),
	LNK("root", link_root),
	LNK("exe", link_exe),
	REG("mounts", 0444, show_mounts, 0),
};

#define NR_PID_ENTRIES	(sizeof(pid_entries) / sizeof(pid_entries[0]))

static unsigned int
entry_index(const struct pid_entry *e)
{
	return (unsigned int)(e - pid_entries) + 1;	/* 0 is the directory */
}

static unsigned int
pid_dir_nlink(bool task)
{
	unsigned int n = 2;

	for (size_t i = 0; i < NR_PID_ENTRIES; i++)
		if (S_ISDIR(pid_entries[i].mode) && !(task && (pid_entries[i].flags & PE_TGID_ONLY)))
			n++;
	return n;
}

/* The directory of n (no entry): <pid>, <tid> or task/<tid> of p. */
static struct inode *
make_pid_dir(struct super_block *sb, struct process *p, const struct pid_node *n)
{
	struct inode *inode = pid_make_inode(sb, p, S_IFDIR | 0555,
					     pid_entry_ino(n->tid, n->task, 0), n, &pid_dir_iops,
					     &pid_dir_fops);

	if (inode)
		inode->nlink = pid_dir_nlink(n->task);
	return inode;
}

static int
pid_dir_lookup(struct inode *dir, struct dentry *d)
{
	struct pid_node *dn = PID_NODE(dir);
	struct process *p;
	struct inode *inode = NULL;

	for (size_t i = 0; i < NR_PID_ENTRIES; i++) {
		const struct pid_entry *e = &pid_entries[i];
		struct pid_node n = { .pid = dn->pid, .tid = dn->tid, .task = dn->task, .ent = e };

		if (strlen(e->name) != d->name.len || memcmp(e->name, d->name.name, d->name.len))
			continue;
		if (dn->task && (e->flags & PE_TGID_ONLY))
			break;
		p = pid_node_process(dn);
		if (!p)
			return -ENOENT;
		inode = pid_make_inode(dir->sb, p, e->mode, pid_entry_ino(dn->tid, dn->task,
									  entry_index(e)),
				       &n, e->iop, e->fop);
		process_put(p);
		if (!inode)
			return -ENOMEM;
		if (S_ISDIR(e->mode))
			inode->nlink = e->iop == &task_dir_iops ? 3 : 2;
		d_instantiate(d, inode);
		return 0;
	}
	return -ENOENT;
}

static int
pid_dir_iterate(struct file *f, struct dir_context *ctx)
{
	struct pid_node *dn = PID_NODE(f->inode);
	struct process *p = pid_node_process(dn);

	if (!p)
		return -ENOENT;
	process_put(p);
	if (!dir_emit_dots(f, ctx))
		return 0;
	if (ctx->pos >= (loff_t)NR_PID_ENTRIES + 2)
		return 0;
	for (size_t i = (size_t)ctx->pos - 2; i < NR_PID_ENTRIES; i++) {
		const struct pid_entry *e = &pid_entries[i];

		ctx->pos = (loff_t)i + 2;
		if (dn->task && (e->flags & PE_TGID_ONLY))
			continue;
		if (!dir_emit(ctx, e->name, (unsigned int)strlen(e->name),
			      pid_entry_ino(dn->tid, dn->task, entry_index(e)), mode_to_dtype(e->mode)))
			return 0;
	}
	ctx->pos = (loff_t)NR_PID_ENTRIES + 2;
	return 0;
}

static const struct inode_operations pid_dir_iops = {
	.lookup = pid_dir_lookup,
	.setattr = pid_setattr,
};

static const struct file_operations pid_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = pid_dir_iterate,
};

/*
 * task/: one directory per thread.  The first thread's (tid = pid) stays
 * while the process does, as Linux keeps a leader that exited before the
 * others as a zombie; another's goes with it (pid_node_process).
 */
static int
task_dir_lookup(struct inode *dir, struct dentry *d)
{
	struct pid_node *dn = PID_NODE(dir);
	struct pid_node n = { .pid = dn->pid, .task = true };
	struct process *p;
	struct inode *inode;

	n.tid = name_to_pid(d->name.name, d->name.len);
	p = n.tid > 0 ? pid_node_process(&n) : NULL;
	if (!p)
		return -ENOENT;
	inode = make_pid_dir(dir->sb, p, &n);
	process_put(p);
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

/* The lowest tid >= from of p's threads (the pid for the first), or 0. */
static pid_t
task_next_tid(struct process *p, pid_t from)
{
	unsigned long flags = spin_lock_irqsave(&tasklist_lock);
	pid_t next = p->pid >= from ? p->pid : 0;
	struct thread *t;

	/* p's live threads stay on its list while tasklist_lock is held. */
	for_each_thread(p, t)
		if (t->tid >= from && (!next || t->tid < next))
			next = t->tid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return next;
}

/*
 * Each thread at position 2 + tid, in tid order (creation order, the
 * first thread first, until tids wrap): a thread that comes or goes
 * between two getdents calls moves no other one.
 */
static int
task_dir_iterate(struct file *f, struct dir_context *ctx)
{
	struct pid_node *dn = PID_NODE(f->inode);
	struct process *p = pid_node_process(dn);
	char name[12];
	pid_t tid;
	int len;

	if (!p)
		return -ENOENT;
	if (!dir_emit_dots(f, ctx))
		goto out;
	while ((tid = task_next_tid(p, (pid_t)(ctx->pos - 2))) > 0) {
		ctx->pos = 2 + tid;
		len = snprintf(name, sizeof(name), "%d", tid);
		if (!dir_emit(ctx, name, (unsigned int)len, pid_entry_ino(tid, true, 0), DT_DIR))
			goto out;
		ctx->pos++;
	}
out:
	process_put(p);
	return 0;
}

static const struct inode_operations task_dir_iops = {
	.lookup = task_dir_lookup,
	.setattr = pid_setattr,
};

static const struct file_operations task_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = task_dir_iterate,
};

/* ------------------------------------------------------------ /proc itself */

/* self -> "<pid>", thread-self -> "<pid>/task/<tid>": the caller's. */
static ssize_t
self_readlink_common(char *buf, size_t size, bool thread)
{
	struct process *me = current_process();
	char text[32];
	int n;

	if (!me)
		return -ENOENT;		/* a kernel thread has no pid here */
	if (thread)
		n = snprintf(text, sizeof(text), "%d/task/%d", me->pid, thread_current()->tid);
	else
		n = snprintf(text, sizeof(text), "%d", me->pid);
	if ((size_t)n > size)
		n = (int)size;
	memcpy(buf, text, (size_t)n);
	return n;
}

static ssize_t
self_readlink(struct inode *inode, char *buf, size_t size)
{
	return self_readlink_common(buf, size, false);
}

static ssize_t
thread_self_readlink(struct inode *inode, char *buf, size_t size)
{
	return self_readlink_common(buf, size, true);
}

static const struct inode_operations self_iops = {
	.readlink = self_readlink,
	.setattr = pid_setattr,
};

static const struct inode_operations thread_self_iops = {
	.readlink = thread_self_readlink,
	.setattr = pid_setattr,
};

static int
root_lookup(struct inode *dir, struct dentry *d)
{
	bool self = d->name.len == 4 && !memcmp(d->name.name, "self", 4);
	bool thread_self = d->name.len == 11 && !memcmp(d->name.name, "thread-self", 11);
	struct pid_node n = { 0 };
	struct process *p;
	struct inode *inode;

	if (self || thread_self) {
		inode = new_inode(dir->sb, S_IFLNK | 0777);
		if (!inode)
			return -ENOMEM;
		inode->ino = self ? PROC_INO_SELF : PROC_INO_THREAD_SELF;
		inode->uid = 0;
		inode->gid = 0;
		inode->iop = self ? &self_iops : &thread_self_iops;
		d_instantiate(d, inode);
		return 0;
	}
	/* A process's pid, or the tid of one of its other threads (Linux finds those too). */
	n.tid = name_to_pid(d->name.name, d->name.len);
	n.pid = tid_to_pid(n.tid);
	if (!n.pid)
		n.pid = n.tid;		/* a zombie, or nothing */
	p = n.tid > 0 ? pid_node_process(&n) : NULL;
	if (!p)
		return -ENOENT;
	inode = make_pid_dir(dir->sb, p, &n);
	process_put(p);
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

/* "self" at +0, "thread-self" at +1, each pid at + 2 + pid (Linux's positions). */
static int
root_iterate(struct inode *dir, struct file *f, struct dir_context *ctx)
{
	struct process *p;
	pid_t next;
	char name[12];
	int len;

	if (ctx->pos == PROC_PID_POS_FIRST) {
		if (!dir_emit(ctx, "self", 4, PROC_INO_SELF, DT_LNK))
			return 0;
		ctx->pos++;
	}
	if (ctx->pos == PROC_PID_POS_FIRST + 1) {
		if (!dir_emit(ctx, "thread-self", 11, PROC_INO_THREAD_SELF, DT_LNK))
			return 0;
		ctx->pos++;
	}
	next = (pid_t)(ctx->pos - PROC_PID_POS_FIRST - 2);
	while ((p = process_next(next)) != NULL) {
		pid_t pid = p->pid;

		process_put(p);
		ctx->pos = PROC_PID_POS_FIRST + 2 + pid;
		len = snprintf(name, sizeof(name), "%d", pid);
		if (!dir_emit(ctx, name, (unsigned int)len, pid_entry_ino(pid, false, 0), DT_DIR))
			return 0;
		ctx->pos++;
		next = pid + 1;
	}
	return 0;
}

static const struct proc_pid_ops pid_ops = {
	.iterate = root_iterate,
	.lookup = root_lookup,
};

/* A pid's digits at the end of buf (returned): every exit comes here, so not through printf. */
static const char *
pid_digits(char buf[12], int pid)
{
	char *p = buf + 12;

	*--p = '\0';
	do {
		*--p = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid > 0);
	return p;
}

void
proc_flush_pid(int pid)
{
	char name[12];

	proc_flush_name(pid_digits(name, pid));
}

void
proc_flush_tid(int pid, int tid)
{
	char pid_name[12], tid_name[12];
	const char *task_path[] = { pid_digits(pid_name, pid), "task", pid_digits(tid_name, tid) };

	proc_flush_path(&task_path[2], 1);
	proc_flush_path(task_path, 3);
}

void
proc_pid_init(void)
{
	if (proc_register_pid_dir(&pid_ops))
		pr_err("proc: cannot register the per-process directories\n");
}
