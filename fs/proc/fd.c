/*
 * /proc/<pid>/fd/ and fdinfo/ (Linux's fs/proc/fd.c): one magic link per
 * open descriptor ("0 -> /dev/console", "3 -> pipe:[1234]"; following
 * one reaches the open file's object even where no path names it), and
 * one text file per descriptor with its offset, flags, mount and inode.
 * Both need ptrace read access to the process: fd/ checks it in its
 * mode (0500, the owner's) and on every lookup and link, fdinfo/ on
 * lookup, listing and open.
 */
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <string.h>

#include "internal.h"
#include "pid.h"
#include "pid_format.h"

/* A descriptor number as fd/ names it: decimal, no leading zero; -1 otherwise. */
static int
name_to_fd(const char *name, uint32_t len)
{
	unsigned int fd = 0;

	if (len == 0 || len > 7 || (name[0] == '0' && len > 1))
		return -1;
	for (uint32_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		fd = fd * 10 + (unsigned int)(name[i] - '0');
	}
	return fd < NR_OPEN_MAX ? (int)fd : -1;
}

/* The open-file table of n's thread after the access check, referenced; or an error. */
static struct files_struct *
files_of(struct process *p, const struct pid_node *n, int *err)
{
	struct task_snap s;
	struct files_struct *files;

	*err = 0;
	if (!proc_may_ptrace(p)) {
		*err = -EACCES;
		return NULL;
	}
	task_snapshot(p, n, &s, SNAP_FILES);
	files = s.files;
	s.files = NULL;
	task_snapshot_put(&s);
	return files;
}

/* The file open at fd in the inode's process (referenced), with its cloexec bit. */
static struct file *
node_file(const struct pid_node *n, int fd, bool *cloexec, int *err)
{
	struct process *p = pid_node_process(n);
	struct files_struct *files;
	struct file *f = NULL;
	unsigned int at = (unsigned int)fd;

	*err = -ENOENT;
	if (!p)
		return NULL;
	files = files_of(p, n, err);
	process_put(p);
	if (!files)
		return NULL;
	f = files_next_file(files, &at, cloexec);
	if (f && at != (unsigned int)fd) {
		fput(f);
		f = NULL;
	}
	put_files_struct(files);
	*err = f ? 0 : -ENOENT;
	return f;
}

/* ---- fd/<n> links ---- */

static int
fd_link_get(struct inode *inode, struct path *out)
{
	int err;
	struct file *f = node_file(PID_NODE(inode), PID_NODE(inode)->fd, NULL, &err);

	if (!f)
		return err;
	*out = f->path;
	path_get(out);
	fput(f);
	return 0;
}

static const struct inode_operations fd_link_iops = {
	.readlink = proc_magic_readlink,
	.get_link = fd_link_get,
	.setattr = pid_setattr,
};

/* ---- fdinfo/<n> files ---- */

struct fdinfo_call {
	struct file *f;
	bool cloexec;
};

static int
fdinfo_text(struct seqbuf *m, void *data)
{
	struct fdinfo_call *c = data;
	struct file *f = c->f;
	unsigned long flags = spin_lock_irqsave(&f->lock);
	unsigned int fl = f->flags;

	spin_unlock_irqrestore(&f->lock, flags);
	/*
	 * The access mode.  O_LARGEFILE is there as open() put it (Linux
	 * forces it on 64-bit kernels); pipes and anon_inode files have none.
	 */
	if ((f->mode & (FMODE_READ | FMODE_WRITE)) == (FMODE_READ | FMODE_WRITE))
		fl = (fl & ~O_ACCMODE) | O_RDWR;
	else if (f->mode & FMODE_WRITE)
		fl = (fl & ~O_ACCMODE) | O_WRONLY;
	else if (f->mode & FMODE_PATH)
		fl |= O_PATH;
	if (c->cloexec)
		fl |= O_CLOEXEC;
	proc_format_fdinfo(m, (long long)f->pos, fl, f->path.mnt ? (int)f->path.mnt->id : 0,
			   (unsigned long)f->inode->ino);
	if (f->fop && f->fop->show_fdinfo && !(f->mode & FMODE_PATH))
		f->fop->show_fdinfo(m, f);
	return 0;
}

static int
fdinfo_open(struct inode *inode, struct file *file)
{
	struct fdinfo_call c;
	int err;

	c.f = node_file(PID_NODE(inode), PID_NODE(inode)->fd, &c.cloexec, &err);
	if (!c.f)
		return err;
	if (file->mode & FMODE_READ)
		err = proc_text_open(file, fdinfo_text, &c);
	fput(c.f);
	return err;
}

static const struct inode_operations fdinfo_iops = {
	.setattr = pid_setattr,
};

static const struct file_operations fdinfo_fops = {
	.open = fdinfo_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_file_write,
	.llseek = proc_file_llseek,
};

/* ---- the directories ---- */

/* Linux's fd link modes: r-x for reading, -wx for writing, both for rw. */
static umode_t
fd_link_mode(const struct file *f)
{
	umode_t mode = S_IFLNK;

	if (f->mode & FMODE_READ)
		mode |= S_IRUSR | S_IXUSR;
	if (f->mode & FMODE_WRITE)
		mode |= S_IWUSR | S_IXUSR;
	return mode;
}

static int
fd_lookup_common(struct inode *dir, struct dentry *d, bool info)
{
	struct pid_node *dn = PID_NODE(dir);
	struct pid_node n = *dn;
	struct process *p;
	struct inode *inode;
	struct file *f;
	int err;

	n.fd = name_to_fd(d->name.name, d->name.len);
	if (n.fd < 0)
		return -ENOENT;
	f = node_file(dn, n.fd, NULL, &err);
	if (!f)
		return err;
	p = pid_node_process(dn);
	if (!p) {
		fput(f);
		return -ENOENT;
	}
	if (info)
		inode = pid_make_inode(dir->sb, p, S_IFREG | 0444, pid_fd_ino(dn->tid, n.fd, true),
				       &n, &fdinfo_iops, &fdinfo_fops);
	else
		inode = pid_make_inode(dir->sb, p, fd_link_mode(f), pid_fd_ino(dn->tid, n.fd, false),
				       &n, &fd_link_iops, NULL);
	process_put(p);
	fput(f);
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

static int
fd_iterate_common(struct file *dirf, struct dir_context *ctx, bool info)
{
	struct pid_node *dn = PID_NODE(dirf->inode);
	struct process *p = pid_node_process(dn);
	struct files_struct *files;
	struct file *f;
	unsigned int fd;
	char name[12];
	int err, len;

	if (!p)
		return -ENOENT;
	files = files_of(p, dn, &err);
	process_put(p);
	if (err)
		return err;
	if (!dir_emit_dots(dirf, ctx) || !files)
		goto out;
	/* Descriptor n at position n + 2. */
	for (fd = (unsigned int)(ctx->pos - 2); (f = files_next_file(files, &fd, NULL)) != NULL;
	     fd++) {
		unsigned int type = info ? DT_REG : DT_LNK;

		fput(f);
		ctx->pos = (loff_t)fd + 2;
		len = snprintf(name, sizeof(name), "%u", fd);
		if (!dir_emit(ctx, name, (unsigned int)len, pid_fd_ino(dn->tid, (int)fd, info), type))
			goto out;
		ctx->pos = (loff_t)fd + 3;
	}
out:
	if (files)
		put_files_struct(files);
	return 0;
}

static int
fd_dir_lookup(struct inode *dir, struct dentry *d)
{
	return fd_lookup_common(dir, d, false);
}

static int
fd_dir_iterate(struct file *f, struct dir_context *ctx)
{
	return fd_iterate_common(f, ctx, false);
}

static int
fdinfo_dir_lookup(struct inode *dir, struct dentry *d)
{
	return fd_lookup_common(dir, d, true);
}

static int
fdinfo_dir_iterate(struct file *f, struct dir_context *ctx)
{
	return fd_iterate_common(f, ctx, true);
}

const struct inode_operations proc_fd_dir_iops = {
	.lookup = fd_dir_lookup,
	.setattr = pid_setattr,
};

const struct file_operations proc_fd_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = fd_dir_iterate,
};

const struct inode_operations proc_fdinfo_dir_iops = {
	.lookup = fdinfo_dir_lookup,
	.setattr = pid_setattr,
};

const struct file_operations proc_fdinfo_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = fdinfo_dir_iterate,
};
