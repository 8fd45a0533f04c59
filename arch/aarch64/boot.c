/*
 * AArch64 boot: validate the device tree the boot loader passed (read
 * through the linear map head.S built), describe the machine for the core
 * (model, RAM from /memory, /chosen bootargs and initrd), reserve what is
 * taken (the image, the DTB, /memreserve/, /reserved-memory, the initrd)
 * and put all RAM in the boot linear map before kernel_main().
 */
#define pr_fmt(fmt) "boot: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/thread.h>
#include <kernel/fdt.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include "fdt_util.h"
#include "mmu_internal.h"
#include "psci.h"

__noreturn void aarch64_boot(uint64_t fdt_pa, uint64_t entry_el, uint64_t fdt_mapped);

/* Documentation/arch/arm64/booting.rst: the DTB must not exceed 2 MiB. */
#define FDT_MAX_SIZE	(2u << 20)

static struct boot_info info;
static uint64_t boot_el;
static unsigned int pa_bits;
static uint64_t pa_limit;	/* first physical address we can neither reach nor map */

/* A /memory range, checked against what this CPU can address. */
static void
add_ram(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	if (size == 0) {
		pr_warn("memory range at %#llx has size 0: ignored\n", (unsigned long long)base);
		return;
	}
	if (end > base && end > pa_limit) {
		if (base >= pa_limit) {
			pr_warn("memory range [%#llx-%#llx] is beyond the %u-bit physical "
				"address space: ignored\n", (unsigned long long)base,
				(unsigned long long)(end - 1), pa_bits);
			return;
		}
		pr_warn("memory range [%#llx-%#llx] extends beyond the %u-bit physical "
			"address space: cut at %#llx\n", (unsigned long long)base,
			(unsigned long long)(end - 1), pa_bits, (unsigned long long)pa_limit);
		size = pa_limit - base;
	}
	boot_mem_add(&info, base, size);	/* refuses wrapping ranges */
}

/* Take [base, base + size) out of usable RAM (no-map reservations). */
static void
remove_ram(uint64_t base, uint64_t size)
{
	uint64_t end = base + size < base ? ~0ULL : base + size;

	for (unsigned int i = 0; i < info.nr_mem; i++) {
		struct mem_region *m = &info.mem[i];
		uint64_t mend = m->base + m->size;

		if (end <= m->base || base >= mend)
			continue;
		if (base > m->base && end < mend) {
			/* The middle: the upper part becomes a range of its own. */
			m->size = base - m->base;
			boot_mem_add(&info, end, mend - end);
		} else if (base > m->base) {
			m->size = base - m->base;
		} else if (end < mend) {
			m->size = mend - end;
			m->base = end;
		} else {
			m->size = 0;
		}
	}
	/* Drop the ranges that vanished. */
	for (unsigned int i = 0; i < info.nr_mem;) {
		if (info.mem[i].size) {
			i++;
			continue;
		}
		for (unsigned int j = i + 1; j < info.nr_mem; j++)
			info.mem[j - 1] = info.mem[j];
		info.nr_mem--;
	}
}

static void
scan_memory(const void *fdt)
{
	uint32_t ac = fdt_cells(fdt, 0, "#address-cells", 2);
	uint32_t sc = fdt_cells(fdt, 0, "#size-cells", 1);
	int node;

	if (ac < 1 || ac > 2 || sc > 2) {
		pr_err("root #address-cells %u / #size-cells %u unsupported\n", ac, sc);
		return;
	}
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		int len;

		if (!type || strcmp(type, "memory") != 0 || !fdt_status_okay(fdt, node))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < 0)
			continue;
		for (int off = 0; off + (int)(ac + sc) * 4 <= len; off += (int)(ac + sc) * 4)
			add_ram(fdt_read_cells(reg + off / 4, ac),
				fdt_read_cells(reg + off / 4 + ac, sc));
	}
}

/*
 * Firmware-owned memory: the /memreserve/ block and the children of
 * /reserved-memory with a reg.  no-map ranges leave the memory map
 * altogether (not even the linear map may touch them); the others stay
 * mapped but are never handed out.
 */
static void
scan_reserved(const void *fdt)
{
	int n = fdt_num_mem_rsv(fdt), parent, node;
	uint32_t ac, sc;

	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0 && size)
			boot_mem_reserve(&info, base, size, "/memreserve/");
	}
	parent = fdt_path_offset(fdt, "/reserved-memory");
	if (parent < 0)
		return;
	ac = fdt_cells(fdt, parent, "#address-cells", fdt_cells(fdt, 0, "#address-cells", 2));
	sc = fdt_cells(fdt, parent, "#size-cells", fdt_cells(fdt, 0, "#size-cells", 1));
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		pr_err("/reserved-memory: #address-cells %u / #size-cells %u unsupported: "
		       "its ranges are not reserved\n", ac, sc);
		return;
	}
	fdt_for_each_subnode(node, fdt, parent) {
		const char *name = fdt_get_name(fdt, node, NULL);
		bool nomap = fdt_getprop(fdt, node, "no-map", NULL) != NULL;
		const fdt32_t *reg;
		int len;

		if (!fdt_status_okay(fdt, node))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < (int)(ac + sc) * 4) {
			pr_warn("/reserved-memory/%s: no reg (dynamic reservations are not "
				"supported): ignored\n", name);
			continue;
		}
		for (int off = 0; off + (int)(ac + sc) * 4 <= len; off += (int)(ac + sc) * 4) {
			uint64_t base = fdt_read_cells(reg + off / 4, ac);
			uint64_t size = fdt_read_cells(reg + off / 4 + ac, sc);

			pr_info("reserved-memory %s [%#llx-%#llx]%s\n", name,
				(unsigned long long)base, (unsigned long long)(base + size - 1),
				nomap ? ", no-map" : "");
			if (nomap)
				remove_ram(base, size);
			boot_mem_reserve(&info, base, size, name);
		}
	}
}

#ifdef CONFIG_RANDOM
static uint8_t rng_seed[BOOT_RNG_SEED_MAX];

/* Is [pa, pa + size) inside usable RAM (so writable through the linear map)? */
static bool
in_ram(uint64_t pa, uint64_t size)
{
	for (unsigned int i = 0; i < info.nr_mem; i++)
		if (pa >= info.mem[i].base && pa + size <= info.mem[i].base + info.mem[i].size)
			return true;
	return false;
}

/*
 * /chosen/rng-seed: random bytes from the boot loader (QEMU's virt gives
 * 32 from the host).  Copied for random_init(), then erased from the
 * device tree as Linux does, so nothing that reads the tree later (a
 * kexec'd kernel, a dump) learns what seeded us: the property becomes
 * NOP tags, which overwrite its bytes.  The DTB head.S mapped is
 * read-write; one outside RAM (flash, ROM) is left alone and said so.
 */
static void
take_rng_seed(void *fdt, uint64_t fdt_pa, int chosen)
{
	const uint8_t *p;
	int len, err;

	p = fdt_getprop(fdt, chosen, "rng-seed", &len);
	if (!p || len <= 0)
		return;
	if ((size_t)len > sizeof(rng_seed))
		pr_info("rng-seed: %d bytes, using the first %zu\n", len, sizeof(rng_seed));
	info.rng_seed_len = MIN((size_t)len, sizeof(rng_seed));
	memcpy(rng_seed, p, info.rng_seed_len);
	info.rng_seed = rng_seed;
	if (!in_ram(fdt_pa, fdt_totalsize(fdt))) {
		pr_warn("rng-seed: the device tree is not in RAM: the seed stays in it\n");
		return;
	}
	err = fdt_nop_property(fdt, chosen, "rng-seed");
	if (err)
		pr_warn("rng-seed: cannot erase it from the device tree: %s\n", fdt_strerror(err));
}
#else
static void
take_rng_seed(void *fdt, uint64_t fdt_pa, int chosen)
{
	/* Nobody would use it: it stays where the boot loader put it. */
}
#endif

static void
scan_chosen(void *fdt, uint64_t fdt_pa)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const fdt32_t *p;
	int len;
	uint64_t start, end;

	if (chosen < 0)
		return;
	take_rng_seed(fdt, fdt_pa, chosen);
	info.cmdline = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (info.cmdline && (len <= 0 || info.cmdline[len - 1] != '\0'))
		info.cmdline = NULL;	/* not NUL-terminated: ignore */

	p = fdt_getprop(fdt, chosen, "linux,initrd-start", &len);
	if (!p || (len != 4 && len != 8))
		return;
	start = fdt_read_cells(p, (uint32_t)len / 4);
	p = fdt_getprop(fdt, chosen, "linux,initrd-end", &len);
	if (!p || (len != 4 && len != 8))
		return;
	end = fdt_read_cells(p, (uint32_t)len / 4);
	if (end <= start)
		return;
	if (end > pa_limit) {
		pr_warn("initrd [%#llx-%#llx] is beyond the %u-bit physical address space: "
			"ignored\n", (unsigned long long)start, (unsigned long long)(end - 1),
			pa_bits);
		return;
	}
	info.initrd_base = start;
	info.initrd_size = end - start;
	boot_mem_reserve(&info, start, end - start, "initrd");
}

__noreturn void
aarch64_boot(uint64_t fdt_pa, uint64_t entry_el, uint64_t fdt_mapped)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	void *fdt;			/* mapped read-write by head.S */
	int err;

	/* First: ioremap() (the fallback console of a panic) needs it. */
	mmu_boot_init(MMFR0_ASIDBITS(mmfr0) == 2 ? 16 : 8);
	pa_bits = mmu_pa_bits();
	pa_limit = MIN(1ULL << pa_bits, (uint64_t)LINEAR_MAP_PHYS_END);
	boot_el = entry_el;
	pr_info("entered at EL%llu, running at EL1\n", (unsigned long long)entry_el);
	pr_info("MMU on: 4 KiB pages, 48-bit VA, %u-bit PA, %u-bit ASIDs; image at %#lx, "
		"loaded at %#lx\n", pa_bits, mmu_asid_bits(), (unsigned long)_start,
		(unsigned long)virt_to_phys(_start));

	if (!fdt_mapped)
		panic("no device tree: x0 = %#llx (the boot protocol needs the DTB's "
		      "physical address)", (unsigned long long)fdt_pa);
	fdt = phys_to_virt(fdt_pa);
	arch_fp_kernel_begin();		/* libfdt (no thread yet: for the rule's sake) */
	err = fdt_check_header(fdt);
	if (err)
		panic("device tree at %#llx is invalid: %s", (unsigned long long)fdt_pa,
		      fdt_strerror(err));
	if (fdt_totalsize(fdt) > FDT_MAX_SIZE)
		panic("device tree at %#llx claims %u bytes (the boot protocol allows %u)",
		      (unsigned long long)fdt_pa, fdt_totalsize(fdt), FDT_MAX_SIZE);
	/* Walk the whole structure once, so later lookups meet no surprises. */
	err = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (err)
		panic("device tree at %#llx is corrupt: %s", (unsigned long long)fdt_pa,
		      fdt_strerror(err));

	pr_info("device tree at %#llx, %u bytes\n", (unsigned long long)fdt_pa,
		fdt_totalsize(fdt));
	info.fdt = fdt;
	info.machine = fdt_getprop(fdt, 0, "model", NULL);
	if (!info.machine)
		info.machine = "unknown aarch64 machine";
	scan_memory(fdt);
	boot_mem_reserve(&info, virt_to_phys(_start), (uint64_t)(_end - _start), "kernel image");
	boot_mem_reserve(&info, fdt_pa, fdt_totalsize(fdt), "device tree");
	scan_reserved(fdt);
	scan_chosen(fdt, fdt_pa);
	arch_fp_kernel_end();
	psci_init(fdt);
	/* Whole pages, sorted, no overlaps: what the linear map and mm/ want. */
	boot_mem_normalize(&info, PAGE_SIZE);
	mmu_map_ram_early(&info);
	kernel_main(&info);
}

/* The exception level the boot loader entered the kernel at. */
unsigned int aarch64_entry_el(void);

unsigned int
aarch64_entry_el(void)
{
	return (unsigned int)boot_el;
}
