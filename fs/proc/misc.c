/*
 * Small files that print what another subsystem keeps:
 *   version      Linux's banner line (<kernel/version.h>)
 *   mounts       with processes a symlink to self/mounts (as Linux);
 *                without, the mount table as the caller sees it
 *                (fs/namespace.c)
 *   filesystems  the registered types, "nodev\ttmpfs" (fs/super.c)
 */
#include <kernel/seqbuf.h>
#include <kernel/version.h>
#include <kernel/vfs.h>

#include "internal.h"

static void
version_show(struct seqbuf *m, void *data)
{
	seqbuf_puts(m, LINUX_VERSION_BANNER);
}

static void
mounts_proc_show(struct seqbuf *m, void *data)
{
	mounts_show(m);
}

static void
filesystems_proc_show(struct seqbuf *m, void *data)
{
	filesystems_show(m);
}

void
proc_misc_init(void)
{
	proc_create("version", 0444, NULL, version_show);
	if (IS_ENABLED(CONFIG_PROCESSES))
		proc_symlink("mounts", NULL, "self/mounts");
	else
		proc_create("mounts", 0444, NULL, mounts_proc_show);
	proc_create("filesystems", 0444, NULL, filesystems_proc_show);
}
