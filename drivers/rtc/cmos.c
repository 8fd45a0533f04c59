/*
 * The PC's CMOS real-time clock, a Motorola MC146818 (or its copy in the
 * chipset: PIIX, ICH) behind an index port and a data port (0x70/0x71).
 * Read only.  The clock keeps BCD or binary and a 12- or 24-hour clock as
 * register B says; two digits of year, the century in the CMOS byte the
 * ACPI FADT names (QEMU: 0x32), else 20xx.  Once a second the chip
 * updates its registers for up to 2 ms, announced 244 us ahead by
 * register A's UIP bit: a reading starts with UIP clear and is repeated
 * until two in a row agree, so no update splits it.
 */
#include <arch/io.h>
#include <asm/firmware.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/rtc.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include "cmos.h"

#define RTC_SECONDS		0x00
#define RTC_MINUTES		0x02
#define RTC_HOURS		0x04
#define RTC_DAY_OF_MONTH	0x07
#define RTC_MONTH		0x08
#define RTC_YEAR		0x09
#define RTC_REG_A		0x0a
#define RTC_REG_B		0x0b
#define RTC_REG_D		0x0d

#define REG_A_UIP		(1u << 7)	/* an update is (about to be) in progress */
#define REG_D_VRT		(1u << 7)	/* the battery kept RAM and time valid */

/*
 * UIP is set for at most 2.2 ms each second; set for a whole second, the
 * chip is broken.  Not the update's length: a virtual CPU the host stalls
 * for a few milliseconds must not make a good clock unreadable.
 */
#define UIP_WAIT_NS		NSEC_PER_SEC
#define READ_TRIES		10

static struct {
	struct rtc_device rtc;
	struct spinlock lock;		/* the index port selects what the data port reads */
	uint16_t port;
	uint8_t century_index;		/* 0: none */
} cmos = { .lock = SPINLOCK_INIT("cmos") };

static uint8_t
cmos_read(uint8_t index)
{
	outb(cmos.port, index);
	return inb((uint16_t)(cmos.port + 1));
}

/* One reading, taken when no update is due: false if UIP never cleared. */
static bool
read_regs(struct cmos_regs *r)
{
	uint64_t end = time_ns() + UIP_WAIT_NS;
	unsigned long flags;

	for (;;) {
		/* Before the read: a stall after it cannot fail a reading that succeeds. */
		bool late = time_ns() > end;

		flags = spin_lock_irqsave(&cmos.lock);
		if (!(cmos_read(RTC_REG_A) & REG_A_UIP))
			break;
		spin_unlock_irqrestore(&cmos.lock, flags);
		if (late)
			return false;
		arch_cpu_relax();
	}
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->mday = cmos_read(RTC_DAY_OF_MONTH);
	r->mon = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = cmos.century_index ? cmos_read(cmos.century_index) : 0;
	r->reg_b = cmos_read(RTC_REG_B);
	spin_unlock_irqrestore(&cmos.lock, flags);
	return true;
}

static bool
same(const struct cmos_regs *a, const struct cmos_regs *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
	       a->mday == b->mday && a->mon == b->mon && a->year == b->year &&
	       a->century == b->century && a->reg_b == b->reg_b;
}

static int
cmos_read_time(struct rtc_device *rtc, struct rtc_time *tm)
{
	struct cmos_regs a, b;
	int tries = 0;

	(void)rtc;
	if (!read_regs(&a))
		return -EIO;
	for (;;) {
		if (++tries > READ_TRIES || !read_regs(&b))
			return -EIO;
		if (same(&a, &b))
			break;
		a = b;
	}
	return cmos_decode(&a, cmos.century_index != 0, tm);
}

static const struct rtc_class_ops cmos_ops = {
	.read_time = cmos_read_time,
};

static int
cmos_probe(struct device *dev)
{
	const struct acpi_pm_info *pm = x86_acpi_pm();
	uint8_t reg_b, reg_d;

	if (cmos.port)
		return -EBUSY;
	if (dev->nr_reg < 1 || dev->reg[0].size < 2)
		return -EINVAL;
	if (pm && pm->no_cmos_rtc) {
		pr_info("rtc_cmos %s: the FADT says there is no CMOS RTC\n", dev->name);
		return -ENODEV;
	}
	cmos.port = (uint16_t)dev->reg[0].start;
	reg_b = cmos_read(RTC_REG_B);
	reg_d = cmos_read(RTC_REG_D);
	if (reg_b == 0xff && reg_d == 0xff) {	/* nothing answers on the bus */
		cmos.port = 0;
		return -ENODEV;
	}
	if (!(reg_d & REG_D_VRT))
		pr_warn("rtc_cmos %s: battery failure: the time may be wrong\n", dev->name);
	/* Indices 0x0e-0x7f are CMOS RAM; a century byte outside is bogus. */
	if (pm && pm->century >= 0x0e && pm->century < 0x80)
		cmos.century_index = pm->century;
	else if (pm && pm->century)
		pr_warn("rtc_cmos %s: FADT century index %#x ignored\n", dev->name, pm->century);
	cmos.rtc = (struct rtc_device){ .driver = "rtc_cmos", .dev = dev, .ops = &cmos_ops };
	return rtc_register(&cmos.rtc);
}

static const char *const cmos_compatible[] = { "motorola,mc146818", "pnp,PNP0B00", NULL };

DRIVER(cmos_driver) = {
	.name = "rtc_cmos",
	.compatible = cmos_compatible,
	.probe = cmos_probe,
};
