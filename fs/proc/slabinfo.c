/*
 * /proc/slabinfo in Linux's version 2.1 layout, root-only (0400) as on
 * Linux: one line per slab cache with the objects in use and held, the
 * object size, objects and pages per slab, and the slab count (SLUB's
 * "tunables" are 0, the cache has no shared array).  The kernel's large
 * kmalloc allocations come straight from the page allocator and, as on
 * Linux, appear in no line (meminfo's Slab counts them).  The fuzzer's
 * leak check compares these counts before and after a run.
 */
#include <kernel/seqbuf.h>
#include <kernel/slab.h>

#include "internal.h"

#define MAX_SHOWN	256

static void
slabinfo_show(struct seqbuf *m, void *data)
{
	struct kmem_cache_stat *st = kmalloc(MAX_SHOWN * sizeof(*st));
	size_t n;

	seqbuf_puts(m, "slabinfo - version: 2.1\n"
		       "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
		       "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	if (!st)
		return;
	n = kmem_cache_stats(st, MAX_SHOWN);
	if (n > MAX_SHOWN)
		n = MAX_SHOWN;
	for (size_t i = 0; i < n; i++)
		seqbuf_printf(m, "%-17s %6zu %6zu %6zu %4u %4u : tunables %4u %4u %4u : "
			      "slabdata %6zu %6zu %6u\n",
			      st[i].name, st[i].active_objs, st[i].num_objs, st[i].objsize,
			      st[i].objperslab, st[i].pagesperslab, 0u, 0u, 0u, st[i].num_slabs,
			      st[i].num_slabs, 0u);
	kfree(st);
}

void
proc_slabinfo_init(void)
{
	proc_create("slabinfo", 0400, NULL, slabinfo_show);
}
