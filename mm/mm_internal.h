/*
 * Inside mm/: what the files managing process address spaces share
 * (mmap.c: VMAs and the mmap family; user_fault.c: faults and stack
 * growth; msync.c: madvise, msync, mincore; layout.c: the randomised
 * layout).  Unless a comment says otherwise the caller holds mm->lock.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <kernel/mm.h>
#include <kernel/mman.h>
#include <kernel/pagecache.h>

/* Linux's vm.mmap_min_addr: nothing is mapped below (NULL stays a fault). */
#define MMAP_MIN_ADDR	0x10000UL

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)

static inline vaddr_t
page_up(vaddr_t a)
{
	return (a + PAGE_SIZE - 1) & PAGE_MASK;
}

static inline uint64_t
pindex(vaddr_t va)
{
	return va >> PAGE_SHIFT;
}

static inline struct vma *
vma_next(struct mm *mm, struct vma *v)
{
	return v->node.next == &mm->vmas ? NULL : list_entry(v->node.next, struct vma, node);
}

static inline struct vma *
vma_prev(struct mm *mm, struct vma *v)
{
	return v->node.prev == &mm->vmas ? NULL : list_entry(v->node.prev, struct vma, node);
}

/* The file page a file mapping's address va shows. */
static inline uint64_t
vma_pgoff(const struct vma *v, vaddr_t va)
{
	return (uint64_t)(v->off >> PAGE_SHIFT) + ((va - v->start) >> PAGE_SHIFT);
}

/*
 * A shared mapping whose file system writes pages back: its pages are
 * mapped read-only until a write fault marks them dirty.
 */
static inline bool
vma_writenotify(const struct vma *v)
{
	return (v->flags & VMA_SHARED) && v->mapping && v->mapping->a_ops &&
	       v->mapping->a_ops->writepage;
}

/* The page-table flags for a page of vma: none (0) under PROT_NONE. */
unsigned int hw_flags(const struct vma *vma, bool writable);
/* Map page at va, replacing whatever the tables held there. */
int hw_map(struct mm *mm, vaddr_t va, struct page *p, unsigned int flags);

/* Make addr a VMA boundary if a VMA straddles it: 0 or -ENOMEM. */
int vma_cut(struct mm *mm, vaddr_t addr);
/* The first VMA ending above addr, or NULL. */
struct vma *vma_first_above(struct mm *mm, vaddr_t addr);
/* Every byte of [start, end) lies in some VMA. */
bool range_mapped(struct mm *mm, vaddr_t start, vaddr_t end);
/* Drop every page of [start, end): out of the tables, then released. */
void pages_release(struct mm *mm, vaddr_t start, vaddr_t end);

/*
 * The soft limit of resource res (RLIMIT_*) of the calling process;
 * ~0 (infinity) for a kernel thread.
 */
uint64_t current_rlimit(unsigned int res);
/*
 * RLIMIT_AS and RLIMIT_DATA allow mm to grow by pages more of an area
 * with prot and flags (Linux's may_expand_vm).
 */
bool may_expand_vm(struct mm *mm, unsigned int prot, unsigned int flags, size_t pages);

/*
 * A fault under mm->lock (mm/user_fault.c): 0, -errno, or
 * FAULT_READ_FILE after noting in *req what the file system must read
 * (no lock held) before the fault is tried again; req NULL (populate)
 * gives -EAGAIN instead.
 */
#define FAULT_READ_FILE	1

struct fault_req {
	struct file *file;		/* referenced */
	uint64_t index;
};

int fault_locked(struct mm *mm, vaddr_t addr, bool write, bool exec, int *si_code,
		 struct fault_req *req);

/* Fault in every page of [start, end) (MAP_POPULATE, mlock). */
int mm_populate_locked(struct mm *mm, vaddr_t start, vaddr_t end, bool write);
/*
 * A new mapping of len bytes with VMA flags vflags may be locked
 * (Linux's mlock_future_check: RLIMIT_MEMLOCK without CAP_IPC_LOCK).
 */
bool mlock_future_ok(struct mm *mm, unsigned int vflags, size_t len);

#endif
