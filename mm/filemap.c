/*
 * The page cache (<kernel/pagecache.h>, Linux's mm/filemap.c): a file's
 * pages by index in its address_space, the one copy of the file's data
 * that read(), write() and every mapping share.  Pages come in zeroed
 * (a hole of a memory file system) or read by the file system's
 * readpage, go when the file shrinks or the inode is evicted, and are
 * written back by writepage when dirty.  No page is ever evicted while
 * its inode lives: there is no reclaim of clean pages yet.
 *
 * mapping->lock (a mutex, innermost of inode.lock, mm->lock and it)
 * guards the tree and each page's mapping, index and PG_DIRTY; a page is
 * allocated before the lock is taken.
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/pagecache.h>
#include <kernel/vfs.h>

void
mapping_init(struct address_space *m, struct inode *host,
	     const struct address_space_operations *ops)
{
	memset(m, 0, sizeof(*m));
	m->host = host;
	m->a_ops = ops;
	mutex_init(&m->lock, "mapping");
	list_init(&m->i_mmap);
}

static int
charge(struct address_space *m, long n)
{
	return m->a_ops && m->a_ops->charge ? m->a_ops->charge(m, n) : 0;
}

struct page *
pagecache_lookup(struct address_space *m, uint64_t index)
{
	struct page *p;

	mutex_lock(&m->lock);
	p = radix_lookup(&m->pages, index);
	if (p)
		page_get(p);
	mutex_unlock(&m->lock);
	return p;
}

bool
pagecache_present(struct address_space *m, uint64_t index)
{
	bool present;

	mutex_lock(&m->lock);
	present = radix_lookup(&m->pages, index) != NULL;
	mutex_unlock(&m->lock);
	return present;
}

/*
 * Put p (a new page, referenced once by the caller) in the cache at index
 * unless a page is there already: returns the page now in the cache,
 * referenced for the caller (p's reference goes to the cache or is
 * dropped), or NULL with *err.  past_eof: refuse an index the file's size
 * no longer covers (-EIO), for faults.  m->lock held.
 */
static struct page *
insert_locked(struct address_space *m, uint64_t index, struct page *p, bool past_eof, int *err)
{
	struct page *old;

	if (past_eof && index >= size_to_pages(m->host->size)) {
		*err = -EIO;
		return NULL;
	}
	old = radix_lookup(&m->pages, index);
	if (old) {
		page_get(old);
		page_put(p);
		return old;
	}
	*err = charge(m, 1);
	if (*err)
		return NULL;
	*err = radix_insert(&m->pages, index, p);
	if (*err) {
		charge(m, -1);
		return NULL;
	}
	p->mapping = m;
	p->index = index;
	m->nrpages++;
	page_get(p);			/* the cache's reference */
	return p;
}

/* A new page of index: zeros, or the file's bytes. */
static struct page *
new_page(struct address_space *m, uint64_t index, int *err)
{
	struct page *p = alloc_user_page();

	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = 0;
	if (m->a_ops && m->a_ops->readpage) {
		*err = m->a_ops->readpage(m, p, index);
		if (*err) {
			page_put(p);
			return NULL;
		}
	}
	return p;
}

struct page *
pagecache_get_page(struct address_space *m, uint64_t index)
{
	struct page *p = pagecache_lookup(m, index), *cached;
	int err;

	if (p)
		return p;
	p = new_page(m, index, &err);
	if (!p)
		return ERR_PTR(err);
	mutex_lock(&m->lock);
	cached = insert_locked(m, index, p, false, &err);
	mutex_unlock(&m->lock);
	if (!cached) {
		page_put(p);
		return ERR_PTR(err);
	}
	return cached;
}

struct page *
pagecache_add_filled(struct address_space *m, uint64_t index, struct page *p, size_t valid)
{
	struct page *cached;
	int err;

	mutex_lock(&m->lock);
	cached = radix_lookup(&m->pages, index);
	if (cached) {
		/* Only the bytes written go in: the rest of cached stays as it is. */
		page_get(cached);
		memcpy(page_address(cached), page_address(p), valid);
		mutex_unlock(&m->lock);
		page_put(p);
		return cached;
	}
	cached = insert_locked(m, index, p, false, &err);
	mutex_unlock(&m->lock);
	if (!cached) {
		page_put(p);
		return ERR_PTR(err);
	}
	return cached;
}

struct page *
pagecache_fault_page(struct address_space *m, uint64_t index, int *err)
{
	struct page *p, *cached;

	mutex_lock(&m->lock);
	if (index >= size_to_pages(m->host->size)) {
		mutex_unlock(&m->lock);
		*err = -EIO;
		return NULL;
	}
	p = radix_lookup(&m->pages, index);
	if (p)
		page_get(p);
	mutex_unlock(&m->lock);
	if (p)
		return p;
	if (m->a_ops && m->a_ops->readpage) {
		*err = -EAGAIN;		/* no reading under mm->lock */
		return NULL;
	}
	p = alloc_user_page();
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	mutex_lock(&m->lock);
	cached = insert_locked(m, index, p, true, err);
	mutex_unlock(&m->lock);
	if (!cached)
		page_put(p);
	return cached;
}

int
pagecache_read_page(struct address_space *m, uint64_t index)
{
	struct page *p, *cached;
	int err;

	p = new_page(m, index, &err);
	if (!p)
		return err;
	mutex_lock(&m->lock);
	cached = insert_locked(m, index, p, true, &err);
	mutex_unlock(&m->lock);
	if (cached)
		page_put(cached);
	else
		page_put(p);
	return err;
}

/* Take pages of index >= first out of the tree (m->lock held). */
struct drop_ctx {
	struct address_space *m;
	long dropped;
};

static void
drop_page(void *item, void *arg)
{
	struct drop_ctx *dc = arg;
	struct page *p = item;

	p->mapping = NULL;
	p->flags &= (uint16_t)~PG_DIRTY;
	dc->dropped++;
	page_put(p);
}

static void
drop_from(struct address_space *m, uint64_t first)
{
	struct drop_ctx dc = { m, 0 };

	radix_truncate(&m->pages, first, drop_page, &dc);
	if (dc.dropped) {
		m->nrpages -= (unsigned long)dc.dropped;
		charge(m, -dc.dropped);
	}
}

void
pagecache_set_size(struct address_space *m, loff_t size)
{
	uint64_t first = size_to_pages(size);
	size_t in_page = (size_t)(size & (PAGE_SIZE - 1));
	bool shrink;
	struct page *p;

	mutex_lock(&m->lock);
	shrink = size < m->host->size;
	m->host->size = size;
	if (shrink)
		drop_from(m, first);
	mutex_unlock(&m->lock);
	if (!shrink)
		return;
	/* Faults see the new size now: whatever is still mapped past it goes. */
	unmap_mapping_pages(m, first);
	/* The kept part of the last page reads as zeros beyond the end (in every mapping). */
	p = in_page ? pagecache_lookup(m, first - 1) : NULL;
	if (p) {
		memset((char *)page_address(p) + in_page, 0, PAGE_SIZE - in_page);
		page_put(p);
	}
}

void
pagecache_release(struct address_space *m)
{
	mutex_lock(&m->lock);
	drop_from(m, 0);
	mutex_unlock(&m->lock);
}

void
pagecache_mark_dirty(struct address_space *m, struct page *p)
{
	if (!m->a_ops || !m->a_ops->writepage)
		return;			/* the cache is the storage: nothing to track */
	mutex_lock(&m->lock);
	if (p->mapping == m)
		p->flags |= PG_DIRTY;
	mutex_unlock(&m->lock);
}

void
pagecache_note_mmap_write(struct address_space *m)
{
	mutex_lock(&m->lock);
	m->mmap_written = true;
	mutex_unlock(&m->lock);
}

bool
pagecache_take_mmap_write(struct address_space *m)
{
	bool was;

	mutex_lock(&m->lock);
	was = m->mmap_written;
	m->mmap_written = false;
	mutex_unlock(&m->lock);
	return was;
}

int
pagecache_writeback(struct address_space *m, uint64_t first, uint64_t last)
{
	uint64_t idx = first;
	int ret = 0;

	if (!m->a_ops || !m->a_ops->writepage)
		return 0;
	while (idx <= last) {
		struct page *p;
		int err;

		mutex_lock(&m->lock);
		for (p = radix_next(&m->pages, idx, &idx); p && idx <= last;
		     p = radix_next(&m->pages, idx + 1, &idx))
			if (p->flags & PG_DIRTY)
				break;
		if (!p || idx > last) {
			mutex_unlock(&m->lock);
			break;
		}
		p->flags &= (uint16_t)~PG_DIRTY;
		page_get(p);
		mutex_unlock(&m->lock);
		err = m->a_ops->writepage(m, p, idx);
		page_put(p);
		if (err && !ret)
			ret = err;
		if (idx == last)
			break;
		idx++;
	}
	return ret;
}
