/* Small device-tree helpers on top of libfdt, shared by boot code and drivers. */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include <libfdt.h>
#include <kernel/types.h>

/* A one-cell u32 property such as #address-cells, or dflt. */
static inline uint32_t
fdt_cells(const void *fdt, int node, const char *name, uint32_t dflt)
{
	const fdt32_t *p;
	int len;

	if (node < 0)
		return dflt;
	p = fdt_getprop(fdt, node, name, &len);
	if (!p || len != 4)
		return dflt;
	return fdt32_to_cpu(*p);
}

/* A number stored big-endian in n cells (n <= 2 for a u64). */
static inline uint64_t
fdt_read_cells(const fdt32_t *p, uint32_t n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

#endif
