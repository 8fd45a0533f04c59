/*
 * The leak check: free pages (/proc/meminfo MemFree) and the objects in
 * use of every slab cache (/proc/slabinfo, Linux's format 2.1) before the
 * workers start and after they are gone and their scratch tmpfs is
 * unmounted.  Caches the kernel keeps for speed are emptied first by
 * writing 3 to /proc/sys/vm/drop_caches (unused dentries and inodes, empty
 * slabs), as on Linux; where a kernel lacks that file the check runs
 * anyway and the tolerances must absorb the caches.
 *
 * Tolerances (-p pages, -o objects per cache): what the kernel may keep
 * for good after a run: state made once on first use (the first open of
 * a device, a grown table), and pages that moved between a CPU's cache
 * and the free lists.  A leak per call or per process made shows up as
 * hundreds of objects or pages after thousands of calls, far above them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define MAX_CACHES	160

struct fz_mem_snapshot {
	long free_kb, slab_kb, shmem_kb, stack_kb;
	unsigned int ncaches;
	struct {
		char name[64];
		long active, total;
	} caches[MAX_CACHES];
	bool have_slabinfo;
};

void
leak_drop_caches(void)
{
	FILE *f = fopen("/proc/sys/vm/drop_caches", "w");

	if (!f)
		return;
	fputs("3\n", f);
	fclose(f);
}

static long
meminfo_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

struct fz_mem_snapshot *
leak_snapshot(void)
{
	struct fz_mem_snapshot *s = calloc(1, sizeof(*s));
	static char text[16384];
	char line[512];
	size_t len;
	FILE *f;

	if (!s)
		return NULL;
	leak_drop_caches();
	f = fopen("/proc/slabinfo", "r");
	if (f) {
		s->have_slabinfo = true;
		while (fgets(line, sizeof(line), f) && s->ncaches < MAX_CACHES) {
			char name[64];
			long active, total;

			if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
				continue;
			if (sscanf(line, "%63s %ld %ld", name, &active, &total) != 3)
				continue;
			snprintf(s->caches[s->ncaches].name, sizeof(s->caches[0].name), "%s", name);
			s->caches[s->ncaches].active = active;
			s->caches[s->ncaches].total = total;
			s->ncaches++;
		}
		fclose(f);
	}
	f = fopen("/proc/meminfo", "r");
	if (f) {
		len = fread(text, 1, sizeof(text) - 1, f);
		text[len] = '\0';
		fclose(f);
		s->free_kb = meminfo_kb(text, "MemFree:");
		s->slab_kb = meminfo_kb(text, "Slab:");
		s->shmem_kb = meminfo_kb(text, "Shmem:");
		s->stack_kb = meminfo_kb(text, "KernelStack:");
	}
	return s;
}

bool
leak_compare(const struct fz_mem_snapshot *b, const struct fz_mem_snapshot *a,
	     const struct fz_options *o)
{
	bool ok = true;
	long pages;

	if (!a || !b || a->free_kb < 0 || b->free_kb < 0) {
		printf("# no /proc/meminfo: cannot compare\n");
		return false;
	}
	pages = (b->free_kb - a->free_kb) / 4;
	printf("# memory: MemFree %ld -> %ld kB (%+ld pages used), Slab %ld -> %ld kB, Shmem %ld -> %ld kB, KernelStack %ld -> %ld kB\n",
	       b->free_kb, a->free_kb, pages, b->slab_kb, a->slab_kb, b->shmem_kb, a->shmem_kb,
	       b->stack_kb, a->stack_kb);
	if (pages > o->tolerance_pages) {
		printf("# LEAK: %ld pages more in use than before (tolerance %ld)\n", pages,
		       o->tolerance_pages);
		ok = false;
	}
	if (!b->have_slabinfo) {
		printf("# no /proc/slabinfo: slab caches not compared\n");
		return ok;
	}
	for (unsigned int i = 0; i < a->ncaches; i++) {
		long was = 0;

		for (unsigned int j = 0; j < b->ncaches; j++)
			if (!strcmp(a->caches[i].name, b->caches[j].name))
				was = b->caches[j].active;
		if (a->caches[i].active == was)
			continue;
		printf("# slab %-20s %6ld -> %6ld objects%s\n", a->caches[i].name, was,
		       a->caches[i].active,
		       a->caches[i].active - was > o->tolerance_objs ? "  LEAK" : "");
		if (a->caches[i].active - was > o->tolerance_objs)
			ok = false;
	}
	return ok;
}
