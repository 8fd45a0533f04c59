/*
 * The driver model.  A driver states what it matches (compatible strings,
 * the same names on device-tree and board-table boards) and is probed for
 * every matching device.  A probe that needs a device that is not ready
 * yet (say, its interrupt controller) returns -EPROBE_DEFER and is retried
 * after the others, so probe order follows dependencies.
 */
#ifndef KERNEL_DEVICE_H
#define KERNEL_DEVICE_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define DEVICE_MAX_REG	4
#define DEVICE_MAX_IRQ	4

struct device;

struct driver {
	const char *name;
	const char *const *compatible;	/* NULL-terminated */
	int (*probe)(struct device *dev);
};

/* Registers a driver with the model (placed in the .drivers table). */
#define DRIVER(var)							\
	static const struct driver var;					\
	static const struct driver *const var##_ptr			\
		__section(".drivers") __used = &var;			\
	static const struct driver var

struct resource {
	paddr_t start;
	size_t size;
};

/* A device as the board describes it, without device tree. */
struct board_device {
	const char *name;
	const char *compatible;
	struct resource reg[DEVICE_MAX_REG];
	unsigned int nr_reg;
	int irq[DEVICE_MAX_IRQ];	/* hardware numbers on the board's root chip */
	unsigned int nr_irq;
	bool console;			/* the boot console */
	uint32_t clock_hz;		/* input clock, 0 if irrelevant */
};

/* Boards without a device tree list their devices (arch/<port>/boards/). */
extern const struct board_device board_devices[];
extern const size_t board_devices_count;

enum device_state {
	DEVICE_NEW,
	DEVICE_DEFERRED,
	DEVICE_BOUND,
	DEVICE_FAILED,
};

/* 28 bytes on a board-table board: CONFIG_MAX_DEVICES of them stay in RAM. */
struct device {
	const char *name;
	const char *compatible;		/* the string that matched */
	const struct driver *driver;
#ifdef CONFIG_ARCH_HAS_DT
	struct resource reg[DEVICE_MAX_REG];	/* read from the device tree */
	int fdt_node;			/* device-tree devices, else -1 */
#else
	const struct resource *reg;	/* the board table's, in flash: no copy in RAM */
#endif
	const struct board_device *bdev;	/* board-table devices */
	void *priv;			/* the driver's */
	uint8_t nr_reg;
	uint8_t state;			/* enum device_state */
	int16_t error;			/* probe result when FAILED: a negative errno */
};

/* Found devices: from the device tree (ARCH_HAS_DT) or the board table. */
int devices_scan(const void *fdt);
/* Probe every device until nothing more can bind; logs what failed. */
void devices_probe(void);

struct device *device_find(const char *compatible);
unsigned int device_count(void);
struct device *device_at(unsigned int i);

/*
 * Interrupt number of the device's idx-th interrupt, translated through
 * its interrupt controller; -EPROBE_DEFER when that controller has not
 * probed yet, -ENXIO when there is no such interrupt.
 */
int device_irq(const struct device *dev, unsigned int idx);

/* This device is the console the firmware asked for (stdout-path). */
bool device_is_console(const struct device *dev);

/* A u32 property (DT) or 0; board devices use their table fields. */
int device_read_u32(const struct device *dev, const char *prop, uint32_t *out);

#endif
