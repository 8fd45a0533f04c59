/*
 * Intel 8254 programmable interval timer: channel 0 as a rate generator
 * on IRQ 0 is the periodic tick.  (Channel 2 is the TSC's calibration
 * reference, see tsc.c; channel 1 refreshed DRAM once and is left alone.)
 */
#define pr_fmt(fmt) "i8254: " fmt

#include <arch/io.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#define PIT_CH0		0
#define PIT_CMD		3

#define CMD_CH0		(0u << 6)
#define CMD_LOHI	(3u << 4)	/* low byte, then high byte */
#define CMD_MODE2	(2u << 1)	/* rate generator */

#define PIT_DEFAULT_HZ	1193182

static struct {
	struct clockevent ce;
	uint16_t base;
	uint32_t clock;
	int irq;
} pit;

static void
i8254_irq(unsigned int irq, void *arg)
{
	timer_tick();
}

static int
i8254_start(const struct clockevent *ce, unsigned int hz)
{
	uint32_t divisor = (pit.clock + hz / 2) / hz;

	/* 16-bit counter; 0 counts 65536. */
	if (divisor < 2 || divisor > 65536)
		return -EINVAL;
	outb(pit.base + PIT_CMD, CMD_CH0 | CMD_LOHI | CMD_MODE2);
	outb(pit.base + PIT_CH0, (uint8_t)divisor);
	outb(pit.base + PIT_CH0, (uint8_t)(divisor >> 8));
	pr_info("channel 0 divisor %u: %u.%03u Hz\n", divisor, pit.clock / divisor,
		(unsigned int)((uint64_t)pit.clock * 1000 / divisor % 1000));
	return irq_request((unsigned int)pit.irq, i8254_irq, NULL, "i8254");
}

static int
i8254_probe(struct device *dev)
{
	int irq = device_irq(dev, 0);

	if (irq < 0)
		return irq;		/* -EPROBE_DEFER until the PIC is up */
	if (dev->nr_reg < 1 || dev->reg[0].size < 4)
		return -EINVAL;
	pit.base = (uint16_t)dev->reg[0].start;
	pit.irq = irq;
	if (device_read_u32(dev, "clock-frequency", &pit.clock) || !pit.clock)
		pit.clock = PIT_DEFAULT_HZ;
	pit.ce = (struct clockevent){
		.name = "i8254", .start_periodic = i8254_start, .rating = 100,
	};
	clockevent_register(&pit.ce);
	pr_info("%s at I/O %#x, %u Hz input, irq %d\n", dev->name, pit.base,
		pit.clock, irq);
	return 0;
}

static const char *const i8254_compatible[] = { "intel,8254", "pnp,PNP0100", NULL };

DRIVER(i8254_driver) = {
	.name = "i8254",
	.compatible = i8254_compatible,
	.probe = i8254_probe,
};
