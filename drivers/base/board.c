/*
 * Devices from the board table (boards without a device tree): the port's
 * boards/<board>.c lists them with addresses, interrupt numbers on the
 * root interrupt controller and which one is the console.
 */
#include <string.h>
#include <arch/boot.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include "base.h"

int
devices_scan(const void *unused)
{
	int found = 0;

	for (size_t i = 0; i < board_devices_count; i++) {
		const struct board_device *b = &board_devices[i];
		const struct driver *drv = driver_match(b->compatible);
		struct device *dev;

		if (!drv)
			continue;
		dev = device_add(b->name, b->compatible, drv);
		if (!dev)
			return -ENOSPC;
		dev->bdev = b;
		dev->reg = b->reg;
		dev->nr_reg = b->nr_reg;
		found++;
	}
	return found;
}

/* Board-table interrupts are numbers on the first (root) chip. */
int
device_irq(const struct device *dev, unsigned int idx)
{
	struct irq_chip *root = irq_root_chip();

	if (!dev->bdev || idx >= dev->bdev->nr_irq)
		return -ENXIO;
	if (!root)
		return -EPROBE_DEFER;
	if ((unsigned int)dev->bdev->irq[idx] >= root->nr_irqs)
		return -EINVAL;
	return (int)irq_of(root, (unsigned int)dev->bdev->irq[idx]);
}

bool
device_is_console(const struct device *dev)
{
	return dev->bdev && dev->bdev->console;
}

int
device_read_u32(const struct device *dev, const char *prop, uint32_t *out)
{
	if (dev->bdev && strcmp(prop, "clock-frequency") == 0 && dev->bdev->clock_hz) {
		*out = dev->bdev->clock_hz;
		return 0;
	}
	return -ENOENT;
}
