/*
 * ARM CMSDK APB UART (the MPS2 boards' UARTs, Cortex-M System Design
 * Kit): polled transmit for the console, and the receive interrupt (the
 * board's first interrupt line of the UART) handing typed bytes to
 * console_input() (Ctrl-T: the thread list).  A one-byte transmit holding
 * register: STATE.TXFULL is set while a byte waits, so the console waits
 * for it to clear before each write.  The baud divisor is PCLK / baud and
 * must be at least 16, or the UART sends nothing (QEMU models that too).
 */
#define pr_fmt(fmt) "cmsdk-uart: " fmt

#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>

#define UART_DATA		0x000
#define UART_STATE		0x004
#define UART_CTRL		0x008
#define UART_INTCLEAR		0x00c
#define UART_BAUDDIV		0x010

#define STATE_TXFULL		(1u << 0)
#define STATE_RXFULL		(1u << 1)
#define CTRL_TX_EN		(1u << 0)
#define CTRL_RX_EN		(1u << 1)
#define CTRL_RX_INTEN		(1u << 3)
#define INT_RX			(1u << 1)

#define BAUD			115200
#define BAUDDIV_MIN		16

struct cmsdk_uart {
	uintptr_t base;
	struct console console;
};

static struct cmsdk_uart uart;		/* the console's; one is enough */

static void
cmsdk_uart_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + UART_STATE) & STATE_TXFULL)
		;
	mmio_write32(base + UART_DATA, (uint8_t)c);
}

static void
cmsdk_uart_write(struct console *con, const char *s, size_t len)
{
	struct cmsdk_uart *u = con->priv;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			cmsdk_uart_putc(u->base, '\r');
		cmsdk_uart_putc(u->base, s[i]);
	}
}

static void
cmsdk_uart_irq(unsigned int irq, void *arg)
{
	struct cmsdk_uart *u = arg;

	mmio_write32(u->base + UART_INTCLEAR, INT_RX);
	while (mmio_read32(u->base + UART_STATE) & STATE_RXFULL)
		console_input((char)mmio_read32(u->base + UART_DATA));
}

static int
cmsdk_uart_probe(struct device *dev)
{
	uint32_t pclk = 0, div;
	int irq;

	if (dev->nr_reg < 1 || dev->reg[0].size < UART_BAUDDIV + 4)
		return -EINVAL;
	if (!device_is_console(dev))
		return -ENODEV;		/* only the console is driven, polled */
	if (uart.base)
		return -ENOSPC;
	if (device_read_u32(dev, "clock-frequency", &pclk) || pclk / BAUD < BAUDDIV_MIN) {
		pr_err("%s: needs its APB clock, at least %u Hz (got %u)\n", dev->name,
		       BAUD * BAUDDIV_MIN, (unsigned int)pclk);
		return -EINVAL;
	}
	div = pclk / BAUD;
	uart.base = dev->reg[0].start;
	dev->priv = &uart;

	/* 115200 baud, transmitter and receiver on, interrupts off until requested. */
	mmio_write32(uart.base + UART_CTRL, 0);
	mmio_write32(uart.base + UART_INTCLEAR, 0xf);
	mmio_write32(uart.base + UART_BAUDDIV, div);
	mmio_write32(uart.base + UART_CTRL, CTRL_TX_EN | CTRL_RX_EN);

	uart.console.name = dev->name;
	uart.console.write = cmsdk_uart_write;
	uart.console.priv = &uart;
	console_register(&uart.console);
	irq = device_irq(dev, 0);		/* receive */
	if (irq >= 0 && irq_request((unsigned int)irq, cmsdk_uart_irq, &uart, dev->name) == 0)
		mmio_write32(uart.base + UART_CTRL, CTRL_TX_EN | CTRL_RX_EN | CTRL_RX_INTEN);
	else
		pr_warn("%s: no receive interrupt: typed keys are ignored\n", dev->name);
	pr_info("%s at %#lx, %u baud (divisor %u), console\n", dev->name,
		(unsigned long)uart.base, (unsigned int)BAUD, (unsigned int)div);
	return 0;
}

static const char *const cmsdk_uart_compatible[] = { "arm,cmsdk-uart", NULL };

DRIVER(cmsdk_uart_driver) = {
	.name = "cmsdk-uart",
	.compatible = cmsdk_uart_compatible,
	.probe = cmsdk_uart_probe,
};
