/*
 * Serial terminals: what a UART driver gives the tty layer
 * (drivers/tty/tty_io.c) so that programs can read and write it through
 * its device node (ttyAMA0, ttyS0), /dev/console when it is the kernel
 * console, and /dev/tty for a process's controlling terminal.
 *
 * Input: the driver's receive interrupt hands the bytes it read to
 * tty_port_receive(); they wait in the port's ring buffer until read(2)
 * takes them.  No line discipline yet: reads return raw bytes, as they
 * come, at least one (blocking until there is one, or -EAGAIN with
 * O_NONBLOCK).  Output is polled, through the port's console.
 *
 * port.lock guards rx, overruns and the report time; it is taken in the
 * receive interrupt (irqsave).  port.open_mutex serialises startup.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <kernel/printk.h>
#include <kernel/ringbuf.h>
#include <kernel/spinlock.h>
#include <kernel/sync.h>
#include <kernel/types.h>
#include <kernel/wait.h>

#define TTY_RX_SIZE	4096		/* bytes waiting to be read (n_tty's buffer) */

struct tty_port;

struct tty_port_ops {
	/*
	 * The first open: start receiving (request the interrupt, enable
	 * the receive interrupts).  0 or a negative errno (the port then
	 * stays open for output, without input).
	 */
	int (*startup)(struct tty_port *port);
};

struct tty_port {
	/* Filled by the driver before tty_port_register(). */
	const char *name;		/* the node: "ttyAMA0", "ttyS0" */
	dev_t dev;			/* Linux's numbers: 204:64, 4:64 */
	const struct tty_port_ops *ops;
	struct console *console;	/* polled output to the port */
	bool is_console;		/* the kernel console: /dev/console */
	void *priv;			/* the driver's */

	/* The tty layer's. */
	struct spinlock lock;
	struct ringbuf rx;		/* lock */
	unsigned char rx_buf[TTY_RX_SIZE];
	unsigned long overruns;		/* lock: bytes the UART lost (FIFO overrun) */
	unsigned long reported;		/* lock: overruns + dropped already reported */
	uint64_t report_ns;		/* lock: time of the last report */
	struct wait_queue read_wait;	/* readers waiting for input */
	struct mutex open_mutex;
	bool started;			/* open_mutex: startup() ran */
	int start_error;		/* open_mutex: what it returned */
};

/*
 * A driver's probe registers each port (no allocation: it may run before
 * the memory allocator); tty_init() later makes its device node.
 */
int tty_port_register(struct tty_port *port);

/*
 * The receive path, from the interrupt handler (or a test): n bytes read
 * from the UART and how many it says it lost before them.  Wakes readers;
 * bytes beyond the buffer are dropped and counted like overruns, and
 * both are reported on the log at most once a second as Linux does
 * ("ttyS0: 1 input overrun(s)").
 */
void tty_port_receive(struct tty_port *port, const unsigned char *buf, size_t n,
		      unsigned int overruns);

/* The port behind /dev/console, or NULL. */
struct tty_port *tty_console_port(void);

/* chr_dev_init(): /dev/tty, /dev/console and every registered port. */
void tty_init(void);

#endif
