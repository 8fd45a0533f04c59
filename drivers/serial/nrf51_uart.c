/*
 * Nordic nRF51 UART: polled transmit for the console, and its receive
 * interrupt handing typed bytes to console_input() (Ctrl-T: the thread
 * list).  The UART is a task/event peripheral: STARTTX starts the
 * transmitter, each byte written to TXD raises EVENTS_TXDRDY once it has
 * gone out; STARTRX the receiver, each byte arriving in RXD raises
 * EVENTS_RXDRDY.  Both ENABLE and STARTTX are needed before TXDRDY ever
 * fires.
 */
#define pr_fmt(fmt) "nrf51-uart: " fmt

#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>

#define UART_STARTRX		0x000
#define UART_STARTTX		0x008
#define UART_EVENTS_RXDRDY	0x108
#define UART_EVENTS_TXDRDY	0x11c
#define UART_INTENSET		0x304
#define UART_INTENCLR		0x308
#define UART_ENABLE		0x500
#define UART_PSELTXD		0x50c
#define UART_PSELRXD		0x514
#define UART_RXD		0x518
#define UART_TXD		0x51c
#define UART_BAUDRATE		0x524
#define UART_CONFIG		0x56c

#define ENABLE_UART		4
#define INT_RXDRDY		(1u << 2)
#define BAUD_115200		0x01d7e000

struct nrf51_uart {
	uintptr_t base;
	struct console console;
};

static struct nrf51_uart uart;

static void
nrf51_uart_putc(uintptr_t base, char c)
{
	mmio_write32(base + UART_EVENTS_TXDRDY, 0);
	mmio_write32(base + UART_TXD, (uint8_t)c);
	while (!mmio_read32(base + UART_EVENTS_TXDRDY))
		;
}

static void
nrf51_uart_write(struct console *con, const char *s, size_t len)
{
	struct nrf51_uart *u = con->priv;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			nrf51_uart_putc(u->base, '\r');
		nrf51_uart_putc(u->base, s[i]);
	}
}

/* Each byte received (the event stays set while RXD holds more). */
static void
nrf51_uart_irq(unsigned int irq, void *arg)
{
	struct nrf51_uart *u = arg;

	while (mmio_read32(u->base + UART_EVENTS_RXDRDY)) {
		mmio_write32(u->base + UART_EVENTS_RXDRDY, 0);
		console_input((char)mmio_read32(u->base + UART_RXD));
	}
}

static int
nrf51_uart_probe(struct device *dev)
{
	if (dev->nr_reg < 1 || dev->reg[0].size < UART_CONFIG + 4)
		return -EINVAL;
	if (uart.base)
		return -ENOSPC;		/* the nRF51 has one UART */
	uart.base = dev->reg[0].start;
	dev->priv = &uart;

	/* 115200 8N1 on the board's pins, no interrupts (polled console). */
	mmio_write32(uart.base + UART_INTENCLR, 0xffffffff);
	mmio_write32(uart.base + UART_PSELTXD, CONFIG_SERIAL_NRF51_TX_PIN);
	mmio_write32(uart.base + UART_PSELRXD, CONFIG_SERIAL_NRF51_RX_PIN);
	mmio_write32(uart.base + UART_BAUDRATE, BAUD_115200);
	mmio_write32(uart.base + UART_CONFIG, 0);
	mmio_write32(uart.base + UART_ENABLE, ENABLE_UART);
	mmio_write32(uart.base + UART_STARTTX, 1);
	mmio_write32(uart.base + UART_STARTRX, 1);

	if (device_is_console(dev)) {
		int irq = device_irq(dev, 0);

		uart.console.name = dev->name;
		uart.console.write = nrf51_uart_write;
		uart.console.priv = &uart;
		console_register(&uart.console);
		if (irq >= 0 && irq_request((unsigned int)irq, nrf51_uart_irq, &uart, dev->name) == 0)
			mmio_write32(uart.base + UART_INTENSET, INT_RXDRDY);
		else
			pr_warn("%s: no receive interrupt: typed keys are ignored\n", dev->name);
	}
	pr_info("%s at %#lx, 115200 baud, tx pin %d%s\n", dev->name,
		(unsigned long)uart.base, CONFIG_SERIAL_NRF51_TX_PIN,
		device_is_console(dev) ? ", console" : "");
	return 0;
}

static const char *const nrf51_uart_compatible[] = { "nordic,nrf51-uart", NULL };

DRIVER(nrf51_uart_driver) = {
	.name = "nrf51-uart",
	.compatible = nrf51_uart_compatible,
	.probe = nrf51_uart_probe,
};
