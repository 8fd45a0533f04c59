/*
 * kernel/printk.c on the host: timestamps from the clock source, level
 * filtering, continuation lines, replay of the log buffer to a console
 * that registers late, and replay after the ring buffer wrapped.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include "host_test.h"

/* The kernel's API, by its renamed or own names. */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	void *priv;
	struct console *next;
};
struct clocksource {
	const char *name;
	uint64_t (*read)(const struct clocksource *cs);
	int rating;
	uint32_t vdso_mode;
};
int printk(const char *fmt, ...);
void console_register(struct console *con);
size_t log_buf_read(char *buf, size_t size);
void clocksource_register(const struct clocksource *cs, uint64_t freq_hz);

static char out[8192];
static size_t out_len;

static void
capture(struct console *con, const char *s, size_t len)
{
	if (out_len + len < sizeof(out)) {
		memcpy(out + out_len, s, len);
		out_len += len;
		out[out_len] = '\0';
	}
}

static struct console cap = { "capture", capture, NULL, NULL };
static uint64_t fake_count;

static uint64_t
fake_read(const struct clocksource *cs)
{
	return fake_count;
}

static const struct clocksource fake_clock = { "fake", fake_read, 1, 0 };

/* One test program, one log buffer: the tests run in name order. */
HOST_TEST(a_replay_to_late_console)
{
	printk("\0016early line %d\n", 1);
	printk("\0017debug line\n");
	CHECK(out_len == 0);
	console_register(&cap);
	CHECK(strstr(out, "[    0.000000] early line 1\n") != NULL);
	CHECK(strstr(out, "debug line") == NULL);	/* above CONFIG_LOGLEVEL */
}

HOST_TEST(b_timestamps_from_clock)
{
	out_len = 0;
	fake_count = 1500000;		/* 1.5 s at 1 MHz */
	clocksource_register(&fake_clock, 1000000);
	out_len = 0;
	printk("\0016stamped\n");
	CHECK_STREQ(out, "[    1.500000] stamped\n");
	out_len = 0;
	fake_count = 123456789012ULL;	/* 123456.789012 s */
	printk("\0013big\n");
	CHECK_STREQ(out, "[123456.789012] big\n");

	/* A better clock without a rate is refused; the stamps stay right. */
	static const struct clocksource rateless = { "rateless", fake_read, 2, 0 };

	clocksource_register(&rateless, 0);
	CHECK(strstr(out, "clock source rateless has no rate") != NULL);
	out_len = 0;
	printk("\0013still\n");
	CHECK_STREQ(out, "[123456.789012] still\n");
}

HOST_TEST(c_continuation_and_raw)
{
	fake_count = 0;
	out_len = 0;
	printk("\0016a");
	printk("\001cb");
	printk("\001cc\n");
	printk("\001rTAP line\n");
	printk("\0016unterminated");
	printk("\0016next\n");		/* a new message ends the open line */
	CHECK_STREQ(out, "[    0.000000] abc\nTAP line\n[    0.000000] unterminated\n"
			 "[    0.000000] next\n");
}

HOST_TEST(d_debug_kept_in_buffer)
{
	char buf[2048];

	printk("\0017only in the buffer\n");
	log_buf_read(buf, sizeof(buf));
	CHECK(strstr(buf, "only in the buffer") != NULL);
}

HOST_TEST(e_wrapped_buffer_replays_whole_lines)
{
	static struct console late = { "late", capture, NULL, NULL };

	for (int i = 0; i < 200; i++)
		printk("\0016filler line number %03d\n", i);
	out_len = 0;
	console_register(&late);
	/* 1 KiB holds the last lines; the first replayed line is complete. */
	CHECK(strncmp(out, "[    0.000000] filler line number ", 34) == 0);
	CHECK(strstr(out, "filler line number 199\n") != NULL);
	CHECK(strstr(out, "filler line number 000") == NULL);
	CHECK(out_len <= 1024);
}

HOST_TEST(f_long_message_truncated)
{
	char big[600];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	out_len = 0;
	printk("\0016%s\n", big);
	/* Two consoles capture into out: each got one line under 256 + stamp. */
	CHECK(out_len < 2 * 300);
	CHECK(strstr(out, "...\n") != NULL);
}
