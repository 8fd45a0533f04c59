/*
 * RP2040 set-up at boot, before any driver probes: the clocks from the
 * crystal, the blocks the board uses taken out of reset, the pins given
 * their functions.  What to do comes from the board file (struct
 * rp2040_board); the registers are the RP2040 datasheet's.
 *
 * The boot ROM leaves clk_ref and clk_sys on the ring oscillator (about
 * 6 MHz, varying with voltage and temperature) and clk_peri off.  Here
 * the crystal oscillator (XOSC) starts, clk_ref switches to it, clk_sys
 * follows clk_ref, and clk_peri (the UARTs' clock) runs from clk_sys: all
 * three at the crystal's frequency, 12 MHz on the Pico.  The PLLs stay
 * off: a 12 MHz system clock is plenty for this kernel and needs nothing
 * that only a real chip could check (VCO limits, lock times).  The
 * watchdog's tick generator divides clk_ref down to 1 MHz for the TIMER.
 *
 * Everything runs from flash (XIP) while the clocks change: clk_ref's and
 * clk_sys's multiplexers are glitchless, and clk_peri is stopped before its
 * source changes.  Each step is written so that a warm start (a debugger
 * reset of the core only, the watchdog) that finds the clocks in another
 * state still ends in the same one.
 */
#include <kernel/mmio.h>
#include "rp2040.h"

/* Atomic aliases of every APB register: writes set or clear the bits given. */
#define ALIAS_SET		0x2000
#define ALIAS_CLR		0x3000

#define CLOCKS_BASE		0x40008000
#define CLK_REF_CTRL		0x30
#define CLK_REF_DIV		0x34
#define CLK_REF_SELECTED	0x38
#define CLK_SYS_CTRL		0x3c
#define CLK_SYS_DIV		0x40
#define CLK_SYS_SELECTED	0x44
#define CLK_PERI_CTRL		0x48
#define CLK_SYS_RESUS_CTRL	0x78

#define CLK_REF_SRC_XOSC	2		/* CTRL.SRC; SELECTED is one-hot in it */
#define CLK_SYS_SRC_CLK_REF	0
#define CLK_PERI_ENABLE		(1u << 11)
#define CLK_PERI_AUX_CLK_SYS	(0u << 5)
#define CLK_DIV_1		(1u << 8)	/* DIV.INT = 1, no fraction */

#define RESETS_BASE		0x4000c000
#define RESETS_RESET		0x0
#define RESETS_DONE		0x8

#define IO_BANK0_BASE		0x40014000
#define GPIO_CTRL(n)		(0x04 + 8 * (n))

#define PADS_BANK0_BASE		0x4001c000
#define PAD_GPIO(n)		(0x04 + 4 * (n))
#define PAD_IE			(1u << 6)	/* input enable */
#define PAD_DRIVE_4MA		(1u << 4)
#define PAD_PUE			(1u << 3)
#define PAD_SCHMITT		(1u << 1)

#define XOSC_BASE		0x40024000
#define XOSC_CTRL		0x00
#define XOSC_STATUS		0x04
#define XOSC_STARTUP		0x0c
#define XOSC_CTRL_1_15MHZ	0xaa0		/* FREQ_RANGE: 1-15 MHz crystals */
#define XOSC_CTRL_ENABLE	(0xfabu << 12)
#define XOSC_STATUS_STABLE	(1u << 31)
/*
 * STARTUP.DELAY counts 256 crystal cycles before STABLE.  The datasheet's
 * example waits 1 ms; 10 ms gives slow-starting crystals margin, once.
 */
#define XOSC_STARTUP_MS		10

#define WATCHDOG_BASE		0x40058000
#define WATCHDOG_TICK		0x2c
#define WATCHDOG_TICK_ENABLE	(1u << 9)

static uint32_t clk_sys_hz;

static void
xosc_start(uint32_t hz)
{
	uint32_t delay = (hz / 1000 * XOSC_STARTUP_MS + 255) / 256;

	mmio_write32(XOSC_BASE + XOSC_STARTUP, delay);
	mmio_write32(XOSC_BASE + XOSC_CTRL, XOSC_CTRL_ENABLE | XOSC_CTRL_1_15MHZ);
	while (!(mmio_read32(XOSC_BASE + XOSC_STATUS) & XOSC_STATUS_STABLE))
		;
}

static void
clocks_from_xosc(uint32_t hz)
{
	/* No resuscitation of clk_sys by the ring oscillator behind our back. */
	mmio_write32(CLOCKS_BASE + CLK_SYS_RESUS_CTRL, 0);

	/* clk_sys onto clk_ref first, so it follows clk_ref's switch below. */
	mmio_write32(CLOCKS_BASE + CLK_SYS_CTRL, CLK_SYS_SRC_CLK_REF);
	while (mmio_read32(CLOCKS_BASE + CLK_SYS_SELECTED) != (1u << CLK_SYS_SRC_CLK_REF))
		;
	mmio_write32(CLOCKS_BASE + CLK_REF_DIV, CLK_DIV_1);
	mmio_write32(CLOCKS_BASE + CLK_REF_CTRL, CLK_REF_SRC_XOSC);
	while (mmio_read32(CLOCKS_BASE + CLK_REF_SELECTED) != (1u << CLK_REF_SRC_XOSC))
		;
	mmio_write32(CLOCKS_BASE + CLK_SYS_DIV, CLK_DIV_1);

	/*
	 * clk_peri has no glitchless multiplexer: stop it, let a few cycles
	 * of whatever it ran from pass, then start it on clk_sys.
	 */
	mmio_write32(CLOCKS_BASE + CLK_PERI_CTRL, 0);
	for (volatile int i = 0; i < 16; i++)
		;
	mmio_write32(CLOCKS_BASE + CLK_PERI_CTRL, CLK_PERI_ENABLE | CLK_PERI_AUX_CLK_SYS);

	/* The TIMER counts microseconds: ticks of clk_ref / (hz / 1 MHz). */
	mmio_write32(WATCHDOG_BASE + WATCHDOG_TICK, WATCHDOG_TICK_ENABLE | (hz / 1000000));
	clk_sys_hz = hz;
}

/* Through reset and out again, so a warm start finds them as after power-on. */
static void
blocks_unreset(uint32_t mask)
{
	mmio_write32(RESETS_BASE + ALIAS_SET + RESETS_RESET, mask);
	mmio_write32(RESETS_BASE + ALIAS_CLR + RESETS_RESET, mask);
	while ((mmio_read32(RESETS_BASE + RESETS_DONE) & mask) != mask)
		;
}

static void
pin_setup(const struct rp2040_pin *p)
{
	mmio_write32(PADS_BANK0_BASE + PAD_GPIO(p->gpio),
		     PAD_IE | PAD_DRIVE_4MA | PAD_SCHMITT | (p->pull_up ? PAD_PUE : 0));
	mmio_write32(IO_BANK0_BASE + GPIO_CTRL(p->gpio), p->func);
}

void
rp2040_init(const struct rp2040_board *b)
{
	xosc_start(b->xosc_hz);
	/* Clocks before resets: a block leaves reset only with its clock running. */
	clocks_from_xosc(b->xosc_hz);
	blocks_unreset(b->unreset);
	for (unsigned int i = 0; i < b->nr_pins; i++)
		pin_setup(&b->pins[i]);
}

uint32_t
rp2040_clk_sys_hz(void)
{
	return clk_sys_hz;
}
