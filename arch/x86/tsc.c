/*
 * The x86 time-stamp counter as the clock source.  Its rate is not
 * architecturally known, so it is measured against PIT channel 2, which
 * counts at the PIT's fixed input clock and can be polled (port 0x61 bit
 * 5 follows its output) without interrupts.
 *
 * A TSC without the invariant bit (CPUID 0x80000007 EDX[8]) may change
 * rate with power states on old hardware; QEMU's default CPU models do
 * not set the bit although their TSC is constant, so it is used either
 * way and the log says which.
 */
#define pr_fmt(fmt) "tsc: " fmt

#include <arch/cpu.h>
#include <asm/io.h>
#include <asm/x86.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#define PIT_CH2		2
#define PIT_CMD		3
#define CMD_CH2_MODE0	0xb0	/* channel 2, low/high byte, interrupt on count */

#define GATE2		0x01	/* port 0x61: channel 2 gate */
#define SPEAKER		0x02	/* port 0x61: speaker data */
#define OUT2		0x20	/* port 0x61: channel 2 output */

#define CALIBRATE_MS	10
#define CALIBRATE_RUNS	3
#define POLL_LIMIT	50000000u	/* give up: no PIT channel 2 */

#define PIT_DEFAULT_HZ	1193182

static struct clocksource tsc_cs;

static uint64_t
tsc_read(struct clocksource *cs)
{
	return arch_cycles();
}

/* TSC cycles while channel 2 counts down count ticks; 0 if it never ends. */
static uint64_t
measure(uint16_t pit, uint16_t ctl, uint16_t count)
{
	uint64_t t0, t1;
	uint32_t n = 0;

	outb(ctl, (uint8_t)((inb(ctl) & ~SPEAKER) | GATE2));
	outb(pit + PIT_CMD, CMD_CH2_MODE0);
	outb(pit + PIT_CH2, (uint8_t)count);
	outb(pit + PIT_CH2, (uint8_t)(count >> 8));	/* counting starts */
	t0 = arch_cycles();
	while (!(inb(ctl) & OUT2))
		if (++n == POLL_LIMIT)
			return 0;
	t1 = arch_cycles();
	return t1 - t0;
}

static int
tsc_probe(struct device *dev)
{
	uint32_t pit_hz = 0;
	uint16_t pit, ctl;
	uint8_t saved;
	uint64_t best = 0, freq;
	uint16_t count;
	bool invariant;

	if (!cpu_has(1, 'd', CPUID_1_EDX_TSC))
		return -ENODEV;
	if (dev->nr_reg < 2)
		return -EINVAL;
	pit = (uint16_t)dev->reg[0].start;
	ctl = (uint16_t)dev->reg[1].start;
	if (device_read_u32(dev, "clock-frequency", &pit_hz) || !pit_hz)
		pit_hz = PIT_DEFAULT_HZ;
	count = (uint16_t)(pit_hz / (1000 / CALIBRATE_MS));

	/*
	 * Each run overshoots by the time to notice OUT2 rise; the shortest
	 * run is the closest to the truth.
	 */
	saved = inb(ctl);
	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		uint64_t c = measure(pit, ctl, count);

		if (c && (!best || c < best))
			best = c;
	}
	outb(ctl, saved);
	if (!best) {
		pr_err("PIT channel 2 never counted down: cannot calibrate\n");
		return -ENODEV;
	}
	freq = best * pit_hz / count;
	invariant = cpu_has(0x80000007, 'd', CPUID_87_EDX_INVTSC);

	tsc_cs = (struct clocksource){
		.name = "tsc", .freq_hz = freq, .read = tsc_read,
		.rating = invariant ? 300 : 250,
	};
	clocksource_register(&tsc_cs);
	pr_info("%llu.%03llu MHz (calibrated against the PIT), %s\n",
		(unsigned long long)(freq / 1000000),
		(unsigned long long)(freq / 1000 % 1000),
		invariant ? "invariant" : "not marked invariant, assumed constant");
	return 0;
}

static const char *const tsc_compatible[] = { "x86,tsc", NULL };

DRIVER(tsc_driver) = {
	.name = "tsc",
	.compatible = tsc_compatible,
	.probe = tsc_probe,
};
