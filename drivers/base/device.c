/*
 * The driver model's core: the device list, matching against the driver
 * table, and probing with deferral.  Where devices come from is the job of
 * drivers/base/fdt.c (device tree) or drivers/base/board.c (board table).
 */
#define pr_fmt(fmt) "devices: " fmt

#include <string.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include "base.h"

extern const struct driver *const __drivers_start[], *const __drivers_end[];

static struct device devices[CONFIG_MAX_DEVICES];
static unsigned int nr_devices;

const struct driver *
driver_match(const char *compatible)
{
	for (const struct driver *const *d = __drivers_start; d < __drivers_end; d++)
		for (const char *const *c = (*d)->compatible; *c; c++)
			if (strcmp(*c, compatible) == 0)
				return *d;
	return NULL;
}

struct device *
device_add(const char *name, const char *compatible, const struct driver *drv)
{
	struct device *dev;

	if (nr_devices == CONFIG_MAX_DEVICES) {
		pr_err("%s: more than CONFIG_MAX_DEVICES=%d devices, ignored\n",
		       name, CONFIG_MAX_DEVICES);
		return NULL;
	}
	dev = &devices[nr_devices++];
	memset(dev, 0, sizeof(*dev));
	dev->name = name;
	dev->compatible = compatible;
	dev->driver = drv;
#ifdef CONFIG_ARCH_HAS_DT
	dev->fdt_node = -1;
#endif
	return dev;
}

unsigned int
device_count(void)
{
	return nr_devices;
}

struct device *
device_at(unsigned int i)
{
	return i < nr_devices ? &devices[i] : NULL;
}

struct device *
device_find(const char *compatible)
{
	for (unsigned int i = 0; i < nr_devices; i++)
		if (strcmp(devices[i].compatible, compatible) == 0)
			return &devices[i];
	return NULL;
}

static int
probe_one(struct device *dev)
{
	int err = dev->driver->probe(dev);

	if (err == -EPROBE_DEFER) {
		dev->state = DEVICE_DEFERRED;
		pr_debug("%s (%s): probe deferred\n", dev->name, dev->compatible);
	} else if (err) {
		dev->state = DEVICE_FAILED;
		dev->error = err;
	} else {
		dev->state = DEVICE_BOUND;
		pr_debug("%s (%s): bound to driver %s\n", dev->name, dev->compatible,
			 dev->driver->name);
	}
	return err;
}

/*
 * Probe everything once, then retry the deferred ones as long as a pass
 * binds something new: a dependency chain of length n settles in n passes.
 */
void
devices_probe(void)
{
	bool progress = true;
	unsigned int bound = 0, failed = 0, deferred = 0;

	while (progress) {
		progress = false;
		for (unsigned int i = 0; i < nr_devices; i++) {
			struct device *dev = &devices[i];

			if (dev->state != DEVICE_NEW && dev->state != DEVICE_DEFERRED)
				continue;
			if (probe_one(dev) == 0)
				progress = true;
		}
	}
	for (unsigned int i = 0; i < nr_devices; i++) {
		struct device *dev = &devices[i];

		switch (dev->state) {
		case DEVICE_BOUND:
			bound++;
			break;
		case DEVICE_DEFERRED:
			deferred++;
			pr_warn("%s (%s): a dependency never appeared\n", dev->name,
				dev->compatible);
			break;
		case DEVICE_FAILED:
			failed++;
			pr_err("%s (%s): probe failed: %d\n", dev->name, dev->compatible,
			       dev->error);
			break;
		case DEVICE_NEW:
			break;
		}
	}
	pr_info("%u bound, %u failed, %u waiting\n", bound, failed, deferred);
}
