/*
 * 16550A-compatible UART: polled transmit for the console, and (with
 * CONFIG_TTY) interrupt-driven receive for its terminal, ttyS<n>
 * (4:64+n): the received-data and line-status interrupts drain the
 * receiver into the tty layer's buffer, overruns (LSR's OE) are counted;
 * OUT2 is raised so that a PC routes the interrupt.  On a PC it
 * sits in I/O port space (matched by its PnP id PNP0501); elsewhere it is
 * memory-mapped with a register stride ("ns16550a").  Every register
 * access goes through uart_read/uart_write so both share the driver.
 */
#define pr_fmt(fmt) "ns16550: " fmt

#include <string.h>
#include <kernel/chrdev.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/mmio.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/stat.h>
#include <kernel/tty.h>
#include <arch/io.h>

#define UART_RBR	0	/* receive buffer (DLAB = 0, read) */
#define UART_THR	0	/* transmit holding (DLAB = 0) */
#define UART_DLL	0	/* divisor latch low (DLAB = 1) */
#define UART_IER	1
#define UART_DLM	1
#define UART_IIR	2	/* read */
#define UART_FCR	2	/* write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7

#define IIR_FIFO_MASK	0xc0	/* both set: 16550A with working FIFOs */
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define FCR_CLEAR_TX	0x04
#define FCR_TRIGGER_14	0xc0
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT2	0x08	/* a PC's gate for the interrupt line */
#define IER_RDI		0x01	/* received data available */
#define IER_RLSI	0x04	/* receiver line status (overrun) */
#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_THRE	0x20

#define BAUD		115200

struct ns16550 {
	uintptr_t base;
	bool pio;		/* I/O ports rather than memory */
	unsigned int shift;	/* register stride, log2 bytes (MMIO) */
	unsigned int width;	/* access width in bytes (MMIO): 1 or 4 */
	struct console console;
#ifdef CONFIG_TTY
	const struct device *dev;
	struct tty_port tty;
	char name[12];			/* "ttyS0" */
#endif
};

static struct ns16550 ports[4];
static unsigned int nr_ports;

static uint8_t
uart_read(const struct ns16550 *u, unsigned int reg)
{
	uintptr_t a = u->base + (reg << u->shift);

#ifdef CONFIG_ARCH_HAS_PORT_IO
	if (u->pio)
		return inb((uint16_t)(u->base + reg));
#endif
	return u->width == 4 ? (uint8_t)mmio_read32(a) : mmio_read8(a);
}

static void
uart_write(const struct ns16550 *u, unsigned int reg, uint8_t v)
{
	uintptr_t a = u->base + (reg << u->shift);

#ifdef CONFIG_ARCH_HAS_PORT_IO
	if (u->pio) {
		outb((uint16_t)(u->base + reg), v);
		return;
	}
#endif
	if (u->width == 4)
		mmio_write32(a, v);
	else
		mmio_write8(a, v);
}

static void
uart_putc(const struct ns16550 *u, char c)
{
	while (!(uart_read(u, UART_LSR) & LSR_THRE))
		;
	uart_write(u, UART_THR, (uint8_t)c);
}

static void
ns16550_write(struct console *con, const char *s, size_t len)
{
	const struct ns16550 *u = con->priv;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc(u, '\r');
		uart_putc(u, s[i]);
	}
}

#ifdef CONFIG_TTY
/*
 * Drain the receiver into the terminal's buffer.  Reading LSR clears its
 * overrun bit; the console's transmit polling reads LSR too and may
 * swallow one, so an overrun can go uncounted, never a byte.
 */
static void
ns16550_irq(unsigned int irq, void *arg)
{
	struct ns16550 *u = arg;
	unsigned char buf[32];
	unsigned int overruns = 0, limit = 256;
	size_t n = 0;
	uint8_t lsr;

	while (((lsr = uart_read(u, UART_LSR)) & LSR_DR) && limit--) {
		if (lsr & LSR_OE)
			overruns++;
		buf[n++] = uart_read(u, UART_RBR);
		if (n == sizeof(buf)) {
			tty_port_receive(&u->tty, buf, n, overruns);
			n = 0;
			overruns = 0;
		}
	}
	if (n || overruns)
		tty_port_receive(&u->tty, buf, n, overruns);
}

static int
ns16550_startup(struct tty_port *tp)
{
	struct ns16550 *u = tp->priv;
	int irq = device_irq(u->dev, 0), err;

	if (irq < 0)
		return irq;
	err = irq_request((unsigned int)irq, ns16550_irq, u, tp->name);
	if (err)
		return err;
	uart_write(u, UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	uart_write(u, UART_IER, IER_RDI | IER_RLSI);
	(void)uart_read(u, UART_IIR);	/* bytes already there raise it anew */
	return 0;
}

/* The terminal's output: bytes as n_tty processed them, no translation. */
static void
ns16550_tty_write(struct tty_port *tp, const unsigned char *buf, size_t n)
{
	const struct ns16550 *u = tp->priv;

	for (size_t i = 0; i < n; i++)
		uart_putc(u, (char)buf[i]);
}

static const struct tty_port_ops ns16550_tty_ops = {
	.startup = ns16550_startup,
	.write = ns16550_tty_write,
};

static void
ns16550_tty_register(struct ns16550 *u, struct device *dev, unsigned int index)
{
	snprintf(u->name, sizeof(u->name), "ttyS%u", index);
	u->dev = dev;
	u->tty.name = u->name;
	u->tty.dev = MKDEV(TTY_MAJOR, 64 + index);
	u->tty.ops = &ns16550_tty_ops;
	u->tty.console = &u->console;
	u->tty.is_console = device_is_console(dev);
	u->tty.priv = u;
	if (tty_port_register(&u->tty))
		pr_warn("%s: no terminal for it (too many ports)\n", u->name);
}
#endif

/* The scratch register holds what we write unless nothing is there. */
static bool
uart_present(const struct ns16550 *u)
{
	uart_write(u, UART_SCR, 0x5a);
	if (uart_read(u, UART_SCR) != 0x5a)
		return false;
	uart_write(u, UART_SCR, 0xa5);
	return uart_read(u, UART_SCR) == 0xa5;
}

static int
ns16550_probe(struct device *dev)
{
	struct ns16550 *u;
	uint32_t clock = 0, v;
	unsigned int divisor = 0;
	bool fifo;

	if (dev->nr_reg < 1)
		return -EINVAL;
	if (nr_ports == ARRAY_SIZE(ports))
		return -ENOSPC;
	u = &ports[nr_ports];
	memset(u, 0, sizeof(*u));
	u->base = dev->reg[0].start;
	u->pio = strcmp(dev->compatible, "pnp,PNP0501") == 0;
	u->width = 1;
	if (!u->pio) {
		if (device_read_u32(dev, "reg-shift", &v) == 0 && v <= 2)
			u->shift = v;
		if (device_read_u32(dev, "reg-io-width", &v) == 0 && v == 4)
			u->width = 4;
	}
#ifndef CONFIG_ARCH_HAS_PORT_IO
	if (u->pio)
		return -ENODEV;		/* no I/O port space on this port */
#endif
	if (!uart_present(u))
		return -ENODEV;
	nr_ports++;
	dev->priv = u;

	/* 115200 8N1 from the input clock; without one, keep the loader's. */
	if (device_read_u32(dev, "clock-frequency", &clock) == 0 && clock >= 16 * BAUD)
		divisor = clock / (16 * BAUD);
	uart_write(u, UART_IER, 0);
	if (divisor) {
		uart_write(u, UART_LCR, LCR_DLAB);
		uart_write(u, UART_DLL, divisor & 0xff);
		uart_write(u, UART_DLM, (divisor >> 8) & 0xff);
	}
	uart_write(u, UART_LCR, LCR_8N1);
	uart_write(u, UART_FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX | FCR_TRIGGER_14);
	fifo = (uart_read(u, UART_IIR) & IIR_FIFO_MASK) == IIR_FIFO_MASK;
	if (!fifo)
		uart_write(u, UART_FCR, 0);
	uart_write(u, UART_MCR, MCR_DTR | MCR_RTS);

	u->console.name = dev->name;
	u->console.write = ns16550_write;
	u->console.priv = u;
	if (device_is_console(dev))
		console_register(&u->console);
#ifdef CONFIG_TTY
	ns16550_tty_register(u, dev, (unsigned int)(u - ports));
#endif
	pr_info("%s at %s %#lx, %s, %s%s\n", dev->name, u->pio ? "I/O" : "MMIO",
		(unsigned long)u->base, fifo ? "16550A" : "16450 (no FIFO)",
		divisor ? STRINGIFY(BAUD) " baud 8N1" : "8N1 at the loader's baud rate",
		device_is_console(dev) ? ", console" : "");
	return 0;
}

#if defined(CONFIG_ARCH_HAS_PORT_IO) && CONFIG_SERIAL_NS16550_FALLBACK_PORT
/* The board's usual COM port, as the firmware left it. */
static struct ns16550 fallback_port = {
	.base = CONFIG_SERIAL_NS16550_FALLBACK_PORT, .pio = true, .width = 1,
};

struct console *
fallback_console(void)
{
	fallback_port.console.name = "ns16550-fallback";
	fallback_port.console.write = ns16550_write;
	fallback_port.console.priv = &fallback_port;
	return &fallback_port.console;
}
#endif

static const char *const ns16550_compatible[] = {
	"pnp,PNP0501", "ns16550a", "ns16550", NULL
};

DRIVER(ns16550_driver) = {
	.name = "ns16550",
	.compatible = ns16550_compatible,
	.probe = ns16550_probe,
};
