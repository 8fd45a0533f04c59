/*
 * The page cache (mm/filemap.c): a file's pages by index, in the
 * address_space its inode points at (inode->mapping).  read() and write()
 * copy through these pages, and every mapping of the file maps them, so a
 * store through a MAP_SHARED mapping is what read() returns and a write()
 * shows in every mapping at once (and in a MAP_PRIVATE one until that page
 * is first written there).
 *
 * A file system plugs in with address_space_operations: a memory file
 * system (tmpfs) has no readpage (a page the cache lacks is a hole of
 * zeros, and the cache is the storage); a disk file system reads a page in
 * with readpage and writes a dirty one back with writepage (msync, fsync).
 *
 * Locking.  mapping->lock (a mutex) guards the radix tree, nrpages,
 * every page's mapping/index/PG_DIRTY, the list of mappings (i_mmap) and
 * the seals; a file's size changes under the inode's lock *and* this one
 * (pagecache_set_size), so a fault, which cannot take the inode's lock,
 * reads it here.  Lock order: inode.lock, then mm->lock, then
 * mapping->lock (which only the page and slab allocators nest in).
 * readpage and writepage run with none of these held.  Each page in the
 * tree holds one reference.
 */
#ifndef KERNEL_PAGECACHE_H
#define KERNEL_PAGECACHE_H

#include <arch/mmu.h>
#include <kernel/list.h>
#include <kernel/radix.h>
#include <kernel/sync.h>
#include <kernel/types.h>

struct address_space;
struct inode;
struct page;

struct address_space_operations {
	/*
	 * Fill p (zeroed, not yet in the cache) with the file's bytes of
	 * page index; no lock held.  0, or -errno (a fault then raises
	 * SIGBUS).  NULL: a missing page is a hole and reads as zeros.
	 */
	int (*readpage)(struct address_space *m, struct page *p, uint64_t index);
	/* Write dirty page p of index back; no lock held.  NULL: nothing to write. */
	int (*writepage)(struct address_space *m, struct page *p, uint64_t index);
	/*
	 * n pages enter (n > 0) or leave (n < 0) the cache, under
	 * mapping->lock: the file system's space accounting (tmpfs's
	 * size=, st_blocks).  Entering may fail with -ENOSPC.  NULL: free.
	 */
	int (*charge)(struct address_space *m, long n);
};

/* F_ADD_SEALS / F_GET_SEALS (memfd_create(MFD_ALLOW_SEALING)) */
#define F_SEAL_SEAL		0x0001	/* no more seals */
#define F_SEAL_SHRINK		0x0002
#define F_SEAL_GROW		0x0004
#define F_SEAL_WRITE		0x0008
#define F_SEAL_FUTURE_WRITE	0x0010
#define F_SEAL_ALL		0x001f

struct address_space {
	struct inode *host;
	const struct address_space_operations *a_ops;
	struct mutex lock;
	struct radix pages;		/* lock: index -> struct page * */
	unsigned long nrpages;		/* lock */
	struct list_head i_mmap;	/* lock: struct vma.mapping_node of each mapping */
	unsigned int nr_writable;	/* lock: shared mappings that may write (F_SEAL_WRITE: EBUSY) */
	unsigned int seals;		/* lock and host's inode.lock to change: F_SEAL_* */
	bool mmap_written;		/* lock: written through a shared mapping since msync */
};

void mapping_init(struct address_space *m, struct inode *host,
		  const struct address_space_operations *ops);

/* Pages covering size bytes. */
static inline uint64_t
size_to_pages(loff_t size)
{
	return ((uint64_t)size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* The cached page of index, referenced (page_put), or NULL. */
struct page *pagecache_lookup(struct address_space *m, uint64_t index);
/*
 * The page of index, referenced, brought in if missing: read with
 * readpage (no lock held), or a new zeroed page.  For write(), under the
 * inode's lock.  ERR_PTR(-ENOSPC / -ENOMEM / readpage's error).
 */
struct page *pagecache_get_page(struct address_space *m, uint64_t index);
/*
 * Put p (new, referenced once by the caller, which gives that reference
 * up) at index; only its first valid bytes are the file's, the rest must
 * already be zeros.  When a page got there first (a fault of a shared
 * mapping), those bytes are copied into it instead.  Returns the cached
 * page, referenced, or ERR_PTR(-ENOSPC / -ENOMEM).  For write() of a
 * whole page (inode.lock held): the copy goes into a page nobody sees
 * yet, so the page needs no zeroing first.
 */
struct page *pagecache_add_filled(struct address_space *m, uint64_t index, struct page *p,
				  size_t valid);
/*
 * The caller (inode.lock held) changes the file's size.  When it
 * shrinks: pages wholly past the new end leave the cache and every
 * mapping of them (a later access there is SIGBUS), and the rest of the
 * last page reads as zeros.
 */
void pagecache_set_size(struct address_space *m, loff_t size);
/* The inode goes: drop every page (no mapping is left: each holds the file). */
void pagecache_release(struct address_space *m);
/* Mark p dirty if it is still in m's cache (a store through a shared mapping). */
void pagecache_mark_dirty(struct address_space *m, struct page *p);
/*
 * A write fault in a shared mapping of m: the next msync marks the file's
 * mtime and ctime (POSIX: between a write reference and the next msync).
 * pagecache_take_mmap_write: whether one happened since, clearing it.
 */
void pagecache_note_mmap_write(struct address_space *m);
bool pagecache_take_mmap_write(struct address_space *m);
/* Write back the dirty pages of indexes [first, last]: 0 or the first error. */
int pagecache_writeback(struct address_space *m, uint64_t first, uint64_t last);
/* Is the page of index in the cache (mincore)? */
bool pagecache_present(struct address_space *m, uint64_t index);

/*
 * For the fault path (mm->lock held): the page of index, referenced.
 * NULL with *err: -EIO past the end of the file (SIGBUS, BUS_ADRERR),
 * -ENOSPC/-ENOMEM, or -EAGAIN when readpage must run first: drop
 * mm->lock, pagecache_read_page(), and fault again.
 */
struct page *pagecache_fault_page(struct address_space *m, uint64_t index, int *err);
/* Read the page of index into the cache (no lock held): 0 or -errno. */
int pagecache_read_page(struct address_space *m, uint64_t index);

/*
 * Remove every page of index >= first from every process mapping m
 * (truncate), private copies too: mm/mmap.c.
 */
#ifdef CONFIG_PROCESSES
void unmap_mapping_pages(struct address_space *m, uint64_t first);
#else
static inline void
unmap_mapping_pages(struct address_space *m, uint64_t first)
{
	(void)m;
	(void)first;
}
#endif

#endif
