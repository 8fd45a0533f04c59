/*
 * Portable pieces of proc's formats (no kernel state): number layouts
 * Linux's files use, and the parser the tests read meminfo lines with.
 * Host-tested (fs/proc/tests/host/format_host_test.c).
 */
#ifndef FS_PROC_FORMAT_H
#define FS_PROC_FORMAT_H

#include <kernel/types.h>

struct seqbuf;

#define USER_HZ		100		/* clock_t units of /proc/stat */

/* "MemTotal:        1234567 kB\n": the label (with its colon) in 15 columns. */
void proc_show_kb(struct seqbuf *s, const char *label, unsigned long long kb);
/* Nanoseconds as seconds with two decimals, "12.34" (truncated, as Linux). */
void proc_show_centis(struct seqbuf *s, uint64_t ns);
/* Nanoseconds in USER_HZ ticks. */
uint64_t proc_ns_to_clock_t(uint64_t ns);
/* Width of the IRQ-number column in /proc/interrupts for nr_irqs (>= 3). */
int proc_irq_prec(unsigned int nr_irqs);
/*
 * One meminfo line (without its newline) in exactly Linux's layout: the
 * name and colon, spaces to column 16, the value right-aligned to column
 * 24 (or wider, unpadded), " kB".  Fills name (NUL-terminated, cut to
 * namesz) and *kb; false if the line is not in that layout.
 */
bool proc_parse_kb_line(const char *line, size_t len, char *name, size_t namesz,
			unsigned long long *kb);

#endif
