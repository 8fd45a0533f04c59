/*
 * The usable-memory list ports build while they read the firmware's
 * description (device tree, multiboot map, board table).  Bad entries are
 * refused here with a message, the same way on every port.
 */
#define pr_fmt(fmt) "memory: " fmt

#include <arch/boot.h>
#include <kernel/panic.h>
#include <kernel/printk.h>

void
boot_mem_add(struct boot_info *bi, uint64_t base, uint64_t size)
{
	if (size == 0)
		return;
	if (base + size < base) {
		pr_warn("range at %#llx wraps around, ignored\n", (unsigned long long)base);
		return;
	}
	if (base > BOOT_ADDR_MAX) {
		pr_warn("range at %#llx lies beyond the address space, ignored\n",
			(unsigned long long)base);
		return;
	}
	if (size > BOOT_ADDR_MAX - base)
		size = BOOT_ADDR_MAX - base;	/* its end must fit a boot_addr_t */
	if (bi->nr_mem == BOOT_MAX_MEM_REGIONS) {
		pr_warn("more than %d ranges, %#llx ignored\n", BOOT_MAX_MEM_REGIONS,
			(unsigned long long)base);
		return;
	}
	bi->mem[bi->nr_mem].base = base;
	bi->mem[bi->nr_mem].size = size;
	bi->nr_mem++;
}

void
boot_mem_reserve(struct boot_info *bi, uint64_t base, uint64_t size, const char *what)
{
	if (size == 0)
		return;
	if (base > BOOT_ADDR_MAX)
		return;			/* overlaps nothing the kernel can use */
	if (size > BOOT_ADDR_MAX - base)
		size = BOOT_ADDR_MAX - base;	/* up to the end of the address space */
	/* Handing out a range someone owns would corrupt it: stop instead. */
	if (bi->nr_reserved == BOOT_MAX_RESERVED)
		panic("more than %d reserved memory ranges: cannot reserve %#llx (%s)",
		      BOOT_MAX_RESERVED, (unsigned long long)base, what);
	bi->reserved[bi->nr_reserved].base = base;
	bi->reserved[bi->nr_reserved].size = size;
	bi->reserved[bi->nr_reserved].what = what;
	bi->nr_reserved++;
}

static void
sort_ranges(struct mem_region *r, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		struct mem_region t = r[i];
		unsigned int j = i;

		for (; j > 0 && r[j - 1].base > t.base; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

/*
 * Sort the usable ranges, trim them inward to whole pages and merge
 * overlapping or touching ones (overlap is a firmware bug: say so).
 */
void
boot_mem_normalize(struct boot_info *bi, uint64_t page_size)
{
	unsigned int out = 0;

	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		struct mem_region *m = &bi->mem[i];
		uint64_t start = (m->base + page_size - 1) & ~(page_size - 1);
		uint64_t end = (m->base + m->size) & ~(page_size - 1);

		if (start != m->base || end != m->base + m->size)
			pr_warn("range [%#llx-%#llx] is not page aligned: trimmed\n",
				(unsigned long long)m->base,
				(unsigned long long)(m->base + m->size - 1));
		if (end <= start)
			continue;
		bi->mem[out].base = start;
		bi->mem[out].size = end - start;
		out++;
	}
	bi->nr_mem = out;
	sort_ranges(bi->mem, bi->nr_mem);
	out = 0;
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		struct mem_region *last = out ? &bi->mem[out - 1] : NULL;
		struct mem_region *m = &bi->mem[i];

		if (last && m->base <= last->base + last->size) {
			if (m->base < last->base + last->size)
				pr_warn("ranges [%#llx-%#llx] and [%#llx-%#llx] overlap: merged\n",
					(unsigned long long)last->base,
					(unsigned long long)(last->base + last->size - 1),
					(unsigned long long)m->base,
					(unsigned long long)(m->base + m->size - 1));
			if (m->base + m->size > last->base + last->size)
				last->size = m->base + m->size - last->base;
			continue;
		}
		bi->mem[out++] = *m;
	}
	bi->nr_mem = out;
	sort_ranges(bi->reserved, bi->nr_reserved);
}
