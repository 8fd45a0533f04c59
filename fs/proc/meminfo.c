/*
 * /proc/meminfo in Linux's layout (fs/proc/meminfo.c: "%-15s %8lu kB"
 * lines, in its order).  From the page allocator: MemTotal (the frames
 * it manages) and MemFree; tmpfs's pages are Shmem and, as in Linux,
 * part of Cached; the kernel heap's slabs (and its large allocations)
 * are Slab, all unreclaimable; thread stacks are KernelStack.  What this
 * kernel does not have yet (swap, a page cache for block devices, page
 * reclaim, vmalloc, huge pages) is 0.
 */
#include <kernel/mm.h>
#include <kernel/seqbuf.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/vfs.h>

#include "format.h"
#include "internal.h"

#define KB_PER_PAGE	4u		/* 4 KiB pages on every MMU port */

static void
meminfo_show(struct seqbuf *m, void *data)
{
	struct mm_stats mm;
	struct heap_stats heap;
	unsigned long long total, free, shmem, slab, stack;

	mm_stats(&mm);
	kmalloc_stats(&heap);
	total = (unsigned long long)mm.total_pages * KB_PER_PAGE;
	free = (unsigned long long)mm.free_pages * KB_PER_PAGE;
	shmem = (unsigned long long)tmpfs_pages_in_use() * KB_PER_PAGE;
	slab = heap.total / 1024;
	stack = (unsigned long long)thread_count() * (CONFIG_THREAD_STACK_SIZE / 1024);

	proc_show_kb(m, "MemTotal:", total);
	proc_show_kb(m, "MemFree:", free);
	/* Nothing is reclaimable yet (no swap, no clean page cache). */
	proc_show_kb(m, "MemAvailable:", free);
	proc_show_kb(m, "Buffers:", 0);
	proc_show_kb(m, "Cached:", shmem);
	proc_show_kb(m, "SwapCached:", 0);
	/* tmpfs pages sit on Linux's anon LRU lists: active, for want of aging. */
	proc_show_kb(m, "Active:", shmem);
	proc_show_kb(m, "Inactive:", 0);
	proc_show_kb(m, "Active(anon):", shmem);
	proc_show_kb(m, "Inactive(anon):", 0);
	proc_show_kb(m, "Active(file):", 0);
	proc_show_kb(m, "Inactive(file):", 0);
	proc_show_kb(m, "Unevictable:", 0);
	proc_show_kb(m, "Mlocked:", 0);
	proc_show_kb(m, "SwapTotal:", 0);
	proc_show_kb(m, "SwapFree:", 0);
	proc_show_kb(m, "Dirty:", 0);
	proc_show_kb(m, "Writeback:", 0);
	proc_show_kb(m, "AnonPages:", 0);
	proc_show_kb(m, "Mapped:", 0);
	proc_show_kb(m, "Shmem:", shmem);
	proc_show_kb(m, "KReclaimable:", 0);
	proc_show_kb(m, "Slab:", slab);
	proc_show_kb(m, "SReclaimable:", 0);
	proc_show_kb(m, "SUnreclaim:", slab);
	proc_show_kb(m, "KernelStack:", stack);
	proc_show_kb(m, "PageTables:", 0);
	proc_show_kb(m, "NFS_Unstable:", 0);
	proc_show_kb(m, "Bounce:", 0);
	proc_show_kb(m, "WritebackTmp:", 0);
	/* Linux's with overcommit_ratio 50 and no swap: half of RAM. */
	proc_show_kb(m, "CommitLimit:", total / 2);
	proc_show_kb(m, "Committed_AS:", 0);
	proc_show_kb(m, "VmallocTotal:", 0);
	proc_show_kb(m, "VmallocUsed:", 0);
	proc_show_kb(m, "VmallocChunk:", 0);
	proc_show_kb(m, "Percpu:", 0);
}

void
proc_meminfo_init(void)
{
	proc_create("meminfo", 0444, NULL, meminfo_show);
}
