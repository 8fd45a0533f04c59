/*
 * Pipes and FIFOs with Linux's semantics: a ring of page buffers (16, so
 * 64 KiB, by default; F_SETPIPE_SZ changes it), pages allocated as
 * writes need them and freed as reads empty them (one spare is kept for
 * the next write) or when the last file closes; writes of at most
 * PIPE_BUF bytes land whole in one buffer and are never interleaved with
 * other writes; blocking reads and writes sleep interruptibly; EOF when
 * no writer is left, EPIPE and SIGPIPE when no reader is.
 *
 * Anonymous pipes are inodes of pipefs, an internal file system mounted
 * nowhere (kern_mount), so fstat shows S_IFIFO, pipefs's device and a
 * unique inode number.  FIFOs are S_IFIFO inodes of any file system:
 * their pipe hangs off inode->pipe while any file has it open, and open
 * waits for a partner as Linux's fifo_open does.
 *
 * Locks (struct pipe_inode_info):
 *   inode.lock  inode->pipe and pipe->files (attach and detach)
 *   mutex       the buffers' contents and the slots; one reader or
 *               writer moves data at a time, and drops it to sleep
 *   lock        (spinlock, irqsave) readers, writers, the open counters,
 *               head, tail, bytes and ring_size: everything a wait or
 *               poll tests.  Changed with the mutex held too where it
 *               says so, so either lock reads them stable.
 * Order: inode.lock, then mutex, then lock, then the wait queues' locks.
 */
#include <arch/mmu.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/pipe.h>
#include <kernel/printk.h>
#include <kernel/signal.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>
#include <kernel/wait.h>
#include <string.h>

#include "internal.h"

#define PIPE_MAX_SIZE	(1024 * 1024)	/* /proc/sys/fs/pipe-max-size's default */

struct pipe_buffer {
	void *page;
	unsigned int offset, len;	/* the unread bytes in page */
};

struct pipe_inode_info {
	struct mutex mutex;
	struct spinlock lock;
	struct wait_queue rd_wait;	/* readers wanting data, FIFO readers wanting a writer */
	struct wait_queue wr_wait;	/* writers wanting room, FIFO writers wanting a reader */
	unsigned int head, tail;	/* mutex + lock: slots [tail, head) hold data */
	unsigned int ring_size;		/* mutex + lock: slots, a power of two */
	size_t bytes;			/* mutex + lock: unread bytes */
	unsigned int readers, writers;	/* lock: open files for each */
	unsigned int r_counter;		/* lock: opens for reading so far (FIFO partners) */
	unsigned int w_counter;		/* lock: opens for writing so far */
	unsigned int files;		/* inode.lock: files, opens in progress */
	void *spare;			/* mutex: a page for the next write */
	struct pipe_buffer *bufs;	/* mutex (+ lock to replace) */
};

static struct mount *pipe_mnt;		/* pipefs, set once at boot */

static struct pipe_inode_info *
pipe_alloc(void)
{
	struct pipe_inode_info *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->bufs = kzalloc(PIPE_DEF_BUFFERS * sizeof(*p->bufs));
	if (!p->bufs) {
		kfree(p);
		return NULL;
	}
	p->ring_size = PIPE_DEF_BUFFERS;
	mutex_init(&p->mutex, "pipe-mutex");
	spin_init(&p->lock, "pipe");
	wq_init(&p->rd_wait);
	wq_init(&p->wr_wait);
	return p;
}

static void
pipe_free(struct pipe_inode_info *p)
{
	for (unsigned int i = p->tail; i != p->head; i++)
		page_free_addr(p->bufs[i & (p->ring_size - 1)].page, 0);
	if (p->spare)
		page_free_addr(p->spare, 0);
	kfree(p->bufs);
	kfree(p);
}

/* One file (or open in progress) less: the last frees the pipe. */
static void
put_pipe(struct inode *inode, struct pipe_inode_info *p)
{
	bool last;

	mutex_lock(&inode->lock);
	last = --p->files == 0;
	if (last)
		inode->pipe = NULL;
	mutex_unlock(&inode->lock);
	if (last)
		pipe_free(p);
}

static bool
nonblocking(struct file *f)
{
	return READ_ONCE(f->flags) & O_NONBLOCK;
}

static bool
pipe_full(const struct pipe_inode_info *p)
{
	return p->head - p->tail >= p->ring_size;
}

/* A page for a new buffer (mutex held): the spare, or a fresh one. */
static void *
get_page(struct pipe_inode_info *p)
{
	void *page = p->spare;

	if (page) {
		p->spare = NULL;
		return page;
	}
	return page_alloc_addr(GFP_KERNEL, 0);
}

static void
put_page(struct pipe_inode_info *p, void *page)
{
	if (!p->spare)
		p->spare = page;
	else
		page_free_addr(page, 0);
}

static ssize_t
pipe_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct pipe_inode_info *p = f->priv;
	unsigned long flags;
	size_t done = 0;
	bool fault = false;
	int err;

	mutex_lock(&p->mutex);
	for (;;) {
		/* Data only comes with the mutex: what we see stays while we hold it. */
		while (p->head != p->tail && u->resid && !fault) {
			struct pipe_buffer *b = &p->bufs[p->tail & (p->ring_size - 1)];
			size_t want = u->resid < b->len ? u->resid : b->len;
			size_t moved = uio_copy_to(u, (char *)b->page + b->offset, want);
			void *emptied = NULL;

			fault = moved < want;	/* a bad user page: stop there */
			flags = spin_lock_irqsave(&p->lock);
			b->offset += (unsigned int)moved;
			b->len -= (unsigned int)moved;
			p->bytes -= moved;
			if (b->len == 0) {
				emptied = b->page;
				b->page = NULL;
				p->tail++;
			}
			spin_unlock_irqrestore(&p->lock, flags);
			if (emptied)
				put_page(p, emptied);
			done += moved;
		}
		if (done || fault)
			break;
		flags = spin_lock_irqsave(&p->lock);
		if (!p->writers) {
			spin_unlock_irqrestore(&p->lock, flags);
			break;			/* EOF */
		}
		if (nonblocking(f)) {
			spin_unlock_irqrestore(&p->lock, flags);
			mutex_unlock(&p->mutex);
			return -EAGAIN;
		}
		/* Sleep without the mutex, so writers can fill the pipe. */
		mutex_unlock(&p->mutex);
		err = 0;
		while (p->head == p->tail && p->writers && !err)
			err = wq_wait_interruptible(&p->rd_wait, &p->lock, WAIT_FOREVER);
		spin_unlock_irqrestore(&p->lock, flags);
		if (err)
			return -ERESTARTSYS;	/* nothing read yet: restart or EINTR */
		mutex_lock(&p->mutex);
	}
	mutex_unlock(&p->mutex);
	if (done)
		wq_wake_all(&p->wr_wait);	/* room for writers and pollers */
	if (!done && fault)
		return -EFAULT;
	return (ssize_t)done;
}

static void
sigpipe(void)
{
#ifdef CONFIG_PROCESSES
	send_sig_current(SIGPIPE);
#endif
}

/*
 * Linux's pipe_write: the part of the write beyond whole pages goes into
 * the last buffer if it fits there entirely (so a write of at most
 * PIPE_BUF bytes is either merged whole or gets a buffer of its own), the
 * rest into new buffers of a page each.
 */
static ssize_t
pipe_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct pipe_inode_info *p = f->priv;
	size_t total = u->resid, done = 0;
	unsigned long flags;
	ssize_t ret = 0;
	int err;

	mutex_lock(&p->mutex);
	flags = spin_lock_irqsave(&p->lock);
	if (!p->readers) {
		spin_unlock_irqrestore(&p->lock, flags);
		mutex_unlock(&p->mutex);
		sigpipe();
		return -EPIPE;
	}
	spin_unlock_irqrestore(&p->lock, flags);

	size_t chars = total & (PAGE_SIZE - 1);

	if (chars && p->head != p->tail) {
		struct pipe_buffer *b = &p->bufs[(p->head - 1) & (p->ring_size - 1)];
		size_t end = b->offset + b->len;

		if (end + chars <= PAGE_SIZE) {
			size_t moved = uio_copy_from(u, (char *)b->page + end, chars);

			flags = spin_lock_irqsave(&p->lock);
			b->len += (unsigned int)moved;
			p->bytes += moved;
			spin_unlock_irqrestore(&p->lock, flags);
			done = moved;
			if (moved < chars) {
				ret = -EFAULT;
				goto out;
			}
		}
	}
	while (u->resid) {
		flags = spin_lock_irqsave(&p->lock);
		if (!p->readers) {
			spin_unlock_irqrestore(&p->lock, flags);
			sigpipe();
			ret = -EPIPE;
			break;
		}
		if (!pipe_full(p)) {
			spin_unlock_irqrestore(&p->lock, flags);

			/* Only we add buffers (the mutex), so the slot stays free. */
			size_t want = u->resid < PAGE_SIZE ? u->resid : PAGE_SIZE;
			void *page = get_page(p);
			size_t moved;

			if (!page) {
				ret = -ENOMEM;
				break;
			}
			moved = uio_copy_from(u, page, want);
			if (!moved) {
				put_page(p, page);
				ret = -EFAULT;
				break;
			}
			flags = spin_lock_irqsave(&p->lock);
			p->bufs[p->head & (p->ring_size - 1)] =
				(struct pipe_buffer){ page, 0, (unsigned int)moved };
			p->head++;
			p->bytes += moved;
			spin_unlock_irqrestore(&p->lock, flags);
			done += moved;
			if (moved < want) {
				ret = -EFAULT;
				break;
			}
			continue;
		}
		spin_unlock_irqrestore(&p->lock, flags);
		if (nonblocking(f)) {
			ret = -EAGAIN;
			break;
		}
		/* Full: let readers at what we wrote, and sleep without the mutex. */
		mutex_unlock(&p->mutex);
		if (done)
			wq_wake_all(&p->rd_wait);
		flags = spin_lock_irqsave(&p->lock);
		err = 0;
		while (pipe_full(p) && p->readers && !err)
			err = wq_wait_interruptible(&p->wr_wait, &p->lock, WAIT_FOREVER);
		spin_unlock_irqrestore(&p->lock, flags);
		if (err)
			return done ? (ssize_t)done : -ERESTARTSYS;
		mutex_lock(&p->mutex);
	}
out:
	mutex_unlock(&p->mutex);
	if (done) {
		wq_wake_all(&p->rd_wait);
		mutex_lock(&f->inode->lock);
		inode_touch(f->inode, ATTR_MTIME | ATTR_CTIME);
		mutex_unlock(&f->inode->lock);
	}
	return done ? (ssize_t)done : ret;
}

static unsigned int
pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe_inode_info *p = f->priv;
	unsigned int mask = 0;
	unsigned long flags;

	/* Register first: a change after the test below then wakes us. */
	if (f->mode & FMODE_READ)
		poll_wait(f, &p->rd_wait, pt);
	if (f->mode & FMODE_WRITE)
		poll_wait(f, &p->wr_wait, pt);
	flags = spin_lock_irqsave(&p->lock);
	if (f->mode & FMODE_READ) {
		if (p->head != p->tail)
			mask |= POLLIN | POLLRDNORM;
		/* A FIFO opened O_NONBLOCK sees no hang-up before its first writer. */
		if (!p->writers && (unsigned int)f->pos != p->w_counter)
			mask |= POLLHUP;
	}
	if (f->mode & FMODE_WRITE) {
		if (!pipe_full(p))
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return mask;
}

long
pipe_unread_bytes(struct file *f)
{
	struct pipe_inode_info *p;
	unsigned long flags;
	long n;

	if (f->fop != &pipefifo_fops || !f->priv)
		return -EBADF;
	p = f->priv;
	flags = spin_lock_irqsave(&p->lock);
	n = (long)p->bytes;
	spin_unlock_irqrestore(&p->lock, flags);
	return n;
}

static long
pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	n = (int)pipe_unread_bytes(f);
	return put_user(n, (int __user *)arg);
}

/* Linux's round_pipe_size: whole pages, a power of two of them. */
static unsigned int
pipe_slots_for(unsigned long size)
{
	unsigned int slots = 1;

	while ((unsigned long)slots * PAGE_SIZE < size)
		slots *= 2;
	return slots;
}

static long
pipe_set_size(struct pipe_inode_info *p, unsigned long arg)
{
	struct pipe_buffer *bufs, *old;
	unsigned int slots, used;
	unsigned long flags;

	if (arg > PIPE_MAX_SIZE)
		return -EPERM;		/* Linux lets CAP_SYS_RESOURCE go further */
	slots = pipe_slots_for(arg);
	bufs = kzalloc(slots * sizeof(*bufs));
	if (!bufs)
		return -ENOMEM;
	mutex_lock(&p->mutex);
	used = p->head - p->tail;
	if (used > slots) {
		mutex_unlock(&p->mutex);
		kfree(bufs);
		return -EBUSY;
	}
	for (unsigned int i = 0; i < used; i++)
		bufs[i] = p->bufs[(p->tail + i) & (p->ring_size - 1)];
	flags = spin_lock_irqsave(&p->lock);
	old = p->bufs;
	p->bufs = bufs;
	p->tail = 0;
	p->head = used;
	p->ring_size = slots;
	spin_unlock_irqrestore(&p->lock, flags);
	mutex_unlock(&p->mutex);
	kfree(old);
	wq_wake_all(&p->wr_wait);	/* maybe room now */
	return (long)slots * PAGE_SIZE;
}

long
pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *p;
	unsigned long flags;
	long ret;

	if (f->fop != &pipefifo_fops || !f->priv)
		return -EBADF;
	p = f->priv;
	switch (cmd) {
	case F_GETPIPE_SZ:
		flags = spin_lock_irqsave(&p->lock);
		ret = (long)p->ring_size * PAGE_SIZE;
		spin_unlock_irqrestore(&p->lock, flags);
		return ret;
	case F_SETPIPE_SZ:
		return pipe_set_size(p, arg);
	default:
		return -EINVAL;
	}
}

static void
pipe_release(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *p = f->priv;
	unsigned long flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&p->lock);
	if (f->mode & FMODE_READ)
		p->readers--;
	if (f->mode & FMODE_WRITE)
		p->writers--;
	spin_unlock_irqrestore(&p->lock, flags);
	/* Readers see EOF, writers EPIPE, pollers POLLHUP or POLLERR. */
	wq_wake_all(&p->rd_wait);
	wq_wake_all(&p->wr_wait);
	put_pipe(inode, p);
}

/* Sleep until *counter moves on from what it was (p->lock held, irqsave). */
static int
wait_for_partner(struct pipe_inode_info *p, unsigned int *counter, struct wait_queue *wq)
{
	unsigned int seen = *counter;
	int err = 0;

	while (*counter == seen && !err)
		err = wq_wait_interruptible(wq, &p->lock, WAIT_FOREVER);
	return err;
}

/* A partner came: wake whoever waits for one (p->lock held). */
static void
wake_partner(struct pipe_inode_info *p)
{
	wq_wake_all(&p->rd_wait);
	wq_wake_all(&p->wr_wait);
}

/*
 * Opening a FIFO (Linux's fifo_open): O_RDONLY waits for a writer unless
 * O_NONBLOCK; O_WRONLY waits for a reader, and with O_NONBLOCK fails with
 * ENXIO when there is none; O_RDWR never waits.
 */
static int
fifo_open(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *p;
	unsigned long flags;
	int err = 0;

	mutex_lock(&inode->lock);
	p = inode->pipe;
	if (!p) {
		p = pipe_alloc();
		if (!p) {
			mutex_unlock(&inode->lock);
			return -ENOMEM;
		}
		inode->pipe = p;
	}
	p->files++;
	mutex_unlock(&inode->lock);
	f->priv = p;

	flags = spin_lock_irqsave(&p->lock);
	switch (f->mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		p->r_counter++;
		if (p->readers++ == 0)
			wake_partner(p);
		if (!p->writers) {
			if (nonblocking(f)) {
				/* No POLLHUP until a writer has come (pipe_poll). */
				f->pos = p->w_counter;
			} else if (wait_for_partner(p, &p->w_counter, &p->rd_wait)) {
				if (--p->readers == 0)
					wq_wake_all(&p->wr_wait);
				err = -ERESTARTSYS;
			}
		}
		break;
	case FMODE_WRITE:
		if (nonblocking(f) && !p->readers) {
			err = -ENXIO;
			break;
		}
		p->w_counter++;
		if (p->writers++ == 0)
			wake_partner(p);
		if (!p->readers && wait_for_partner(p, &p->r_counter, &p->wr_wait)) {
			if (--p->writers == 0)
				wq_wake_all(&p->rd_wait);
			err = -ERESTARTSYS;
		}
		break;
	case FMODE_READ | FMODE_WRITE:
		/* Both ends at once: never waits (POSIX leaves it open; Linux's). */
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		if (p->readers == 1 || p->writers == 1)
			wake_partner(p);
		break;
	default:
		err = -EINVAL;
		break;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	if (err) {
		f->priv = NULL;
		put_pipe(inode, p);
	}
	return err;
}

const struct file_operations pipefifo_fops = {
	.open = fifo_open,
	.release = pipe_release,
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
};

/* ---- pipefs and pipe2 ---- */

static const struct super_operations pipefs_sops = {
	.statfs = simple_statfs,
};

static int
pipefs_fill_super(struct super_block *sb, const char *source, const char *data)
{
	struct inode *root;

	if (READ_ONCE(pipe_mnt))
		return -EINVAL;		/* the kernel's instance only: nothing to mount */
	sb->magic = PIPEFS_MAGIC;
	sb->ops = &pipefs_sops;
	root = new_inode(sb, S_IFDIR | 0700);
	if (!root)
		return -ENOMEM;
	root->ino = sb_next_ino(sb);
	sb->root = d_make_root(root);
	return sb->root ? 0 : -ENOMEM;
}

FILESYSTEM(pipefs_type) = {
	.name = "pipefs",
	.fill_super = pipefs_fill_super,
};

void
pipe_init(void)
{
	struct mount *mnt = kern_mount("pipefs", NULL);

	if (IS_ERR(mnt))
		panic("pipe: cannot make pipefs: %ld", PTR_ERR(mnt));
	WRITE_ONCE(pipe_mnt, mnt);
}

bool
is_pipefs_inode(const struct inode *inode)
{
	return pipe_mnt && inode->sb == pipe_mnt->sb;
}

/* An open file of the pipe behind d: one more reader or writer. */
static struct file *
pipe_file(struct dentry *d, struct pipe_inode_info *p, int flags)
{
	struct path path = { .mnt = pipe_mnt, .dentry = d };
	struct file *f = alloc_file(&path, flags);
	unsigned long irq;

	if (!f)
		return NULL;
	f->flags &= ~O_LARGEFILE;	/* Linux's pipe files: F_GETFL shows the mode alone */
	mutex_lock(&d->inode->lock);
	p->files++;
	mutex_unlock(&d->inode->lock);
	irq = spin_lock_irqsave(&p->lock);
	if (f->mode & FMODE_READ) {
		p->readers++;
		p->r_counter++;
	} else {
		p->writers++;
		p->w_counter++;
	}
	spin_unlock_irqrestore(&p->lock, irq);
	f->priv = p;
	return f;
}

/*
 * The two files of a new pipe in files[] (referenced) and two descriptors
 * reserved for them in fds[], not installed yet: pipe2(2) installs them
 * only once it has told the caller their numbers.
 */
static int
create_pipe(struct file *files[2], int fds[2], int flags)
{
	struct file *rf = NULL, *wf = NULL;
	struct pipe_inode_info *p;
	struct inode *inode;
	struct dentry *d;
	char name[32];
	struct qstr q;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if (flags & O_DIRECT)
		return -EINVAL;		/* packet mode is not done */
	fds[0] = fd_reserve(flags & O_CLOEXEC);
	if (fds[0] < 0)
		return fds[0];
	fds[1] = fd_reserve(flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fd_install_reserved(fds[0], NULL);
		return fds[1];
	}
	inode = new_inode(pipe_mnt->sb, S_IFIFO | 0600);
	p = pipe_alloc();
	if (!inode || !p)
		goto fail;
	inode->ino = sb_next_ino(pipe_mnt->sb);
	inode->fop = &pipefifo_fops;
	/* Unhashed: found by no lookup, freed with its last file. */
	snprintf(name, sizeof(name), "pipe:[%llu]", (unsigned long long)inode->ino);
	q.name = name;
	q.len = (uint32_t)strlen(name);
	q.hash = name_hash(q.name, q.len);
	d = d_alloc(pipe_mnt->root, &q);
	if (!d)
		goto fail;
	inode->pipe = p;
	d_instantiate(d, inode);
	rf = pipe_file(d, p, O_RDONLY | (flags & O_NONBLOCK));
	if (rf)
		wf = pipe_file(d, p, O_WRONLY | (flags & O_NONBLOCK));
	if (!rf) {
		/* No file holds the pipe: free it; the inode goes with d. */
		inode->pipe = NULL;
		pipe_free(p);
	}
	dput(d);			/* the files hold it now */
	if (!wf) {
		if (rf)
			fput(rf);	/* the last file: frees the pipe */
		fd_install_reserved(fds[0], NULL);
		fd_install_reserved(fds[1], NULL);
		return -ENOMEM;
	}
	files[0] = rf;
	files[1] = wf;
	return 0;

fail:
	if (p)
		pipe_free(p);
	iput(inode);
	fd_install_reserved(fds[0], NULL);
	fd_install_reserved(fds[1], NULL);
	return -ENOMEM;
}

static void
install_pipe(struct file *files[2], const int fds[2])
{
	for (int i = 0; i < 2; i++) {
		fd_install_reserved(fds[i], files[i]);
		fput(files[i]);
	}
}

int
vfs_pipe2(int fds[2], int flags)
{
	struct file *files[2];
	int err = create_pipe(files, fds, flags);

	if (!err)
		install_pipe(files, fds);
	return err;
}

/* ---- system calls ---- */

SYSCALL_DEFINE2(pipe2, int __user *, ufds, int, flags)
{
	struct file *files[2];
	int fds[2];
	int err = create_pipe(files, fds, flags);

	if (err)
		return err;
	err = copy_to_user(ufds, fds, sizeof(fds));
	if (err) {
		/* As Linux: the descriptors were never visible, and go again. */
		for (int i = 0; i < 2; i++) {
			fd_install_reserved(fds[i], NULL);
			fput(files[i]);
		}
		return err;
	}
	install_pipe(files, fds);
	return 0;
}

#if defined(__x86_64__) || defined(__i386__)
/* x86 only: the generic table (aarch64) has pipe2 alone. */
SYSCALL_DEFINE1(pipe, int __user *, ufds)
{
	return sys_pipe2((unsigned long)ufds, 0, 0, 0, 0, 0);
}
#endif

/* ---- splice(2), tee(2), vmsplice(2), sendfile(2) into pipes (fs/splice.c) ---- */

static struct pipe_inode_info *
splice_pipe(struct file *f)
{
	return f->fop == &pipefifo_fops ? f->priv : NULL;
}

long
pipe_splice_wait_room(struct file *f, bool nonblock)
{
	struct pipe_inode_info *p = splice_pipe(f);
	unsigned long flags;
	long room;

	if (!p)
		return -EBADF;
	flags = spin_lock_irqsave(&p->lock);
	for (;;) {
		if (!p->readers) {
			spin_unlock_irqrestore(&p->lock, flags);
			sigpipe();
			return -EPIPE;
		}
		if (!pipe_full(p))
			break;
		if (nonblock) {
			spin_unlock_irqrestore(&p->lock, flags);
			return -EAGAIN;
		}
		if (wq_wait_interruptible(&p->wr_wait, &p->lock, WAIT_FOREVER)) {
			spin_unlock_irqrestore(&p->lock, flags);
			return -ERESTARTSYS;
		}
	}
	room = (long)(p->ring_size - (p->head - p->tail)) * PAGE_SIZE;
	spin_unlock_irqrestore(&p->lock, flags);
	return room;
}

/*
 * Wait (mutex held) until p has data: 0 then, 1 at EOF (no writer),
 * -EAGAIN, or -ERESTARTSYS (the mutex is then not held).  Linux's
 * splice_from_pipe_next() and ipipe_prep().
 */
static int
splice_wait_data(struct pipe_inode_info *p, bool nonblock)
{
	unsigned long flags;
	int err = 0;

	while (p->head == p->tail) {
		flags = spin_lock_irqsave(&p->lock);
		if (!p->writers) {
			spin_unlock_irqrestore(&p->lock, flags);
			return 1;
		}
		if (nonblock) {
			spin_unlock_irqrestore(&p->lock, flags);
			return -EAGAIN;
		}
		mutex_unlock(&p->mutex);
		while (p->head == p->tail && p->writers && !err)
			err = wq_wait_interruptible(&p->rd_wait, &p->lock, WAIT_FOREVER);
		spin_unlock_irqrestore(&p->lock, flags);
		if (err)
			return -ERESTARTSYS;
		mutex_lock(&p->mutex);
	}
	return 0;
}

/* Take n bytes off the front buffer (mutex held). */
static void
splice_consume(struct pipe_inode_info *p, size_t n)
{
	struct pipe_buffer *b = &p->bufs[p->tail & (p->ring_size - 1)];
	void *emptied = NULL;
	unsigned long flags = spin_lock_irqsave(&p->lock);

	b->offset += (unsigned int)n;
	b->len -= (unsigned int)n;
	p->bytes -= n;
	if (b->len == 0) {
		emptied = b->page;
		b->page = NULL;
		p->tail++;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	if (emptied)
		put_page(p, emptied);
}

ssize_t
pipe_splice_read(struct file *f, size_t len, bool nonblock,
		 ssize_t (*actor)(void *arg, const void *buf, size_t n), void *arg)
{
	struct pipe_inode_info *p = splice_pipe(f);
	size_t done = 0;
	ssize_t ret = 0;
	int err;

	if (!p)
		return -EBADF;
	mutex_lock(&p->mutex);
	err = splice_wait_data(p, nonblock);
	if (err == -ERESTARTSYS)
		return err;		/* the mutex went with the wait */
	if (err < 0) {
		mutex_unlock(&p->mutex);
		return err;
	}
	/* The data there now, buffer by buffer, as far as the actor takes it. */
	while (!err && p->head != p->tail && done < len) {
		struct pipe_buffer *b = &p->bufs[p->tail & (p->ring_size - 1)];
		size_t want = MIN((size_t)b->len, len - done);
		ssize_t took = actor(arg, (char *)b->page + b->offset, want);

		if (took <= 0) {
			ret = took;
			break;
		}
		splice_consume(p, (size_t)took);
		done += (size_t)took;
		if ((size_t)took < want)
			break;
	}
	mutex_unlock(&p->mutex);
	if (done)
		wq_wake_all(&p->wr_wait);	/* room for writers and pollers */
	return done ? (ssize_t)done : ret;
}

/* Both pipes' mutexes, the lower address first (Linux's pipe_double_lock). */
static void
double_lock(struct pipe_inode_info *a, struct pipe_inode_info *b)
{
	if (a > b) {
		struct pipe_inode_info *t = a;

		a = b;
		b = t;
	}
	mutex_lock(&a->mutex);
	mutex_lock_nested(&b->mutex);
}

ssize_t
pipe_splice_pipe(struct file *in, struct file *out, size_t len, bool nonblock, bool tee)
{
	struct pipe_inode_info *ip = splice_pipe(in), *op = splice_pipe(out);
	unsigned long flags;
	size_t done = 0;
	ssize_t ret = 0;
	long room;
	int err;

	if (!ip || !op)
		return -EBADF;
	if (ip == op)
		return -EINVAL;		/* to itself: Linux refuses too */
	for (;;) {
		/* Data to take, then room to put it (Linux's ipipe_prep, opipe_prep). */
		mutex_lock(&ip->mutex);
		err = splice_wait_data(ip, nonblock);
		if (err == -ERESTARTSYS)
			return err;
		mutex_unlock(&ip->mutex);
		if (err)
			return err < 0 ? err : 0;	/* EOF: 0 */
		room = pipe_splice_wait_room(out, nonblock);
		if (room < 0)
			return room;

		double_lock(ip, op);
		flags = spin_lock_irqsave(&op->lock);
		if (!op->readers) {
			spin_unlock_irqrestore(&op->lock, flags);
			mutex_unlock(&ip->mutex);
			mutex_unlock(&op->mutex);
			sigpipe();
			return -EPIPE;
		}
		spin_unlock_irqrestore(&op->lock, flags);
		/* Copy buffer by buffer while there is data, room and len. */
		for (unsigned int i = ip->tail; i != ip->head && done < len && !pipe_full(op); i++) {
			struct pipe_buffer *b = &ip->bufs[i & (ip->ring_size - 1)];
			size_t n = MIN((size_t)b->len, len - done);
			void *page = get_page(op);

			if (!page) {
				ret = -ENOMEM;
				break;
			}
			memcpy(page, (char *)b->page + b->offset, n);
			flags = spin_lock_irqsave(&op->lock);
			op->bufs[op->head & (op->ring_size - 1)] =
				(struct pipe_buffer){ page, 0, (unsigned int)n };
			op->head++;
			op->bytes += n;
			spin_unlock_irqrestore(&op->lock, flags);
			done += n;
			if (!tee) {
				splice_consume(ip, n);
				i = ip->tail - 1;	/* the loop's i++ lands on the new front */
			} else if (n < b->len) {
				break;
			}
		}
		mutex_unlock(&ip->mutex);
		mutex_unlock(&op->mutex);
		if (done || ret)
			break;
		/* Another reader took the data between the waits: wait again. */
	}
	if (done) {
		wq_wake_all(&op->rd_wait);
		if (!tee)
			wq_wake_all(&ip->wr_wait);
	}
	return done ? (ssize_t)done : ret;
}
