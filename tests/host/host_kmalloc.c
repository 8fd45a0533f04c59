/*
 * kmalloc() for host tests of code that allocates but is not the heap
 * itself: each block is a malloc() of its own, so ASan sees every byte
 * outside it (thread stacks included), and the live counts show leaks.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/slab.h>
#include "host_sched.h"

static unsigned long live, live_bytes;
static unsigned int fail_countdown;
void (*host_kmalloc_hook)(void);

void *
kmalloc(size_t size)
{
	void *p;

	if (host_kmalloc_hook)
		host_kmalloc_hook();
	if (fail_countdown && --fail_countdown == 0)
		return NULL;
	p = malloc(size ? size : 1);
	if (p) {
		live++;
		live_bytes += malloc_usable_size(p);	/* exact under ASan */
	}
	return p;
}

void
kfree(void *p)
{
	if (!p)
		return;
	live--;
	live_bytes -= malloc_usable_size(p);
	free(p);
}

size_t
ksize(const void *p)
{
	return malloc_usable_size((void *)p);
}

void
kmalloc_stats(struct heap_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->used = live_bytes;
	st->allocations = live;
}

unsigned long
host_kmalloc_live(void)
{
	return live;
}

unsigned long
host_kmalloc_live_bytes(void)
{
	return live_bytes;
}

void
host_kmalloc_fail_nth(unsigned int n)
{
	fail_countdown = n;
}
