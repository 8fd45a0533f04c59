/*
 * Address spaces in the core: thin, checked wrappers over the HAL's page
 * tables.  Byte ranges must be page aligned; a user address space may only
 * map below USER_TOP.
 */
#include <arch/mmu.h>
#include <kernel/errno.h>
#include <kernel/slab.h>
#include <kernel/vm.h>

static struct aspace kernel_as = { .kernel = true };

struct aspace *
kernel_aspace(void)
{
	return &kernel_as;
}

static struct arch_aspace *
arch_of(struct aspace *as)
{
	return as->kernel ? arch_kernel_aspace() : &as->arch;
}

static int
check_range(struct aspace *as, vaddr_t va, size_t size)
{
	if ((va | size) & (PAGE_SIZE - 1) || size == 0 || va + size < va)
		return -EINVAL;
	if (!as->kernel && va + size > USER_TOP)
		return -EFAULT;
	return 0;
}

struct aspace *
aspace_create(void)
{
	struct aspace *as = kzalloc(sizeof(*as));

	if (!as)
		return NULL;
	if (arch_aspace_init(&as->arch)) {
		kfree(as);
		return NULL;
	}
	return as;
}

void
aspace_destroy(struct aspace *as)
{
	if (!as || as->kernel)
		return;
	arch_aspace_destroy(&as->arch);
	kfree(as);
}

int
aspace_map(struct aspace *as, vaddr_t va, paddr_t pa, size_t size, unsigned int flags)
{
	int err = check_range(as, va, size);

	if (err)
		return err;
	if (pa & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!as->kernel)
		flags |= MMU_USER;
	return arch_mmu_map(arch_of(as), va, pa, size / PAGE_SIZE, flags);
}

int
aspace_unmap(struct aspace *as, vaddr_t va, size_t size)
{
	int err = check_range(as, va, size);

	return err ? err : arch_mmu_unmap(arch_of(as), va, size / PAGE_SIZE);
}

int
aspace_protect(struct aspace *as, vaddr_t va, size_t size, unsigned int flags)
{
	int err = check_range(as, va, size);

	if (err)
		return err;
	if (!as->kernel)
		flags |= MMU_USER;
	return arch_mmu_protect(arch_of(as), va, size / PAGE_SIZE, flags);
}

int
aspace_translate(struct aspace *as, vaddr_t va, paddr_t *pa, unsigned int *flags)
{
	paddr_t base;
	int err = arch_mmu_query(arch_of(as), va & ~(vaddr_t)(PAGE_SIZE - 1), &base, flags);

	if (err)
		return err;
	if (pa)
		*pa = base + (va & (PAGE_SIZE - 1));
	return 0;
}

void
aspace_switch(struct aspace *as)
{
	arch_aspace_switch(as->kernel ? arch_kernel_aspace() : &as->arch);
}
