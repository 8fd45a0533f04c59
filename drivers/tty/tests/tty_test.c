/*
 * In-kernel tests of the terminal through its files, with input injected
 * by the receive path the UART interrupt uses: the termios ioctls and
 * their ABI forms, window size, FIONREAD, TCFLSH, TCXONC, TIOCSTI,
 * canonical and non-canonical reads (VMIN/VTIME's four cases, timed),
 * O_NONBLOCK, poll, interrupted reads, the flip buffer, a hangup, and
 * what the job-control ioctls answer a kernel thread (no controlling
 * terminal).  Echo is turned off while input is injected: it would land
 * in the TAP stream.  Every test puts back the settings it found.
 */
#include <kernel/errno.h>
#include <kernel/fcntl.h>
#include <kernel/fs.h>
#include <kernel/kdev_t.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/tty.h>
#include <kernel/vfs.h>
#include <string.h>
#ifdef CONFIG_PROCESSES
#include <kernel/process.h>
#endif
#include "../tty_internal.h"

static long
kioctl(int fd, unsigned int cmd, unsigned long arg, void *buf)
{
	struct file *f = fget(fd);
	long r;

	if (!f)
		return -EBADF;
	r = tty_kernel_ioctl(f, cmd, arg, buf);
	fput(f);
	return r;
}

/* A console file set to lflag/iflag with VMIN/VTIME; *saved keeps what was. */
static int
open_console(int flags, struct termios2 *saved)
{
	int fd = vfs_openat(AT_FDCWD, "/dev/console", flags, 0);

	if (fd >= 0 && kioctl(fd, TCGETS2, 0, saved) != 0) {
		vfs_close(fd);
		return -1;
	}
	return fd;
}

static void
set_mode(int fd, tcflag_t lflag_off, unsigned char vmin, unsigned char vtime)
{
	struct termios2 t;

	kioctl(fd, TCGETS2, 0, &t);
	t.c_lflag &= ~(lflag_off | ECHO | ECHONL);	/* never echo into the TAP stream */
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	kioctl(fd, TCSETSF2, 0, &t);
}

static void
restore(int fd, const struct termios2 *saved)
{
	kioctl(fd, TCSETSF2, 0, (void *)saved);
	vfs_close(fd);
}

static void
inject(const char *s, size_t n)
{
	tty_port_receive(tty_console_port(), (const unsigned char *)s, n, 0);
}

struct reader {
	int fd;
	size_t len;
	char buf[64];
	volatile ssize_t got;
	volatile bool started;
	uint64_t ns;			/* how long the read took */
};

static void
reader_body(void *arg)
{
	struct reader *r = arg;
	uint64_t t0 = time_ns();

	r->started = true;
	r->got = vfs_read(r->fd, r->buf, r->len);
	r->ns = time_ns() - t0;
	thread_exit(0);
}

static struct thread *
start_reader(struct reader *r, int fd, size_t len)
{
	struct thread *t;

	r->fd = fd;
	r->len = len;
	r->got = -1000;
	r->started = false;
	t = thread_create("ktest-tty-reader", reader_body, r, THREAD_PRIO_DEFAULT, 0);
	if (t)
		while (!r->started)
			thread_sleep_ms(1);
	return t;
}

/* The reader sleeps in the terminal (not just about to). */
static bool
reader_waiting(void)
{
	uint64_t deadline = ktest_deadline(100 * NSEC_PER_MSEC);
	struct tty_port *port = tty_console_port();

	while (wq_empty(&port->read_wait) && time_ns() < deadline)
		thread_sleep_ms(1);
	return !wq_empty(&port->read_wait);
}

KTEST(tty, default_termios_and_abi_forms)
{
	struct termios t;
	struct termios2 t2, saved;
	struct termio tio;
	int fd = open_console(O_RDWR, &saved);

	KASSERT(fd >= 0);
	KEXPECT_EQ(kioctl(fd, TCGETS, 0, &t), 0);
	/* Linux's tty_std_termios on a 115200 serial console. */
	KEXPECT_EQ(t.c_iflag, ICRNL | IXON);
	KEXPECT_EQ(t.c_oflag, OPOST | ONLCR);
	KEXPECT_EQ(t.c_cflag, B115200 | CS8 | CREAD | HUPCL | CLOCAL);
	KEXPECT_EQ(t.c_lflag, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
	KEXPECT_EQ(t.c_line, N_TTY);
	KEXPECT_EQ(t.c_cc[VINTR], 3);
	KEXPECT_EQ(t.c_cc[VQUIT], 034);
	KEXPECT_EQ(t.c_cc[VERASE], 0177);
	KEXPECT_EQ(t.c_cc[VKILL], 025);
	KEXPECT_EQ(t.c_cc[VEOF], 4);
	KEXPECT_EQ(t.c_cc[VMIN], 1);
	KEXPECT_EQ(t.c_cc[VTIME], 0);
	KEXPECT_EQ(t.c_cc[VSUSP], 032);
	KEXPECT_EQ(t.c_cc[VWERASE], 027);
	KEXPECT_EQ(kioctl(fd, TCGETS2, 0, &t2), 0);
	KEXPECT_EQ(t2.c_ispeed, 115200);
	KEXPECT_EQ(t2.c_ospeed, 115200);

	/* TCSETS with an old-style speed: the speed fields follow. */
	t.c_cflag = (t.c_cflag & ~CBAUD) | B9600;
	KEXPECT_EQ(kioctl(fd, TCSETS, 0, &t), 0);
	KEXPECT_EQ(kioctl(fd, TCGETS2, 0, &t2), 0);
	KEXPECT_EQ(t2.c_ospeed, 9600);
	KEXPECT_EQ(t2.c_ispeed, 9600);		/* CIBAUD 0: the output speed */
	/* termios2 with BOTHER keeps an arbitrary speed; flags stay as set. */
	t2.c_cflag = (t2.c_cflag & ~(CBAUD | CSIZE)) | BOTHER | PARENB | CS7;
	t2.c_ospeed = t2.c_ispeed = 12345;
	KEXPECT_EQ(kioctl(fd, TCSETSW2, 0, &t2), 0);
	memset(&t2, 0, sizeof(t2));
	KEXPECT_EQ(kioctl(fd, TCGETS2, 0, &t2), 0);
	KEXPECT_EQ(t2.c_ospeed, 12345);
	KEXPECT_EQ(t2.c_cflag & (CBAUD | PARENB | CSIZE), BOTHER | PARENB | CS7);
	/* termio: the low 16 bits, the first 8 c_cc. */
	KEXPECT_EQ(kioctl(fd, TCGETA, 0, &tio), 0);
	KEXPECT_EQ(tio.c_cflag, (unsigned short)t2.c_cflag);
	KEXPECT_EQ(tio.c_cc[VEOF], 4);
	tio.c_cc[VEOF] = 1;
	tio.c_lflag &= (unsigned short)~ECHOCTL;
	KEXPECT_EQ(kioctl(fd, TCSETA, 0, &tio), 0);
	KEXPECT_EQ(kioctl(fd, TCGETS2, 0, &t2), 0);
	KEXPECT_EQ(t2.c_cc[VEOF], 1);
	KEXPECT_EQ(t2.c_cc[VSUSP], 032);		/* beyond NCC: kept */
	KEXPECT_EQ(t2.c_lflag & ECHOCTL, 0);
	KEXPECT_EQ(t2.c_ospeed, 12345);
	restore(fd, &saved);
}

KTEST(tty, user_copies_and_unknown_ioctls)
{
	struct termios2 saved;
	struct termios t;
	int fd = open_console(O_RDWR, &saved), null;

	KASSERT(fd >= 0);
	/* The file operation copies to the user: a kernel pointer is not one. */
	KEXPECT_EQ(vfs_ioctl(fd, TCGETS, 0), -EFAULT);
	KEXPECT_EQ(vfs_ioctl(fd, TCGETS, (unsigned long)&t), -EFAULT);
	KEXPECT_EQ(vfs_ioctl(fd, TCSETS, (unsigned long)&t), -EFAULT);
	KEXPECT_EQ(vfs_ioctl(fd, TIOCGWINSZ, 1), -EFAULT);
	/* Not terminal calls, or ones a serial line here does not have. */
	KEXPECT_EQ(vfs_ioctl(fd, 0x5603 /* VT_GETSTATE */, 0), -ENOTTY);
	KEXPECT_EQ(vfs_ioctl(fd, 0x541E /* TIOCGSERIAL */, 0), -ENOTTY);
	KEXPECT_EQ(vfs_ioctl(fd, 0x12345678, 0), -ENOTTY);
	/* Argument checks. */
	KEXPECT_EQ(kioctl(fd, TCFLSH, 3, NULL), -EINVAL);
	KEXPECT_EQ(kioctl(fd, TCXONC, 4, NULL), -EINVAL);
	KEXPECT_EQ(kioctl(fd, TIOCSETD, 0, &(int){ 1 }), -EINVAL);
	KEXPECT_EQ(kioctl(fd, TIOCSETD, 0, &(int){ N_TTY }), 0);
	{
		int d = -1;

		KEXPECT_EQ(kioctl(fd, TIOCGETD, 0, &d), 0);
		KEXPECT_EQ(d, N_TTY);
	}
	restore(fd, &saved);
	/* Other files have no terminal ioctls. */
	null = vfs_openat(AT_FDCWD, "/dev/null", O_RDWR, 0);
	KASSERT(null >= 0);
	KEXPECT_EQ(vfs_ioctl(null, TCGETS, 0), -ENOTTY);
	vfs_close(null);
}

KTEST(tty, window_size_and_device)
{
	struct termios2 saved;
	struct winsize ws, big = { .ws_row = 50, .ws_col = 132 };
	unsigned int dev = 0;
	int fd = open_console(O_RDWR, &saved);

	KASSERT(fd >= 0);
	KEXPECT_EQ(kioctl(fd, TIOCGWINSZ, 0, &ws), 0);
	KEXPECT_EQ(ws.ws_row, 24);
	KEXPECT_EQ(ws.ws_col, 80);
	KEXPECT_EQ(ws.ws_xpixel, 0);
	KEXPECT_EQ(kioctl(fd, TIOCSWINSZ, 0, &big), 0);
	KEXPECT_EQ(kioctl(fd, TIOCGWINSZ, 0, &ws), 0);
	KEXPECT_EQ(ws.ws_row, 50);
	KEXPECT_EQ(ws.ws_col, 132);
	ws = (struct winsize){ .ws_row = 24, .ws_col = 80 };
	KEXPECT_EQ(kioctl(fd, TIOCSWINSZ, 0, &ws), 0);
	/* /dev/console names the port behind it (new_encode_dev). */
	KEXPECT_EQ(kioctl(fd, TIOCGDEV, 0, &dev), 0);
	KEXPECT_EQ(dev, new_encode_dev(tty_console_port()->dev));
	restore(fd, &saved);
}

KTEST(tty, canonical_read)
{
	struct termios2 saved;
	char buf[32];
	unsigned int n = 99;
	int fd = open_console(O_RDWR | O_NONBLOCK, &saved);

	KASSERT(fd >= 0);
	set_mode(fd, 0, 1, 0);
	inject("ab\x7f" "c", 4);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), -EAGAIN);	/* no line yet */
	KEXPECT_EQ(vfs_poll(fd, NULL), POLLOUT | POLLWRNORM);
	KEXPECT_EQ(kioctl(fd, FIONREAD, 0, &n), 0);
	KEXPECT_EQ(n, 0);
	inject("\r" "de\n", 4);		/* ICRNL: CR ends the line */
	KEXPECT_EQ(vfs_poll(fd, NULL), POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
	KEXPECT_EQ(kioctl(fd, FIONREAD, 0, &n), 0);
	KEXPECT_EQ(n, 6);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 3);		/* one line per read */
	KEXPECT(memcmp(buf, "ac\n", 3) == 0);
	KEXPECT_EQ(vfs_read(fd, buf, 1), 1);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 2);
	KEXPECT(memcmp(buf, "e\n", 2) == 0);
	/* Kill, word erase, EOF at the start of a line (read 0), EOF ending one. */
	inject("junk\x15" "one two\x17" "three\n\x04" "four\x04", 25);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 10);
	KEXPECT(memcmp(buf, "one three\n", 10) == 0);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 0);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 4);
	KEXPECT(memcmp(buf, "four", 4) == 0);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), -EAGAIN);
	/* TIOCSTI types too (root, or the caller's own terminal). */
	KEXPECT_EQ(kioctl(fd, TIOCSTI, 0, &(unsigned char){ 'x' }), 0);
	KEXPECT_EQ(kioctl(fd, TIOCSTI, 0, &(unsigned char){ '\n' }), 0);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 2);
	KEXPECT_EQ(buf[0], 'x');
	restore(fd, &saved);
}

KTEST(tty, signal_characters_flush_input)
{
	struct termios2 saved;
	unsigned int n = 99;
	char buf[8];
	int fd = open_console(O_RDWR | O_NONBLOCK, &saved);

	KASSERT(fd >= 0);
	set_mode(fd, ICANON, 1, 0);
	/* No foreground group (no session): no signal, but the input goes. */
	inject("abc\x03" "de", 6);
	KEXPECT_EQ(kioctl(fd, FIONREAD, 0, &n), 0);
	KEXPECT_EQ(n, 2);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 2);
	KEXPECT(memcmp(buf, "de", 2) == 0);
	/* Without ISIG the character is data. */
	set_mode(fd, ICANON | ISIG, 1, 0);
	inject("\x03", 1);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 1);
	KEXPECT_EQ(buf[0], 3);
	restore(fd, &saved);
}

KTEST(tty, flush_and_setsf)
{
	struct termios2 saved, t;
	unsigned int n = 99;
	int fd = open_console(O_RDWR | O_NONBLOCK, &saved);

	KASSERT(fd >= 0);
	set_mode(fd, ICANON, 1, 0);
	inject("12345", 5);
	KEXPECT_EQ(kioctl(fd, TCFLSH, TCOFLUSH, NULL), 0);	/* output only */
	KEXPECT_EQ(kioctl(fd, FIONREAD, 0, &n), 0);
	KEXPECT_EQ(n, 5);
	KEXPECT_EQ(kioctl(fd, TCFLSH, TCIFLUSH, NULL), 0);
	KEXPECT_EQ(kioctl(fd, FIONREAD, 0, &n), 0);
	KEXPECT_EQ(n, 0);
	inject("678", 3);
	KEXPECT_EQ(kioctl(fd, TCGETS2, 0, &t), 0);
	KEXPECT_EQ(kioctl(fd, TCSETSW2, 0, &t), 0);		/* keeps input */
	KEXPECT_EQ(kioctl(fd, FIONREAD, 0, &n), 0);
	KEXPECT_EQ(n, 3);
	KEXPECT_EQ(kioctl(fd, TCSETSF2, 0, &t), 0);		/* flushes it */
	KEXPECT_EQ(kioctl(fd, FIONREAD, 0, &n), 0);
	KEXPECT_EQ(n, 0);
	KEXPECT_EQ(kioctl(fd, TIOCOUTQ, 0, &n), 0);
	KEXPECT_EQ(n, 0);
	restore(fd, &saved);
}

KTEST(tty, vmin_vtime)
{
	struct termios2 saved;
	struct reader r;
	struct thread *t;
	char buf[16];
	uint64_t t0, ns;
	int fd = open_console(O_RDWR, &saved);

	KASSERT(fd >= 0);
	/* MIN 0, TIME 0: what there is, at once; 0 bytes is no error. */
	set_mode(fd, ICANON, 0, 0);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 0);
	inject("ab", 2);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 2);

	/* MIN 0, TIME 2: up to 0.2 s for the first byte. */
	set_mode(fd, ICANON, 0, 2);
	t0 = time_ns();
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 0);
	ns = time_ns() - t0;
	KEXPECT_OP(ns, >=, 200 * NSEC_PER_MSEC);
	KEXPECT_OP(ns, <, ktest_deadline(300 * NSEC_PER_MSEC) - t0);
	t = start_reader(&r, fd, 10);
	KASSERT(t);
	KEXPECT(reader_waiting());
	inject("x", 1);
	thread_join(t);
	KEXPECT_EQ(r.got, 1);
	KEXPECT_OP(r.ns, <, ktest_deadline(200 * NSEC_PER_MSEC) - t0);

	/* MIN 3, TIME 0: three bytes or more, however long it takes. */
	set_mode(fd, ICANON, 3, 0);
	inject("ab", 2);
	t = start_reader(&r, fd, 10);
	KASSERT(t);
	KEXPECT(reader_waiting());
	KEXPECT_EQ(r.got, -1000);
	inject("cd", 2);
	thread_join(t);
	KEXPECT_EQ(r.got, 4);
	KEXPECT(memcmp(r.buf, "abcd", 4) == 0);
	inject("efg", 3);
	KEXPECT_EQ(vfs_read(fd, buf, 2), 2);		/* a smaller read asks less */
	KEXPECT_EQ(vfs_read(fd, buf, 1), 1);

	/* MIN 2, TIME 1: after the first byte, 0.1 s for each next one. */
	set_mode(fd, ICANON, 2, 1);
	t = start_reader(&r, fd, 10);
	KASSERT(t);
	KEXPECT(reader_waiting());		/* no timer before the first byte */
	t0 = time_ns();
	inject("q", 1);
	thread_join(t);
	ns = time_ns() - t0;
	KEXPECT_EQ(r.got, 1);
	KEXPECT_OP(ns, >=, 100 * NSEC_PER_MSEC);
	inject("rs", 2);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 2);	/* MIN met: no waiting */
	restore(fd, &saved);
}

KTEST(tty, nonblocking_reads)
{
	struct termios2 saved;
	char buf[8];
	int fd = open_console(O_RDWR | O_NONBLOCK, &saved);

	KASSERT(fd >= 0);
	set_mode(fd, ICANON, 1, 0);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), -EAGAIN);
	set_mode(fd, ICANON, 0, 0);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 0);	/* TIME 0 comes first */
	set_mode(fd, ICANON, 0, 5);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), -EAGAIN);
	/* Poll with VTIME 0 waits for VMIN bytes. */
	set_mode(fd, ICANON, 2, 0);
	inject("a", 1);
	KEXPECT_EQ(vfs_poll(fd, NULL) & POLLIN, 0);
	inject("b", 1);
	KEXPECT_EQ(vfs_poll(fd, NULL) & POLLIN, POLLIN);
	KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 2);
	restore(fd, &saved);
}

#ifdef CONFIG_PROCESSES
KTEST(tty, interrupted_read_restarts)
{
	struct termios2 saved;
	struct reader r;
	struct thread *t;
	int fd = open_console(O_RDWR, &saved);

	KASSERT(fd >= 0);
	set_mode(fd, 0, 1, 0);
	inject("partial", 7);
	t = start_reader(&r, fd, 10);
	KASSERT(t);
	KEXPECT(reader_waiting());
	t->sigpending = 1;		/* as a signal would */
	thread_interrupt(t);
	thread_join(t);
	KEXPECT_EQ(r.got, -ERESTARTSYS);
	restore(fd, &saved);
}
#endif

static void
writer_body(void *arg)
{
	struct reader *w = arg;

	w->started = true;
	w->got = vfs_write(w->fd, "# tty: written after TCOON\n", 27);
	thread_exit(0);
}

KTEST(tty, stopped_output)
{
	struct termios2 saved;
	struct reader w = { .got = -1000 };
	struct thread *t;
	int fd = open_console(O_RDWR, &saved), nb;

	KASSERT(fd >= 0);
	nb = vfs_openat(AT_FDCWD, "/dev/console", O_WRONLY | O_NONBLOCK, 0);
	KASSERT(nb >= 0);
	KEXPECT_EQ(kioctl(fd, TCXONC, TCOOFF, NULL), 0);
	KEXPECT_EQ(vfs_poll(nb, NULL) & POLLOUT, 0);
	KEXPECT_EQ(vfs_write(nb, "# lost\n", 7), -EAGAIN);
	w.fd = fd;
	t = thread_create("ktest-tty-writer", writer_body, &w, THREAD_PRIO_DEFAULT, 0);
	KASSERT(t);
	while (!w.started)
		thread_sleep_ms(1);
	thread_sleep_ms(20);
	KEXPECT_EQ(w.got, -1000);		/* blocked */
	KEXPECT_EQ(kioctl(fd, TCXONC, TCOON, NULL), 0);
	thread_join(t);
	KEXPECT_EQ(w.got, 27);
	KEXPECT_EQ(vfs_poll(nb, NULL) & POLLOUT, POLLOUT);
	KEXPECT_EQ(vfs_write(nb, "# tty: and without waiting\n", 27), 27);
	vfs_close(nb);
	restore(fd, &saved);
}

/* The flip buffer keeps what n_tty has no room for; beyond it, bytes are dropped. */
KTEST(tty, flip_buffer)
{
	static unsigned char flood[N_TTY_BUF_SIZE - 1 + TTY_RX_SIZE + 100];
	struct tty_port *port = tty_console_port();
	struct termios2 saved;
	unsigned long dropped = port->rx.dropped;
	size_t total = 0;
	bool in_order = true;
	unsigned char buf[256];
	ssize_t n;
	int fd = open_console(O_RDWR | O_NONBLOCK, &saved);

	KASSERT(fd >= 0);
	set_mode(fd, ICANON | ISIG, 1, 0);
	for (size_t i = 0; i < sizeof(flood); i++)
		flood[i] = (unsigned char)(i * 7);
	/* IXON would take ^S/^Q out of the stream. */
	{
		struct termios2 t;

		kioctl(fd, TCGETS2, 0, &t);
		t.c_iflag &= ~(IXON | ICRNL);
		kioctl(fd, TCSETS2, 0, &t);
	}
	tty_port_receive(port, flood, sizeof(flood), 0);
	KEXPECT_EQ(port->rx.dropped - dropped, 100);
	while ((n = vfs_read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			in_order = in_order && buf[i] == (unsigned char)((total + (size_t)i) * 7);
		total += (size_t)n;
	}
	KEXPECT_EQ(total, N_TTY_BUF_SIZE - 1 + TTY_RX_SIZE);
	KEXPECT(in_order);
	KEXPECT_EQ(n, -EAGAIN);
	restore(fd, &saved);
}

KTEST(tty, job_control_ioctls_without_a_terminal)
{
	struct termios2 saved;
	int fd = open_console(O_RDWR, &saved), v = -1;

	KASSERT(fd >= 0);
	/* A kernel thread has no controlling terminal. */
	KEXPECT_EQ(kioctl(fd, TIOCGPGRP, 0, &v), -ENOTTY);
	KEXPECT_EQ(kioctl(fd, TIOCGSID, 0, &v), -ENOTTY);
	KEXPECT_EQ(kioctl(fd, TIOCSPGRP, 0, &(int){ 1 }), -ENOTTY);
	KEXPECT_EQ(kioctl(fd, TIOCNOTTY, 0, NULL), -ENOTTY);
	KEXPECT_EQ(kioctl(fd, TIOCSCTTY, 0, NULL), -EPERM);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "/dev/tty", O_RDWR, 0), -ENXIO);
	restore(fd, &saved);
}

#ifdef CONFIG_PROCESSES
KTEST(tty, hangup_kills_port_files_not_console_ones)
{
	struct tty_port *port = tty_console_port();
	struct termios2 saved, t;
	char path[32], buf[4];
	unsigned long flags;
	int con = open_console(O_RDWR, &saved), dev, again;

	KASSERT(con >= 0);
	snprintf(path, sizeof(path), "/dev/%s", port->name);
	dev = vfs_openat(AT_FDCWD, path, O_RDWR, 0);
	KASSERT(dev >= 0);
	flags = spin_lock_irqsave(&tasklist_lock);
	tty_hangup_locked(port);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	tty_wake(port);
	/* Linux's hung_up_tty_fops: EOF, EIO, ENOTTY for TIOCSPGRP, all of poll. */
	KEXPECT_EQ(vfs_read(dev, buf, sizeof(buf)), 0);
	KEXPECT_EQ(vfs_write(dev, "x", 1), -EIO);
	KEXPECT_EQ(kioctl(dev, TCGETS2, 0, &t), -EIO);
	KEXPECT_EQ(kioctl(dev, TIOCSPGRP, 0, &(int){ 1 }), -ENOTTY);
	KEXPECT_EQ(vfs_poll(dev, NULL),
		   POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM);
	/* /dev/console survives, and a new open works. */
	KEXPECT_EQ(kioctl(con, TCGETS2, 0, &t), 0);
	again = vfs_openat(AT_FDCWD, path, O_RDWR, 0);
	KEXPECT(again >= 0);
	if (again >= 0) {
		KEXPECT_EQ(kioctl(again, TCGETS2, 0, &t), 0);
		vfs_close(again);
	}
	vfs_close(dev);
	restore(con, &saved);
}
#endif
