/*
 * The terminal devices: each serial port's node (ttyAMA0 204:64, ttyS0
 * 4:64 ...), /dev/console (5:1, the port that is the kernel console) and
 * /dev/tty (5:0, the caller's controlling terminal), over the N_TTY line
 * discipline (n_tty.c):
 *
 *   receive  the UART interrupt's bytes go through n_tty at once (echo,
 *            editing, ^C to the foreground group); what it has no room
 *            for waits in the flip buffer until a read makes room
 *   read     canonical lines, or VMIN/VTIME's four cases; O_NONBLOCK
 *            -EAGAIN; a signal -ERESTARTSYS; background readers SIGTTIN
 *   write    OPOST processing, polled; stopped output (^S, TCOOFF)
 *            blocks; background writers SIGTTOU under TOSTOP
 *   poll     POLLIN when a read would not block, POLLOUT unless stopped
 *   open     a session leader without a terminal that opens one (not
 *            /dev/console, not O_NOCTTY, readable) gets it as its
 *            controlling terminal; /dev/tty opens that, -ENXIO without
 *
 * Reads and writes of one port are serialised per side (Linux's
 * atomic_read_lock/atomic_write_lock), so a canonical line goes to one
 * reader and one write() is not interleaved with another.  /dev/console
 * is the console port's terminal, exempt from job control and hangups
 * as Linux's redirected console is.  The receive interrupt starts with
 * the first open, as Linux's serial core does; while no file is open the
 * port ignores input (Linux shuts the port down).  Locks: <kernel/tty.h>;
 * ports_lock guards ports[].
 */
#define pr_fmt(fmt) "tty: " fmt

#include <kernel/chrdev.h>
#include <kernel/cred.h>
#include <kernel/devtmpfs.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <kernel/time.h>
#include <kernel/uio.h>
#include "tty_internal.h"

#define MAX_PORTS	8
#define CHUNK		256
#define FLIP_CHUNK	64

static struct spinlock ports_lock = SPINLOCK_INIT("tty-ports");
static struct tty_port *ports[MAX_PORTS];	/* ports_lock */
static unsigned int nr_ports;			/* ports_lock */

/* n_tty's device output. */
static void
port_out(void *ctx, const unsigned char *s, size_t n)
{
	struct tty_port *port = ctx;

	if (port->ops && port->ops->write)
		port->ops->write(port, s, n);
	else if (port->console)
		console_write(port->console, (const char *)s, n);
}

int
tty_port_register(struct tty_port *port)
{
	struct termios2 t;
	unsigned long flags;
	int err = 0;

	spin_init(&port->lock, "tty-port");
	ringbuf_init(&port->rx, port->rx_buf, sizeof(port->rx_buf));
	port->overruns = port->reported = 0;
	port->report_ns = 0;
	n_tty_default_termios(&t);
	n_tty_init(&port->ldisc, &t, port_out, port);
	/* Linux leaves a serial line's size 0x0; programs then guess 24x80. */
	port->winsize = (struct winsize){ .ws_row = 24, .ws_col = 80 };
	port->session = port->pgrp = 0;
	port->hangups = 0;
	port->opens = 0;
	port->exclusive = port->reading = port->writing = false;
	wq_init(&port->read_wait);
	wq_init(&port->write_wait);
	mutex_init(&port->open_mutex, "tty-open");
	port->started = false;
	flags = spin_lock_irqsave(&ports_lock);
	if (nr_ports == MAX_PORTS)
		err = -ENOSPC;
	else
		ports[nr_ports++] = port;
	spin_unlock_irqrestore(&ports_lock, flags);
	return err;
}

struct tty_port *
tty_console_port(void)
{
	unsigned long flags = spin_lock_irqsave(&ports_lock);
	struct tty_port *found = NULL;

	for (unsigned int i = 0; i < nr_ports && !found; i++)
		if (ports[i]->is_console)
			found = ports[i];
	spin_unlock_irqrestore(&ports_lock, flags);
	return found;
}

static struct tty_port *
port_of(dev_t dev)
{
	unsigned long flags = spin_lock_irqsave(&ports_lock);
	struct tty_port *found = NULL;

	for (unsigned int i = 0; i < nr_ports && !found; i++)
		if (ports[i]->dev == dev)
			found = ports[i];
	spin_unlock_irqrestore(&ports_lock, flags);
	return found;
}

/* ---- input ---- */

static void
take_signals(struct tty_port *port, struct tty_signals *s)
{
	int sig;

	while ((sig = n_tty_take_signal(&port->ldisc)) != 0)
		if (s->n < N_TTY_MAX_SIGS)
			s->sig[s->n++] = sig;
	if (s->n)
		s->pgrp = port->pgrp;
}

void
tty_flush_to_ldisc_locked(struct tty_port *port, struct tty_signals *s)
{
	unsigned char chunk[FLIP_CHUNK];

	while (!ringbuf_empty(&port->rx)) {
		size_t room = n_tty_receive_room(&port->ldisc), got;

		if (!room)
			break;
		got = ringbuf_get(&port->rx, chunk, room < sizeof(chunk) ? room : sizeof(chunk));
		n_tty_receive(&port->ldisc, chunk, got);	/* takes all: room said so */
	}
	take_signals(port, s);
}

void
tty_send_signals(const struct tty_signals *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		tty_signal_group(s->pgrp, s->sig[i]);
}

void
tty_wake(struct tty_port *port)
{
	wq_wake_all(&port->read_wait);
	wq_wake_all(&port->write_wait);
}

void
tty_port_receive(struct tty_port *port, const unsigned char *buf, size_t n,
		 unsigned int overruns)
{
	unsigned long flags = spin_lock_irqsave(&port->lock);
	struct tty_signals sigs = { .n = 0 };
	unsigned long lost, report = 0;
	size_t taken = 0;
	uint64_t now;

	if (port->opens) {
		/* Straight to n_tty unless older bytes wait. */
		if (ringbuf_empty(&port->rx))
			taken = n_tty_receive(&port->ldisc, buf, n);
		ringbuf_put(&port->rx, buf + taken, n - taken);
		tty_flush_to_ldisc_locked(port, &sigs);
	}
	port->overruns += overruns;
	lost = port->overruns + port->rx.dropped;
	if (lost != port->reported) {
		now = time_ns();
		if (!port->report_ns || now - port->report_ns >= NSEC_PER_SEC) {
			report = lost - port->reported;
			port->reported = lost;
			port->report_ns = now;
		}
	}
	spin_unlock_irqrestore(&port->lock, flags);
	if (n)
		tty_wake(port);
	tty_send_signals(&sigs);
	if (report)
		pr_warn("%s: %lu input overrun(s)\n", port->name, report);
}

/* ---- open and close ---- */

/* The first open starts the receive side. */
static int
port_open(struct tty_port *port, struct file *f, bool console, bool noctty)
{
	struct tty_file *tf;
	unsigned long flags;
	int err = 0;

	mutex_lock(&port->open_mutex);
	if (!port->started) {
		port->started = true;
		port->start_error = port->ops && port->ops->startup ? port->ops->startup(port)
								    : -ENODEV;
		if (port->start_error)
			pr_warn("%s: no input (cannot start receiving: %d)\n", port->name,
				port->start_error);
	}
	mutex_unlock(&port->open_mutex);

	tf = kmalloc(sizeof(*tf));
	if (!tf)
		return -ENOMEM;
	tf->port = port;
	tf->console = console;
	flags = spin_lock_irqsave(&port->lock);
	if (port->exclusive && current_cred()->euid != 0) {
		err = -EBUSY;		/* TIOCEXCL: only root opens it again */
	} else {
		tf->hangups = port->hangups;
		port->opens++;
	}
	spin_unlock_irqrestore(&port->lock, flags);
	if (err) {
		kfree(tf);
		return err;
	}
	f->priv = tf;
	if (!noctty)
		tty_open_set_ctty(port, f);
	return 0;
}

static void
tty_release(struct inode *inode, struct file *f)
{
	struct tty_file *tf = tty_file(f);
	struct tty_port *port = tf->port;
	unsigned long flags = spin_lock_irqsave(&port->lock);

	/* The last close: Linux shuts the port down and its input goes. */
	if (--port->opens == 0) {
		ringbuf_reset(&port->rx);
		n_tty_flush_input(&port->ldisc);
		port->exclusive = false;
	}
	spin_unlock_irqrestore(&port->lock, flags);
	kfree(tf);
}

static const struct file_operations tty_fops;

static int
port_dev_open(struct inode *inode, struct file *f)
{
	struct tty_port *port = port_of(inode->rdev);

	if (!port)
		return -ENXIO;
	f->fop = &tty_fops;
	return port_open(port, f, false, (READ_ONCE(f->flags) & O_NOCTTY) != 0);
}

/* Linux never makes /dev/console a controlling terminal on open. */
static int
console_dev_open(struct inode *inode, struct file *f)
{
	struct tty_port *port = tty_console_port();

	if (!port)
		return -ENODEV;	/* Linux: no console, ENODEV */
	f->fop = &tty_fops;
	return port_open(port, f, true, true);
}

/* The caller's controlling terminal: none for a kernel thread. */
static int
tty_dev_open(struct inode *inode, struct file *f)
{
	struct tty_port *port = tty_current_ctty();

	if (!port)
		return -ENXIO;
	f->fop = &tty_fops;
	return port_open(port, f, false, true);
}

/* ---- read ---- */

int
tty_take_side(struct tty_port *port, bool *side, struct wait_queue *wq, bool nonblock)
{
	while (*side) {
		if (nonblock)
			return -EAGAIN;
		if (wq_wait_interruptible(wq, &port->lock, WAIT_FOREVER) == -EINTR)
			return -ERESTARTSYS;
	}
	*side = true;
	return 0;
}

void
tty_release_side(struct tty_port *port, bool *side, struct wait_queue *wq)
{
	*side = false;
	wq_wake_all(wq);
}

static ssize_t
tty_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct tty_file *tf = tty_file(f);
	struct tty_port *port = tf->port;
	struct n_tty *ld = &port->ldisc;
	bool nonblock = (READ_ONCE(f->flags) & O_NONBLOCK) != 0, expired = false;
	struct tty_signals sigs = { .n = 0 };
	uint64_t deadline = WAIT_FOREVER, interbyte = 0;
	unsigned char kbuf[CHUNK];
	size_t done = 0, minimum = 0;
	unsigned long flags;
	ssize_t err = 0;
	int r;

	if (!tf->console) {
		r = tty_check_change(port, SIGTTIN);
		if (r)
			return r;
	}
	flags = spin_lock_irqsave(&port->lock);
	r = tty_take_side(port, &port->reading, &port->read_wait, nonblock);
	if (r) {
		spin_unlock_irqrestore(&port->lock, flags);
		return r;
	}
	/* VMIN/VTIME as Linux reads them (deciseconds). */
	if (!ld->icanon) {
		uint64_t time = ld->termios.c_cc[VTIME] * 100 * NSEC_PER_MSEC;

		minimum = ld->termios.c_cc[VMIN];
		if (minimum) {
			interbyte = time;	/* after each byte; the first may wait forever */
		} else {
			minimum = 1;
			if (time)
				deadline = wait_deadline(time);
			else
				expired = true;
		}
	}
	while (u->resid) {
		size_t want = u->resid < sizeof(kbuf) ? u->resid : sizeof(kbuf), got, moved;
		bool icanon = ld->icanon, more;

		if (tty_hung_up_locked(tf))
			break;
		if (!n_tty_readable(ld, 0)) {
			if (expired)
				break;
			if (nonblock) {
				err = -EAGAIN;
				break;
			}
			r = wq_wait_interruptible_until(&port->read_wait, &port->lock, deadline);
			if (r == -EINTR) {
				err = -ERESTARTSYS;
				break;
			}
			if (r == -ETIMEDOUT)
				expired = true;
			continue;
		}
		got = n_tty_read(ld, kbuf, want, &more);
		tty_flush_to_ldisc_locked(port, &sigs);		/* the read made room */
		spin_unlock_irqrestore(&port->lock, flags);
		moved = uio_copy_to(u, kbuf, got);
		done += moved;
		flags = spin_lock_irqsave(&port->lock);
		if (moved < got) {
			err = -EFAULT;		/* those bytes are lost, as in Linux */
			break;
		}
		if (icanon) {
			/* One line per read; a full buffer right before an EOF eats it. */
			if (more && u->resid && n_tty_readable(ld, 0))
				continue;
			if (more && !u->resid)
				n_tty_skip_eof(ld);
			break;
		}
		if (done >= minimum)
			break;
		if (interbyte) {
			deadline = wait_deadline(interbyte);
			expired = false;
		}
	}
	tty_release_side(port, &port->reading, &port->read_wait);
	spin_unlock_irqrestore(&port->lock, flags);
	tty_wake(port);
	tty_send_signals(&sigs);
	return done ? (ssize_t)done : err;
}

/* ---- write ---- */

static ssize_t
tty_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct tty_file *tf = tty_file(f);
	struct tty_port *port = tf->port;
	bool nonblock = (READ_ONCE(f->flags) & O_NONBLOCK) != 0;
	unsigned char kbuf[CHUNK];
	size_t done = 0;
	unsigned long flags;
	ssize_t err = 0;
	int r;

	if (!tf->console && (READ_ONCE(port->ldisc.termios.c_lflag) & TOSTOP)) {
		r = tty_check_change(port, SIGTTOU);
		if (r)
			return r;
	}
	flags = spin_lock_irqsave(&port->lock);
	if (tty_hung_up_locked(tf)) {
		spin_unlock_irqrestore(&port->lock, flags);
		return -EIO;
	}
	r = tty_take_side(port, &port->writing, &port->write_wait, nonblock);
	if (r) {
		spin_unlock_irqrestore(&port->lock, flags);
		return r;
	}
	while (u->resid && !err) {
		size_t want = u->resid < sizeof(kbuf) ? u->resid : sizeof(kbuf), got, off = 0;

		spin_unlock_irqrestore(&port->lock, flags);
		got = uio_copy_from(u, kbuf, want);
		flags = spin_lock_irqsave(&port->lock);
		while (off < got) {
			size_t w;

			if (tty_hung_up_locked(tf)) {
				err = -EIO;
				break;
			}
			w = n_tty_write(&port->ldisc, kbuf + off, got - off);
			if (w) {
				off += w;
				continue;
			}
			/* Output is stopped (^S, TCOOFF). */
			if (nonblock) {
				err = -EAGAIN;
				break;
			}
			if (wq_wait_interruptible(&port->write_wait, &port->lock, WAIT_FOREVER) ==
			    -EINTR) {
				err = -ERESTARTSYS;
				break;
			}
		}
		done += off;
		if (!err && got < want)
			err = -EFAULT;
	}
	tty_release_side(port, &port->writing, &port->write_wait);
	spin_unlock_irqrestore(&port->lock, flags);
	return done ? (ssize_t)done : err;
}

/* ---- poll ---- */

static unsigned int
tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty_file *tf = tty_file(f);
	struct tty_port *port = tf->port;
	struct n_tty *ld = &port->ldisc;
	unsigned int mask = 0;
	unsigned long flags;

	poll_wait(f, &port->read_wait, pt);
	poll_wait(f, &port->write_wait, pt);
	flags = spin_lock_irqsave(&port->lock);
	if (tty_hung_up_locked(tf)) {
		mask = POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	} else {
		/* Non-canonical with VTIME 0: ready once VMIN bytes are there. */
		if (n_tty_readable(ld, ld->termios.c_cc[VTIME] ? 0 : ld->termios.c_cc[VMIN]))
			mask |= POLLIN | POLLRDNORM;
		if (!ld->stopped)
			mask |= POLLOUT | POLLWRNORM;
	}
	spin_unlock_irqrestore(&port->lock, flags);
	return mask;
}

/* ---- hangup ---- */

pid_t
tty_hangup_locked(struct tty_port *port)
{
	unsigned long flags = spin_lock_irqsave(&port->lock);
	pid_t fg = port->pgrp;

	port->session = port->pgrp = 0;
	port->hangups++;
	ringbuf_reset(&port->rx);
	n_tty_flush_input(&port->ldisc);
	n_tty_flush_output(&port->ldisc);
	n_tty_tco_start(&port->ldisc);
	n_tty_start(&port->ldisc);
	spin_unlock_irqrestore(&port->lock, flags);
	return fg;
}

/* ---- the nodes ---- */

static const struct file_operations tty_fops = {
	.release = tty_release,
	.read = tty_read,
	.write = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};

static const struct file_operations port_open_fops = {
	.open = port_dev_open,
};

static const struct file_operations console_open_fops = {
	.open = console_dev_open,
};

static const struct file_operations tty_open_fops = {
	.open = tty_dev_open,
};

static void
add_device(const char *name, dev_t dev, umode_t mode, const struct file_operations *fop)
{
	int err = register_chrdev_region(dev, 1, name, fop);

	if (!err && IS_ENABLED(CONFIG_DEVTMPFS))
		err = devtmpfs_create_node(name, S_IFCHR | mode, dev);
	if (err)
		pr_err("%s: %d\n", name, err);
}

void
tty_init(void)
{
	unsigned int n;

	/* Linux's modes: tty 0666, console 0600, serial ports 0600 (devtmpfs's default). */
	add_device("tty", MKDEV(TTYAUX_MAJOR, 0), 0666, &tty_open_fops);
	add_device("console", MKDEV(TTYAUX_MAJOR, 1), 0600, &console_open_fops);
	n = READ_ONCE(nr_ports);	/* ports register at probe, before this */
	for (unsigned int i = 0; i < n; i++)
		add_device(ports[i]->name, ports[i]->dev, 0600, &port_open_fops);
}
