/*
 * tmpfs regular files: data in the page cache (<kernel/pagecache.h>),
 * which is its only storage; missing pages are holes (read as zeros, cost
 * nothing), so sparse files are cheap.  Each page entering the cache (a
 * write, or a fault of a mapping) is charged against the mount's size=
 * limit (ENOSPC beyond it).  inode.lock serialises reads, writes and size
 * changes; the pages themselves are the cache's (mapping->lock).  Seals
 * (memfd_create) refuse writes, growth and shrinking with EPERM.
 */
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/mm.h>
#include <kernel/pagecache.h>
#include <kernel/uio.h>
#include <kernel/vfs.h>
#include <string.h>

#include "tmpfs.h"

#define PAGE_BYTES	4096u
/* The largest size: page indexes must fit the radix tree and loff_t. */
#define TMPFS_MAX_BYTES	(LOFF_MAX & ~(loff_t)(PAGE_BYTES - 1))

/* Pages enter or leave the cache: the mount's size= and st_blocks. */
static int
tmpfs_charge(struct address_space *m, long n)
{
	struct inode *inode = m->host;

	if (n > 0 && !tmpfs_charge_pages(inode->sb, (uint64_t)n))
		return -ENOSPC;
	if (n < 0)
		tmpfs_uncharge_pages(inode->sb, (uint64_t)-n);
	inode->blocks += (uint64_t)(n * (long)(PAGE_BYTES / 512));
	return 0;
}

/* No readpage: a page the cache lacks is a hole; no writepage: the cache is the storage. */
const struct address_space_operations tmpfs_aops = {
	.charge = tmpfs_charge,
};

static int
set_size(struct inode *inode, loff_t size)
{
	unsigned int seals = inode->mapping->seals;

	if (size < 0 || size > TMPFS_MAX_BYTES)
		return -EFBIG;
	if ((size < inode->size && (seals & F_SEAL_SHRINK)) ||
	    (size > inode->size && (seals & F_SEAL_GROW)))
		return -EPERM;
	pagecache_set_size(inode->mapping, size);
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
		struct page *page = pagecache_lookup(inode->mapping, index);

		if ((loff_t)n > inode->size - *pos)
			n = (size_t)(inode->size - *pos);
		if (n > u->resid)
			n = u->resid;
		/* The copy may fault (mm->lock): no mapping->lock across it, only a reference. */
		moved = page ? uio_copy_to(u, (char *)page_address(page) + off, n) : uio_zero(u, n);
		if (page)
			page_put(page);
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

/*
 * The page of index with [off, off + n) copied in from u (*moved bytes).
 * A whole page not yet cached is filled before the cache gets it, so it
 * is not zeroed first only to be overwritten; a short copy zeroes the
 * rest.  ERR_PTR when no page could be had.
 */
static struct page *
write_page(struct address_space *m, uint64_t index, size_t off, size_t n, struct uio *u,
	   size_t *moved)
{
	struct page *page = NULL;

	if (off == 0 && n == PAGE_BYTES) {
		page = pagecache_lookup(m, index);
		if (!page) {
			struct page *fresh = alloc_user_page_unzeroed();

			if (!fresh)
				return ERR_PTR(-ENOMEM);
			*moved = uio_copy_from(u, page_address(fresh), n);
			memset((char *)page_address(fresh) + *moved, 0, n - *moved);
			return pagecache_add_filled(m, index, fresh, *moved);
		}
	}
	if (!page)
		page = pagecache_get_page(m, index);
	if (!IS_ERR(page))
		*moved = uio_copy_from(u, (char *)page_address(page) + off, n);
	return page;
}

static ssize_t
tmpfs_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct inode *inode = f->inode;
	struct address_space *m = inode->mapping;
	ssize_t done = 0;
	int err = 0;

	mutex_lock(&inode->lock);
	if (f->flags & O_APPEND)
		*pos = inode->size;
	if (m->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) {
		mutex_unlock(&inode->lock);
		return -EPERM;
	}
	if (*pos >= TMPFS_MAX_BYTES) {
		mutex_unlock(&inode->lock);
		return -EFBIG;
	}
	while (u->resid) {
		uint64_t index = (uint64_t)*pos / PAGE_BYTES;
		size_t off = (size_t)(*pos % PAGE_BYTES);
		size_t n = PAGE_BYTES - off, moved;
		struct page *page;

		if (n > u->resid)
			n = u->resid;
		if ((loff_t)n > TMPFS_MAX_BYTES - *pos)
			n = (size_t)(TMPFS_MAX_BYTES - *pos);
		if (!n) {
			err = -EFBIG;
			break;
		}
		if ((m->seals & F_SEAL_GROW) && *pos + (loff_t)n > inode->size) {
			err = -EPERM;
			break;
		}
		page = write_page(m, index, off, n, u, &moved);
		if (IS_ERR(page)) {
			err = -ENOSPC;	/* out of memory is out of space here */
			break;
		}
		pagecache_mark_dirty(m, page);
		page_put(page);
		*pos += (loff_t)moved;
		done += (ssize_t)moved;
		if (*pos > inode->size)
			pagecache_set_size(m, *pos);
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
