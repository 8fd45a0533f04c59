/* fs/proc/format.c: Linux's number layouts, checked against the host's printf. */
#include <stdint.h>
#include <stdio.h>
#include "host_test.h"
#include "kernel/seqbuf.h"
#include "../../format.h"

static char out[256];

static struct seqbuf *
fresh(void)
{
	static struct seqbuf s;

	seqbuf_init(&s, out, sizeof(out));
	out[0] = '\0';
	return &s;
}

HOST_TEST(kb_lines_as_linux)
{
	/* Linux's show_val_kb: the label in 16 columns, the value in 8, " kB". */
	struct seqbuf *s = fresh();

	proc_show_kb(s, "MemTotal:", 1012345);
	CHECK_STREQ(out, "MemTotal:        1012345 kB\n");
	s = fresh();
	proc_show_kb(s, "Inactive(anon):", 0);
	CHECK_STREQ(out, "Inactive(anon):        0 kB\n");
	s = fresh();
	proc_show_kb(s, "Slab:", 123456789012ull);
	CHECK_STREQ(out, "Slab:           123456789012 kB\n");
	/* The same as the host's printf of Linux's format. */
	s = fresh();
	proc_show_kb(s, "SwapFree:", 42);
	{
		char host[64];

		snprintf(host, sizeof(host), "%-15s %8llu kB\n", "SwapFree:", 42ull);
		CHECK_STREQ(out, host);
	}
}

HOST_TEST(kb_lines_parse)
{
	char name[32];
	unsigned long long kb = 0;
	const char *l1 = "MemTotal:        1012345 kB";
	const char *l2 = "Slab:           123456789012 kB";
	const char *l3 = "Inactive(anon):        0 kB";

	CHECK(proc_parse_kb_line(l1, strlen(l1), name, sizeof(name), &kb));
	CHECK_STREQ(name, "MemTotal");
	CHECK(kb == 1012345);
	CHECK(proc_parse_kb_line(l2, strlen(l2), name, sizeof(name), &kb));
	CHECK(kb == 123456789012ull);
	CHECK(proc_parse_kb_line(l3, strlen(l3), name, sizeof(name), &kb));
	CHECK_STREQ(name, "Inactive(anon)");
	CHECK(kb == 0);
	/* Anything off Linux's columns is refused. */
	CHECK(!proc_parse_kb_line("MemTotal: 1012345 kB", 20, name, sizeof(name), &kb));
	CHECK(!proc_parse_kb_line("MemTotal:       1012345 kB", 26, name, sizeof(name), &kb));
	CHECK(!proc_parse_kb_line("MemTotal:        1012345 KB", 27, name, sizeof(name), &kb));
	CHECK(!proc_parse_kb_line("MemTotal:        1012345", 24, name, sizeof(name), &kb));
	CHECK(!proc_parse_kb_line("MemTotal         1012345 kB", 27, name, sizeof(name), &kb));
	CHECK(!proc_parse_kb_line("MemTotal:        10x2345 kB", 27, name, sizeof(name), &kb));
	CHECK(!proc_parse_kb_line("", 0, name, sizeof(name), &kb));
}

HOST_TEST(centiseconds)
{
	struct seqbuf *s = fresh();

	proc_show_centis(s, 0);
	CHECK_STREQ(out, "0.00");
	s = fresh();
	proc_show_centis(s, 1999999999ull);	/* truncated, as Linux */
	CHECK_STREQ(out, "1.99");
	s = fresh();
	proc_show_centis(s, 12345678901234ull);
	CHECK_STREQ(out, "12345.67");
	s = fresh();
	proc_show_centis(s, 50000000ull);
	CHECK_STREQ(out, "0.05");
	CHECK(proc_ns_to_clock_t(1000000000ull) == 100);
	CHECK(proc_ns_to_clock_t(19999999ull) == 1);
}

HOST_TEST(irq_column_width)
{
	/* Linux: 3 digits up to 999 interrupts, one more per power of ten. */
	CHECK(proc_irq_prec(0) == 3);
	CHECK(proc_irq_prec(999) == 3);
	CHECK(proc_irq_prec(1000) == 4);
	CHECK(proc_irq_prec(1100) == 4);
	CHECK(proc_irq_prec(10000) == 5);
	CHECK(proc_irq_prec(0xffffffffu) == 10);
}
