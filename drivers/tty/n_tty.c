/*
 * N_TTY, the line discipline: input editing, echo, signal characters,
 * flow control and output processing, with Linux's rules (see
 * <kernel/n_tty.h>; the caller holds the port lock around every call).
 *
 * Behaviour worth knowing, all Linux's:
 * - which bytes are special depends on the modes as Linux's char_map
 *   does: a literal LF typed in non-canonical mode with ECHOCTL echoes
 *   as "^J", a CR mapped by ICRNL echoes as a newline; a c_cc entry of 0
 *   is disabled, a NUL byte is never special;
 * - canonical input holds 4095 characters plus the delimiter: once the
 *   buffer is full of one unfinished line, each new character replaces
 *   the last one (erase, kill and the delimiter still work);
 * - EOF at the start of a line makes read() return 0, elsewhere it ends
 *   the line without being returned;
 * - a signal character flushes the input (unless NOFLSH), restarts
 *   stopped output (IXON) and echoes as "^C";
 * - erase of a tab backs up to where the tab started, from the column
 *   the line started at (canon_column) or the previous tab.
 * Not done (Linux does): IXOFF input flow control, breaks and parity
 * errors (the UARTs report neither), EXTPROC, PARMRK marking.
 */
#include <kernel/n_tty.h>
#include <kernel/signal.h>
#include <string.h>

#define MASK(i)		((i) & (N_TTY_BUF_SIZE - 1))

#define I(ld, f)	(((ld)->termios.c_iflag & (f)) != 0)
#define O(ld, f)	(((ld)->termios.c_oflag & (f)) != 0)
#define L(ld, f)	(((ld)->termios.c_lflag & (f)) != 0)

/* ---- Linux's Latin-1 character classes (lib/ctype.c) ---- */

static bool
is_cntrl(unsigned char c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

static bool
is_lower(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 0xdf && c != 0xf7);
}

static bool
is_upper(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7);
}

static bool
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || is_lower(c) || is_upper(c);
}

static unsigned char
to_upper(unsigned char c)
{
	return is_lower(c) ? (unsigned char)(c - ('a' - 'A')) : c;
}

static unsigned char
to_lower(unsigned char c)
{
	return is_upper(c) ? (unsigned char)(c + ('a' - 'A')) : c;
}

static bool
is_continuation(const struct n_tty *ld, unsigned char c)
{
	return I(ld, IUTF8) && (c & 0xc0) == 0x80;
}

/* c is the enabled control character idx (0 disables an entry). */
static bool
is_cc(const struct n_tty *ld, unsigned char c, unsigned int idx)
{
	return c != _POSIX_VDISABLE && c == ld->termios.c_cc[idx];
}

/* ---- settings ---- */

static const speed_t baud_table[] = {
	0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
	57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000,
	2000000, 2500000, 3000000, 3500000, 4000000,
};

static speed_t
baud_of(unsigned int cbaud, speed_t other)
{
	if (cbaud == BOTHER)
		return other;
	if (cbaud & CBAUDEX)
		cbaud = (cbaud & ~CBAUDEX) + 15;
	return cbaud < sizeof(baud_table) / sizeof(baud_table[0]) ? baud_table[cbaud] : 0;
}

speed_t
termios_baud_rate(const struct termios2 *t)
{
	return baud_of(t->c_cflag & CBAUD, t->c_ospeed);
}

speed_t
termios_input_baud_rate(const struct termios2 *t)
{
	unsigned int cbaud = (t->c_cflag >> IBSHIFT) & CBAUD;

	if (cbaud == B0)
		return termios_baud_rate(t);	/* B0 input: the output speed */
	return baud_of(cbaud, t->c_ispeed);
}

void
n_tty_default_termios(struct termios2 *t)
{
	/* Linux's tty_std_termios with the serial console's 115200 8N1 and CLOCAL. */
	static const cc_t cc[NCCS] = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSTART] = 021, [VSTOP] = 023,
		[VSUSP] = 032, [VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027,
		[VLNEXT] = 026,
	};

	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(t->c_cc, cc, sizeof(cc));
	t->c_ispeed = t->c_ospeed = 115200;
}

/* ---- output ---- */

static void
flush_out(struct n_tty *ld)
{
	if (ld->olen) {
		ld->write(ld->ctx, ld->obuf, ld->olen);
		ld->olen = 0;
	}
}

/* One byte to the device, or held (echoes only reach here while stopped). */
static void
put_out(struct n_tty *ld, unsigned char c)
{
	if (ld->stopped) {
		if (ld->echo_len < sizeof(ld->echo_buf))
			ld->echo_buf[ld->echo_len++] = c;
		else
			ld->echo_lost++;
		return;
	}
	ld->obuf[ld->olen++] = c;
	if (ld->olen == sizeof(ld->obuf))
		flush_out(ld);
}

/* One byte with OPOST processing, keeping the column (Linux's do_output_char). */
static void
output_char(struct n_tty *ld, unsigned char c)
{
	unsigned int spaces;

	if (!O(ld, OPOST)) {
		put_out(ld, c);
		return;
	}
	switch (c) {
	case '\n':
		if (O(ld, ONLRET))
			ld->column = 0;
		if (O(ld, ONLCR)) {
			ld->canon_column = ld->column = 0;
			put_out(ld, '\r');
			break;
		}
		ld->canon_column = ld->column;
		break;
	case '\r':
		if (O(ld, ONOCR) && ld->column == 0)
			return;
		if (O(ld, OCRNL)) {
			c = '\n';
			if (O(ld, ONLRET))
				ld->canon_column = ld->column = 0;
			break;
		}
		ld->canon_column = ld->column = 0;
		break;
	case '\t':
		spaces = 8 - (ld->column & 7);
		ld->column += spaces;
		if ((ld->termios.c_oflag & TABDLY) == XTABS) {
			while (spaces--)
				put_out(ld, ' ');
			return;
		}
		break;
	case '\b':
		if (ld->column > 0)
			ld->column--;
		break;
	default:
		if (!is_cntrl(c)) {
			if (O(ld, OLCUC))
				c = to_upper(c);
			if (!is_continuation(ld, c))
				ld->column++;
		}
		break;
	}
	put_out(ld, c);
}

size_t
n_tty_write(struct n_tty *ld, const unsigned char *buf, size_t n)
{
	if (ld->stopped)
		return 0;
	for (size_t i = 0; i < n; i++)
		output_char(ld, buf[i]);
	flush_out(ld);
	return n;
}

size_t
n_tty_outq(const struct n_tty *ld)
{
	return ld->echo_len;
}

/* ---- echo ---- */

/* A byte as is (OPOST still applies: "\n" goes out as "\r\n"). */
static void
echo_raw(struct n_tty *ld, unsigned char c)
{
	output_char(ld, c);
}

/* A byte, control characters as "^X" under ECHOCTL (not tab). */
static void
echo_char(struct n_tty *ld, unsigned char c)
{
	if (L(ld, ECHOCTL) && is_cntrl(c) && c != '\t') {
		put_out(ld, '^');
		put_out(ld, c ^ 0100);
		ld->column += 2;
		return;
	}
	output_char(ld, c);
}

/* The first character of a line records where on screen the line starts. */
static void
echo_set_canon_col(struct n_tty *ld)
{
	if (ld->canon_head == ld->read_head)
		ld->canon_column = ld->column;
}

static void
finish_erasing(struct n_tty *ld)
{
	if (ld->erasing) {
		echo_raw(ld, '/');
		ld->erasing = false;
	}
}

/*
 * Back up over an erased tab: to the column after the previous tab, or
 * from the line's start column, by what the characters since then took.
 */
static void
echo_erase_tab(struct n_tty *ld, unsigned int cols, bool after_tab)
{
	unsigned int bs;

	if (!after_tab)
		cols += ld->canon_column;
	bs = 8 - (cols & 7);
	while (bs--) {
		put_out(ld, '\b');
		if (ld->column > 0)
			ld->column--;
	}
}

/* ---- input ---- */

static unsigned char
rbuf(const struct n_tty *ld, size_t i)
{
	return ld->read_buf[MASK(i)];
}

static bool
line_end_test(const struct n_tty *ld, size_t i)
{
	return (ld->line_end[MASK(i) / 8] >> (MASK(i) % 8)) & 1;
}

static void
line_end_set(struct n_tty *ld, size_t i, bool on)
{
	unsigned char bit = (unsigned char)(1u << (MASK(i) % 8));

	if (on)
		ld->line_end[MASK(i) / 8] |= bit;
	else
		ld->line_end[MASK(i) / 8] &= (unsigned char)~bit;
}

static void
put_queue(struct n_tty *ld, unsigned char c)
{
	if (ld->read_head - ld->read_tail >= N_TTY_BUF_SIZE)
		return;			/* PARMRK doubling in a full line */
	ld->read_buf[MASK(ld->read_head)] = c;
	line_end_set(ld, ld->read_head, false);
	ld->read_head++;
}

static void
reset_input(struct n_tty *ld)
{
	ld->read_head = ld->read_tail = ld->canon_head = 0;
	memset(ld->line_end, 0, sizeof(ld->line_end));
	ld->erasing = false;
	ld->lnext = false;
}

void
n_tty_flush_input(struct n_tty *ld)
{
	reset_input(ld);
}

void
n_tty_flush_output(struct n_tty *ld)
{
	ld->echo_len = 0;
}

static void
raise_signal(struct n_tty *ld, int sig)
{
	if (ld->nr_sigs < N_TTY_MAX_SIGS)
		ld->sigs[ld->nr_sigs++] = sig;
}

int
n_tty_take_signal(struct n_tty *ld)
{
	int sig;

	if (!ld->nr_sigs)
		return 0;
	sig = ld->sigs[0];
	ld->nr_sigs--;
	memmove(ld->sigs, ld->sigs + 1, ld->nr_sigs * sizeof(ld->sigs[0]));
	return sig;
}

/* ---- flow control ---- */

void
n_tty_stop(struct n_tty *ld)
{
	flush_out(ld);
	ld->stopped = true;
}

void
n_tty_start(struct n_tty *ld)
{
	if (!ld->stopped || ld->tco_stopped)
		return;
	ld->stopped = false;
	for (size_t i = 0; i < ld->echo_len; i++)
		put_out(ld, ld->echo_buf[i]);
	ld->echo_len = 0;
	flush_out(ld);
}

void
n_tty_tco_stop(struct n_tty *ld)
{
	if (!ld->tco_stopped) {
		n_tty_stop(ld);
		ld->tco_stopped = true;
	}
}

void
n_tty_tco_start(struct n_tty *ld)
{
	if (ld->tco_stopped) {
		ld->tco_stopped = false;
		n_tty_start(ld);
	}
}

void
n_tty_send_xchar(struct n_tty *ld, unsigned char c)
{
	flush_out(ld);
	ld->write(ld->ctx, &c, 1);
}

static void
restart_on_any(struct n_tty *ld)
{
	if (ld->stopped && !ld->tco_stopped && I(ld, IXON) && I(ld, IXANY))
		n_tty_start(ld);
}

/* ---- editing ---- */

enum erase_kind { ERASE, WERASE, KILL };

/* Erase echo for one character c that took cnt bytes (ECHO on). */
static void
echo_erase_one(struct n_tty *ld, enum erase_kind kind, unsigned char c, size_t head,
	       size_t cnt)
{
	if (L(ld, ECHOPRT)) {
		if (!ld->erasing) {
			echo_raw(ld, '\\');
			ld->erasing = true;
		}
		echo_char(ld, c);
		while (--cnt > 0) {
			/* the rest of a multibyte character, without moving on */
			echo_raw(ld, rbuf(ld, ++head));
			if (ld->column > 0)
				ld->column--;
		}
	} else if (kind == ERASE && !L(ld, ECHOE)) {
		echo_char(ld, ld->termios.c_cc[VERASE]);
	} else if (c == '\t') {
		unsigned int cols = 0;
		bool after_tab = false;

		for (size_t tail = ld->read_head; tail != ld->canon_head;) {
			unsigned char p = rbuf(ld, --tail);

			if (p == '\t') {
				after_tab = true;
				break;
			} else if (is_cntrl(p)) {
				if (L(ld, ECHOCTL))
					cols += 2;
			} else if (!is_continuation(ld, p)) {
				cols++;
			}
		}
		echo_erase_tab(ld, cols, after_tab);
	} else {
		/* A "^X" takes two columns: two erasures. */
		if (is_cntrl(c) && L(ld, ECHOCTL)) {
			echo_raw(ld, '\b');
			echo_raw(ld, ' ');
			echo_raw(ld, '\b');
		}
		if (!is_cntrl(c) || L(ld, ECHOCTL)) {
			echo_raw(ld, '\b');
			echo_raw(ld, ' ');
			echo_raw(ld, '\b');
		}
	}
}

/* VERASE, VWERASE (ALTWERASE: trailing non-word characters, then a word), VKILL. */
static void
eraser(struct n_tty *ld, unsigned char c)
{
	enum erase_kind kind;
	unsigned int seen_alnums = 0;

	if (ld->read_head == ld->canon_head)
		return;			/* nothing of this line left */
	if (is_cc(ld, c, VERASE)) {
		kind = ERASE;
	} else if (is_cc(ld, c, VWERASE)) {
		kind = WERASE;
	} else {
		if (!L(ld, ECHO)) {
			ld->read_head = ld->canon_head;
			return;
		}
		if (!L(ld, ECHOK) || !L(ld, ECHOKE) || !L(ld, ECHOE)) {
			/* Show the kill character, a newline with ECHOK. */
			ld->read_head = ld->canon_head;
			finish_erasing(ld);
			echo_char(ld, ld->termios.c_cc[VKILL]);
			if (L(ld, ECHOK))
				echo_raw(ld, '\n');
			return;
		}
		kind = KILL;
	}

	while (MASK(ld->read_head) != MASK(ld->canon_head)) {
		size_t head = ld->read_head, cnt;

		do {
			c = rbuf(ld, --head);
		} while (is_continuation(ld, c) && MASK(head) != MASK(ld->canon_head));
		if (is_continuation(ld, c))
			break;		/* never half a character */
		if (kind == WERASE) {
			if (is_alnum(c) || c == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		cnt = ld->read_head - head;
		ld->read_head = head;
		if (L(ld, ECHO))
			echo_erase_one(ld, kind, c, head, cnt);
		if (kind == ERASE)
			break;
	}
	if (ld->read_head == ld->canon_head && L(ld, ECHO))
		finish_erasing(ld);
}

/* A delimiter: the line is complete (c is 0 for an EOF, not returned). */
static void
end_line(struct n_tty *ld, unsigned char c)
{
	size_t at = ld->read_head;

	put_queue(ld, c);
	if (ld->read_head != at) {
		line_end_set(ld, at, true);
		ld->canon_head = ld->read_head;
	}
}

/* An ordinary character (Linux's n_tty_receive_char). */
static void
receive_plain(struct n_tty *ld, unsigned char c)
{
	restart_on_any(ld);
	if (L(ld, ECHO)) {
		finish_erasing(ld);
		echo_set_canon_col(ld);
		echo_char(ld, c);
	}
	if (c == 0377 && I(ld, PARMRK))
		put_queue(ld, c);
	put_queue(ld, c);
}

static void
signal_char(struct n_tty *ld, int sig, unsigned char c)
{
	if (!L(ld, NOFLSH)) {
		flush_out(ld);		/* what is staged counts as sent */
		reset_input(ld);
		ld->echo_len = 0;
	}
	raise_signal(ld, sig);
	if (I(ld, IXON))
		n_tty_start(ld);
	if (L(ld, ECHO))
		echo_char(ld, c);
}

/* What Linux's char_map marks for these modes: the bytes needing a look. */
static bool
is_special(const struct n_tty *ld, unsigned char c)
{
	if (c == _POSIX_VDISABLE)
		return false;
	if (c == '\r' && (I(ld, IGNCR) || I(ld, ICRNL)))
		return true;
	if (c == '\n' && (I(ld, INLCR) || L(ld, ICANON)))
		return true;
	if (L(ld, ICANON)) {
		if (is_cc(ld, c, VERASE) || is_cc(ld, c, VKILL) || is_cc(ld, c, VEOF) ||
		    is_cc(ld, c, VEOL))
			return true;
		if (L(ld, IEXTEN) && (is_cc(ld, c, VWERASE) || is_cc(ld, c, VLNEXT) ||
				      is_cc(ld, c, VEOL2) ||
				      (L(ld, ECHO) && is_cc(ld, c, VREPRINT))))
			return true;
	}
	if (I(ld, IXON) && (is_cc(ld, c, VSTART) || is_cc(ld, c, VSTOP)))
		return true;
	if (L(ld, ISIG) && (is_cc(ld, c, VINTR) || is_cc(ld, c, VQUIT) || is_cc(ld, c, VSUSP)))
		return true;
	return false;
}

/* Linux's n_tty_receive_char_special. */
static void
receive_special(struct n_tty *ld, unsigned char c)
{
	if (I(ld, IXON)) {
		if (is_cc(ld, c, VSTART)) {
			n_tty_start(ld);
			return;
		}
		if (is_cc(ld, c, VSTOP)) {
			n_tty_stop(ld);
			return;
		}
	}
	if (L(ld, ISIG)) {
		if (is_cc(ld, c, VINTR)) {
			signal_char(ld, SIGINT, c);
			return;
		}
		if (is_cc(ld, c, VQUIT)) {
			signal_char(ld, SIGQUIT, c);
			return;
		}
		if (is_cc(ld, c, VSUSP)) {
			signal_char(ld, SIGTSTP, c);
			return;
		}
	}
	restart_on_any(ld);

	if (c == '\r') {
		if (I(ld, IGNCR))
			return;
		if (I(ld, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(ld, INLCR)) {
		c = '\r';
	}

	if (ld->icanon) {
		if (is_cc(ld, c, VERASE) || is_cc(ld, c, VKILL) ||
		    (is_cc(ld, c, VWERASE) && L(ld, IEXTEN))) {
			eraser(ld, c);
			return;
		}
		if (is_cc(ld, c, VLNEXT) && L(ld, IEXTEN)) {
			ld->lnext = true;
			if (L(ld, ECHO)) {
				finish_erasing(ld);
				if (L(ld, ECHOCTL)) {
					/* "^" under the cursor until the next character */
					echo_raw(ld, '^');
					echo_raw(ld, '\b');
				}
			}
			return;
		}
		if (is_cc(ld, c, VREPRINT) && L(ld, ECHO) && L(ld, IEXTEN)) {
			finish_erasing(ld);
			echo_char(ld, c);
			echo_raw(ld, '\n');
			for (size_t i = ld->canon_head; i != ld->read_head; i++)
				echo_char(ld, rbuf(ld, i));
			return;
		}
		if (c == '\n') {
			if (L(ld, ECHO) || L(ld, ECHONL))
				echo_raw(ld, '\n');
			end_line(ld, c);
			return;
		}
		if (is_cc(ld, c, VEOF)) {
			end_line(ld, 0);
			return;
		}
		if (is_cc(ld, c, VEOL) || (is_cc(ld, c, VEOL2) && L(ld, IEXTEN))) {
			if (L(ld, ECHO)) {
				echo_set_canon_col(ld);
				echo_char(ld, c);
			}
			if (c == 0377 && I(ld, PARMRK))
				put_queue(ld, c);
			end_line(ld, c);
			return;
		}
	}

	if (L(ld, ECHO)) {
		finish_erasing(ld);
		if (c == '\n') {
			echo_raw(ld, '\n');
		} else {
			echo_set_canon_col(ld);
			echo_char(ld, c);
		}
	}
	if (c == 0377 && I(ld, PARMRK))
		put_queue(ld, c);
	put_queue(ld, c);
}

/*
 * Room for the next byte: Linux keeps one slot for a canonical line's
 * delimiter, and while one unfinished line fills the buffer it lets a
 * byte through anyway, over the last one (so erase and newline work).
 */
static long
input_room(const struct n_tty *ld)
{
	long room = (long)(N_TTY_BUF_SIZE - (ld->read_head - ld->read_tail));

	if (I(ld, PARMRK))
		room = (room + 2) / 3;
	return room - 1;
}

static bool
overflowing(const struct n_tty *ld)
{
	return ld->icanon && ld->canon_head == ld->read_tail;
}

size_t
n_tty_receive_room(const struct n_tty *ld)
{
	long room = input_room(ld);

	if (room > 0)
		return (size_t)room;
	return overflowing(ld) ? 1 : 0;
}

size_t
n_tty_receive(struct n_tty *ld, const unsigned char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = buf[i];
		long room = input_room(ld);

		if (room <= 0) {
			if (!overflowing(ld))
				break;
			if (room < 0)
				ld->read_head--;	/* the line's last byte makes way */
		}
		if (I(ld, ISTRIP))
			c &= 0x7f;
		if (I(ld, IUCLC) && L(ld, IEXTEN))
			c = to_lower(c);
		if (ld->lnext) {
			ld->lnext = false;
			receive_plain(ld, c);
		} else if (is_special(ld, c)) {
			receive_special(ld, c);
		} else {
			receive_plain(ld, c);
		}
	}
	flush_out(ld);
	return i;
}

/* ---- reading ---- */

bool
n_tty_readable(const struct n_tty *ld, size_t amt)
{
	if (ld->icanon)
		return ld->canon_head != ld->read_tail;
	return ld->read_head - ld->read_tail >= (amt ? amt : 1);
}

static void
copy_out(const struct n_tty *ld, unsigned char *buf, size_t n)
{
	size_t tail = MASK(ld->read_tail), first = N_TTY_BUF_SIZE - tail;

	if (first > n)
		first = n;
	memcpy(buf, ld->read_buf + tail, first);
	memcpy(buf + first, ld->read_buf, n - first);
}

size_t
n_tty_read(struct n_tty *ld, unsigned char *buf, size_t n, bool *more)
{
	size_t avail, len, used;
	bool found = false;

	if (!ld->icanon) {
		avail = ld->read_head - ld->read_tail;
		len = n < avail ? n : avail;
		copy_out(ld, buf, len);
		ld->read_tail += len;
		*more = ld->read_tail != ld->read_head;
		return len;
	}
	avail = ld->canon_head - ld->read_tail;
	if (n > avail)
		n = avail;
	for (len = 0; len < n; len++)
		if (line_end_test(ld, ld->read_tail + len)) {
			found = true;
			break;
		}
	used = len + found;
	if (!found || rbuf(ld, ld->read_tail + len) != 0)
		len = used;		/* the delimiter goes too, unless an EOF */
	copy_out(ld, buf, len);
	if (found)
		line_end_set(ld, ld->read_tail + used - 1, false);
	ld->read_tail += used;
	*more = !found && ld->read_tail != ld->canon_head;
	return len;
}

void
n_tty_skip_eof(struct n_tty *ld)
{
	if (ld->icanon && ld->read_tail != ld->canon_head &&
	    line_end_test(ld, ld->read_tail) && rbuf(ld, ld->read_tail) == 0) {
		line_end_set(ld, ld->read_tail, false);
		ld->read_tail++;
	}
}

size_t
n_tty_inq(const struct n_tty *ld)
{
	size_t nr;

	if (!ld->icanon)
		return ld->read_head - ld->read_tail;
	nr = ld->canon_head - ld->read_tail;
	for (size_t i = ld->read_tail; i != ld->canon_head; i++)
		if (line_end_test(ld, i) && rbuf(ld, i) == 0)
			nr--;		/* EOFs are not data */
	return nr;
}

/* ---- setup ---- */

void
n_tty_set_termios(struct n_tty *ld, const struct termios2 *t)
{
	struct termios2 old = ld->termios;

	ld->termios = *t;
	if ((old.c_lflag ^ t->c_lflag) & ICANON) {
		/* What waits becomes one line when canonical mode starts. */
		memset(ld->line_end, 0, sizeof(ld->line_end));
		if (!(t->c_lflag & ICANON) || ld->read_head == ld->read_tail) {
			ld->canon_head = ld->read_tail;
		} else {
			line_end_set(ld, ld->read_head - 1, true);
			ld->canon_head = ld->read_head;
		}
		ld->erasing = false;
		ld->lnext = false;
	}
	ld->icanon = (t->c_lflag & ICANON) != 0;
	if (!(t->c_iflag & IXON) && (old.c_iflag & IXON) && !ld->tco_stopped)
		n_tty_start(ld);
}

void
n_tty_init(struct n_tty *ld, const struct termios2 *t,
	   void (*write)(void *ctx, const unsigned char *s, size_t n), void *ctx)
{
	memset(ld, 0, sizeof(*ld));
	ld->write = write;
	ld->ctx = ctx;
	ld->termios = *t;
	ld->icanon = (t->c_lflag & ICANON) != 0;
}
