/* Internal to drivers/base: what the device sources share with the core. */
#ifndef DRIVERS_BASE_H
#define DRIVERS_BASE_H

#include <kernel/device.h>

const struct driver *driver_match(const char *compatible);
struct device *device_add(const char *name, const char *compatible,
			  const struct driver *drv);

#endif
