/*
 * ARM PrimeCell PL011 UART: polled transmit for the console, and (with
 * CONFIG_TTY) interrupt-driven receive for its terminal, ttyAMA<n>
 * (204:64+n): the receive and receive-timeout interrupts drain the FIFO
 * into the tty layer's buffer, overruns (DR's OE bit) are counted.  Line
 * settings are forced to 8N1 with FIFOs.  The baud rate is the boot
 * loader's, unless the board gives the UART's reference clock
 * ("clock-frequency": the board table's clock_hz, e.g. the RP2040's
 * clk_peri, where no boot loader set one): then 115200.
 */
#define pr_fmt(fmt) "pl011: " fmt

#include <kernel/chrdev.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/mmio.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/stat.h>
#include <kernel/tty.h>

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_IBRD	0x24
#define UART_FBRD	0x28
#define UART_LCRH	0x2c
#define UART_CR		0x30
#define UART_IMSC	0x38
#define UART_ICR	0x44

#define DR_OE		(1u << 11)	/* overrun: data was lost before this byte */
#define FR_RXFE		(1u << 4)
#define FR_TXFF		(1u << 5)
#define FR_BUSY		(1u << 3)
#define LCRH_WLEN8	(3u << 5)
#define LCRH_FEN	(1u << 4)
#define CR_UARTEN	(1u << 0)
#define CR_TXE		(1u << 8)
#define CR_RXE		(1u << 9)
#define INT_RX		(1u << 4)	/* receive FIFO at its trigger level */
#define INT_RT		(1u << 6)	/* receive timeout: bytes wait below it */
#define INT_OE		(1u << 10)	/* overrun */
#define INT_ALL		0x7ffu

#define BAUD		115200

struct pl011 {
	uintptr_t base;
	struct console console;
#ifdef CONFIG_TTY
	const struct device *dev;
	struct tty_port tty;
	char name[12];			/* "ttyAMA0" */
#endif
};

static struct pl011 ports[2];
static unsigned int nr_ports;

static void
pl011_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + UART_FR) & FR_TXFF)
		;
	mmio_write32(base + UART_DR, (uint8_t)c);
}

static void
pl011_write(struct console *con, const char *s, size_t len)
{
	struct pl011 *p = con->priv;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			pl011_putc(p->base, '\r');
		pl011_putc(p->base, s[i]);
	}
}

/*
 * Drain the receive FIFO: into the terminal's buffer, or without
 * terminals (the RTOS profile) byte by byte to console_input().
 */
static void
pl011_irq(unsigned int irq, void *arg)
{
	struct pl011 *p = arg;
#ifdef CONFIG_TTY
	unsigned char buf[32];
	unsigned int overruns = 0;
	size_t n = 0;
#endif

	mmio_write32(p->base + UART_ICR, INT_RX | INT_RT | INT_OE);
	while (!(mmio_read32(p->base + UART_FR) & FR_RXFE)) {
		uint32_t d = mmio_read32(p->base + UART_DR);

#ifdef CONFIG_TTY
		if (d & DR_OE)
			overruns++;
		buf[n++] = (unsigned char)d;
		if (n == sizeof(buf)) {
			tty_port_receive(&p->tty, buf, n, overruns);
			n = 0;
			overruns = 0;
		}
#else
		console_input((char)d);
#endif
	}
#ifdef CONFIG_TTY
	if (n || overruns)
		tty_port_receive(&p->tty, buf, n, overruns);
#endif
}

/* Receive interrupts on: the device's first interrupt, to pl011_irq(). */
static int
pl011_rx_start(struct pl011 *p, const struct device *dev, const char *name)
{
	int irq = device_irq(dev, 0), err;

	if (irq < 0)
		return irq;
	mmio_write32(p->base + UART_ICR, INT_ALL);
	err = irq_request((unsigned int)irq, pl011_irq, p, name);
	if (err)
		return err;
	/* Bytes already waiting raise the receive timeout. */
	mmio_write32(p->base + UART_IMSC, INT_RX | INT_RT | INT_OE);
	return 0;
}

#ifdef CONFIG_TTY
static int
pl011_startup(struct tty_port *tp)
{
	struct pl011 *p = tp->priv;

	return pl011_rx_start(p, p->dev, tp->name);
}

/* The terminal's output: bytes as n_tty processed them, no translation. */
static void
pl011_tty_write(struct tty_port *tp, const unsigned char *buf, size_t n)
{
	struct pl011 *p = tp->priv;

	for (size_t i = 0; i < n; i++)
		pl011_putc(p->base, (char)buf[i]);
}

static const struct tty_port_ops pl011_tty_ops = {
	.startup = pl011_startup,
	.write = pl011_tty_write,
};

static void
pl011_tty_register(struct pl011 *p, struct device *dev, unsigned int index)
{
	snprintf(p->name, sizeof(p->name), "ttyAMA%u", index);
	p->dev = dev;
	p->tty.name = p->name;
	p->tty.dev = MKDEV(AMBA_MAJOR, 64 + index);
	p->tty.ops = &pl011_tty_ops;
	p->tty.console = &p->console;
	p->tty.is_console = device_is_console(dev);
	p->tty.priv = p;
	if (tty_port_register(&p->tty))
		pr_warn("%s: no terminal for it (too many ports)\n", p->name);
}
#endif

/*
 * The divisor UARTCLK / (16 * baud) in 16.6 fixed point, rounded: IBRD
 * takes the integer part (1 to 65535), FBRD the 64ths.  0 when the clock
 * cannot make the rate.
 */
static uint32_t
pl011_divisor(uint32_t clk, uint32_t baud)
{
	uint32_t div = (uint32_t)(((uint64_t)clk * 4 + baud / 2) / baud);

	return (div >> 6) >= 1 && (div >> 6) <= 0xffff ? div : 0;
}

static int
pl011_probe(struct device *dev)
{
	struct pl011 *p;
	uint32_t clk = 0, div = 0;

	if (dev->nr_reg < 1 || dev->reg[0].size < 0x48)
		return -EINVAL;
	if (device_read_u32(dev, "clock-frequency", &clk) == 0) {
		div = pl011_divisor(clk, BAUD);
		if (!div) {
			pr_err("%s: cannot make %u baud from a %u Hz clock\n", dev->name,
			       (unsigned int)BAUD, (unsigned int)clk);
			return -EINVAL;
		}
	}
	if (nr_ports == sizeof(ports) / sizeof(ports[0]))
		return -ENOSPC;
	p = &ports[nr_ports];
	p->base = ioremap(dev->reg[0].start, dev->reg[0].size);
	if (!p->base)
		return -ENOMEM;
	nr_ports++;
	dev->priv = p;

	/*
	 * Let the FIFO drain, then reprogram the line; the baud only when the
	 * board gave the clock (IBRD/FBRD take effect on the LCRH write).
	 */
	while (mmio_read32(p->base + UART_FR) & FR_BUSY)
		;
	mmio_write32(p->base + UART_CR, 0);
	mmio_write32(p->base + UART_IMSC, 0);
	if (div) {
		mmio_write32(p->base + UART_IBRD, div >> 6);
		mmio_write32(p->base + UART_FBRD, div & 63);
	}
	mmio_write32(p->base + UART_LCRH, LCRH_WLEN8 | LCRH_FEN);
	mmio_write32(p->base + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);

	p->console.name = dev->name;
	p->console.write = pl011_write;
	p->console.priv = p;
	if (device_is_console(dev))
		console_register(&p->console);
#ifdef CONFIG_TTY
	pl011_tty_register(p, dev, (unsigned int)(p - ports));
#else
	if (device_is_console(dev) && pl011_rx_start(p, dev, dev->name))
		pr_warn("%s: no receive interrupt: typed keys are ignored\n", dev->name);
#endif
	if (div)
		pr_info("%s at %#lx, %u baud from a %u Hz clock (divisor %u + %u/64)%s\n",
			dev->name, (unsigned long)dev->reg[0].start, (unsigned int)BAUD,
			(unsigned int)clk, (unsigned int)(div >> 6), (unsigned int)(div & 63),
			device_is_console(dev) ? ", console" : "");
	else
		pr_info("%s at %#lx%s\n", dev->name, (unsigned long)dev->reg[0].start,
			device_is_console(dev) ? ", console" : "");
	return 0;
}

#if CONFIG_SERIAL_PL011_FALLBACK_BASE
/* The board's usual console UART at its configured address. */
static struct pl011 fallback_port;

struct console *
fallback_console(void)
{
	if (!fallback_port.base)
		fallback_port.base = ioremap(CONFIG_SERIAL_PL011_FALLBACK_BASE, 0x1000);
	if (!fallback_port.base)
		return NULL;
	fallback_port.console.name = "pl011-fallback";
	fallback_port.console.write = pl011_write;
	fallback_port.console.priv = &fallback_port;
	return &fallback_port.console;
}
#endif

static const char *const pl011_compatible[] = { "arm,pl011", NULL };

DRIVER(pl011_driver) = {
	.name = "pl011",
	.compatible = pl011_compatible,
	.probe = pl011_probe,
};
