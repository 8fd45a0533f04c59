/*
 * The kernel's page tables from boot to the final ones, both widths.
 *
 * head.S maps the linear map of the low 4 GiB (x86_64) or of all 896 MiB
 * (i386) with 2 MiB pages, the image high, and an identity map for the
 * jump.  x86_mmu_early(), before the core runs, gives the ioremap window
 * its tables (from the image, so ioremap() works while drivers probe) and
 * maps RAM above 4 GiB into the linear map with tables taken from low
 * RAM, so that the page allocator can put its struct pages there.
 * arch_mmu_init() then builds the final tables from the page allocator:
 * the linear map of usable RAM only, never executable; the image W^X;
 * nothing below USER_TOP (no identity map, no page 0); global kernel
 * pages, and PCIDs where the CPU has them.
 */
#define pr_fmt(fmt) "mmu: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/mmu.h>
#include <asm/desc.h>
#include <asm/x86.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/vm.h>
#include "internal.h"
#include "pgtable.h"

pte_t pte_nx;
bool x86_pcid;

extern char __image_start[], _end[], __boot_stack_guard[];

/* The ioremap window's tables: a table per 2 MiB, and those above them. */
#define WINDOW_TABLES	(IOREMAP_SIZE / LARGE_SIZE + PT_LEVELS - 2)

static pte_t window_tables[WINDOW_TABLES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int window_used;
static uint64_t early_next, early_end;	/* tables for RAM above 4 GiB */

static paddr_t
window_table_alloc(void)
{
	if (window_used == WINDOW_TABLES)
		return 0;
	return virt_to_phys(window_tables[window_used++]);
}

static paddr_t
early_table_alloc(void)
{
	paddr_t pa = (paddr_t)early_next;

	if (early_next >= early_end)
		return 0;
	early_next += PAGE_SIZE;
	memset(pt_table(pa), 0, PAGE_SIZE);
	return pa;
}

uint64_t
x86_boot_free_run(const struct boot_info *bi, uint64_t len, uint64_t limit)
{
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		uint64_t end = MIN(MIN(bi->mem[i].base + bi->mem[i].size, BOOT_LINEAR_MAP_END),
				   limit);
		uint64_t cand = ALIGN_UP(bi->mem[i].base, PAGE_SIZE);
		bool moved = true;

		end = ALIGN_DOWN(end, PAGE_SIZE);
		while (moved && cand + len <= end) {
			moved = false;
			for (unsigned int r = 0; r < bi->nr_reserved; r++) {
				uint64_t rb = bi->reserved[r].base;
				uint64_t re = rb + bi->reserved[r].size;

				if (rb < cand + len && re > cand) {
					cand = ALIGN_UP(re, PAGE_SIZE);
					moved = true;
				}
			}
		}
		if (cand && cand + len <= end)
			return cand;
	}
	return 0;
}

/* The part of a RAM range head.S did not map, in whole 2 MiB pages. */
static bool
unmapped_part(const struct mem_region *m, uint64_t *s, uint64_t *e)
{
	*s = ALIGN_DOWN(MAX(m->base, (uint64_t)BOOT_LINEAR_MAP_END), LARGE_SIZE);
	*e = ALIGN_UP(MIN(m->base + m->size, (uint64_t)LINEAR_MAP_PHYS_END), LARGE_SIZE);
	return *s < *e;
}

/*
 * RAM above what head.S mapped (x86_64: above 4 GiB) joins the boot
 * linear map now: page_alloc_init() writes struct pages into every zone.
 * The tables come from low RAM and stay reserved.
 */
static void
boot_linear_map_extend(struct boot_info *bi, uintptr_t root)
{
	size_t need = 0;
	uint64_t s, e, base;
	int err;

	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (unmapped_part(&bi->mem[i], &s, &e))
			need += pt_count_missing(root, LINEAR_MAP_BASE + s, e - s, PT_DIR);
	if (!need)
		return;
	base = x86_boot_free_run(bi, (uint64_t)need * PAGE_SIZE, BOOT_LINEAR_MAP_END);
	if (!base)
		panic("mmu: no free low memory for %zu boot page tables", need);
	early_next = base;
	early_end = base + (uint64_t)need * PAGE_SIZE;
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		if (!unmapped_part(&bi->mem[i], &s, &e))
			continue;
		for (uint64_t a = s; a < e; a += LARGE_SIZE) {
			pte_t *pde = pt_walk(root, LINEAR_MAP_BASE + a, PT_DIR, early_table_alloc,
					     &err);

			if (!pde)
				panic("mmu: boot linear map at %#llx: %d", (unsigned long long)a, err);
			if (!*pde)
				*pde = a | PTE_P | PTE_W | PTE_PS;
		}
	}
	boot_mem_reserve(bi, base, early_next - base, "boot page tables");
}

void
x86_mmu_early(struct boot_info *bi)
{
	uintptr_t root = read_cr(3) & PTE_ADDR;
	int err;

	if ((uintptr_t)__image_start != KERNEL_VIRT_BASE + KERNEL_PHYS_BASE)
		panic("mmu: image at %p, <asm/mmu.h> says %#lx", (void *)__image_start,
		      KERNEL_VIRT_BASE + KERNEL_PHYS_BASE);
	if (cpu_has(0x80000001, 'd', CPUID_81_EDX_NX) && (rdmsr(MSR_EFER) & EFER_NXE))
		pte_nx = PTE_NX;
	x86_mmu_set_kernel_root(root);
	for (vaddr_t va = IOREMAP_BASE; va - IOREMAP_BASE < IOREMAP_SIZE; va += LARGE_SIZE)
		if (!pt_walk(root, va, PT_LEAF, window_table_alloc, &err))
			panic("mmu: no boot tables for the ioremap window (%d)", err);
	boot_linear_map_extend(bi, root);
}

struct map_count {
	size_t large, small;
};

/* Kernel mappings at boot: into empty tables, 2 MiB pages where allowed. */
static void
map_range(uintptr_t root, vaddr_t va, uint64_t pa, uint64_t len, pte_t bits, bool large,
	  struct map_count *n)
{
	int err;

	while (len) {
		bool big = large && ((va | pa) & (LARGE_SIZE - 1)) == 0 && len >= LARGE_SIZE;
		pte_t *e = pt_walk(root, va, big ? PT_DIR : PT_LEAF, pt_page_alloc, &err);
		uint64_t step = big ? LARGE_SIZE : PAGE_SIZE;

		if (!e || *e)
			panic("mmu: cannot map %#lx for the kernel (%d)", (unsigned long)va,
			      e ? -EEXIST : err);
		*e = pa | bits | (big ? PTE_PS : 0);
		if (big)
			n->large++;
		else
			n->small++;
		va += step;
		pa += step;
		len -= step;
	}
}

static void
map_section(uintptr_t root, vaddr_t base, const char *start, const char *end,
	    unsigned int flags, struct map_count *n)
{
	uint64_t pa = virt_to_phys(start);

	if (end > start)
		map_range(root, base + pa, pa, (uint64_t)(end - start),
			  pt_leaf_bits(flags, base + pa), false, n);
}

/*
 * The image's pages at base + PA: text, read-only data, data and bss,
 * each with its own rights, and the boot stack's guard left out.
 */
static void
map_image(uintptr_t root, vaddr_t base, bool exec, struct map_count *n)
{
	unsigned int rw = MMU_READ | MMU_WRITE;

	map_section(root, base, __text_start, __text_end, MMU_READ | (exec ? MMU_EXEC : 0), n);
	map_section(root, base, __rodata_start, __rodata_end, MMU_READ, n);
	map_section(root, base, __data_start, __boot_stack_guard, rw, n);
	map_section(root, base, __boot_stack_guard + PAGE_SIZE, _end, rw, n);
}

/* Every usable range, except the image, which map_image() does. */
static uint64_t
map_linear(uintptr_t root, const struct boot_info *bi, struct map_count *n)
{
	uint64_t img_s = virt_to_phys(__image_start), img_e = virt_to_phys(_end), total = 0;
	pte_t rw = pt_leaf_bits(MMU_READ | MMU_WRITE, LINEAR_MAP_BASE);

	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		uint64_t s = bi->mem[i].base;
		uint64_t e = MIN(s + bi->mem[i].size, (uint64_t)LINEAR_MAP_PHYS_END);

		if (s >= e)
			continue;
		total += e - s;
		if (s < img_s)
			map_range(root, LINEAR_MAP_BASE + s, s, MIN(e, img_s) - s, rw, true, n);
		if (e > img_e) {
			uint64_t a = MAX(s, img_e);

			map_range(root, LINEAR_MAP_BASE + a, a, e - a, rw, true, n);
		}
	}
	return total;
}

/* The ioremap window keeps the boot path's tables and what is mapped there. */
static void
link_window(uintptr_t root, uintptr_t boot_root)
{
	int err;

	for (vaddr_t va = IOREMAP_BASE; va - IOREMAP_BASE < IOREMAP_SIZE; va += LARGE_SIZE) {
		pte_t *old = pt_walk(boot_root, va, PT_DIR, NULL, &err);
		pte_t *new = pt_walk(root, va, PT_DIR, pt_page_alloc, &err);

		if (!old || !new)
			panic("mmu: ioremap window tables (%d)", err);
		*new = *old;
	}
}

/* Load root and turn on what the CPU offers: global pages, PCIDs, WP. */
static void
switch_to(uintptr_t root)
{
	unsigned long cr4;

	write_cr(3, root);
	x86_mmu_set_kernel_root(root);
	cr4 = read_cr(4);
	if (cpu_has(1, 'd', CPUID_1_EDX_PGE))
		cr4 |= CR4_PGE;
#ifdef __x86_64__
	/* PCIDs exist in long mode only (x86_mmu_cpu_init() turns them on). */
	x86_pcid = cpu_has(1, 'c', CPUID_1_ECX_PCID);
#endif
	write_cr(4, cr4);		/* a change of PGE flushes every TLB entry */
	write_cr(0, read_cr(0) | CR0_WP);	/* read-only means read-only for us too */
	x86_mmu_cpu_init();
}

void
arch_mmu_init(const struct boot_info *bi)
{
	uintptr_t boot_root = arch_kernel_aspace()->root, root = pt_page_alloc();
	struct map_count lin = { 0, 0 }, img = { 0, 0 };
	uint64_t ram;
	int err;

	if (!root)
		panic("mmu: no memory for the kernel's page tables");
	ram = map_linear(root, bi, &lin);
	map_image(root, KERNEL_VIRT_BASE, true, &img);
	/* x86_64: the image's alias in the linear map, never executable. */
	if (KERNEL_VIRT_BASE != LINEAR_MAP_BASE)
		map_image(root, LINEAR_MAP_BASE, false, &lin);
	link_window(root, boot_root);
	/* The kernel-stack area's top entry, shared by every address space. */
	if (!pt_walk(root, KSTACK_AREA_BASE, 1, pt_page_alloc, &err))
		panic("mmu: kernel stack area tables (%d)", err);
	switch_to(root);
	/* kstack_alloc() works now: the exception stacks get guard pages. */
	if (x86_exception_stacks_alloc(0))
		pr_warn("no memory for guarded exception stacks: the boot ones stay\n");

	pr_info("%s paging, %s%s%s\n", PT_LEVELS == 4 ? "4-level" : "PAE",
		pte_nx ? "NX" : "no NX (the CPU has none)",
		read_cr(4) & CR4_PGE ? ", global pages" : "", x86_pcid ? ", PCIDs" : "");
	pr_info("linear map at %#lx: %llu MiB of RAM in %zu 2 MiB and %zu 4 KiB pages\n",
		LINEAR_MAP_BASE, (unsigned long long)(ram >> 20), lin.large, lin.small);
	pr_info("kernel at %p: text %zu KiB RX, rodata %zu KiB R, data %zu KiB RW; "
		"nothing below %#lx\n", (void *)__image_start,
		(size_t)(__text_end - __text_start) >> 10,
		(size_t)(__rodata_end - __rodata_start) >> 10,
		(size_t)(_end - __data_start) >> 10, USER_TOP);
}

bool
x86_boot_stack_guard(uintptr_t addr)
{
	return addr - (uintptr_t)__boot_stack_guard < PAGE_SIZE;
}
