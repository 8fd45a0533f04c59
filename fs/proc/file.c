/*
 * proc's text files: the text is made when the file is opened (show()
 * into a buffer, doubled and retried while it overflows) and read() and
 * lseek() serve that snapshot, so a reader in small pieces sees one
 * consistent text, as with Linux's single_open() files.  Writing is
 * refused with EIO (Linux's proc_reg_write without a proc_write) unless
 * the entry has a write function (proc_create_write: sysctls), which gets
 * each write(2) whole, as Linux's sysctl files take a value per write; the
 * 0444 mode refuses opening for writing to everyone but root (EACCES).
 */
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/seqbuf.h>
#include <kernel/slab.h>
#include <kernel/uio.h>
#include <string.h>

#include "internal.h"

#define PROC_BUF_FIRST	4096u
#define PROC_BUF_MAX	(1u << 20)	/* a show that needs more is cut here */

struct proc_text {
	char *text;
	size_t len;
};

int
proc_generate_err(proc_show_err_t show, void *data, char **text, size_t *len)
{
	size_t size = PROC_BUF_FIRST;
	struct seqbuf sb;
	char *buf;
	int err;

	for (;;) {
		buf = kmalloc(size);
		if (!buf)
			return -ENOMEM;
		seqbuf_init(&sb, buf, size);
		buf[0] = '\0';
		err = show(&sb, data);
		if (err) {
			kfree(buf);
			return err;
		}
		if (!sb.overflow || size >= PROC_BUF_MAX)
			break;
		kfree(buf);
		size *= 2;
	}
	*text = buf;
	*len = sb.len;
	return 0;
}

struct show_call {
	proc_show_t show;
	void *data;
};

static int
show_no_error(struct seqbuf *m, void *data)
{
	struct show_call *c = data;

	c->show(m, c->data);
	return 0;
}

int
proc_generate(proc_show_t show, void *data, char **text, size_t *len)
{
	struct show_call c = { show, data };

	return proc_generate_err(show_no_error, &c, text, len);
}

int
proc_text_open(struct file *f, proc_show_err_t show, void *data)
{
	struct proc_text *t = kzalloc(sizeof(*t));
	int err;

	if (!t)
		return -ENOMEM;
	err = proc_generate_err(show, data, &t->text, &t->len);
	if (err) {
		kfree(t);
		return err;
	}
	f->priv = t;
	return 0;
}

static int
proc_file_open(struct inode *inode, struct file *f)
{
	struct proc_dir_entry *pde = inode->priv;
	struct show_call c = { pde->show, pde->data };

	if (!(f->mode & FMODE_READ))
		return 0;		/* write-only: nothing to show */
	return proc_text_open(f, show_no_error, &c);
}

void
proc_file_release(struct inode *inode, struct file *f)
{
	struct proc_text *t = f->priv;

	if (t) {
		kfree(t->text);
		kfree(t);
	}
}

ssize_t
proc_file_read(struct file *f, struct uio *uio, loff_t *pos)
{
	struct proc_text *t = f->priv;
	size_t want, done;

	if (!t || *pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= t->len)
		return 0;
	want = t->len - (size_t)*pos;
	done = uio_copy_to(uio, t->text + *pos, want < uio->resid ? want : uio->resid);
	if (!done)
		return -EFAULT;
	*pos += (loff_t)done;
	return (ssize_t)done;
}

ssize_t
proc_file_write(struct file *f, struct uio *uio, loff_t *pos)
{
	return -EIO;
}

/* A static entry's write function, if it has one. */
static ssize_t
proc_entry_write(struct file *f, struct uio *uio, loff_t *pos)
{
	struct proc_dir_entry *pde = f->inode->priv;
	char buf[PROC_WRITE_MAX + 1];
	size_t len = uio->resid;
	ssize_t ret;

	if (!pde->write)
		return -EIO;
	if (*pos > 0) {
		/* Past the start: ignored, as Linux's sysctls (sysctl_writes_strict). */
		*pos += (loff_t)len;
		return (ssize_t)len;
	}
	if (len > PROC_WRITE_MAX)
		return -EINVAL;
	if (uio_copy_from(uio, buf, len) != len)
		return -EFAULT;
	buf[len] = '\0';
	ret = pde->write(buf, len, pde->data);
	if (ret > 0)
		*pos += ret;
	return ret;
}

/* As Linux's seq_lseek: SEEK_SET and SEEK_CUR (past the end is fine); SEEK_END EINVAL. */
loff_t
proc_file_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	default:
		return -EINVAL;
	}
	if ((offset > 0 && base > LOFF_MAX - offset) || base + offset < 0)
		return -EINVAL;
	f->pos = base + offset;
	return f->pos;
}

const struct file_operations proc_file_fops = {
	.open = proc_file_open,
	.release = proc_file_release,
	.read = proc_file_read,
	.write = proc_entry_write,
	.llseek = proc_file_llseek,
};
