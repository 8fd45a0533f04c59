/*
 * Interrupt numbers on the ARMv6-M NVIC chip (drivers/irqchip/nvic.c),
 * shared by the board tables and the driver: 0-31 are the external
 * interrupt lines (exceptions 16-47); SysTick, an exception without an
 * NVIC line, is the pseudo-interrupt after them.
 */
#ifndef DRIVERS_NVIC_H
#define DRIVERS_NVIC_H

#define NVIC_NR_LINES		32
#define NVIC_IRQ_SYSTICK	NVIC_NR_LINES
#define NVIC_NR_IRQS		(NVIC_NR_LINES + 1)

#endif
