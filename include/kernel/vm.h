/*
 * Virtual memory in the core: address spaces over the HAL's page tables,
 * kernel stacks with guard pages, and the page-fault entry every MMU port
 * calls with a decoded reason (mm/vm.c, mm/kstack.c, mm/fault.c).
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <arch/mmu.h>
#include <kernel/types.h>

struct aspace {
	struct arch_aspace arch;
	bool kernel;
};

struct aspace *kernel_aspace(void);
struct aspace *aspace_create(void);		/* a user address space, or NULL */
void aspace_destroy(struct aspace *as);
/* Byte ranges, page aligned; flags are MMU_*.  0 or -errno. */
int aspace_map(struct aspace *as, vaddr_t va, paddr_t pa, size_t size, unsigned int flags);
int aspace_unmap(struct aspace *as, vaddr_t va, size_t size);
int aspace_protect(struct aspace *as, vaddr_t va, size_t size, unsigned int flags);
int aspace_translate(struct aspace *as, vaddr_t va, paddr_t *pa, unsigned int *flags);
void aspace_switch(struct aspace *as);

/*
 * Kernel stacks live in their own virtual area, each with an unmapped
 * guard page below it, so an overflow faults instead of corrupting the
 * neighbour.  The fault handler names the stack.
 */
struct kstack {
	vaddr_t base;			/* lowest mapped address */
	size_t size;
	const char *owner;
};
int kstack_alloc(struct kstack *ks, size_t size, const char *owner);
void kstack_free(struct kstack *ks);
/* Unmap and free the stacks kstack_free() kept for reuse (leak checks, low memory). */
void kstack_shrink(void);
/* The stack whose guard page contains addr, or NULL. */
const struct kstack *kstack_guard_hit(vaddr_t addr);

/* What a port tells the core about a page fault. */
struct page_fault {
	vaddr_t addr;
	bool write;
	bool exec;
	bool user;			/* from user mode */
	bool protection;		/* mapped, but the access is not allowed */
	/*
	 * The kernel touched user memory other than through the user-copy
	 * routines and PAN (aarch64) or SMAP (x86) stopped it: never paged
	 * in, always a kernel bug (or a test's deliberate access).
	 */
	bool pan;
};

struct arch_regs;
struct trap_report;
/*
 * Handle a page fault: later, demand paging and copy-on-write; today,
 * name the cause (NULL pointer, write to read-only kernel data, execute
 * from data, a stack overflow and whose stack) and hand the report to
 * trap_fatal().  Returns when the fault was resolved or a test accepted it.
 */
void mm_page_fault(const struct page_fault *pf, struct trap_report *r,
		   struct arch_regs *regs);

/* Kernel image sections, from each port's linker script. */
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];

#endif
