/*
 * Devices from the flattened device tree: every enabled node with a
 * compatible string a driver knows becomes a device, its "reg" translated
 * to CPU physical addresses through the parents' "ranges", its interrupts
 * resolved through "interrupt-parent" to the controller's irq_chip.
 *
 * libfdt may use FP/SIMD registers (Debian's arm64 build does): every
 * entry point here brackets its libfdt calls with arch_fp_kernel_begin()
 * and arch_fp_kernel_end() (<arch/thread.h>), and never calls another.
 */
#define pr_fmt(fmt) "fdt: " fmt

#include <string.h>
#include <arch/thread.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/fdt.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include "base.h"

static const void *fdt;

static bool
node_enabled(int node)
{
	const char *status = fdt_getprop(fdt, node, "status", NULL);

	return !status || strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

static uint32_t
cells_of(int node, const char *name, uint32_t dflt)
{
	return fdt_cells(fdt, node, name, dflt);
}

/*
 * Translate a bus address of node's children up to the root.  Returns
 * false when a bus has no "ranges" (its children are not memory-mapped) or
 * the address lies outside every range.
 */
static bool
translate(int bus, uint64_t *addr)
{
	while (bus > 0) {
		int parent = fdt_parent_offset(fdt, bus);
		uint32_t ca = cells_of(bus, "#address-cells", 2);
		uint32_t pa = cells_of(parent, "#address-cells", 2);
		uint32_t cs = cells_of(bus, "#size-cells", 1);
		uint32_t entry = ca + pa + cs;
		const fdt32_t *r;
		int len;
		bool hit = false;

		r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r)
			return false;
		if (len == 0) {
			bus = parent;	/* empty ranges: identity */
			continue;
		}
		if (ca > 2 || pa > 2 || cs > 2)
			return false;
		for (int i = 0; i + (int)entry * 4 <= len; i += (int)entry * 4) {
			const fdt32_t *e = r + i / 4;
			uint64_t child = fdt_read_cells(e, ca);
			uint64_t paddr = fdt_read_cells(e + ca, pa);
			uint64_t size = fdt_read_cells(e + ca + pa, cs);

			if (*addr >= child && *addr - child < size) {
				*addr = *addr - child + paddr;
				hit = true;
				break;
			}
		}
		if (!hit)
			return false;
		bus = parent;
	}
	return true;
}

static void
read_reg(struct device *dev, int node)
{
	int parent = fdt_parent_offset(fdt, node);
	uint32_t ac = cells_of(parent, "#address-cells", 2);
	uint32_t sc = cells_of(parent, "#size-cells", 1);
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, "reg", &len);
	if (!p || ac == 0 || ac > 2 || sc > 2)
		return;
	for (int off = 0; off + (int)(ac + sc) * 4 <= len &&
	     dev->nr_reg < DEVICE_MAX_REG; off += (int)(ac + sc) * 4) {
		uint64_t addr = fdt_read_cells(p + off / 4, ac);
		uint64_t size = fdt_read_cells(p + off / 4 + ac, sc);

		if (!translate(parent, &addr)) {
			pr_warn("%s: reg %#llx is not translatable to a CPU address\n",
				dev->name, (unsigned long long)addr);
			return;
		}
		dev->reg[dev->nr_reg].start = (paddr_t)addr;
		dev->reg[dev->nr_reg].size = (size_t)size;
		dev->nr_reg++;
	}
}

int
devices_scan(const void *blob)
{
	int node, found = 0;

	fdt = blob;
	arch_fp_kernel_begin();
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		const char *compat;
		int len;

		if (!node_enabled(node))
			continue;
		compat = fdt_getprop(fdt, node, "compatible", &len);
		if (!compat || len <= 0 || compat[len - 1] != '\0')
			continue;
		/* The most specific compatible string a driver knows wins. */
		for (const char *c = compat; c < compat + len; c += strlen(c) + 1) {
			const struct driver *drv = driver_match(c);
			struct device *dev;

			if (!drv)
				continue;
			dev = device_add(fdt_get_name(fdt, node, NULL), c, drv);
			if (!dev) {
				arch_fp_kernel_end();
				return -ENOSPC;
			}
			dev->fdt_node = node;
			read_reg(dev, node);
			found++;
			break;
		}
	}
	arch_fp_kernel_end();
	return found;
}

static int
interrupt_parent(int node)
{
	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		const fdt32_t *p = fdt_getprop(fdt, node, "interrupt-parent", NULL);

		if (p)
			return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p));
	}
	return -FDT_ERR_NOTFOUND;
}

static int
irq_of_node(const struct device *dev, unsigned int idx)
{
	const fdt32_t *cells;
	struct irq_chip *chip = NULL;
	unsigned int hwirq;
	uint32_t ncells;
	int parent, len;

	if (dev->fdt_node < 0)
		return -ENXIO;
	cells = fdt_getprop(fdt, dev->fdt_node, "interrupts", &len);
	parent = interrupt_parent(dev->fdt_node);
	if (!cells || parent < 0)
		return -ENXIO;
	ncells = cells_of(parent, "#interrupt-cells", 1);
	if (ncells == 0 || ncells > 4 || (idx + 1) * ncells * 4 > (unsigned)len)
		return -ENXIO;

	for (unsigned int i = 0; i < device_count(); i++) {
		struct device *d = device_at(i);

		if (d->fdt_node == parent) {
			chip = irq_chip_of(d);
			if (!chip)
				return d->state == DEVICE_FAILED ? -ENODEV : -EPROBE_DEFER;
			break;
		}
	}
	if (!chip)
		return -ENODEV;	/* no driver for this interrupt controller */
	if (chip->ops->xlate) {
		uint32_t spec[4];

		for (uint32_t i = 0; i < ncells; i++)
			spec[i] = fdt32_to_cpu(cells[idx * ncells + i]);
		if (chip->ops->xlate(chip, spec, ncells, &hwirq))
			return -EINVAL;
	} else {
		hwirq = fdt32_to_cpu(cells[idx * ncells]);
	}
	if (hwirq >= chip->nr_irqs)
		return -EINVAL;
	return (int)irq_of(chip, hwirq);
}

int
device_irq(const struct device *dev, unsigned int idx)
{
	int irq;

	arch_fp_kernel_begin();
	irq = irq_of_node(dev, idx);
	arch_fp_kernel_end();
	return irq;
}

static bool
is_console(const struct device *dev)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path, *colon;
	int node, len;

	if (chosen < 0 || dev->fdt_node < 0)
		return false;
	path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!path)
		path = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!path || len <= 1)
		return false;
	colon = memchr(path, ':', (size_t)len);
	len = colon ? (int)(colon - path) : (int)strnlen(path, (size_t)len);
	if (path[0] == '/') {
		node = fdt_path_offset_namelen(fdt, path, len);
	} else {
		const char *alias = fdt_get_alias_namelen(fdt, path, len);

		node = alias ? fdt_path_offset(fdt, alias) : -1;
	}
	return node >= 0 && node == dev->fdt_node;
}

bool
device_is_console(const struct device *dev)
{
	bool yes;

	arch_fp_kernel_begin();
	yes = is_console(dev);
	arch_fp_kernel_end();
	return yes;
}

int
device_read_u32(const struct device *dev, const char *prop, uint32_t *out)
{
	const fdt32_t *p;
	int len;

	if (dev->fdt_node < 0)
		return -ENOENT;
	arch_fp_kernel_begin();
	p = fdt_getprop(fdt, dev->fdt_node, prop, &len);
	arch_fp_kernel_end();
	if (!p || len < 4)
		return -ENOENT;
	*out = fdt32_to_cpu(*p);
	return 0;
}
