/*
 * Character device numbers: drivers register a range of minors under a
 * major with their file operations; opening a device node finds them by
 * the node's rdev (ENXIO when nobody serves it).  Also the other special
 * inodes: block devices (the storage issue brings their layer), FIFOs
 * (fs/pipe.c) and sockets.
 *
 * chrdevs_lock guards the registry.
 */
#include <kernel/errno.h>
#include <kernel/list.h>
#include <kernel/slab.h>
#include <kernel/spinlock.h>
#include <kernel/vfs.h>
#include <kernel/chrdev.h>
#include <kernel/pipe.h>

#include "internal.h"

struct chrdev {
	dev_t base;
	unsigned int count;
	const char *name;
	const struct file_operations *fop;
	struct list_head node;		/* chrdevs_lock */
};

static struct spinlock chrdevs_lock = SPINLOCK_INIT("chrdevs");
static LIST_HEAD(chrdevs);			/* chrdevs_lock */

static bool
overlaps(const struct chrdev *c, dev_t base, unsigned int count)
{
	return MAJOR(c->base) == MAJOR(base) && MINOR(base) < MINOR(c->base) + c->count &&
	       MINOR(c->base) < MINOR(base) + count;
}

int
register_chrdev_region(dev_t base, unsigned int count, const char *name,
		       const struct file_operations *fop)
{
	struct chrdev *c = kmalloc(sizeof(*c));
	struct list_head *pos;
	unsigned long flags;

	if (!c)
		return -ENOMEM;
	if (!count || MINOR(base) + count - 1 > MINORMASK) {
		kfree(c);
		return -EINVAL;
	}
	c->base = base;
	c->count = count;
	c->name = name;
	c->fop = fop;
	flags = spin_lock_irqsave(&chrdevs_lock);
	list_for_each(pos, &chrdevs) {
		if (overlaps(list_entry(pos, struct chrdev, node), base, count)) {
			spin_unlock_irqrestore(&chrdevs_lock, flags);
			kfree(c);
			return -EBUSY;
		}
	}
	list_add_tail(&c->node, &chrdevs);
	spin_unlock_irqrestore(&chrdevs_lock, flags);
	return 0;
}

void
unregister_chrdev_region(dev_t base, unsigned int count)
{
	unsigned long flags = spin_lock_irqsave(&chrdevs_lock);
	struct list_head *pos, *tmp;
	struct chrdev *gone = NULL;

	list_for_each_safe(pos, tmp, &chrdevs) {
		struct chrdev *c = list_entry(pos, struct chrdev, node);

		if (c->base == base && c->count == count) {
			list_del(&c->node);
			gone = c;
			break;
		}
	}
	spin_unlock_irqrestore(&chrdevs_lock, flags);
	kfree(gone);
}

static const struct file_operations *
chrdev_find(dev_t dev)
{
	unsigned long flags = spin_lock_irqsave(&chrdevs_lock);
	const struct file_operations *fop = NULL;
	struct list_head *pos;

	list_for_each(pos, &chrdevs) {
		struct chrdev *c = list_entry(pos, struct chrdev, node);

		if (overlaps(c, dev, 1)) {
			fop = c->fop;
			break;
		}
	}
	spin_unlock_irqrestore(&chrdevs_lock, flags);
	return fop;
}

int
chrdev_open(struct inode *inode, struct file *f)
{
	const struct file_operations *fop = chrdev_find(inode->rdev);

	if (!fop)
		return -ENXIO;
	f->fop = fop;
	return fop->open ? fop->open(inode, f) : 0;
}

static const struct file_operations chrdev_fops = {
	.open = chrdev_open,
};

static int
no_device_open(struct inode *inode, struct file *f)
{
	return -ENXIO;
}

/* Block devices and sockets cannot be opened yet (see the top). */
static const struct file_operations no_device_fops = {
	.open = no_device_open,
};

void
init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->mode = mode;
	if (S_ISCHR(mode)) {
		inode->fop = &chrdev_fops;
		inode->rdev = rdev;
	} else if (S_ISBLK(mode)) {
		inode->fop = &no_device_fops;
		inode->rdev = rdev;
	} else if (S_ISFIFO(mode)) {
		inode->fop = &pipefifo_fops;
	} else {
		inode->fop = &no_device_fops;
	}
}
