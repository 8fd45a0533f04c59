/*
 * The page cache (mm/filemap.c) and the file mappings over it, with a
 * tmpfs file: as tmpfs uses it (holes, charges, truncation), and as a
 * disk file system would, through a readpage and a writepage put in the
 * file's operations for the test (the fault's read without mm->lock,
 * msync's write-back).  Mappings use a borrowed address space reached by
 * the user-copy routines, as a system call would; every test checks that
 * the free page count comes back.
 */
#include <string.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/ktest_process.h>
#include <kernel/mm.h>
#include <kernel/mman.h>
#include <kernel/pagecache.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>
#include <kernel/vm.h>

#define BASE	0x10000000UL
#define PATH	"/filemap-test"

static size_t
free_pages_now(void)
{
	struct mm_stats st;

	kmalloc_shrink();
	kstack_shrink();
	shrink_dcache(NULL);
	mm_stats(&st);
	return st.free_pages;
}

/* A fresh tmpfs file of size bytes (holes), open read-write. */
static struct file *
make_file(loff_t size)
{
	struct file *f = file_open(AT_FDCWD, PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (IS_ERR(f))
		return NULL;
	if (vfs_truncate(AT_FDCWD, PATH, size)) {
		fput(f);
		return NULL;
	}
	return f;
}

static void
drop_file(struct file *f)
{
	fput(f);
	vfs_unlinkat(AT_FDCWD, PATH, 0);
}

/* ---- a disk file system's operations, for the test ---- */

static struct {
	unsigned int reads, writes;
	uint64_t last_written;
	char last_byte;
	int read_err;
} io;

static int
fake_readpage(struct address_space *m, struct page *p, uint64_t index)
{
	io.reads++;
	if (io.read_err)
		return io.read_err;
	memset(page_address(p), 'a' + (int)index, PAGE_SIZE);
	return 0;
}

static int
fake_writepage(struct address_space *m, struct page *p, uint64_t index)
{
	io.writes++;
	io.last_written = index;
	io.last_byte = *(char *)page_address(p);
	return 0;
}

static struct address_space_operations fake_aops;
static const struct address_space_operations *saved_aops;

/* The file's cache reads and writes through the fake operations (its charges stay tmpfs's). */
static void
fake_io(struct file *f)
{
	struct address_space *m = f->inode->mapping;

	memset(&io, 0, sizeof(io));
	saved_aops = m->a_ops;
	fake_aops = *saved_aops;
	fake_aops.readpage = fake_readpage;
	fake_aops.writepage = fake_writepage;
	m->a_ops = &fake_aops;
}

static void
real_io(struct file *f)
{
	f->inode->mapping->a_ops = saved_aops;
}

static char
first_byte(struct page *p)
{
	return *(char *)page_address(p);
}

/* ---- the cache alone ---- */

KTEST(filemap, readpage_fills_once_then_cached)
{
	size_t before = free_pages_now();
	struct file *f = make_file(3 * PAGE_SIZE);
	struct address_space *m;
	struct page *p;
	int err = 0;

	KASSERT(f);
	m = f->inode->mapping;
	KASSERT(m);
	fake_io(f);
	p = pagecache_get_page(m, 1);
	KASSERT(!IS_ERR(p));
	KEXPECT_EQ(first_byte(p), 'b');
	KEXPECT(p->mapping == m);
	KEXPECT_EQ(p->index, 1);
	page_put(p);
	p = pagecache_get_page(m, 1);
	KASSERT(!IS_ERR(p));
	page_put(p);
	KEXPECT_EQ(io.reads, 1);
	/* A fault never reads under mm->lock: it is told to read first. */
	KEXPECT((pagecache_fault_page(m, 2, &err)) == NULL);
	KEXPECT_EQ(err, -EAGAIN);
	KEXPECT_EQ(pagecache_read_page(m, 2), 0);
	p = pagecache_fault_page(m, 2, &err);
	KASSERT(p);
	KEXPECT_EQ(first_byte(p), 'c');
	page_put(p);
	/* Past the end of the file: SIGBUS territory. */
	KEXPECT((pagecache_fault_page(m, 3, &err)) == NULL);
	KEXPECT_EQ(err, -EIO);
	/* A failed read leaves nothing behind. */
	io.read_err = -EIO;
	KEXPECT_EQ(pagecache_read_page(m, 0), -EIO);
	KEXPECT(!(pagecache_present(m, 0)));
	KEXPECT_EQ(m->nrpages, 2);
	real_io(f);
	drop_file(f);
	KEXPECT_OP(free_pages_now(), >=, before);	/* other CPUs may free meanwhile */
}

KTEST(filemap, tmpfs_holes_charges_and_truncate)
{
	size_t before = free_pages_now();
	struct file *f = make_file(0);
	struct address_space *m;
	static char buf[2 * 4096 + 100];
	loff_t pos = 0;
	struct page *p;

	KASSERT(f);
	m = f->inode->mapping;
	memset(buf, 'x', sizeof(buf));
	KEXPECT_EQ(file_write(f, buf, sizeof(buf), &pos), (ssize_t)sizeof(buf));
	KEXPECT_EQ(m->nrpages, 3);
	KEXPECT_EQ(f->inode->blocks, 3 * (PAGE_SIZE / 512));
	/* A hole costs nothing; a write into it makes one page. */
	KEXPECT_EQ(vfs_truncate(AT_FDCWD, PATH, 10 * PAGE_SIZE), 0);
	KEXPECT_EQ(m->nrpages, 3);
	KEXPECT((pagecache_lookup(m, 5)) == NULL);
	/* Shrinking drops whole pages past the end and zeroes the rest of the last. */
	KEXPECT_EQ(vfs_truncate(AT_FDCWD, PATH, PAGE_SIZE + 10), 0);
	KEXPECT_EQ(m->nrpages, 2);
	KEXPECT_EQ(f->inode->blocks, 2 * (PAGE_SIZE / 512));
	KEXPECT(!(pagecache_present(m, 2)));
	p = pagecache_lookup(m, 1);
	KASSERT(p);
	KEXPECT_EQ(((char *)page_address(p))[9], 'x');
	KEXPECT_EQ(((char *)page_address(p))[10], 0);
	KEXPECT_EQ(((char *)page_address(p))[PAGE_SIZE - 1], 0);
	page_put(p);
	drop_file(f);
	KEXPECT_OP(free_pages_now(), >=, before);	/* other CPUs may free meanwhile */
}

KTEST(filemap, writeback_writes_each_dirty_page_once)
{
	size_t before = free_pages_now();
	struct file *f = make_file(4 * PAGE_SIZE);
	struct address_space *m;
	struct page *p0, *p2;

	KASSERT(f);
	m = f->inode->mapping;
	fake_io(f);
	p0 = pagecache_get_page(m, 0);
	p2 = pagecache_get_page(m, 2);
	KASSERT(!IS_ERR(p0) && !IS_ERR(p2));
	*(char *)page_address(p2) = 'W';
	pagecache_mark_dirty(m, p2);
	KEXPECT_EQ(pagecache_writeback(m, 0, 1), 0);	/* outside the range */
	KEXPECT_EQ(io.writes, 0);
	KEXPECT_EQ(pagecache_writeback(m, 0, ~0ULL), 0);
	KEXPECT_EQ(io.writes, 1);
	KEXPECT_EQ(io.last_written, 2);
	KEXPECT_EQ(io.last_byte, 'W');
	KEXPECT_EQ(pagecache_writeback(m, 0, ~0ULL), 0);	/* clean now */
	KEXPECT_EQ(io.writes, 1);
	page_put(p0);
	page_put(p2);
	real_io(f);
	drop_file(f);
	KEXPECT_OP(free_pages_now(), >=, before);	/* other CPUs may free meanwhile */
}

/* ---- mappings over it ---- */

struct borrow {
	struct mm *saved;
	size_t free_before;
};

static struct mm *
begin(struct borrow *b)
{
	struct mm *mm;

	b->saved = thread_current()->mm;
	b->free_before = free_pages_now();
	mm = mm_create();
	if (mm) {
		mm->mmap_base = 0x40000000UL;
		mm->brk_start = mm->brk = 0x20000000UL;
		ktest_use_mm(mm);
	}
	return mm;
}

static void
end(struct borrow *b, struct mm *mm)
{
	ktest_use_mm(b->saved);
	mm_put(mm);
	KEXPECT_OP(free_pages_now(), >=, b->free_before);	/* other CPUs may free meanwhile */
}

static int
poke(uintptr_t addr, uint32_t v)
{
	return copy_to_user((void __user *)addr, &v, sizeof(v));
}

static long
peek(uintptr_t addr)
{
	uint32_t v;

	return copy_from_user(&v, (const void __user *)addr, sizeof(v)) ? -EFAULT : (long)v;
}

KTEST(filemap, shared_mapping_is_the_file)
{
	struct borrow b;
	struct mm *mm = begin(&b), *child;
	struct file *f = make_file(2 * PAGE_SIZE);
	uint32_t v = 0x01020304;
	loff_t pos;
	int code = 0;

	KASSERT(mm && f);
	KEXPECT_EQ(mm_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_FIXED, f, 0), (long)BASE);
	KEXPECT_EQ(poke(BASE + 8, 0x55aa), 0);
	pos = 8;
	KEXPECT_EQ(file_read(f, &v, sizeof(v), &pos), 4);
	KEXPECT_EQ(v, 0x55aa);
	v = 0x7777;
	pos = PAGE_SIZE;
	KEXPECT_EQ(file_write(f, &v, sizeof(v), &pos), 4);
	KEXPECT_EQ(peek(BASE + PAGE_SIZE), 0x7777);
	/* Truncate reaches every address space mapping the file. */
	child = mm_fork(mm);
	KASSERT(child);
	KEXPECT((radix_lookup(&child->pages, (BASE + PAGE_SIZE) >> PAGE_SHIFT)) != NULL);
	KEXPECT_EQ(vfs_truncate(AT_FDCWD, PATH, 100), 0);
	KEXPECT((radix_lookup(&child->pages, (BASE + PAGE_SIZE) >> PAGE_SHIFT)) == NULL);
	KEXPECT((radix_lookup(&mm->pages, (BASE + PAGE_SIZE) >> PAGE_SHIFT)) == NULL);
	KEXPECT_EQ(mm_fault(mm, BASE + PAGE_SIZE, false, false, &code), -EIO);
	KEXPECT_EQ(code, BUS_ADRERR);
	KEXPECT_EQ(peek(BASE + PAGE_SIZE), -EFAULT);
	KEXPECT_EQ(peek(BASE + 8), 0x55aa);
	KEXPECT_EQ(peek(BASE + 100), 0);		/* zeros past the end */
	mm_put(child);
	drop_file(f);				/* the mapping keeps the file */
	KEXPECT_EQ(peek(BASE + 8), 0x55aa);
	end(&b, mm);
}

KTEST(filemap, mapping_of_a_disk_style_file)
{
	struct borrow b;
	struct mm *mm = begin(&b);
	struct file *f = make_file(2 * PAGE_SIZE);
	struct page *p;

	KASSERT(mm && f);
	fake_io(f);
	KEXPECT_EQ(mm_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_FIXED, f, 0), (long)BASE);
	KEXPECT_EQ(mm_mmap(mm, BASE + 4 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_FIXED, f, 0), (long)(BASE + 4 * PAGE_SIZE));
	/* The fault reads the page in without mm->lock, then maps it. */
	KEXPECT_EQ(peek(BASE + PAGE_SIZE) & 0xff, 'b');
	KEXPECT_EQ(io.reads, 1);
	KEXPECT_EQ(peek(BASE + 5 * PAGE_SIZE) & 0xff, 'b');	/* the same page: no read */
	KEXPECT_EQ(io.reads, 1);
	/* A store through the shared mapping dirties the page; msync writes it. */
	KEXPECT_EQ(poke(BASE + PAGE_SIZE, 'Z'), 0);
	KEXPECT_EQ(io.writes, 0);
	KEXPECT_EQ(mm_msync(mm, BASE, 2 * PAGE_SIZE, MS_SYNC), 0);
	KEXPECT_EQ(io.writes, 1);
	KEXPECT_EQ(io.last_written, 1);
	KEXPECT_EQ(io.last_byte, 'Z');
	/* The private mapping saw the store, then copies at its own. */
	KEXPECT_EQ(peek(BASE + 5 * PAGE_SIZE) & 0xff, 'Z');
	KEXPECT_EQ(poke(BASE + 5 * PAGE_SIZE, 'P'), 0);
	p = pagecache_lookup(f->inode->mapping, 1);
	KASSERT(p);
	KEXPECT_EQ(first_byte(p), 'Z');
	page_put(p);
	KEXPECT_EQ(mm_msync(mm, BASE, 2 * PAGE_SIZE, MS_SYNC), 0);
	KEXPECT_EQ(io.writes, 1);			/* nothing new to write */
	/* A read error is SIGBUS. */
	io.read_err = -EIO;
	{
		int code = 0;

		KEXPECT_EQ(mm_fault(mm, BASE, false, false, &code), -EIO);
		KEXPECT_EQ(code, BUS_ADRERR);
	}
	KEXPECT_EQ(mm_munmap(mm, BASE, 8 * PAGE_SIZE), 0);
	real_io(f);
	drop_file(f);
	end(&b, mm);
}

KTEST(filemap, mincore_and_madvise_see_the_cache)
{
	struct borrow b;
	struct mm *mm = begin(&b);
	struct file *f = make_file(0);
	unsigned char vec[4];
	char data[8] = "written";
	loff_t pos = 0;

	KASSERT(mm && f);
	KEXPECT_EQ(file_write(f, data, sizeof(data), &pos), (ssize_t)sizeof(data));
	KEXPECT_EQ(vfs_truncate(AT_FDCWD, PATH, 3 * PAGE_SIZE), 0);
	KEXPECT_EQ(mm_mmap(mm, BASE, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_FIXED, f, 0), (long)BASE);
	KEXPECT_EQ(mm_mincore(mm, BASE, 3, vec), 3);
	KEXPECT_EQ(vec[0], 1);				/* cached, not touched here */
	KEXPECT_EQ(vec[1], 0);				/* a hole */
	KEXPECT_EQ(poke(BASE + 2 * PAGE_SIZE, 1), 0);	/* a private copy */
	KEXPECT_EQ(mm_mincore(mm, BASE, 3, vec), 3);
	KEXPECT_EQ(vec[2], 1);
	KEXPECT_EQ(mm_mincore(mm, BASE, 4, vec), -ENOMEM);
	/* MADV_DONTNEED drops the copy: the file shows again. */
	KEXPECT_EQ(poke(BASE, 0x41414141), 0);
	KEXPECT_EQ(mm_madvise(mm, BASE, 3 * PAGE_SIZE, MADV_DONTNEED), 0);
	KEXPECT_EQ(peek(BASE), 0x74697277);		/* "writ" */
	drop_file(f);
	end(&b, mm);
}
