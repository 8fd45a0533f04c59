/* Device-tree conventions the AArch64 port's own readers share (boot.c, smp.c). */
#ifndef AARCH64_FDT_UTIL_H
#define AARCH64_FDT_UTIL_H

#include <string.h>
#include <libfdt.h>

/* A node without "status", or with "okay"/"ok", is in use. */
static inline bool
fdt_status_okay(const void *fdt, int node)
{
	const char *status = fdt_getprop(fdt, node, "status", NULL);

	return !status || strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

#endif
