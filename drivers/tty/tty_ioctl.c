/*
 * Terminal ioctls, with Linux's numbers and checks: termios (TCGETS,
 * TCSETS/W/F, the termios2 and SysV termio forms), window size (a change
 * sends SIGWINCH to the foreground group), queue sizes (FIONREAD,
 * TIOCOUTQ), flushing (TCFLSH), flow control (TCXONC), breaks and drains
 * (TCSBRK, TCSBRKP, TIOCSBRK, TIOCCBRK: output is synchronous, so they
 * only pass job control), TIOCSTI, TIOCEXCL/TIOCNXCL/TIOCGEXCL,
 * TIOCGETD/TIOCSETD (only N_TTY), TIOCGDEV; the job-control ones live in
 * tty_jobctrl.c.  Calls that change the terminal (TCSETS*, TCFLSH,
 * TCXONC, TCSBRK*) first pass Linux's tty_check_change (SIGTTOU to a
 * background caller).  Others answer -ENOTTY, as Linux does for a serial
 * line without them (TIOCMGET and the modem calls, TIOCGSERIAL,
 * TIOCGLCKTRMIOS, TIOCVHANGUP are not done).  FIONBIO, FIOASYNC, FIOCLEX
 * and FIONCLEX belong to the generic ioctl layer, before a file's own.
 *
 * tty_kernel_ioctl() takes the argument in kernel memory; tty_ioctl(),
 * the file operation, copies it from and to the user around it.
 */
#include <kernel/cred.h>
#include <kernel/kdev_t.h>
#include <string.h>
#include <kernel/uaccess.h>
#include "tty_internal.h"

union tty_ioctl_arg {
	struct termios t;
	struct termios2 t2;
	struct termio tio;
	struct winsize ws;
	int i;
	unsigned int u;
	unsigned char c;
};

/* How many bytes the ioctl reads from and writes to *arg. */
static void
arg_sizes(unsigned int cmd, size_t *in, size_t *out)
{
	*in = *out = 0;
	switch (cmd) {
	case TCGETS:
		*out = sizeof(struct termios);
		break;
	case TCSETS: case TCSETSW: case TCSETSF:
		*in = sizeof(struct termios);
		break;
	case TCGETS2:
		*out = sizeof(struct termios2);
		break;
	case TCSETS2: case TCSETSW2: case TCSETSF2:
		*in = sizeof(struct termios2);
		break;
	case TCGETA:
		*out = sizeof(struct termio);
		break;
	case TCSETA: case TCSETAW: case TCSETAF:
		*in = sizeof(struct termio);
		break;
	case TIOCGWINSZ:
		*out = sizeof(struct winsize);
		break;
	case TIOCSWINSZ:
		*in = sizeof(struct winsize);
		break;
	case TIOCGPGRP: case TIOCGSID: case TIOCOUTQ: case FIONREAD: case TIOCGETD:
	case TIOCGDEV: case TIOCGEXCL:
		*out = sizeof(int);
		break;
	case TIOCSPGRP: case TIOCSETD:
		*in = sizeof(int);
		break;
	case TIOCSTI:
		*in = 1;
		break;
	}
}

long
tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	union tty_ioctl_arg a;
	size_t in, out;
	long r;

	arg_sizes(cmd, &in, &out);
	memset(&a, 0, sizeof(a));
	if (in && copy_from_user(&a, (const void __user *)arg, in))
		return -EFAULT;
	r = tty_kernel_ioctl(f, cmd, arg, &a);
	if (r >= 0 && out && copy_to_user((void __user *)arg, &a, out))
		return -EFAULT;
	return r;
}

/* ---- termios ---- */

static void
get_termios(struct tty_port *port, struct termios2 *t)
{
	unsigned long flags = spin_lock_irqsave(&port->lock);

	*t = port->ldisc.termios;
	spin_unlock_irqrestore(&port->lock, flags);
}

/* Linux's set_termios(): TCSETSW waits for output, TCSETSF also flushes input. */
static long
set_termios(struct tty_port *port, unsigned int cmd, const union tty_ioctl_arg *a)
{
	bool wait = cmd == TCSETSW || cmd == TCSETSF || cmd == TCSETSW2 || cmd == TCSETSF2 ||
		    cmd == TCSETAW || cmd == TCSETAF;
	bool flush = cmd == TCSETSF || cmd == TCSETSF2 || cmd == TCSETAF;
	struct termios2 t;
	unsigned long flags;
	long r = tty_check_change(port, SIGTTOU);

	if (r)
		return r;
	get_termios(port, &t);
	switch (cmd) {
	case TCSETS: case TCSETSW: case TCSETSF:
		memcpy(&t, &a->t, sizeof(a->t));	/* the speeds stay */
		break;
	case TCSETS2: case TCSETSW2: case TCSETSF2:
		t = a->t2;
		break;
	default:	/* termio: the low 16 bits of each flag word, 8 c_cc */
		t.c_iflag = (t.c_iflag & 0xffff0000u) | a->tio.c_iflag;
		t.c_oflag = (t.c_oflag & 0xffff0000u) | a->tio.c_oflag;
		t.c_cflag = (t.c_cflag & 0xffff0000u) | a->tio.c_cflag;
		t.c_lflag = (t.c_lflag & 0xffff0000u) | a->tio.c_lflag;
		t.c_line = a->tio.c_line;
		memcpy(t.c_cc, a->tio.c_cc, NCC);
		break;
	}
	/* Old-style Bnnn speeds fill the speed fields, as Linux does. */
	t.c_ispeed = termios_input_baud_rate(&t);
	t.c_ospeed = termios_baud_rate(&t);

	flags = spin_lock_irqsave(&port->lock);
	if (wait) {
		/* Output is synchronous: it has drained once no write runs. */
		r = tty_take_side(port, &port->writing, &port->write_wait, false);
		if (r) {
			spin_unlock_irqrestore(&port->lock, flags);
			return r;
		}
		if (flush)
			n_tty_flush_input(&port->ldisc);
	}
	n_tty_set_termios(&port->ldisc, &t);
	if (wait)
		tty_release_side(port, &port->writing, &port->write_wait);
	spin_unlock_irqrestore(&port->lock, flags);
	tty_wake(port);		/* a new VMIN or mode may satisfy a reader */
	return 0;
}

static long
get_termios_ioctl(struct tty_port *port, unsigned int cmd, union tty_ioctl_arg *a)
{
	struct termios2 t;

	get_termios(port, &t);
	if (cmd == TCGETS2) {
		a->t2 = t;
	} else if (cmd == TCGETS) {
		memcpy(&a->t, &t, sizeof(a->t));
	} else {
		a->tio.c_iflag = (unsigned short)t.c_iflag;
		a->tio.c_oflag = (unsigned short)t.c_oflag;
		a->tio.c_cflag = (unsigned short)t.c_cflag;
		a->tio.c_lflag = (unsigned short)t.c_lflag;
		a->tio.c_line = t.c_line;
		memcpy(a->tio.c_cc, t.c_cc, NCC);
	}
	return 0;
}

/* ---- the rest ---- */

static long
flush_ioctl(struct tty_port *port, unsigned long arg)
{
	unsigned long flags;
	long r = tty_check_change(port, SIGTTOU);

	if (r)
		return r;
	if (arg > TCIOFLUSH)
		return -EINVAL;
	flags = spin_lock_irqsave(&port->lock);
	if (arg == TCIFLUSH || arg == TCIOFLUSH) {
		ringbuf_reset(&port->rx);
		n_tty_flush_input(&port->ldisc);
	}
	if (arg == TCOFLUSH || arg == TCIOFLUSH)
		n_tty_flush_output(&port->ldisc);
	spin_unlock_irqrestore(&port->lock, flags);
	return 0;
}

static long
flow_ioctl(struct tty_port *port, unsigned long arg)
{
	struct n_tty *ld = &port->ldisc;
	unsigned long flags;
	long r = tty_check_change(port, SIGTTOU);

	if (r)
		return r;
	flags = spin_lock_irqsave(&port->lock);
	switch (arg) {
	case TCOOFF:
		n_tty_tco_stop(ld);
		break;
	case TCOON:
		n_tty_tco_start(ld);
		break;
	case TCIOFF:
		if (ld->termios.c_cc[VSTOP] != _POSIX_VDISABLE)
			n_tty_send_xchar(ld, ld->termios.c_cc[VSTOP]);
		break;
	case TCION:
		if (ld->termios.c_cc[VSTART] != _POSIX_VDISABLE)
			n_tty_send_xchar(ld, ld->termios.c_cc[VSTART]);
		break;
	default:
		r = -EINVAL;
		break;
	}
	spin_unlock_irqrestore(&port->lock, flags);
	tty_wake(port);
	return r;
}

static long
set_winsize(struct tty_port *port, const struct winsize *ws)
{
	unsigned long flags = spin_lock_irqsave(&port->lock);
	bool changed = memcmp(ws, &port->winsize, sizeof(*ws)) != 0;
	pid_t pgrp = port->pgrp;

	port->winsize = *ws;
	spin_unlock_irqrestore(&port->lock, flags);
	if (changed)
		tty_signal_group(pgrp, SIGWINCH);
	return 0;
}

/* Push a byte as if typed: the caller's own terminal, or root (Linux 6.1). */
static long
simulate_input(struct tty_port *port, unsigned char c)
{
	struct tty_signals sigs = { .n = 0 };
	unsigned long flags;

	if (tty_current_ctty() != port && current_cred()->euid != 0)
		return -EPERM;
	flags = spin_lock_irqsave(&port->lock);
	ringbuf_put(&port->rx, &c, 1);
	tty_flush_to_ldisc_locked(port, &sigs);
	spin_unlock_irqrestore(&port->lock, flags);
	tty_wake(port);
	tty_send_signals(&sigs);
	return 0;
}

long
tty_kernel_ioctl(struct file *f, unsigned int cmd, unsigned long arg, void *buf)
{
	struct tty_file *tf = tty_file(f);
	struct tty_port *port = tf->port;
	union tty_ioctl_arg *a = buf;
	unsigned long flags;
	long r;

	flags = spin_lock_irqsave(&port->lock);
	r = tty_hung_up_locked(tf);
	spin_unlock_irqrestore(&port->lock, flags);
	if (r)
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;

	switch (cmd) {
	case TCGETS: case TCGETS2: case TCGETA:
		return get_termios_ioctl(port, cmd, a);
	case TCSETS: case TCSETSW: case TCSETSF:
	case TCSETS2: case TCSETSW2: case TCSETSF2:
	case TCSETA: case TCSETAW: case TCSETAF:
		return set_termios(port, cmd, a);
	case TCSBRK: case TCSBRKP: case TIOCSBRK: case TIOCCBRK:
		/* Nothing waits to go out; no break is sent (QEMU's UARTs ignore it). */
		return tty_check_change(port, SIGTTOU);
	case TCXONC:
		return flow_ioctl(port, arg);
	case TCFLSH:
		return flush_ioctl(port, arg);
	case TIOCGWINSZ: case FIONREAD: case TIOCOUTQ: case TIOCGEXCL:
	case TIOCEXCL: case TIOCNXCL:
		flags = spin_lock_irqsave(&port->lock);
		if (cmd == TIOCGWINSZ)
			a->ws = port->winsize;
		else if (cmd == FIONREAD)
			a->u = (unsigned int)n_tty_inq(&port->ldisc);
		else if (cmd == TIOCOUTQ)
			a->i = (int)n_tty_outq(&port->ldisc);
		else if (cmd == TIOCGEXCL)
			a->i = port->exclusive;
		else
			port->exclusive = cmd == TIOCEXCL;
		spin_unlock_irqrestore(&port->lock, flags);
		return 0;
	case TIOCSWINSZ:
		return set_winsize(port, &a->ws);
	case TIOCSTI:
		return simulate_input(port, a->c);
	case TIOCGETD:
		a->i = N_TTY;
		return 0;
	case TIOCSETD:
		return a->i == N_TTY ? 0 : -EINVAL;
	case TIOCGDEV:
		a->u = new_encode_dev(port->dev);
		return 0;
	}
	r = tty_jobctrl_ioctl(f, cmd, arg, buf);
	return r == -ENOIOCTLCMD ? -ENOTTY : r;
}
