/*
 * The few /proc/sys files Linux programs and the tests use, each with
 * Linux's name, mode and format:
 *   vm/drop_caches     write 1, 2 or 3 (2 and 3 drop the unused dentries
 *                      and the slab caches' empty slabs; Kite has no
 *                      reclaimable page cache, so 1 frees nothing), as
 *                      Linux logs "<comm> (<pid>): drop_caches: <n>"
 *   fs/dentry-state    nr_dentry, nr_unused, age_limit, want_pages,
 *                      nr_negative, dummy (Linux's six tab-separated numbers)
 */
#include <stdlib.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <kernel/slab.h>
#include <kernel/vfs.h>
#ifdef CONFIG_PROCESSES
#include <kernel/process.h>
#endif
#ifdef CONFIG_PAGING
#include <kernel/vm.h>		/* kstack_shrink */
#endif

#include "internal.h"

static void
no_text(struct seqbuf *m, void *data)
{
	(void)m;
	(void)data;
}

static ssize_t
drop_caches_write(const char *buf, size_t len, void *data)
{
	char *end;
	long n = strtol(buf, &end, 10);

	(void)data;
	while (*end == '\n' || *end == ' ')
		end++;
	if (end == buf || *end || n < 1 || n > 4)
		return -EINVAL;
#ifdef CONFIG_PROCESSES
	if (current_process())
		pr_info("%s (%d): drop_caches: %ld\n", current_process()->comm,
			current_process()->pid, n);
#endif
	if (n & 2) {
		shrink_dcache(NULL);		/* unused dentries, and the inodes they pin */
		kmalloc_shrink();		/* then the slabs left empty */
#ifdef CONFIG_PAGING
		kstack_shrink();		/* and the kernel stacks kept for reuse */
#endif
	}
	return (ssize_t)len;
}

static void
dentry_state_show(struct seqbuf *m, void *data)
{
	unsigned int total, unused;

	(void)data;
	dcache_counts(&total, &unused);
	seqbuf_printf(m, "%u\t%u\t%d\t%d\t%d\t%d\n", total, unused, 45, 0, 0, 0);
}

void
proc_sysctl_init(void)
{
	struct proc_dir_entry *sys = proc_mkdir("sys", NULL);
	struct proc_dir_entry *vm = sys ? proc_mkdir("vm", sys) : NULL;
	struct proc_dir_entry *fs = sys ? proc_mkdir("fs", sys) : NULL;

	if (vm)
		proc_create_write("drop_caches", 0200, vm, no_text, drop_caches_write, NULL);
	if (fs)
		proc_create("dentry-state", 0444, fs, dentry_state_show);
}
