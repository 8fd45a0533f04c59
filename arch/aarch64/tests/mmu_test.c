/*
 * The AArch64 MMU on the real machine: W^X in the kernel image, nothing
 * at page 0, all RAM in the linear map, the ioremap window, and user
 * address spaces with ASIDs.
 */
#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/mmio.h>
#include <kernel/trap.h>
#include <kernel/vm.h>
#include "../mmu_internal.h"

uint64_t aarch64_test_load(uintptr_t addr);
void aarch64_test_store(uintptr_t addr, uint64_t value);

#define RET_INSN	0xd65f03c0u

/* Store to addr; the report of the data abort it must cause. */
static bool
store_faults(uintptr_t addr, struct trap_report *r)
{
	trap_expect(TRAP_DATA_ABORT);
	aarch64_test_store(addr, 0x5a5a5a5a5a5a5a5aUL);
	return trap_expect_end(r);
}

static bool
load_faults(uintptr_t addr, struct trap_report *r)
{
	trap_expect(TRAP_DATA_ABORT);
	aarch64_test_load(addr);
	return trap_expect_end(r);
}

/* Call code at addr, which must not run: the instruction abort's report. */
static bool
exec_faults(uintptr_t addr, struct trap_report *r)
{
	static struct arch_resume resume;
	void (*volatile fn)(void) = (void (*)(void))addr;

	if (arch_resume_set(&resume) == 0) {
		trap_expect_resume(TRAP_PREFETCH_ABORT, &resume);
		fn();
		/* Ran: the caller sees no trap. */
	}
	return trap_expect_end(r);
}

KTEST(aarch64, kernel_text_is_read_only)
{
	uintptr_t text = (uintptr_t)aarch64_test_load;
	unsigned int flags;
	struct trap_report r;

	KASSERT(store_faults(text, &r));
	KEXPECT_EQ(r.addr, text);
	KEXPECT(strstr(r.detail, "permission fault, level 3, write") != NULL);
	KEXPECT(strstr(r.detail, "write to kernel text") != NULL);
	KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), text & PAGE_MASK, NULL, &flags), 0);
	KEXPECT_EQ(flags & (MMU_READ | MMU_WRITE | MMU_EXEC), MMU_READ | MMU_EXEC);

	/* Its alias in the linear map is read-only too. */
	KASSERT(store_faults((uintptr_t)phys_to_virt(virt_to_phys((void *)text)), &r));
	KEXPECT(strstr(r.detail, "permission fault") != NULL);
}

KTEST(aarch64, kernel_rodata_is_read_only)
{
	static const uint64_t constant = 42;
	unsigned int flags;
	struct trap_report r;

	KASSERT(store_faults((uintptr_t)&constant, &r));
	KEXPECT(strstr(r.detail, "write to kernel read-only data") != NULL);
	KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), (uintptr_t)&constant & PAGE_MASK,
				  NULL, &flags), 0);
	KEXPECT_EQ(flags & (MMU_WRITE | MMU_EXEC), 0);
	KEXPECT_EQ(constant, 42);
}

KTEST(aarch64, data_is_not_executable)
{
	static uint32_t data_code[4] __aligned(16);
	uint32_t stack_code[4] __aligned(16);
	uint32_t *page = page_alloc_addr(GFP_KERNEL, 0);
	struct trap_report r;

	data_code[0] = stack_code[0] = RET_INSN;
	KASSERT(exec_faults((uintptr_t)data_code, &r));
	KEXPECT_EQ(r.kind, TRAP_PREFETCH_ABORT);
	KEXPECT_EQ(r.pc, (uintptr_t)data_code);
	KEXPECT(strstr(r.detail, "instruction abort at the current EL: permission fault") != NULL);
	KEXPECT(strstr(r.detail, "execution of non-executable memory") != NULL);

	KASSERT(exec_faults((uintptr_t)stack_code, &r));
	KEXPECT(strstr(r.detail, "permission fault") != NULL);

	/* RAM in the linear map. */
	KASSERT(page != NULL);
	page[0] = RET_INSN;
	KEXPECT(exec_faults((uintptr_t)page, &r));
	page_free_addr(page, 0);
}

KTEST(aarch64, null_dereference_reported)
{
	struct trap_report r;

	KASSERT(load_faults(0, &r));
	KEXPECT_EQ(r.addr, 0);
	KEXPECT(strstr(r.detail, "NULL pointer dereference") != NULL);
	KEXPECT(strstr(r.detail, "translation fault, level 0, read") != NULL);

	KASSERT(store_faults(16, &r));
	KEXPECT(strstr(r.detail, "NULL pointer dereference (write not mapped)") != NULL);

	/* A call through a NULL function pointer. */
	KASSERT(exec_faults(0, &r));
	KEXPECT_EQ(r.kind, TRAP_PREFETCH_ABORT);
	KEXPECT(strstr(r.detail, "NULL pointer dereference (execute") != NULL);
}

KTEST(aarch64, page_zero_unmapped)
{
	struct trap_report r;

	KASSERT(load_faults(PAGE_SIZE - 8, &r));
	KEXPECT_EQ(r.addr, PAGE_SIZE - 8);
	KEXPECT(strstr(r.detail, "translation fault") != NULL);
	KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), 0, NULL, NULL), -ENOENT);
	/* Nor physical page 0 (not RAM here) in the linear map. */
	KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), LINEAR_MAP_BASE, NULL, NULL), -ENOENT);
	KEXPECT(load_faults(LINEAR_MAP_BASE, &r));
}

KTEST(aarch64, linear_map_covers_ram)
{
	for (unsigned int i = 0; i < boot_info->nr_mem; i++) {
		const struct mem_region *m = &boot_info->mem[i];
		paddr_t last = m->base + m->size - PAGE_SIZE, pa;
		volatile uint64_t *p = phys_to_virt(last + PAGE_SIZE - 8);
		unsigned int flags;
		uint64_t old;

		KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), (uintptr_t)phys_to_virt(m->base),
					  &pa, &flags), 0);
		KEXPECT_EQ(pa, m->base);
		KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), (uintptr_t)phys_to_virt(last),
					  &pa, &flags), 0);
		KEXPECT_EQ(pa, last);
		KEXPECT_EQ(flags & (MMU_WRITE | MMU_EXEC), MMU_WRITE);
		/* The last word of RAM reads and writes (IRQs off: nobody else). */
		unsigned long irq = arch_irq_save();
		old = *p;
		*p = ~old;
		KEXPECT_EQ(*p, ~old);
		*p = old;
		arch_irq_restore(irq);
		/* The page allocator manages it, above 4 GiB too. */
		KEXPECT(pfn_to_page(last >> PAGE_SHIFT) != NULL);
	}
}

KTEST(aarch64, ioremap_is_device_memory)
{
	uintptr_t uart = ioremap(0x09000000, 0x1000);
	unsigned int flags;
	paddr_t pa;

	KASSERT(uart != 0);
	KEXPECT_OP(uart, >=, IOREMAP_BASE);
	KEXPECT_OP(uart, <, IOREMAP_BASE + IOREMAP_SIZE);
	KEXPECT_EQ(arch_mmu_query(arch_kernel_aspace(), uart, &pa, &flags), 0);
	KEXPECT_EQ(pa, 0x09000000);
	KEXPECT_EQ(flags & (MMU_DEVICE | MMU_EXEC | MMU_WRITE), MMU_DEVICE | MMU_WRITE);
	/* PL011 peripheral ID 0 (UARTPeriphID0) reads 0x11. */
	KEXPECT_EQ(mmio_read32(uart + 0xfe0) & 0xff, 0x11);
}

KTEST(aarch64, kernel_half_refuses_wx)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	vaddr_t va = KSTACK_AREA_BASE + KSTACK_AREA_SIZE - PAGE_SIZE;

	KASSERT(p != NULL);
	KEXPECT_EQ(arch_mmu_map(arch_kernel_aspace(), va, page_to_phys(p), 1,
				MMU_READ | MMU_WRITE | MMU_EXEC), -EPERM);
	KEXPECT_EQ(arch_mmu_map(arch_kernel_aspace(), va, page_to_phys(p), 1,
				MMU_READ | MMU_USER), -EINVAL);
	KEXPECT_EQ(arch_mmu_map(arch_kernel_aspace(), 0x1000, page_to_phys(p), 1, MMU_READ),
		   -EINVAL);
	free_pages(p, 0);
}

/* head.S's tables mapped the image with as many 2 MiB blocks as it needs. */
KTEST(aarch64, boot_tables_fit_the_image)
{
	uint64_t blocks = ((uint64_t)(_end - _start) + BLOCK_2M - 1) / BLOCK_2M;
	const pte_t *idmap = phys_to_virt(aarch64_boot_idmap);
	const pte_t *l1, *l2;
	unsigned int n = 0;

	l1 = phys_to_virt(boot_kernel_root[PT_ENTRIES - 1] & PTE_ADDR_MASK);
	l2 = phys_to_virt(l1[(KERNEL_VIRT_BASE >> 30) & (PT_ENTRIES - 1)] & PTE_ADDR_MASK);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		n += (l2[i] & PTE_VALID) != 0;
	KEXPECT_EQ(n, blocks);
	KEXPECT_EQ(l2[0] & PTE_ADDR_MASK, virt_to_phys(_start));

	/* The identity map: the same blocks at their physical address. */
	n = 0;
	l1 = phys_to_virt(idmap[(virt_to_phys(_start) >> 39) & (PT_ENTRIES - 1)] & PTE_ADDR_MASK);
	l2 = phys_to_virt(l1[(virt_to_phys(_start) >> 30) & (PT_ENTRIES - 1)] & PTE_ADDR_MASK);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		n += (l2[i] & PTE_VALID) != 0;
	KEXPECT_EQ(n, blocks);
}
