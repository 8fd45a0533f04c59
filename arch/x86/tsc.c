/*
 * The x86 time-stamp counter as the clock source.  Its rate is not
 * architecturally known, so it is measured against PIT channel 2, which
 * counts at the PIT's fixed input clock and can be latched and read
 * without interrupts.
 *
 * Each reading of the PIT is bracketed by two TSC reads, and a run is
 * judged by how wide its brackets were: a stall anywhere near a reading
 * (an SMI, or the host descheduling an emulator's vCPU) widens its
 * bracket instead of silently skewing the result.  Polling the channel's
 * output for the end of a count, as this file once did, cannot tell a
 * late poll from a slow TSC: on a loaded host QEMU's vCPU thread sleeps
 * for milliseconds between polls, and the rate came out up to 3x too high
 * (time_ns() then ran that much slow).
 *
 * A TSC without the invariant bit (CPUID 0x80000007 EDX[8]) may change
 * rate with power states on old hardware; QEMU's default CPU models do
 * not set the bit although their TSC is constant, so it is used either
 * way and the log says which.  The vDSO reads it too (RDTSC, allowed in
 * user mode: CR4.TSD stays clear), so user-mode clocks read the very
 * count the kernel converts.
 */
#define pr_fmt(fmt) "tsc: " fmt

#include <arch/cpu.h>
#include <asm/io.h>
#include <asm/x86.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include "internal.h"

#define PIT_CH2		2
#define PIT_CMD		3
#define CMD_CH2_MODE0	0xb0	/* channel 2, low/high byte, interrupt on count */
#define CMD_CH2_LATCH	0x80	/* channel 2, latch the count */

#define GATE2		0x01	/* port 0x61: channel 2 gate */
#define SPEAKER		0x02	/* port 0x61: speaker data */
#define OUT2		0x20	/* port 0x61: channel 2 output */

#define CALIBRATE_MS	20	/* between a run's two readings */
#define CALIBRATE_RUNS	8	/* at most; a certain enough run ends it */
#define SAMPLE_TRIES	8	/* readings per end of a run; the narrowest counts */
#define GOOD_PPM	200	/* brackets this narrow end the search */
#define POLL_LIMIT	50000000u	/* give up: no PIT channel 2 */

#define PIT_DEFAULT_HZ	1193182

static struct clocksource tsc_cs;
static struct {
	uint16_t pit, ctl;
	uint32_t pit_hz;
} ref;

static uint64_t
tsc_read(const struct clocksource *cs)
{
	return arch_cycles();
}

/* Channel 2's count, and when it was latched: within [tsc, tsc + width]. */
struct pit_reading {
	uint64_t tsc, width;
	uint16_t count;
};

static void
pit_read(struct pit_reading *r)
{
	uint64_t t0, t1;
	uint8_t lo, hi;

	t0 = arch_cycles();
	outb(ref.pit + PIT_CMD, CMD_CH2_LATCH);
	t1 = arch_cycles();
	lo = inb(ref.pit + PIT_CH2);
	hi = inb(ref.pit + PIT_CH2);
	r->tsc = t0;
	r->width = t1 - t0;
	r->count = (uint16_t)(hi << 8 | lo);
}

/* The narrowest of a few readings: a stall widens the ones it hits. */
static void
pit_read_best(struct pit_reading *best)
{
	struct pit_reading r;

	best->width = UINT64_MAX;
	for (int i = 0; i < SAMPLE_TRIES; i++) {
		pit_read(&r);
		if (r.width < best->width)
			*best = r;
	}
}

/*
 * One run: channel 2 counts down from 0xffff (55 ms) and is read near the
 * start and CALIBRATE_MS later.  Gives the rate and its uncertainty in
 * parts per million (both brackets, and a PIT period at each end);
 * -ENODEV if the channel does not count, -EAGAIN if it wrapped.
 */
static int
calibrate_run(uint64_t *freq, uint64_t *ppm)
{
	struct pit_reading a, b;
	uint32_t span = ref.pit_hz / (1000 / CALIBRATE_MS), ticks, n = 0;
	uint64_t cycles, uncertain;

	outb(ref.ctl, (uint8_t)((inb(ref.ctl) & ~SPEAKER) | GATE2));
	outb(ref.pit + PIT_CMD, CMD_CH2_MODE0);
	outb(ref.pit + PIT_CH2, 0xff);
	outb(ref.pit + PIT_CH2, 0xff);		/* counting starts */
	pit_read_best(&a);
	do {
		pit_read(&b);
		if (++n == POLL_LIMIT)
			return -ENODEV;
	} while (b.count <= a.count && (uint32_t)(a.count - b.count) < span);
	pit_read_best(&b);
	/* OUT2 rises at zero: the count wrapped (a stall of 35 ms). */
	if (b.count >= a.count || (inb(ref.ctl) & OUT2))
		return -EAGAIN;
	ticks = (uint32_t)(a.count - b.count);
	cycles = b.tsc + b.width / 2 - (a.tsc + a.width / 2);
	if (cycles == 0)
		return -EAGAIN;
	*freq = cycles * ref.pit_hz / ticks;
	/* Each end is within half a bracket and one PIT period of its midpoint. */
	uncertain = (a.width + b.width) / 2 + 2 * (*freq / ref.pit_hz + 1);
	*ppm = uncertain * 1000000 / cycles;
	return 0;
}

int
x86_tsc_calibrate(uint64_t *freq, uint64_t *ppm)
{
	uint64_t f, u, best_ppm = UINT64_MAX;
	uint8_t saved = inb(ref.ctl);
	int err = 0;

	for (int i = 0; i < CALIBRATE_RUNS && best_ppm > GOOD_PPM && err != -ENODEV; i++) {
		err = calibrate_run(&f, &u);
		if (!err && u < best_ppm) {
			best_ppm = u;
			*freq = f;
		}
	}
	outb(ref.ctl, saved);
	if (best_ppm == UINT64_MAX)
		return -ENODEV;
	*ppm = best_ppm;
	return 0;
}

static int
tsc_probe(struct device *dev)
{
	uint64_t freq, ppm;
	bool invariant;

	if (!cpu_has(1, 'd', CPUID_1_EDX_TSC))
		return -ENODEV;
	if (dev->nr_reg < 2)
		return -EINVAL;
	ref.pit = (uint16_t)dev->reg[0].start;
	ref.ctl = (uint16_t)dev->reg[1].start;
	if (device_read_u32(dev, "clock-frequency", &ref.pit_hz) || !ref.pit_hz)
		ref.pit_hz = PIT_DEFAULT_HZ;
	if (x86_tsc_calibrate(&freq, &ppm)) {
		pr_err("PIT channel 2 does not count: cannot calibrate\n");
		return -ENODEV;
	}
	if (ppm > GOOD_PPM)
		pr_warn("calibration uncertain by %llu ppm (stalls during every run)\n",
			(unsigned long long)ppm);
	invariant = cpu_has(0x80000007, 'd', CPUID_87_EDX_INVTSC);

	tsc_cs = (struct clocksource){
		.name = "tsc", .read = tsc_read,
		.rating = invariant ? 300 : 250,
		.vdso_mode = VDSO_CLOCK_COUNTER,	/* RDTSC works in user mode (CR4.TSD clear) */
	};
	clocksource_register(&tsc_cs, freq);
	pr_info("%llu.%03llu MHz (calibrated against the PIT, +-%llu ppm), %s\n",
		(unsigned long long)(freq / 1000000),
		(unsigned long long)(freq / 1000 % 1000), (unsigned long long)ppm,
		invariant ? "invariant" : "not marked invariant, assumed constant");
	return 0;
}

static const char *const tsc_compatible[] = { "x86,tsc", NULL };

DRIVER(tsc_driver) = {
	.name = "tsc",
	.compatible = tsc_compatible,
	.probe = tsc_probe,
};
