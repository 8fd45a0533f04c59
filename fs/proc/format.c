/*
 * Portable pieces of proc's formats (format.h).
 */
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <string.h>

#include "format.h"

void
proc_show_kb(struct seqbuf *s, const char *label, unsigned long long kb)
{
	seqbuf_printf(s, "%-15s %8llu kB\n", label, kb);
}

void
proc_show_centis(struct seqbuf *s, uint64_t ns)
{
	uint64_t sec = ns / 1000000000u;
	unsigned int centis = (unsigned int)(ns % 1000000000u / 10000000u);

	seqbuf_printf(s, "%llu.%02u", (unsigned long long)sec, centis);
}

uint64_t
proc_ns_to_clock_t(uint64_t ns)
{
	return ns / (1000000000u / USER_HZ);
}

int
proc_irq_prec(unsigned int nr_irqs)
{
	int prec = 3;

	/* Linux: for (prec = 3, j = 1000; prec < 10 && j <= nr_irqs; ++prec) j *= 10; */
	for (unsigned long long j = 1000; prec < 10 && j <= nr_irqs; j *= 10)
		prec++;
	return prec;
}

bool
proc_parse_kb_line(const char *line, size_t len, char *name, size_t namesz,
		   unsigned long long *kb)
{
	const char *colon = memchr(line, ':', len);
	char label[64], again[128];
	size_t nlen, i;
	unsigned long long v = 0;
	int n;

	if (!colon || colon == line || (size_t)(colon - line) + 1 >= sizeof(label))
		return false;
	nlen = (size_t)(colon - line);
	memcpy(label, line, nlen + 1);
	label[nlen + 1] = '\0';
	for (i = nlen + 1; i < len && line[i] == ' '; i++)
		;
	if (i == len || line[i] < '0' || line[i] > '9')
		return false;
	for (; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
		if (v > (~0ull - 9) / 10)
			return false;
		v = v * 10 + (unsigned long long)(line[i] - '0');
	}
	/* The line must be exactly what Linux's layout prints for them. */
	n = snprintf(again, sizeof(again), "%-15s %8llu kB", label, v);
	if (n < 0 || (size_t)n != len || memcmp(again, line, len) != 0)
		return false;
	if (namesz) {
		size_t c = nlen < namesz - 1 ? nlen : namesz - 1;

		memcpy(name, line, c);
		name[c] = '\0';
	}
	*kb = v;
	return true;
}
