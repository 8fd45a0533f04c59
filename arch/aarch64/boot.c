/*
 * AArch64 boot: validate the device tree the boot loader passed and
 * describe the machine for the core (model, RAM from /memory minus
 * /memreserve/ and /reserved-memory, /chosen bootargs and initrd).
 */
#define pr_fmt(fmt) "boot: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <kernel/fdt.h>
#include <kernel/panic.h>
#include <kernel/printk.h>

__noreturn void aarch64_boot(const void *fdt, uint64_t entry_el);

/* Documentation/arch/arm64/booting.rst: the DTB must not exceed 2 MiB. */
#define FDT_MAX_SIZE	(2u << 20)

static struct boot_info info;
static uint64_t boot_el;

/* Linker symbols bounding the loaded image. */
extern char _start[], _end[];

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
		const char *status = fdt_getprop(fdt, node, "status", NULL);
		const fdt32_t *reg;
		int len;

		if (!type || strcmp(type, "memory") != 0)
			continue;
		if (status && strcmp(status, "okay") != 0 && strcmp(status, "ok") != 0)
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < 0)
			continue;
		for (int off = 0; off + (int)(ac + sc) * 4 <= len; off += (int)(ac + sc) * 4)
			boot_mem_add(&info, fdt_read_cells(reg + off / 4, ac),
				     fdt_read_cells(reg + off / 4 + ac, sc));
	}
}

static void
scan_chosen(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const fdt32_t *p;
	int len;
	uint64_t start, end;

	if (chosen < 0)
		return;
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
	if (end > start) {
		info.initrd_base = start;
		info.initrd_size = end - start;
	}
}

__noreturn void
aarch64_boot(const void *fdt, uint64_t entry_el)
{
	int err;

	boot_el = entry_el;
	if (!fdt || (uintptr_t)fdt & 7)
		panic("no device tree: x0 = %p (boot protocol needs the DTB address)", fdt);
	err = fdt_check_header(fdt);
	if (err)
		panic("device tree at %p is invalid: %s", fdt, fdt_strerror(err));
	if (fdt_totalsize(fdt) > FDT_MAX_SIZE)
		panic("device tree at %p claims %u bytes (the boot protocol allows %u)",
		      fdt, fdt_totalsize(fdt), FDT_MAX_SIZE);
	/* Walk the whole structure once, so later lookups meet no surprises. */
	err = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (err)
		panic("device tree at %p is corrupt: %s", fdt, fdt_strerror(err));

	pr_info("entered at EL%llu, running at EL1\n", (unsigned long long)entry_el);
	info.fdt = fdt;
	info.machine = fdt_getprop(fdt, 0, "model", NULL);
	if (!info.machine)
		info.machine = "unknown aarch64 machine";
	scan_memory(fdt);
	scan_chosen(fdt);
	kernel_main(&info);
}

/* The exception level the boot loader entered the kernel at. */
unsigned int aarch64_entry_el(void);

unsigned int
aarch64_entry_el(void)
{
	return (unsigned int)boot_el;
}
