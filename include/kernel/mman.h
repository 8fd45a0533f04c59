/*
 * Process address spaces (mm/mmap.c, mm/user_fault.c): the areas a
 * process may touch (VMAs) over the HAL's page tables, demand paging,
 * copy-on-write after fork, and the mmap family's kernel side.  PROT_*,
 * MAP_*, MREMAP_* and MADV_* values are Linux's (the same on aarch64,
 * x86_64 and i386).
 *
 * Pages of user memory are refcounted (struct page.refcount): a page
 * shared by copy-on-write after fork is mapped read-only in every address
 * space holding it; the first write copies it unless it is the last
 * reference.
 */
#ifndef KERNEL_MMAN_H
#define KERNEL_MMAN_H

#include <kernel/list.h>
#include <kernel/radix.h>
#include <kernel/sync.h>
#include <kernel/types.h>
#include <kernel/vm.h>

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_GROWSDOWN	0x01000000
#define PROT_GROWSUP	0x02000000

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_GROWSDOWN	0x0100
#define MAP_DENYWRITE	0x0800
#define MAP_EXECUTABLE	0x1000
#define MAP_LOCKED	0x2000
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000
#define MAP_NONBLOCK	0x10000
#define MAP_STACK	0x20000
#define MAP_HUGETLB	0x40000
#define MAP_SYNC	0x80000
#define MAP_FIXED_NOREPLACE 0x100000

#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2
#define MREMAP_DONTUNMAP 4

#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL	2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	8

/* vma.flags */
#define VMA_SHARED	(1u << 0)	/* MAP_SHARED: writes are seen by every mapping */
#define VMA_STACK	(1u << 1)	/* the main stack (for /proc/<pid>/maps) */
#define VMA_HEAP	(1u << 2)	/* the brk area */

struct file;
struct mm;
struct page;

/*
 * Pages the kernel gives every process, as Linux's vm_special_mapping:
 * the vDSO's text and data ([vdso], [vvar]) and the signal trampoline
 * ([sigpage]).  The kernel keeps a reference to each page; a process
 * maps them read-only and gets a private copy of one it writes (after
 * mprotect allowed it).  As in Linux, such an area is never split
 * (munmap, mprotect or mremap of part of it: -EINVAL) nor grown (mremap:
 * -EFAULT), and a page dropped by MADV_DONTNEED comes back at the next
 * touch.  Immutable after creation.
 */
struct vm_special {
	const char *name;		/* in /proc/<pid>/maps */
	struct page *const *pages;	/* the area's pages, nr_pages of them */
	unsigned int nr_pages;
	unsigned int max_prot;		/* mprotect beyond it: -EACCES (Linux's VM_MAY*) */
	bool no_madvise;		/* MADV_DONTNEED/FREE: -EINVAL (Linux's VM_PFNMAP) */
	/* mremap moved the area to start (mm->lock held); may be NULL. */
	void (*moved)(struct mm *mm, vaddr_t start);
};

/* One area, [start, end), page aligned.  Fields guarded by mm->lock. */
struct vma {
	vaddr_t start, end;
	unsigned int prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	unsigned int flags;		/* VMA_* */
	struct list_head node;		/* in mm->vmas, by address */
	/*
	 * A private file mapping: page start + k holds the file's bytes at
	 * off + k * PAGE_SIZE up to the address file_end, zeros after it
	 * (an ELF segment's bss); each page is a private copy.
	 */
	struct file *file;
	loff_t off;
	vaddr_t file_end;
	const struct vm_special *special;	/* a special mapping, or NULL */
};

struct mm {
	unsigned int refs;		/* atomic: processes and threads using it */
	struct mutex lock;		/* everything below and the user page tables */
	struct aspace *as;
	/*
	 * Every user page the space holds, by page number: the page tables
	 * are a cache of this (a PROT_NONE page stays here, unmapped), and
	 * fork and unmap walk it instead of the tables.
	 */
	struct radix pages;
	struct list_head vmas;		/* by address, not overlapping */
	struct vma *cache;		/* the last VMA a fault found */
	vaddr_t brk_start, brk;		/* the heap: [brk_start, brk) */
	vaddr_t mmap_base;		/* mmap searches down from here */
	vaddr_t stack_top;
	vaddr_t arg_start, arg_end, env_start, env_end;	/* /proc/<pid>/cmdline, environ */
	vaddr_t sigpage;		/* the signal return trampoline, or 0 */
	vaddr_t vdso;			/* the vDSO's text (AT_SYSINFO_EHDR), or 0 */
	struct file *exe_file;		/* the program: writes to it are refused (ETXTBSY) */
	size_t nr_pages;		/* user pages mapped (RSS) */
	size_t total_vm;		/* pages of all VMAs */
};

/* How far below the stack top mmap starts, and the stack's reservation. */
#define STACK_RESERVE		(8UL << 20)	/* RLIMIT_STACK's default */
#define STACK_GAP		(128UL << 20)

struct mm *mm_create(void);			/* empty, or NULL */
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);			/* the last put frees every page */
/* A copy-on-write copy of mm (fork), or NULL when memory runs out. */
struct mm *mm_fork(struct mm *mm);
/* Make mm the current CPU's user address space (NULL: none). */
void mm_activate(struct mm *mm);

/*
 * The calling thread's address space: mmap's rules (Linux's).  mm_mmap
 * returns the address or -errno; f is NULL for anonymous memory, else a
 * private file mapping from offset off (shared file mappings: -ENODEV
 * until the page cache exists).
 */
long mm_mmap(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot, unsigned int flags,
	     struct file *f, loff_t off);
int mm_munmap(struct mm *mm, vaddr_t addr, size_t len);
int mm_mprotect(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot);
long mm_brk(struct mm *mm, vaddr_t brk);	/* the new break (the old one on failure) */
long mm_mremap(struct mm *mm, vaddr_t old, size_t old_len, size_t new_len, unsigned int flags,
	       vaddr_t new_addr);
int mm_madvise(struct mm *mm, vaddr_t addr, size_t len, int advice);
/*
 * Map a file's bytes privately at a fixed address (the ELF loader):
 * [addr, addr + len) with file bytes up to file_end.
 */
int mm_map_file_fixed(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot,
		      struct file *f, loff_t off, vaddr_t file_end);

/*
 * Map the special mapping sp at addr (page aligned, free: else -EEXIST)
 * with protection prot (within sp->max_prot).  0 or -errno.
 */
int mm_map_special(struct mm *mm, vaddr_t addr, const struct vm_special *sp, unsigned int prot);

/*
 * Map the signal-return trampoline (the port's code, arch_sigpage_fill())
 * read-only and executable at addr: handlers without SA_RESTORER return
 * through it, as through Linux's vDSO.  0 or -errno.
 */
int mm_map_sigpage(struct mm *mm, vaddr_t addr);

/* Results of mm_fault(): Linux's si_code values for SIGSEGV. */
#define SEGV_MAPERR	1		/* no mapping there */
#define SEGV_ACCERR	2		/* the mapping forbids the access */

/*
 * Resolve a fault at addr in mm: 0 when mapped now, -EFAULT with *si_code
 * set when the access is not allowed (SIGSEGV), -ENOMEM when memory ran
 * out.  exec: an instruction fetch.
 */
int mm_fault(struct mm *mm, vaddr_t addr, bool write, bool exec, int *si_code);
/*
 * Fault in the file-backed pages of [addr, addr + len) (for writing when
 * write), before a file system copies to or from them under an inode
 * lock: filling such a page reads its file, which takes that file's lock,
 * and the two would nest (or recurse, for a mapping of the same file).
 * Anonymous pages are left to the copy; errors too (the copy meets them).
 */
void mm_prefault_file_pages(struct mm *mm, vaddr_t addr, size_t len, bool write);

/* The VMA containing addr, or NULL (mm->lock held). */
struct vma *vma_lookup(struct mm *mm, vaddr_t addr);

/*
 * Copy len bytes at addr of another process's address space mm (the
 * caller holds a reference) to or from buf, as Linux's
 * access_process_vm(): through mm->pages and the kernel's mapping of
 * each page, never through mm's user mappings, taking mm->lock.  Pages
 * not touched yet are faulted in (the area must allow the access; a
 * write copies a shared page first).  Returns the bytes copied: short
 * at the first page that is not mapped or not allowed.
 */
size_t access_process_vm(struct mm *mm, vaddr_t addr, void *buf, size_t len, bool write);

/* Refcounted user pages. */
void page_get(struct page *p);
void page_put(struct page *p);			/* frees it with the last reference */

#endif
