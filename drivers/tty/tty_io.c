/*
 * The terminal devices: each serial port's node (ttyAMA0 204:64, ttyS0
 * 4:64 ...), /dev/console (5:1, the port that is the kernel console) and
 * /dev/tty (5:0, the caller's controlling terminal).
 *
 *   read    raw bytes from the port's receive buffer: at least one,
 *           sleeping until one comes (O_NONBLOCK: -EAGAIN); no line
 *           discipline yet (no echo, no canonical mode, no signals)
 *   write   to the console (/dev/console: every console) or the port,
 *           polled, "\n" sent as "\r\n" as the console does; no
 *           timestamp and no copy in the kernel log
 *   poll    POLLIN when input waits, POLLOUT always
 *   lseek   -ESPIPE (not seekable), ioctl -ENOTTY (termios comes with
 *           processes)
 *   /dev/tty  -ENXIO: kernel threads have no controlling terminal
 *
 * The receive interrupt starts with the first open, as Linux's serial
 * core does.  Locks: see <kernel/tty.h>; ports_lock guards ports[].
 */
#define pr_fmt(fmt) "tty: " fmt

#include <kernel/chrdev.h>
#include <kernel/devtmpfs.h>
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/printk.h>
#include <kernel/stat.h>
#include <kernel/time.h>
#include <kernel/tty.h>
#include <kernel/uio.h>
#include <kernel/vfs.h>

#define MAX_PORTS	8
#define CHUNK		256

static struct spinlock ports_lock = SPINLOCK_INIT("tty-ports");
static struct tty_port *ports[MAX_PORTS];	/* ports_lock */
static unsigned int nr_ports;			/* ports_lock */

int
tty_port_register(struct tty_port *port)
{
	unsigned long flags;
	int err = 0;

	spin_init(&port->lock, "tty-port");
	ringbuf_init(&port->rx, port->rx_buf, sizeof(port->rx_buf));
	port->overruns = port->reported = 0;
	port->report_ns = 0;
	wq_init(&port->read_wait);
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

void
tty_port_receive(struct tty_port *port, const unsigned char *buf, size_t n,
		 unsigned int overruns)
{
	unsigned long flags = spin_lock_irqsave(&port->lock);
	unsigned long lost, report = 0;
	size_t stored = ringbuf_put(&port->rx, buf, n);
	uint64_t now;

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
	if (stored)
		wq_wake_all(&port->read_wait);
	if (report)
		pr_warn("%s: %lu input overrun(s)\n", port->name, report);
}

/* The first open starts the receive side. */
static int
port_open(struct tty_port *port, struct file *f)
{
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
	f->priv = port;
	return 0;
}

static ssize_t
tty_read(struct file *f, struct uio *u, loff_t *pos)
{
	struct tty_port *port = f->priv;
	unsigned char buf[CHUNK];
	size_t done = 0;

	while (u->resid) {
		size_t want = u->resid < sizeof(buf) ? u->resid : sizeof(buf), got, moved;
		unsigned long flags = spin_lock_irqsave(&port->lock);

		while (ringbuf_empty(&port->rx) && !done) {
			if (READ_ONCE(f->flags) & O_NONBLOCK) {
				spin_unlock_irqrestore(&port->lock, flags);
				return -EAGAIN;
			}
			wq_wait(&port->read_wait, &port->lock, WAIT_FOREVER);
		}
		got = ringbuf_get(&port->rx, buf, want);
		spin_unlock_irqrestore(&port->lock, flags);
		if (!got)
			break;		/* what there was has been read */
		moved = uio_copy_to(u, buf, got);
		done += moved;
		if (moved < got)
			break;		/* a bad user page: those bytes are lost */
	}
	return done ? (ssize_t)done : -EFAULT;
}

static ssize_t
write_to(struct console *con, struct uio *u)
{
	char buf[CHUNK];
	size_t done = 0;

	while (u->resid) {
		size_t n = u->resid < sizeof(buf) ? u->resid : sizeof(buf);
		size_t moved = uio_copy_from(u, buf, n);

		console_write(con, buf, moved);
		done += moved;
		if (moved < n)
			break;
	}
	return done ? (ssize_t)done : -EFAULT;
}

static ssize_t
port_write(struct file *f, struct uio *u, loff_t *pos)
{
	struct tty_port *port = f->priv;

	if (!port->console)
		return -EIO;
	return write_to(port->console, u);
}

/* /dev/console: what printk writes to, every console. */
static ssize_t
console_dev_write(struct file *f, struct uio *u, loff_t *pos)
{
	return write_to(NULL, u);
}

static unsigned int
tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty_port *port = f->priv;
	unsigned int mask = POLLOUT | POLLWRNORM;
	unsigned long flags;

	poll_wait(f, &port->read_wait, pt);
	flags = spin_lock_irqsave(&port->lock);
	if (!ringbuf_empty(&port->rx))
		mask |= POLLIN | POLLRDNORM;
	spin_unlock_irqrestore(&port->lock, flags);
	return mask;
}

static long
tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;		/* termios and friends come with processes */
}

static int
port_dev_open(struct inode *inode, struct file *f)
{
	struct tty_port *port = port_of(inode->rdev);

	return port ? port_open(port, f) : -ENXIO;
}

static int
console_dev_open(struct inode *inode, struct file *f)
{
	struct tty_port *port = tty_console_port();

	return port ? port_open(port, f) : -ENODEV;	/* Linux: no console, ENODEV */
}

/* The caller's controlling terminal: none for a kernel thread. */
static int
tty_dev_open(struct inode *inode, struct file *f)
{
	return -ENXIO;
}

static const struct file_operations port_fops = {
	.open = port_dev_open,
	.read = tty_read,
	.write = port_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};

static const struct file_operations console_fops = {
	.open = console_dev_open,
	.read = tty_read,
	.write = console_dev_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};

static const struct file_operations tty_fops = {
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
	add_device("tty", MKDEV(TTYAUX_MAJOR, 0), 0666, &tty_fops);
	add_device("console", MKDEV(TTYAUX_MAJOR, 1), 0600, &console_fops);
	n = READ_ONCE(nr_ports);	/* ports register at probe, before this */
	for (unsigned int i = 0; i < n; i++)
		add_device(ports[i]->name, ports[i]->dev, 0600, &port_fops);
}
