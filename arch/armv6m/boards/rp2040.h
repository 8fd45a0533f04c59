/*
 * The RP2040 set-up shared by RP2040 boards (rp2040.c): a board file
 * fills in a struct rp2040_board (its crystal, the blocks it uses, its
 * pins) and calls rp2040_init() from board_early_init().
 */
#ifndef ARCH_ARMV6M_BOARDS_RP2040_H
#define ARCH_ARMV6M_BOARDS_RP2040_H

#include <kernel/types.h>

/* Peripheral base addresses (RP2040 datasheet, address map). */
#define RP2040_UART0_BASE	0x40034000
#define RP2040_UART1_BASE	0x40038000
#define RP2040_TIMER_BASE	0x40054000

/* Interrupt lines on the NVIC (the same on both cores). */
#define RP2040_IRQ_TIMER0	0
#define RP2040_IRQ_UART0	20
#define RP2040_IRQ_UART1	21

/* RESETS.RESET bits of the blocks a board can ask to be taken out of reset. */
#define RP2040_RESET_IO_BANK0	(1u << 5)
#define RP2040_RESET_PADS_BANK0	(1u << 8)
#define RP2040_RESET_TIMER	(1u << 21)
#define RP2040_RESET_UART0	(1u << 22)
#define RP2040_RESET_UART1	(1u << 23)

/* IO_BANK0 GPIOn_CTRL.FUNCSEL values. */
#define RP2040_FUNC_UART	2
#define RP2040_FUNC_SIO		5

struct rp2040_pin {
	uint8_t gpio;			/* 0-29 */
	uint8_t func;			/* RP2040_FUNC_* */
	bool pull_up;			/* else no pull (an idle-high input wants one) */
};

struct rp2040_board {
	/*
	 * The crystal: clk_ref, clk_sys and clk_peri all run from it
	 * undivided, and the watchdog's tick (hence the TIMER's
	 * microseconds) is divided down from it.  A whole number of MHz.
	 */
	uint32_t xosc_hz;
	uint32_t unreset;		/* RP2040_RESET_* of the blocks used */
	const struct rp2040_pin *pins;
	unsigned int nr_pins;
};

/* Clocks from the crystal, blocks out of reset, pin functions. */
void rp2040_init(const struct rp2040_board *b);

/* clk_sys as rp2040_init() set it up (0 before). */
uint32_t rp2040_clk_sys_hz(void);

#endif
