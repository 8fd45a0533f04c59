/*
 * What vfs_host_shim.c gives the VFS host test: the page allocator and
 * memory statistics the VFS and tmpfs call, counted, and a console that
 * shows the kernel's log as TAP comments.
 */
#ifndef VFS_HOST_H
#define VFS_HOST_H

#include <stdbool.h>

/* Pages handed out by page_alloc_addr() and not freed yet. */
unsigned long host_pages_live(void);
/* Make printk() lines appear as "# ..." on stdout (once). */
void host_console_start(void);
/* Log lines so far that contain text (e.g. a leak warning). */
unsigned int host_console_count(const char *text);

#endif
