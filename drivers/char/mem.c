/*
 * The memory devices, major 1 with Linux's minors: null (3), zero (5),
 * full (7), random (8) and urandom (9), each with Linux's semantics:
 *   null     reads: end of file; writes: swallowed, the whole count
 *   zero     reads: zeros; writes: swallowed
 *   full     reads: zeros; writes: ENOSPC
 *   random   reads: the kernel CSPRNG, waiting (O_NONBLOCK: EAGAIN)
 *            until it is seeded; writes: mixed into its pool, uncredited
 *   urandom  the same without the wait
 * lseek returns 0 on all of them and pread/pwrite work, as on Linux.
 *
 * chr_dev_init() registers them and their devtmpfs nodes, then the
 * terminals (tty_init()); vfs_init() calls it once /dev can be made.
 */
#include <kernel/chrdev.h>
#include <kernel/devtmpfs.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/printk.h>
#include <kernel/stat.h>
#include <kernel/tty.h>
#include <kernel/uio.h>
#include <kernel/vfs.h>
#include <string.h>
#ifdef CONFIG_RANDOM
#include <kernel/random.h>
#endif

#define CHUNK	256		/* bytes moved per step through a stack buffer */

static int
mem_open(struct inode *inode, struct file *f)
{
	f->mode |= FMODE_LSEEK;		/* Linux's default: seekable, pread works */
	return 0;
}

/* null_lseek, full_lseek and noop_llseek all leave the position at 0. */
static loff_t
mem_lseek(struct file *f, loff_t offset, int whence)
{
	f->pos = 0;
	return 0;
}

static ssize_t
read_null(struct file *f, struct uio *u, loff_t *pos)
{
	return 0;
}

static ssize_t
write_null(struct file *f, struct uio *u, loff_t *pos)
{
	return (ssize_t)u->resid;	/* all taken; nothing need be read */
}

static ssize_t
read_zero(struct file *f, struct uio *u, loff_t *pos)
{
	size_t want = u->resid;
	size_t n = uio_zero(u, want);

	return n ? (ssize_t)n : -EFAULT;
}

static ssize_t
write_full(struct file *f, struct uio *u, loff_t *pos)
{
	return -ENOSPC;
}

static const struct file_operations null_fops = {
	.open = mem_open,
	.read = read_null,
	.write = write_null,
	.llseek = mem_lseek,
};

static const struct file_operations zero_fops = {
	.open = mem_open,
	.read = read_zero,
	.write = write_null,
	.llseek = mem_lseek,
};

static const struct file_operations full_fops = {
	.open = mem_open,
	.read = read_zero,
	.write = write_full,
	.llseek = mem_lseek,
};

#ifdef CONFIG_RANDOM
static ssize_t
read_random_bytes(struct uio *u)
{
	unsigned char buf[CHUNK];
	size_t done = 0;

	while (u->resid) {
		size_t n = u->resid < sizeof(buf) ? u->resid : sizeof(buf);
		size_t moved;

		get_random_bytes(buf, n);
		moved = uio_copy_to(u, buf, n);
		done += moved;
		if (moved < n)
			break;		/* a bad user page */
	}
	memset(buf, 0, sizeof(buf));	/* no copy of the output stays behind */
	__asm__ volatile("" : : "r"(buf) : "memory");
	return done ? (ssize_t)done : -EFAULT;
}

/* /dev/random waits for the generator to be seeded; urandom does not. */
static ssize_t
read_random(struct file *f, struct uio *u, loff_t *pos)
{
	int err = random_wait_ready(READ_ONCE(f->flags) & O_NONBLOCK);

	if (err)
		return err;
	return read_random_bytes(u);
}

static ssize_t
read_urandom(struct file *f, struct uio *u, loff_t *pos)
{
	static bool warned;

	if (!random_ready() && !READ_ONCE(warned)) {
		WRITE_ONCE(warned, true);
		pr_notice("random: urandom read before the generator is seeded\n");
	}
	return read_random_bytes(u);
}

/* Written data goes into the pool with no credit, as Linux does. */
static ssize_t
write_random(struct file *f, struct uio *u, loff_t *pos)
{
	unsigned char buf[CHUNK];
	size_t done = 0;

	while (u->resid) {
		size_t n = u->resid < sizeof(buf) ? u->resid : sizeof(buf);
		size_t moved = uio_copy_from(u, buf, n);

		random_add_entropy(buf, moved, 0);
		done += moved;
		if (moved < n)
			break;
	}
	memset(buf, 0, sizeof(buf));
	__asm__ volatile("" : : "r"(buf) : "memory");
	return done ? (ssize_t)done : -EFAULT;
}

static unsigned int
poll_random(struct file *f, struct poll_table *pt)
{
	/* Nothing wakes a poller yet: report what a read would do now. */
	return (random_ready() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static const struct file_operations random_fops = {
	.open = mem_open,
	.read = read_random,
	.write = write_random,
	.llseek = mem_lseek,
	.poll = poll_random,
};

static const struct file_operations urandom_fops = {
	.open = mem_open,
	.read = read_urandom,
	.write = write_random,
	.llseek = mem_lseek,
};
#endif

static const struct mem_dev {
	const char *name;
	unsigned int minor;
	const struct file_operations *fop;
} mem_devs[] = {
	{ "null", 3, &null_fops },
	{ "zero", 5, &zero_fops },
	{ "full", 7, &full_fops },
#ifdef CONFIG_RANDOM
	{ "random", 8, &random_fops },
	{ "urandom", 9, &urandom_fops },
#endif
};

void
chr_dev_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(mem_devs); i++) {
		const struct mem_dev *m = &mem_devs[i];
		dev_t dev = MKDEV(MEM_MAJOR, m->minor);
		int err = register_chrdev_region(dev, 1, m->name, m->fop);

		if (!err && IS_ENABLED(CONFIG_DEVTMPFS))
			err = devtmpfs_create_node(m->name, S_IFCHR | 0666, dev);
		if (err)
			pr_err("mem: %s: %d\n", m->name, err);
	}
#ifdef CONFIG_TTY
	tty_init();
#endif
}
