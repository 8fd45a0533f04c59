/*
 * The kernel half's page tables over the boot: the boot linear map of all
 * RAM (from a small static pool, before there is a page allocator), and
 * arch_mmu_init(), which builds the final tables (image W^X with guard
 * pages under the boot and exception stacks, RAM read-write and never
 * executable) and moves TTBR1 to them.
 */
#define pr_fmt(fmt) "mmu: " fmt

#include <libfdt.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/vm.h>
#include "mmu_internal.h"

/* Enough for a few RAM ranges not aligned to 1 GiB. */
#define EARLY_POOL_PAGES	16

static pte_t early_pool[EARLY_POOL_PAGES][PT_ENTRIES] __aligned(4096);
static unsigned int early_used;

static paddr_t
early_alloc(void)
{
	if (early_used == EARLY_POOL_PAGES)
		return 0;
	return virt_to_phys(early_pool[early_used++]);	/* bss: zeroed */
}

unsigned int
mmu_pa_bits(void)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48 };
	unsigned int r = MMFR0_PARANGE(read_sysreg(id_aa64mmfr0_el1));

	/* 52-bit addresses need another descriptor format: use 48. */
	return r < sizeof(bits) ? bits[r] : 48;
}

/*
 * head.S mapped the image and the DTB; the page allocator needs all of
 * RAM.  A range the pool cannot cover is dropped from the memory map
 * with a message rather than handed out unmapped.
 */
void
mmu_map_ram_early(struct boot_info *bi)
{
	paddr_t root = virt_to_phys(boot_kernel_root);

	for (unsigned int i = 0; i < bi->nr_mem;) {
		const struct mem_region *m = &bi->mem[i];
		int err = mmu_map_blocks(root, LINEAR_MAP_BASE + m->base, m->base, m->size,
					 PROT_KERNEL_RW, early_alloc);

		if (err) {
			pr_warn("RAM [%#llx-%#llx] not mapped at boot (%d): left unused\n",
				(unsigned long long)m->base,
				(unsigned long long)(m->base + m->size - 1), err);
			for (unsigned int j = i + 1; j < bi->nr_mem; j++)
				bi->mem[j - 1] = bi->mem[j];
			bi->nr_mem--;
			continue;
		}
		i++;
	}
}

const char *
mmu_guard_owner(vaddr_t addr)
{
	if (addr - (vaddr_t)boot_stack_guard < PAGE_SIZE)
		return "boot";
	if (addr - (vaddr_t)aarch64_exception_stack_guard < PAGE_SIZE)
		return "exception";
	return NULL;
}

static void
map_or_panic(paddr_t root, vaddr_t va, paddr_t pa, uint64_t size, pte_t prot, const char *what)
{
	int err;

	if (!size)
		return;
	err = mmu_map_blocks(root, va, pa, size, prot, pt_page_alloc);
	if (err)
		panic("mmu: cannot map %s at %#lx (%llu KiB): error %d", what, (unsigned long)va,
		      (unsigned long long)(size >> 10), err);
}

/* Kernel image pages [from, to) with prot. */
static void
map_image(paddr_t root, const char *from, const char *to, pte_t prot, const char *what)
{
	map_or_panic(root, (vaddr_t)from, virt_to_phys(from), (uint64_t)(to - from), prot, what);
}

/*
 * A RAM range in the linear map, read-write; the part holding the
 * image's text and rodata read-only, so no page is writable through one
 * address and executable through another.
 */
static void
map_linear(paddr_t root, uint64_t base, uint64_t size, uint64_t ro_start, uint64_t ro_end)
{
	uint64_t end = base + size;
	uint64_t a = ro_start < base ? base : ro_start > end ? end : ro_start;
	uint64_t b = ro_end < a ? a : ro_end > end ? end : ro_end;

	map_or_panic(root, LINEAR_MAP_BASE + base, base, a - base, PROT_KERNEL_RW, "RAM");
	map_or_panic(root, LINEAR_MAP_BASE + a, a, b - a, PROT_KERNEL_RO, "kernel image alias");
	map_or_panic(root, LINEAR_MAP_BASE + b, b, end - b, PROT_KERNEL_RW, "RAM");
}

/* The DTB stays reachable even if the firmware put it outside RAM. */
static void
map_fdt(paddr_t root, const struct boot_info *bi)
{
	paddr_t pa, end;

	if (!bi->fdt)
		return;
	pa = virt_to_phys(bi->fdt);
	end = pa + fdt_totalsize(bi->fdt);
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (pa >= bi->mem[i].base && end <= bi->mem[i].base + bi->mem[i].size)
			return;
	pa &= PAGE_MASK;
	end = (end + PAGE_SIZE - 1) & PAGE_MASK;
	if (mmu_map_blocks(root, LINEAR_MAP_BASE + pa, pa, end - pa, PROT_KERNEL_RO, pt_page_alloc))
		pr_warn("device tree at %#lx outside RAM could not be mapped\n", (unsigned long)pa);
}

void
arch_mmu_init(const struct boot_info *bi)
{
	const unsigned int image_l1 = (KERNEL_VIRT_BASE >> PT_SHIFT(1)) & (PT_ENTRIES - 1);
	paddr_t root = pt_page_alloc(), top = pt_page_alloc();
	paddr_t ro_start = virt_to_phys(__text_start), ro_end = virt_to_phys(__rodata_end);
	pte_t *r, *t, *boot_top;
	uint64_t ram = 0;

	if (!root || !top)
		panic("mmu: no memory for the kernel page tables");
	/*
	 * What the boot tables map beyond the linear map and the image (the
	 * ioremap window, any kernel stack so far) carries over: the new
	 * tables share those lower-level tables.
	 */
	r = phys_to_virt(root);
	t = phys_to_virt(top);
	boot_top = phys_to_virt(boot_kernel_root[PT_ENTRIES - 1] & PTE_ADDR_MASK);
	for (unsigned int i = PT_ENTRIES / 2; i < PT_ENTRIES - 1; i++)
		r[i] = boot_kernel_root[i];
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		if (i != image_l1)
			t[i] = boot_top[i];
	__asm__ __volatile__("dsb ishst" ::: "memory");
	r[PT_ENTRIES - 1] = top | PTE_TYPE_TABLE;

	/* The image, W^X, nothing in the stacks' guard pages. */
	map_image(root, __text_start, __text_end, PROT_KERNEL_RX, "kernel text");
	map_image(root, __rodata_start, __rodata_end, PROT_KERNEL_RO, "kernel rodata");
	map_image(root, __data_start, boot_stack_guard, PROT_KERNEL_RW, "kernel data");
	map_image(root, boot_stack_guard + PAGE_SIZE, aarch64_exception_stack_guard,
		  PROT_KERNEL_RW, "boot stack");
	map_image(root, aarch64_exception_stack_guard + PAGE_SIZE, __bss_end, PROT_KERNEL_RW,
		  "kernel bss");

	/* All usable RAM: read-write, never executable. */
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		map_linear(root, bi->mem[i].base, bi->mem[i].size, ro_start, ro_end);
		ram += bi->mem[i].size;
	}
	map_fdt(root, bi);

	aarch64_replace_ttbr1(root, aarch64_boot_idmap, aarch64_kimage_voffset);
	arch_kernel_aspace()->root = root;

	pr_info("kernel %#lx-%#lx: text RX %lu KiB, rodata R %lu KiB, data+bss RW %lu KiB\n",
		(unsigned long)__text_start, (unsigned long)_end - 1,
		(unsigned long)(__text_end - __text_start) >> 10,
		(unsigned long)(__rodata_end - __rodata_start) >> 10,
		(unsigned long)(__bss_end - __data_start) >> 10);
	pr_info("linear map of %llu MiB at %#lx (RW, NX); guard pages under the boot and "
		"exception stacks; identity map gone\n", (unsigned long long)(ram >> 20),
		(unsigned long)LINEAR_MAP_BASE);
}
