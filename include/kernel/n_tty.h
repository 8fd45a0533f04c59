/*
 * N_TTY, the line discipline (drivers/tty/n_tty.c): what a terminal does
 * to the bytes between the wire and read()/write(), as Linux's n_tty
 * does it.  Input: canonical lines with erase, kill, word erase, reprint,
 * literal next and EOF; echo (ECHOCTL's ^X, ECHOE's "\b \b", ECHOK,
 * ECHOKE, ECHONL, ECHOPRT); the signal characters (^C ^\ ^Z); CR/NL
 * mapping; XON/XOFF flow control of output; the 4096-byte buffer with a
 * 4095-character line limit.  Output: OPOST (ONLCR, OCRNL, ONOCR, ONLRET,
 * OLCUC, XTABS) with the column kept for erasing tabs.
 *
 * It has no lock and never sleeps: the terminal (drivers/tty/tty_io.c)
 * calls it under its port lock, from the receive interrupt and from
 * system calls, and does the waiting, the job control and the signal
 * sending itself.  Signals the input raises wait in sigs[] until the
 * caller takes them (n_tty_take_signal) and sends them to the foreground
 * process group.  Plain C over kernel buffers: the host test runs it.
 */
#ifndef KERNEL_N_TTY_H
#define KERNEL_N_TTY_H

#include <kernel/termios.h>
#include <kernel/types.h>

#define N_TTY_BUF_SIZE	4096		/* input, as Linux's (a power of two) */
#define N_TTY_ECHO_SIZE	512		/* echoes held while output is stopped */
#define N_TTY_MAX_SIGS	8

struct n_tty {
	struct termios2 termios;
	/* Raw bytes to the device (polled; the caller's lock held). */
	void (*write)(void *ctx, const unsigned char *s, size_t n);
	void *ctx;

	/* Input: read_tail <= canon_head <= read_head, counting bytes ever. */
	unsigned char read_buf[N_TTY_BUF_SIZE];
	unsigned char line_end[N_TTY_BUF_SIZE / 8];	/* bit: a canonical line ends here */
	size_t read_head, read_tail;
	size_t canon_head;		/* end of the last complete line */
	bool icanon;			/* ICANON, as the buffer was last set up */
	bool lnext;			/* the next byte is literal (VLNEXT) */
	bool erasing;			/* inside ECHOPRT's "\...": a '/' closes it */

	/* Output. */
	unsigned int column;		/* where the cursor is, for tab erase */
	unsigned int canon_column;	/* where the current input line started */
	bool stopped;			/* ^S or TCOOFF: no output */
	bool tco_stopped;		/* TCOOFF (only TCOON restarts) */
	unsigned char echo_buf[N_TTY_ECHO_SIZE];	/* echoes while stopped */
	size_t echo_len;
	unsigned long echo_lost;	/* echoes that did not fit */
	unsigned char obuf[64];		/* staged device output */
	size_t olen;

	int sigs[N_TTY_MAX_SIGS];	/* SIGINT, SIGQUIT, SIGTSTP raised by input */
	unsigned int nr_sigs;
};

/* The standard settings a serial line starts with: 115200 8N1, cooked. */
void n_tty_default_termios(struct termios2 *t);
/* Baud rate the c_cflag speed bits say (BOTHER: the speed fields). */
speed_t termios_baud_rate(const struct termios2 *t);
speed_t termios_input_baud_rate(const struct termios2 *t);

void n_tty_init(struct n_tty *ld, const struct termios2 *t,
		void (*write)(void *ctx, const unsigned char *s, size_t n), void *ctx);
/* New settings; switching ICANON turns what waits into a line (or back). */
void n_tty_set_termios(struct n_tty *ld, const struct termios2 *t);

/*
 * Input bytes from the device: processed (echoed, edited, signals
 * raised) as far as the buffer has room; returns how many were taken.
 * The rest must be offered again once a read made room.
 */
size_t n_tty_receive(struct n_tty *ld, const unsigned char *buf, size_t n);
/*
 * How many bytes n_tty_receive() surely takes now (0: the caller keeps
 * them until a read makes room).
 */
size_t n_tty_receive_room(const struct n_tty *ld);
/* The next signal input raised (0: none left). */
int n_tty_take_signal(struct n_tty *ld);

/*
 * A read can take something: a complete line (canonical), else at least
 * amt bytes (0 counts as 1).
 */
bool n_tty_readable(const struct n_tty *ld, size_t amt);
/*
 * Copy input for read() into buf (at most n): canonical mode stops after
 * a line's delimiter (an EOF is not copied), else takes what there is.
 * *more says the same line (canonical) or more input (otherwise) is
 * there to copy.
 */
size_t n_tty_read(struct n_tty *ld, unsigned char *buf, size_t n, bool *more);
/* A canonical read that filled its buffer right before an EOF eats it. */
void n_tty_skip_eof(struct n_tty *ld);
/* FIONREAD: complete lines (without EOFs), or every byte (non-canonical). */
size_t n_tty_inq(const struct n_tty *ld);

/* Output n bytes with OPOST processing; 0 while output is stopped. */
size_t n_tty_write(struct n_tty *ld, const unsigned char *buf, size_t n);
/* Bytes waiting to go out (echoes held while stopped). */
size_t n_tty_outq(const struct n_tty *ld);

void n_tty_flush_input(struct n_tty *ld);	/* TCIFLUSH */
void n_tty_flush_output(struct n_tty *ld);	/* TCOFLUSH: held echoes */
/* Flow control: ^S/^Q and TCXONC's TCOOFF/TCOON. */
void n_tty_stop(struct n_tty *ld);
void n_tty_start(struct n_tty *ld);
void n_tty_tco_stop(struct n_tty *ld);
void n_tty_tco_start(struct n_tty *ld);
/* Send c now, even while output is stopped (TCIOFF/TCION's STOP/START). */
void n_tty_send_xchar(struct n_tty *ld, unsigned char c);

#endif
