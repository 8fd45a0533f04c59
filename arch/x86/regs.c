/*
 * The register dump that trap reports end with, for both widths: each
 * half's arch_regs_dump() ({32,64}/regs.c) lists its frame's registers
 * in rows, and they are printed here in one format, so that the two
 * dumps read alike.  The control registers close the last row.
 */
#include <asm/x86.h>
#include <kernel/printk.h>
#include "internal.h"

/* The longest row, x86-64's last: two selectors and four CRs. */
#define LINE_SIZE	128

static size_t
append(char *line, size_t len, const char *name, uint64_t value, int digits)
{
	len += (size_t)snprintf(line + len, LINE_SIZE - len, "  %s %0*llx", name, digits,
				(unsigned long long)value);
	return len < LINE_SIZE ? len : LINE_SIZE - 1;
}

void
x86_regs_print(const struct x86_reg *regs, size_t n)
{
	char line[LINE_SIZE] = "";
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (regs[i].name) {
			len = append(line, len, regs[i].name, regs[i].value, regs[i].digits);
			continue;
		}
		printk(KERN_EMERG "%s\n", line);
		line[0] = '\0';
		len = 0;
	}
	/* CR2 is the fault address: a pointer's width, the others 32 bits. */
	len = append(line, len, "cr0", read_cr(0), 8);
	len = append(line, len, "cr2", read_cr(2), (int)(2 * sizeof(long)));
	len = append(line, len, "cr3", read_cr(3), 8);
	append(line, len, "cr4", read_cr(4), 8);
	printk(KERN_EMERG "%s\n", line);
}
