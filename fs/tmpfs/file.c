/*
 * tmpfs regular files: data in pages found by index in a radix tree;
 * missing pages are holes (read as zeros, cost nothing), so sparse files
 * are cheap.  Each page written is charged against the mount's size=
 * limit (ENOSPC beyond it).  inode.lock guards the pages and the size.
 */
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/mm.h>
#include <kernel/radix.h>
#include <kernel/uio.h>
#include <kernel/vfs.h>
#include <string.h>

#include "tmpfs.h"

#define PAGE_BYTES	4096u
/* The largest size: page indexes must fit the radix tree and loff_t. */
#define TMPFS_MAX_BYTES	(LOFF_MAX & ~(loff_t)(PAGE_BYTES - 1))

struct release_ctx {
	struct super_block *sb;
	uint64_t freed;
};

static void
release_page(void *page, void *arg)
{
	struct release_ctx *rc = arg;

	page_free_addr(page, 0);
	rc->freed++;
}

/* Free every page at byte offset >= from (page-aligned up). */
void
tmpfs_free_pages(struct inode *inode, loff_t from)
{
	struct release_ctx rc = { inode->sb, 0 };
	uint64_t first = ((uint64_t)from + PAGE_BYTES - 1) / PAGE_BYTES;

	radix_truncate(&TI(inode)->pages, first, release_page, &rc);
	if (rc.freed) {
		tmpfs_uncharge_pages(inode->sb, rc.freed);
		inode->blocks -= rc.freed * (PAGE_BYTES / 512);
	}
}

static int
set_size(struct inode *inode, loff_t size)
{
	if (size < 0 || size > TMPFS_MAX_BYTES)
		return -EFBIG;
	if (size < inode->size) {
		size_t in_page = (size_t)(size % PAGE_BYTES);
		char *page;

		tmpfs_free_pages(inode, size);
		/* The kept part of the last page must read as zeros beyond size. */
		page = in_page ? radix_lookup(&TI(inode)->pages, (uint64_t)size / PAGE_BYTES) : NULL;
		if (page)
			memset(page + in_page, 0, PAGE_BYTES - in_page);
	}
	inode->size = size;
	return 0;
}

int
tmpfs_setattr(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & ATTR_SIZE) {
		int err;

		if (!S_ISREG(inode->mode))
			return -EINVAL;
		err = set_size(inode, attr->size);
		if (err)
			return err;
	}
	struct iattr rest = *attr;

	rest.valid &= ~ATTR_SIZE;
	return simple_setattr(inode, &rest);
}

static ssize_t
tmpfs_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct inode *inode = f->inode;
	ssize_t done = 0;

	mutex_lock(&inode->lock);
	while (u->resid && *pos < inode->size) {
		uint64_t index = (uint64_t)*pos / PAGE_BYTES;
		size_t off = (size_t)(*pos % PAGE_BYTES);
		size_t n = PAGE_BYTES - off, moved;
		char *page = radix_lookup(&TI(inode)->pages, index);

		if ((loff_t)n > inode->size - *pos)
			n = (size_t)(inode->size - *pos);
		if (n > u->resid)
			n = u->resid;
		moved = page ? uio_copy_to(u, page + off, n) : uio_zero(u, n);
		*pos += (loff_t)moved;
		done += (ssize_t)moved;
		if (moved < n) {
			if (!done)
				done = -EFAULT;
			break;
		}
	}
	mutex_unlock(&inode->lock);
	return done;
}

static ssize_t
tmpfs_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct inode *inode = f->inode;
	ssize_t done = 0;
	int err = 0;

	mutex_lock(&inode->lock);
	if (f->flags & O_APPEND)
		*pos = inode->size;
	if (*pos >= TMPFS_MAX_BYTES) {
		mutex_unlock(&inode->lock);
		return -EFBIG;
	}
	while (u->resid) {
		uint64_t index = (uint64_t)*pos / PAGE_BYTES;
		size_t off = (size_t)(*pos % PAGE_BYTES);
		size_t n = PAGE_BYTES - off, moved;
		char *page = radix_lookup(&TI(inode)->pages, index);

		if (n > u->resid)
			n = u->resid;
		if ((loff_t)n > TMPFS_MAX_BYTES - *pos)
			n = (size_t)(TMPFS_MAX_BYTES - *pos);
		if (!n) {
			err = -EFBIG;
			break;
		}
		if (!page) {
			if (!tmpfs_charge_pages(inode->sb, 1)) {
				err = -ENOSPC;
				break;
			}
			page = page_alloc_addr(GFP_ZERO, 0);
			if (!page || radix_insert(&TI(inode)->pages, index, page)) {
				if (page)
					page_free_addr(page, 0);
				tmpfs_uncharge_pages(inode->sb, 1);
				err = -ENOSPC;	/* out of memory is out of space here */
				break;
			}
			inode->blocks += PAGE_BYTES / 512;
		}
		moved = uio_copy_from(u, page + off, n);
		*pos += (loff_t)moved;
		done += (ssize_t)moved;
		if (*pos > inode->size)
			inode->size = *pos;
		if (moved < n) {
			err = -EFAULT;
			break;
		}
	}
	if (done) {
		inode_touch(inode, ATTR_MTIME | ATTR_CTIME);
		/* A write by anyone but root clears set-id bits (Linux). */
		if ((inode->mode & (S_ISUID | S_ISGID)) && current_cred()->fsuid != 0) {
			inode->mode &= ~S_ISUID;
			if (inode->mode & S_IXGRP)
				inode->mode &= ~S_ISGID;
		}
	}
	mutex_unlock(&inode->lock);
	return done ? done : err;
}

static int
tmpfs_fsync(struct file *f)
{
	return 0;			/* memory is its own backing store */
}

const struct inode_operations tmpfs_file_iops = {
	.setattr = tmpfs_setattr,
};

const struct file_operations tmpfs_file_fops = {
	.read = tmpfs_read,
	.write = tmpfs_write,
	.llseek = generic_file_llseek,
	.fsync = tmpfs_fsync,
};
