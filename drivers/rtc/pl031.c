/*
 * ARM PrimeCell PL031 real-time clock (QEMU virt has one): a 32-bit
 * counter of seconds since the epoch, which runs until 2106.  Only read
 * here; the alarm and its interrupt are not used.
 */
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/rtc.h>

#define RTC_DR		0x00		/* data: the current count */
#define RTC_CR		0x0c		/* control */
#define RTC_PERIPHID0	0xfe0
#define RTC_PERIPHID1	0xfe4
#define CR_START	(1u << 0)	/* the counter runs; cannot be cleared */
#define PL031_PART	0x031

static struct {
	struct rtc_device rtc;
	uintptr_t base;
} pl031;

static int
pl031_read_time(struct rtc_device *rtc, struct rtc_time *tm)
{
	uintptr_t base = *(const uintptr_t *)rtc->priv;

	rtc_time64_to_tm(mmio_read32(base + RTC_DR), tm);
	return 0;
}

static const struct rtc_class_ops pl031_ops = {
	.read_time = pl031_read_time,
};

static int
pl031_probe(struct device *dev)
{
	uint32_t part;

	if (pl031.base)
		return -EBUSY;		/* one is all the kernel needs */
	if (dev->nr_reg < 1 || dev->reg[0].size < 0x1000)
		return -EINVAL;
	pl031.base = ioremap(dev->reg[0].start, dev->reg[0].size);
	if (!pl031.base)
		return -ENOMEM;
	part = (mmio_read32(pl031.base + RTC_PERIPHID0) & 0xff) |
	       (mmio_read32(pl031.base + RTC_PERIPHID1) & 0xf) << 8;
	if (part != PL031_PART) {
		pr_err("rtc-pl031 %s: part number %#x, not a PL031\n", dev->name, part);
		pl031.base = 0;
		return -ENODEV;
	}
	/* Stopped (a cold board): start it, counting from whatever it holds. */
	if (!(mmio_read32(pl031.base + RTC_CR) & CR_START))
		mmio_write32(pl031.base + RTC_CR, CR_START);
	pl031.rtc = (struct rtc_device){
		.driver = "rtc-pl031", .dev = dev, .ops = &pl031_ops, .priv = &pl031.base,
	};
	return rtc_register(&pl031.rtc);
}

static const char *const pl031_compatible[] = { "arm,pl031", NULL };

DRIVER(pl031_driver) = {
	.name = "rtc-pl031",
	.compatible = pl031_compatible,
	.probe = pl031_probe,
};
