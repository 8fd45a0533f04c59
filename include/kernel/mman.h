/*
 * Process address spaces (mm/mmap.c, mm/user_fault.c, mm/msync.c,
 * mm/layout.c): the areas a process may touch (VMAs) over the HAL's page
 * tables, demand paging, copy-on-write after fork, file mappings over the
 * page cache (<kernel/pagecache.h>), stack growth, the randomised layout,
 * the out-of-memory killer, and the mmap family's kernel side.  PROT_*,
 * MAP_*, MREMAP_*, MADV_*, MS_* values are Linux's (the same on aarch64,
 * x86_64 and i386).
 *
 * Pages of user memory are refcounted (struct page.refcount): a page
 * shared by copy-on-write after fork is mapped read-only in every address
 * space holding it; the first write copies it unless it is the last
 * reference.  A page of a file's page cache (page->mapping set) mapped
 * privately is always copied at the first write; mapped shared, it is
 * the file's data.
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
#define MADV_REMOVE	9
#define MADV_DONTFORK	10
#define MADV_DOFORK	11
#define MADV_MERGEABLE	12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE	14
#define MADV_NOHUGEPAGE	15
#define MADV_DONTDUMP	16
#define MADV_DODUMP	17
#define MADV_WIPEONFORK	18
#define MADV_KEEPONFORK	19
#define MADV_COLD	20
#define MADV_PAGEOUT	21
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23

#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

/* personality(2) flags the address-space layout reads */
#define ADDR_NO_RANDOMIZE	0x0040000
#define ADDR_COMPAT_LAYOUT	0x0200000
#define READ_IMPLIES_EXEC	0x0400000

/* vma.flags */
#define VMA_SHARED	(1u << 0)	/* MAP_SHARED: writes are seen by every mapping */
#define VMA_STACK	(1u << 1)	/* the main stack (for /proc/<pid>/maps) */
#define VMA_HEAP	(1u << 2)	/* the brk area */
#define VMA_GROWSDOWN	(1u << 4)	/* a stack: a fault just below extends it */
#define VMA_MAYWRITE	(1u << 5)	/* mprotect may add PROT_WRITE (Linux's VM_MAYWRITE) */
#define VMA_MAYEXEC	(1u << 6)	/* mprotect may add PROT_EXEC (not on a noexec mount) */
#define VMA_DONTFORK	(1u << 7)	/* MADV_DONTFORK: a child does not get it */
#define VMA_WIPEONFORK	(1u << 8)	/* MADV_WIPEONFORK: a child gets it empty */
#define VMA_LOCKED	(1u << 9)	/* mlock: counted in VmLck, faulted in (mm/mlock.c) */
#define VMA_LOCKONFAULT	(1u << 10)	/* with VMA_LOCKED: MLOCK_ONFAULT, not faulted in */

/* mlockall(2) and mlock2(2) flags */
#define MCL_CURRENT	1
#define MCL_FUTURE	2
#define MCL_ONFAULT	4
#define MLOCK_ONFAULT	1

struct address_space;
struct file;
struct mm;
struct page;

/*
 * Pages the kernel gives every process, as Linux's vm_special_mapping:
 * the vDSO's text and data ([vdso], [vvar]) and the signal trampoline
 * ([sigpage]).  The kernel keeps a reference to each page; a process
 * maps them read-only and gets a private copy of a page it writes (when
 * vma_flags let mprotect allow writing).  As in Linux, such an area is
 * never split (munmap, mprotect or mremap of part of it: -EINVAL) nor
 * grown (mremap: -EFAULT), and a page dropped by MADV_DONTNEED comes
 * back at the next touch.  Immutable after creation.
 */
struct vm_special {
	const char *name;		/* in /proc/<pid>/maps */
	struct page *const *pages;	/* the area's pages, nr_pages of them */
	unsigned int nr_pages;
	unsigned int vma_flags;		/* VMA_MAYWRITE, VMA_MAYEXEC: what mprotect may add */
	bool no_madvise;		/* MADV_DONTNEED: -EINVAL (Linux's VM_PFNMAP [vvar]) */
	/* mremap moved the area to start (mm->lock held); may be NULL. */
	void (*moved)(struct mm *mm, vaddr_t start);
};

/* One area, [start, end), page aligned.  Fields guarded by mm->lock. */
struct vma {
	vaddr_t start, end;
	unsigned int prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	unsigned int flags;		/* VMA_* */
	struct list_head node;		/* in mm->vmas, by address */
	struct mm *mm;			/* the space it belongs to */
	/*
	 * A file mapping: page start + k is the file's page off / PAGE_SIZE
	 * + k, in the file's page cache (mapping).  Shared: that page
	 * itself.  Private: the page until the first write, then a private
	 * copy; and the file's bytes only below the address file_end,
	 * zeros after it (an ELF segment's bss; end for mmap()).  Shared
	 * anonymous memory is a mapping of an unlinked tmpfs file, as on
	 * Linux.
	 */
	struct file *file;
	struct address_space *mapping;	/* file->inode->mapping, or NULL */
	loff_t off;
	vaddr_t file_end;
	struct list_head mapping_node;	/* in mapping->i_mmap (mapping->lock) */
	unsigned int zap_seq;		/* mapping->lock: unmap_mapping_pages()'s pass */
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
	vaddr_t start_data, end_data;	/* the program's data (RLIMIT_DATA counts it with brk) */
	vaddr_t mmap_base;		/* mmap searches down from here */
	vaddr_t stack_top;
	/*
	 * personality(2)'s value.  Linux keeps it per task; here it lives
	 * with the address space (copied by fork and exec) until the
	 * process structure has a place for it.
	 */
	unsigned int personality;
	vaddr_t arg_start, arg_end, env_start, env_end;	/* /proc/<pid>/cmdline, environ */
	vaddr_t sigpage;		/* the signal return trampoline, or 0 */
	vaddr_t vdso;			/* the vDSO's text (AT_SYSINFO_EHDR), or 0 */
	struct file *exe_file;		/* the program: writes to it are refused (ETXTBSY) */
	size_t nr_pages;		/* user pages mapped (RSS) */
	size_t total_vm;		/* pages of all VMAs */
	unsigned int def_flags;		/* VMA_LOCKED...: mlockall(MCL_FUTURE) for new mappings */
	unsigned int map_count;		/* VMAs in vmas (MAX_MAP_COUNT) */
};

/* Linux's default vm.max_map_count: mmap and splits beyond it fail (ENOMEM). */
#define MAX_MAP_COUNT	65530

/* Linux's stack_guard_gap: 256 pages no mapping is placed in below a stack. */
#define STACK_GUARD_GAP		(256UL * PAGE_SIZE)

struct mm *mm_create(void);			/* empty, or NULL */
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);			/* the last put frees every page */
/* A copy-on-write copy of mm (fork), or NULL when memory runs out. */
struct mm *mm_fork(struct mm *mm);
/* Make mm the current CPU's user address space (NULL: none). */
void mm_activate(struct mm *mm);

/* Take a reference unless the last one is gone already (false). */
bool mm_tryget(struct mm *mm);

/*
 * The calling thread's address space: mmap's rules (Linux's), with the
 * caller's RLIMIT_AS and RLIMIT_DATA.  mm_mmap returns the address or
 * -errno; f is NULL for anonymous memory, else a mapping of a file with
 * a page cache (others: -ENODEV) from offset off.
 */
long mm_mmap(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot, unsigned int flags,
	     struct file *f, loff_t off);
int mm_munmap(struct mm *mm, vaddr_t addr, size_t len);
int mm_mprotect(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot);
long mm_brk(struct mm *mm, vaddr_t brk);	/* the new break (the old one on failure) */
long mm_mremap(struct mm *mm, vaddr_t old, size_t old_len, size_t new_len, unsigned int flags,
	       vaddr_t new_addr);
int mm_madvise(struct mm *mm, vaddr_t addr, size_t len, int advice);
int mm_msync(struct mm *mm, vaddr_t addr, size_t len, int flags);
/* mincore(2): one byte per page into vec (kernel memory), at most len pages. */
int mm_mincore(struct mm *mm, vaddr_t addr, size_t pages, unsigned char *vec);
/* mlock(2)/mlock2(2) (onfault: MLOCK_ONFAULT), munlock, mlockall, munlockall (mm/mlock.c). */
int mm_mlock(struct mm *mm, vaddr_t start, size_t len, bool onfault);
int mm_munlock(struct mm *mm, vaddr_t start, size_t len);
int mm_mlockall(struct mm *mm, int flags);
int mm_munlockall(struct mm *mm);
/* Pages of mm's locked VMAs (VmLck); mm->lock held. */
size_t mm_locked_pages(struct mm *mm);

/*
 * The layout of a new program's space (mm/layout.c), randomised as
 * Linux's unless randomize_va_space is 0 (norandmaps), or the
 * personality has ADDR_NO_RANDOMIZE.  mm_layout_init: the stack top and
 * mmap_base from RLIMIT_STACK; mm_setup_stack maps the main stack (it
 * grows down on faults up to RLIMIT_STACK) covering at least need bytes
 * below mm->stack_top; mm_randomize_brk moves the heap's start
 * (randomize_va_space 2); mm_pie_base is where an ET_DYN program goes.
 * mm_stack_align_rnd: the bytes below the strings arch_align_stack()
 * drops (exec_stack_args.align_rnd).
 */
extern int randomize_va_space;		/* 0, 1 or 2: /proc/sys/kernel/randomize_va_space */
bool mm_randomizing(const struct mm *mm);
void mm_layout_init(struct mm *mm, uint64_t rlimit_stack);
int mm_setup_stack(struct mm *mm, size_t need, bool exec, uint64_t rlimit_stack);
void mm_randomize_brk(struct mm *mm);
vaddr_t mm_pie_base(struct mm *mm, vaddr_t et_dyn_base);
uint64_t mm_stack_align_rnd(struct mm *mm);

/*
 * The out-of-memory killer (mm/oom_kill.c): no page for a user fault or
 * a user allocation.  Picks the process with the largest resident set
 * (not init, not a kernel thread), kills it with SIGKILL and logs
 * "Out of memory: Killed process <pid> (<comm>) ...".  Returns true when
 * memory may come back (a victim other than the caller is dying: wait a
 * little and retry), false when the caller is the victim or there is
 * none (then fail with ENOMEM).
 */
bool out_of_memory(void);
/*
 * Map a file's bytes privately at a fixed address (the ELF loader):
 * [addr, addr + len) with file bytes up to file_end.
 */
int mm_map_file_fixed(struct mm *mm, vaddr_t addr, size_t len, unsigned int prot,
		      struct file *f, loff_t off, vaddr_t file_end);

/*
 * Map the special mapping sp at addr (page aligned, free: else -EEXIST)
 * with protection prot.  0 or -errno.
 */
int mm_map_special(struct mm *mm, vaddr_t addr, const struct vm_special *sp, unsigned int prot);

/*
 * Map the signal-return trampoline (the port's code, arch_sigpage_fill())
 * read-only and executable at addr: handlers without SA_RESTORER return
 * through it, as through Linux's vDSO.  0 or -errno.
 */
int mm_map_sigpage(struct mm *mm, vaddr_t addr);

/* Results of mm_fault(): Linux's si_code values for SIGSEGV and SIGBUS. */
#define SEGV_MAPERR	1		/* no mapping there */
#define SEGV_ACCERR	2		/* the mapping forbids the access */
#define BUS_ADRERR	2		/* a file mapping's page past the end of the file */

/*
 * Resolve a fault at addr in mm: 0 when mapped now, -EFAULT with *si_code
 * set when the access is not allowed (SIGSEGV), -EIO with BUS_ADRERR for
 * a file page past its end or that cannot be had (SIGBUS), -ENOMEM when
 * memory ran out and the out-of-memory killer found no other victim.
 * exec: an instruction fetch.
 */
int mm_fault(struct mm *mm, vaddr_t addr, bool write, bool exec, int *si_code);

/* The VMA containing addr, or NULL (mm->lock held). */
struct vma *vma_lookup(struct mm *mm, vaddr_t addr);

/*
 * What backs addr, for a futex shared between address spaces (the
 * caller holds a reference on mm): 1 with *key set to the physical
 * address of the byte when addr lies in a MAP_SHARED mapping (its page is
 * faulted in first; shared pages are never copied on write, so the key
 * is the same in every process mapping it), 0 for private memory, -EFAULT
 * when nothing readable is mapped there.
 */
int mm_shared_key(struct mm *mm, vaddr_t addr, uint64_t *key);

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

#endif
