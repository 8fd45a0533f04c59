/*
 * Serial terminals: what a UART driver gives the tty layer
 * (drivers/tty/) so that programs can use it through its device node
 * (ttyAMA0, ttyS0), /dev/console when it is the kernel console, and
 * /dev/tty as a process's controlling terminal.
 *
 * Input: the driver's receive interrupt hands the bytes it read to
 * tty_port_receive(); they wait in the port's flip buffer (rx) until the
 * line discipline (<kernel/n_tty.h>) has room, which processes them at
 * once: echo, line editing, ^C.  Output: n_tty's processed bytes go to
 * the driver's write(), polled.
 *
 * port.lock (irqsave: the receive interrupt takes it) guards everything
 * below it in struct tty_port: the flip buffer, the line discipline, the
 * window size, the session and foreground group, and the reader/writer
 * ownership.  Lock order: tasklist_lock, then port.lock; signals are sent
 * after port.lock is dropped.  port.open_mutex serialises startup.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <kernel/n_tty.h>
#include <kernel/printk.h>
#include <kernel/ringbuf.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/sync.h>
#include <kernel/termios.h>
#include <kernel/types.h>
#include <kernel/wait.h>

#define TTY_RX_SIZE	4096		/* flip buffer: bytes n_tty has no room for yet */

struct file;
struct process;
struct tty_port;

struct tty_port_ops {
	/*
	 * The first open: start receiving (request the interrupt, enable
	 * the receive interrupts).  0 or a negative errno (the port then
	 * stays open for output, without input).
	 */
	int (*startup)(struct tty_port *port);
	/*
	 * Send n bytes as they are (no newline translation: n_tty did the
	 * output processing), polled; any context, the port lock held.
	 * Without it output goes through the console, which turns "\n"
	 * into "\r\n" itself.
	 */
	void (*write)(struct tty_port *port, const unsigned char *buf, size_t n);
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
	struct n_tty ldisc;		/* lock */
	struct winsize winsize;		/* lock */
	pid_t session;			/* lock (set under tasklist_lock too): 0 none */
	pid_t pgrp;			/* lock (likewise): the foreground group, 0 none */
	unsigned long hangups;		/* lock: files opened before the last are dead */
	unsigned int opens;		/* lock: open files (none: input is ignored) */
	bool exclusive;			/* lock: TIOCEXCL */
	bool reading, writing;		/* lock: a read/write call owns its side */
	struct wait_queue read_wait;	/* input, or the read side freed */
	struct wait_queue write_wait;	/* output restarted, or the write side freed */
	struct mutex open_mutex;
	bool started;			/* open_mutex: startup() ran */
	int start_error;		/* open_mutex: what it returned */
};

/*
 * An open terminal file (file->priv): the port, how it was opened, and
 * the port's hangup count then (a hangup kills the files open on it:
 * reads see end of file, writes EIO).  /dev/console files survive
 * hangups and skip job control, as Linux's redirected console does.
 */
struct tty_file {
	struct tty_port *port;
	unsigned long hangups;
	bool console;
};

/*
 * A driver's probe registers each port (no allocation: it may run before
 * the memory allocator); tty_init() later makes its device node.
 */
int tty_port_register(struct tty_port *port);

/*
 * The receive path, from the interrupt handler (or a test): n bytes read
 * from the UART and how many it says it lost before them.  The line
 * discipline takes them at once (echo, ^C) as far as it has room; the
 * rest waits in the flip buffer, and what does not fit there is dropped
 * and counted like overruns, both reported on the log at most once a
 * second as Linux does ("ttyS0: 1 input overrun(s)").
 */
void tty_port_receive(struct tty_port *port, const unsigned char *buf, size_t n,
		      unsigned int overruns);

/* The port behind /dev/console, or NULL. */
struct tty_port *tty_console_port(void);

/* chr_dev_init(): /dev/tty, /dev/console and every registered port. */
void tty_init(void);

/*
 * The ioctls of a terminal file with the argument in kernel memory: buf
 * points to what the user pointer would (a termios, a winsize, an int),
 * arg is the value for those taking one (TCFLSH, TCXONC, TIOCSCTTY,
 * TCSBRK).  tty_ioctl() is the file operation: it copies between user
 * memory and buf around this.  In-kernel tests call it directly.
 */
long tty_kernel_ioctl(struct file *f, unsigned int cmd, unsigned long arg, void *buf);

/*
 * The calling process exits (on_exit 1: do_exit calls it once the files
 * are closed, as Linux after exit_files, while the process still counts
 * in its group, tasklist_lock not held) or gives up its terminal
 * (TIOCNOTTY, 0):
 * when it leads its session, its controlling terminal is hung up as
 * Linux's disassociate_ctty() does: on exit the foreground group gets
 * SIGHUP and the terminal's files die; on TIOCNOTTY the foreground group
 * gets SIGHUP and SIGCONT.  Either way every process of the session loses
 * the terminal and the terminal its session.  No-op for other processes.
 */
#if defined(CONFIG_TTY) && defined(CONFIG_PROCESSES)
void disassociate_ctty(int on_exit);
#else
static inline void disassociate_ctty(int on_exit) { }
#endif

#endif
