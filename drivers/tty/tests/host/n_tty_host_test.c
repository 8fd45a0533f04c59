/*
 * drivers/tty/n_tty.c on the host: bytes typed in, what read() gets and
 * what goes back to the terminal, as Linux 6.1's n_tty does it (the
 * expected echoes are what a Linux serial line sends for the same
 * input): canonical editing (erase, kill, word erase, reprint, literal
 * next, EOF, EOL, the 4095-character line), echo flags, the signal
 * characters, CR/NL mapping, output processing and the column kept for
 * tab erase, XON/XOFF, non-canonical reads, mode switches, FIONREAD and
 * the room the flip buffer is fed by.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include <kernel/n_tty.h>

#define K_SIGINT	2
#define K_SIGQUIT	3
#define K_SIGTSTP	20

static char out[65536];
static size_t out_len;

static void
capture(void *ctx, const unsigned char *s, size_t n)
{
	if (out_len + n > sizeof(out) - 1)
		abort();
	memcpy(out + out_len, s, n);
	out_len += n;
	out[out_len] = '\0';
}

/* What went to the terminal since the last call. */
static const char *
echoed(void)
{
	static char copy[sizeof(out)];

	memcpy(copy, out, out_len + 1);
	out_len = 0;
	out[0] = '\0';
	return copy;
}

/* CHECK_STREQ evaluates its arguments twice: take the echo once. */
#define CHECK_ECHO(want) do {						\
	const char *got_ = echoed();					\
	CHECK_STREQ(got_, (want));					\
} while (0)

static struct n_tty ld;

static void
setup(void)
{
	struct termios2 t;

	n_tty_default_termios(&t);
	n_tty_init(&ld, &t, capture, NULL);
	out_len = 0;
	out[0] = '\0';
}

static void
set_flags(tcflag_t iset, tcflag_t iclr, tcflag_t oset, tcflag_t oclr, tcflag_t lset,
	  tcflag_t lclr)
{
	struct termios2 t = ld.termios;

	t.c_iflag = (t.c_iflag | iset) & ~iclr;
	t.c_oflag = (t.c_oflag | oset) & ~oclr;
	t.c_lflag = (t.c_lflag | lset) & ~lclr;
	n_tty_set_termios(&ld, &t);
}

static void
type_n(const char *s, size_t n)
{
	CHECK(n_tty_receive(&ld, (const unsigned char *)s, n) == n);
}

static void
type(const char *s)
{
	type_n(s, strlen(s));
}

/* One read(2) of up to n bytes, the way tty_read loops: NUL-terminated. */
static size_t
read_n(char *buf, size_t n)
{
	size_t done = 0;
	bool more = true;

	while (done < n && more && n_tty_readable(&ld, 0)) {
		done += n_tty_read(&ld, (unsigned char *)buf + done, n - done, &more);
		if (ld.icanon && !more)
			break;
	}
	if (ld.icanon && more && done == n)
		n_tty_skip_eof(&ld);
	buf[done] = '\0';
	return done;
}

static const char *
read_line(void)
{
	static char buf[8192];

	read_n(buf, sizeof(buf) - 1);
	return buf;
}

HOST_TEST(canonical_line_and_echo)
{
	setup();
	type("ls -l");
	CHECK(!n_tty_readable(&ld, 0));		/* no line yet */
	CHECK_ECHO("ls -l");
	type("\r");				/* ICRNL: Enter is a newline */
	CHECK(n_tty_readable(&ld, 0));
	CHECK_ECHO("\r\n");		/* ONLCR on the echo */
	CHECK_STREQ(read_line(), "ls -l\n");
	CHECK(!n_tty_readable(&ld, 0));
}

HOST_TEST(one_line_per_read)
{
	setup();
	type("one\ntwo\n");
	CHECK_STREQ(read_line(), "one\n");
	CHECK_STREQ(read_line(), "two\n");
}

HOST_TEST(short_read_takes_rest_of_line_later)
{
	char buf[8];

	setup();
	type("abcdef\n");
	CHECK(read_n(buf, 4) == 4);
	CHECK_STREQ(buf, "abcd");
	CHECK_STREQ(read_line(), "ef\n");
}

HOST_TEST(erase)
{
	setup();
	type("abx\x7f" "c\n");
	CHECK_ECHO("abx\b \bc\r\n");
	CHECK_STREQ(read_line(), "abc\n");
	/* Nothing to erase: nothing echoed. */
	type("\x7f");
	CHECK_ECHO("");
	/* ^H is not VERASE here: it is data, echoed as ^H. */
	type("a\b\n");
	CHECK_ECHO("a^H\r\n");
	CHECK_STREQ(read_line(), "a\b\n");
}

HOST_TEST(erase_with_backspace_as_verase)
{
	struct termios2 t;

	setup();
	t = ld.termios;
	t.c_cc[VERASE] = '\b';
	n_tty_set_termios(&ld, &t);
	type("ab\bc\n");
	CHECK_ECHO("ab\b \bc\r\n");
	CHECK_STREQ(read_line(), "ac\n");
	type("x\x7f\n");			/* DEL is data now */
	CHECK_STREQ(read_line(), "x\x7f\n");
}

HOST_TEST(erase_without_echoe_shows_the_erase_character)
{
	setup();
	set_flags(0, 0, 0, 0, 0, ECHOE);
	type("ab\x7f\n");
	CHECK_ECHO("ab^?\r\n");
	CHECK_STREQ(read_line(), "a\n");
}

HOST_TEST(erase_of_control_character_takes_two_columns)
{
	setup();
	type("a\x01\x7f");
	CHECK_ECHO("a^A\b \b\b \b");
	CHECK(ld.column == 1);
}

HOST_TEST(erase_of_tab_backs_up_to_its_start)
{
	const unsigned char prompt[] = "$ ";

	setup();
	n_tty_write(&ld, prompt, 2);			/* the shell's prompt: column 2 */
	CHECK_ECHO("$ ");
	type("\t");
	CHECK_ECHO("\t");
	CHECK(ld.column == 8);
	type("\x7f");
	CHECK_ECHO("\b\b\b\b\b\b");	/* back to column 2 */
	CHECK(ld.column == 2);
	/* After other characters: from the previous tab or the line start. */
	type("ab\tc\t\x7f");
	CHECK_ECHO("ab\tc\t\b\b\b\b\b\b\b");	/* column 16 back to 9 */
	CHECK(ld.column == 9);
}

HOST_TEST(kill_line)
{
	setup();
	type("hello\x15");
	CHECK_ECHO("hello\b \b\b \b\b \b\b \b\b \b");	/* ECHOKE */
	type("x\n");
	CHECK_STREQ(read_line(), "x\n");

	set_flags(0, 0, 0, 0, 0, ECHOKE);		/* ECHOK alone: ^U and a newline */
	type("abc\x15");
	CHECK_ECHO("x\r\nabc^U\r\n");
	set_flags(0, 0, 0, 0, 0, ECHOK);
	type("def\x15");
	CHECK_ECHO("def^U");
	type("y\n");
	CHECK_STREQ(read_line(), "y\n");
}

HOST_TEST(word_erase)
{
	setup();
	type("echo foo bar  \x17");
	CHECK_ECHO("echo foo bar  \b \b\b \b\b \b\b \b\b \b");
	type("baz\n");
	CHECK_STREQ(read_line(), "echo foo baz\n");
	/* Underscores and digits are word characters; "-" is not. */
	type("a-b_9\x17\n");
	CHECK_STREQ(read_line(), "a-\n");
	/* Without IEXTEN ^W is data. */
	set_flags(0, 0, 0, 0, 0, IEXTEN);
	type("x\x17\n");
	CHECK_STREQ(read_line(), "x\x17\n");
}

HOST_TEST(eof)
{
	char buf[16];

	setup();
	type("abc\x04");
	CHECK_ECHO("abc");		/* EOF is not echoed */
	CHECK(read_n(buf, sizeof(buf) - 1) == 3);	/* the line, without ^D */
	CHECK_STREQ(buf, "abc");
	CHECK(!n_tty_readable(&ld, 0));
	/* At the start of a line: a read of 0 bytes, end of file. */
	type("\x04");
	CHECK(n_tty_readable(&ld, 0));
	CHECK(read_n(buf, sizeof(buf) - 1) == 0);
	CHECK(!n_tty_readable(&ld, 0));
	/* A read that fills its buffer right before the EOF eats it. */
	type("xyz\x04");
	CHECK(read_n(buf, 3) == 3);
	CHECK(!n_tty_readable(&ld, 0));
	/* A shorter one leaves it for the next read, which gets the rest. */
	type("xyz\x04");
	CHECK(read_n(buf, 2) == 2);
	CHECK(read_n(buf, sizeof(buf) - 1) == 1);
	CHECK_STREQ(buf, "z");
	CHECK(!n_tty_readable(&ld, 0));
}

HOST_TEST(eol_and_eol2)
{
	struct termios2 t;

	setup();
	t = ld.termios;
	t.c_cc[VEOL] = '#';
	t.c_cc[VEOL2] = '%';
	n_tty_set_termios(&ld, &t);
	type("ab#cd%");
	CHECK_ECHO("ab#cd%");
	CHECK_STREQ(read_line(), "ab#");
	CHECK_STREQ(read_line(), "cd%");
	/* A disabled (0) c_cc entry never matches, and NUL is plain data. */
	type_n("a\0b\n", 4);
	{
		char buf[8];

		CHECK(read_n(buf, sizeof(buf) - 1) == 4);
		CHECK(buf[1] == '\0' && buf[2] == 'b');
	}
}

HOST_TEST(line_limit_4095)
{
	static char line[5001];
	const char *got;

	setup();
	memset(line, 'a', 5000);
	line[5000] = '\0';
	type(line);
	CHECK(!n_tty_readable(&ld, 0));
	type("\n");
	got = read_line();
	CHECK(strlen(got) == 4096);
	CHECK(got[4094] == 'a' && got[4095] == '\n');
	/* Erase still works on a full line. */
	type(line);
	type("\x7f\x7f\n");
	CHECK(strlen(read_line()) == 4094);
}

HOST_TEST(echoctl_and_echo_flags)
{
	setup();
	type("\x01\x1b[A");
	CHECK_ECHO("^A^[[A");
	set_flags(0, 0, 0, 0, 0, ECHOCTL);
	type("\x01");
	CHECK_ECHO("\x01");
	set_flags(0, 0, 0, 0, 0, ECHO);
	type("secret\n");
	CHECK_ECHO("");
	set_flags(0, 0, 0, 0, ECHONL, 0);
	type("pw\n");
	CHECK_ECHO("\r\n");		/* ECHONL: the newline only */
}

HOST_TEST(signal_characters)
{
	setup();
	type("abc\x03");
	CHECK(n_tty_take_signal(&ld) == K_SIGINT);
	CHECK(n_tty_take_signal(&ld) == 0);
	CHECK_ECHO("abc^C");
	CHECK(!n_tty_readable(&ld, 0));
	type("x\n");
	CHECK_STREQ(read_line(), "x\n");	/* "abc" was flushed */
	type("\x1c\x1a");
	CHECK(n_tty_take_signal(&ld) == K_SIGQUIT);
	CHECK(n_tty_take_signal(&ld) == K_SIGTSTP);
	CHECK_ECHO("x\r\n^\\^Z");
	/* NOFLSH keeps the input. */
	set_flags(0, 0, 0, 0, NOFLSH, 0);
	type("keep\x03\n");
	CHECK(n_tty_take_signal(&ld) == K_SIGINT);
	CHECK_STREQ(read_line(), "keep\n");
	/* Without ISIG ^C is data. */
	set_flags(0, 0, 0, 0, 0, ISIG);
	type("\x03\n");
	CHECK(n_tty_take_signal(&ld) == 0);
	CHECK_STREQ(read_line(), "\x03\n");
}

HOST_TEST(signal_in_raw_mode_flushes_pending_bytes)
{
	char buf[16];

	setup();
	set_flags(0, ICRNL, 0, 0, 0, ICANON | ECHO);
	type("ab\x03" "cd");
	CHECK(n_tty_take_signal(&ld) == K_SIGINT);
	CHECK(read_n(buf, sizeof(buf) - 1) == 2);
	CHECK_STREQ(buf, "cd");
}

HOST_TEST(cr_nl_mapping)
{
	setup();
	set_flags(0, ICRNL, 0, 0, 0, 0);
	type("a\rb\n");				/* CR is data in the line */
	CHECK_STREQ(read_line(), "a\rb\n");
	CHECK_ECHO("a^Mb\r\n");
	set_flags(IGNCR, 0, 0, 0, 0, 0);
	type("c\rd\n");
	CHECK_STREQ(read_line(), "cd\n");
	set_flags(INLCR, IGNCR, 0, 0, 0, ICANON);
	type("\n");
	{
		char buf[4];

		CHECK(read_n(buf, 3) == 1 && buf[0] == '\r');
	}
}

HOST_TEST(input_preprocessing)
{
	char buf[8];

	setup();
	set_flags(ISTRIP, 0, 0, 0, 0, ICANON | ECHO);
	type("\xe1");
	CHECK(read_n(buf, 7) == 1 && buf[0] == 'a');
	set_flags(IUCLC, ISTRIP, 0, 0, 0, 0);
	type("AbC\xc9");
	CHECK(read_n(buf, 7) == 4 && memcmp(buf, "abc\xe9", 4) == 0);
	set_flags(PARMRK, IUCLC, 0, 0, 0, 0);
	type("\xff");
	CHECK(read_n(buf, 7) == 2 && memcmp(buf, "\xff\xff", 2) == 0);
}

HOST_TEST(output_processing)
{
	const unsigned char text[] = "a\nb\rc\td";

	setup();
	CHECK(n_tty_write(&ld, text, 7) == 7);
	CHECK_ECHO("a\r\nb\rc\td");
	CHECK(ld.column == 9);
	setup();
	set_flags(0, 0, 0, ONLCR, 0, 0);
	n_tty_write(&ld, text, 7);
	CHECK_ECHO("a\nb\rc\td");
	setup();
	set_flags(0, 0, OCRNL | XTABS | OLCUC, ONLCR, 0, 0);
	n_tty_write(&ld, text, 7);
	CHECK_ECHO("A\nB\nC     D");	/* no ONLRET: column 3 at the tab */
	setup();
	set_flags(0, 0, ONOCR, 0, 0, 0);
	n_tty_write(&ld, (const unsigned char *)"\rx\r\r", 4);
	CHECK_ECHO("x\r");		/* no CR at column 0 */
	setup();
	set_flags(0, 0, 0, OPOST, 0, 0);
	n_tty_write(&ld, text, 7);
	CHECK_ECHO("a\nb\rc\td");
}

HOST_TEST(flow_control)
{
	const unsigned char msg[] = "out";

	setup();
	type("\x13");				/* ^S */
	CHECK(ld.stopped);
	CHECK(n_tty_write(&ld, msg, 3) == 0);
	type("ab");				/* echoes wait */
	CHECK_ECHO("");
	CHECK(n_tty_outq(&ld) == 2);
	type("\x11");				/* ^Q: they go out */
	CHECK(!ld.stopped);
	CHECK_ECHO("ab");
	CHECK(n_tty_write(&ld, msg, 3) == 3);
	CHECK_ECHO("out");
	CHECK(!n_tty_readable(&ld, 0));
	type("\n");
	CHECK_STREQ(read_line(), "ab\n");	/* ^S and ^Q are not data */

	/* IXANY: any character restarts; TCOOFF needs TCOON. */
	set_flags(IXANY, 0, 0, 0, 0, 0);
	type("\x13x");
	CHECK(!ld.stopped);
	n_tty_tco_stop(&ld);
	type("y\x11");
	CHECK(ld.stopped);
	n_tty_tco_start(&ld);
	CHECK(!ld.stopped);
	/* A signal character restarts output too. */
	type("\x13\x03");
	CHECK(!ld.stopped);
	/* Turning IXON off restarts it. */
	type("\x13");
	set_flags(0, IXON, 0, 0, 0, 0);
	CHECK(!ld.stopped);
	type("\x13\n");
	CHECK_STREQ(read_line(), "\x13\n");
}

HOST_TEST(literal_next_and_reprint)
{
	setup();
	type("\x16\x03");
	CHECK(n_tty_take_signal(&ld) == 0);
	CHECK_ECHO("^\b^C");
	type("x\x12");
	CHECK_ECHO("x^R\r\n^Cx");
	type("\n");
	CHECK_STREQ(read_line(), "\x03x\n");
}

HOST_TEST(echoprt)
{
	setup();
	set_flags(0, 0, 0, 0, ECHOPRT, 0);
	type("abc\x7f\x7f" "d\n");
	CHECK_ECHO("abc\\cb/d\r\n");
	CHECK_STREQ(read_line(), "ad\n");
}

HOST_TEST(utf8_erase)
{
	setup();
	set_flags(IUTF8, 0, 0, 0, 0, 0);
	type("a\xc3\xa9");
	CHECK(ld.column == 2);			/* é is one column */
	type("\x7f\n");
	CHECK_STREQ(read_line(), "a\n");
}

HOST_TEST(non_canonical)
{
	char buf[16];
	struct termios2 t;

	setup();
	t = ld.termios;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 3;
	n_tty_set_termios(&ld, &t);
	type("ab");
	CHECK(n_tty_readable(&ld, 0));		/* something is there */
	CHECK(!n_tty_readable(&ld, 3));		/* VMIN not reached */
	type("\x7f\x04\x15\n");			/* no editing: all data */
	CHECK(n_tty_readable(&ld, 3));
	CHECK(read_n(buf, sizeof(buf) - 1) == 6);
	CHECK(memcmp(buf, "ab\x7f\x04\x15\n", 6) == 0);
	CHECK_ECHO("");
	CHECK(n_tty_inq(&ld) == 0);
}

HOST_TEST(mode_switches)
{
	char buf[16];

	setup();
	type("part");
	set_flags(0, 0, 0, 0, 0, ICANON);	/* a partial line becomes readable */
	CHECK(n_tty_readable(&ld, 0));
	CHECK(read_n(buf, 2) == 2);
	set_flags(0, 0, 0, 0, ICANON, 0);	/* what waits becomes one line */
	CHECK(n_tty_readable(&ld, 0));
	CHECK_STREQ(read_line(), "rt");
	CHECK(!n_tty_readable(&ld, 0));
}

HOST_TEST(fionread)
{
	setup();
	type("ab\ncd\x04" "ef");
	CHECK(n_tty_inq(&ld) == 5);		/* "ab\n" "cd": no EOF, no "ef" */
	set_flags(0, 0, 0, 0, 0, ICANON);
	CHECK(n_tty_inq(&ld) == 8);		/* raw: every byte, the EOF's NUL too */
	n_tty_flush_input(&ld);
	CHECK(n_tty_inq(&ld) == 0);
}

HOST_TEST(room_for_the_flip_buffer)
{
	static char data[N_TTY_BUF_SIZE + 10];

	setup();
	set_flags(0, 0, 0, 0, 0, ICANON | ECHO);
	memset(data, 'z', sizeof(data));
	CHECK(n_tty_receive_room(&ld) == N_TTY_BUF_SIZE - 1);
	CHECK(n_tty_receive(&ld, (const unsigned char *)data, sizeof(data)) ==
	      N_TTY_BUF_SIZE - 1);
	CHECK(n_tty_receive_room(&ld) == 0);
	{
		char buf[100];

		CHECK(read_n(buf, 50) == 50);
	}
	CHECK(n_tty_receive_room(&ld) == 50);
	/* Canonical with no complete line: one at a time, over the last. */
	setup();
	memset(data, 'q', sizeof(data));
	CHECK(n_tty_receive(&ld, (const unsigned char *)data, sizeof(data)) == sizeof(data));
	CHECK(n_tty_receive_room(&ld) == 1);
}

HOST_TEST(baud_rates)
{
	struct termios2 t;

	setup();
	t = ld.termios;
	CHECK(termios_baud_rate(&t) == 115200);
	CHECK(termios_input_baud_rate(&t) == 115200);
	t.c_cflag = (t.c_cflag & ~CBAUD) | B9600;
	CHECK(termios_baud_rate(&t) == 9600);
	t.c_cflag = (t.c_cflag & ~CBAUD) | BOTHER;
	t.c_ospeed = 12345;
	CHECK(termios_baud_rate(&t) == 12345);
	t.c_cflag |= B57600 << IBSHIFT;
	CHECK(termios_input_baud_rate(&t) == 57600);
}
