/*
 * The rest of the kernel as the VFS and tmpfs see it, for the VFS host
 * test: whole pages from the host's heap (each an aligned_alloc() of its
 * own, so ASan bounds every page and the live count shows leaks), the
 * memory statistics tmpfs sizes itself by, and a console.  Everything
 * else (threads, mutexes, spinlocks, the clock, kmalloc) is the real
 * kernel code over tests/host/host_thread.c and host_kmalloc.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/mm.h>
#include <kernel/printk.h>
#include "vfs_host.h"

#define HOST_PAGE	4096ul
#define HOST_RAM_PAGES	65536ul		/* 256 MiB: tmpfs takes half by default */

static unsigned long pages_live;

void *
page_alloc_addr(unsigned int gfp, unsigned int order)
{
	size_t size = HOST_PAGE << order;
	void *p = aligned_alloc(HOST_PAGE, size);

	if (!p)
		return NULL;
	if (gfp & GFP_ZERO)
		memset(p, 0, size);
	pages_live += 1ul << order;
	return p;
}

void
page_free_addr(void *addr, unsigned int order)
{
	if (!addr)
		return;
	pages_live -= 1ul << order;
	free(addr);
}

/* A struct page beside each page of data (the page cache's pages). */
struct host_page {
	struct page page;
	void *addr;
};

struct page *
alloc_pages(unsigned int gfp, unsigned int order)
{
	struct host_page *hp = calloc(1, sizeof(*hp));

	if (!hp)
		return NULL;
	hp->addr = page_alloc_addr(gfp, order);
	if (!hp->addr) {
		free(hp);
		return NULL;
	}
	hp->page.order = (uint8_t)order;
	return &hp->page;
}

void
free_pages(struct page *page, unsigned int order)
{
	struct host_page *hp = (struct host_page *)page;

	page_free_addr(hp->addr, order);
	free(hp);
}

void *
page_address(const struct page *page)
{
	return ((const struct host_page *)page)->addr;
}

struct page *
alloc_user_page(void)
{
	struct page *p = alloc_pages(GFP_ZERO, 0);

	if (p)
		p->refcount = 1;
	return p;
}

struct page *
alloc_user_page_unzeroed(void)
{
	struct page *p = alloc_pages(0, 0);

	if (p)
		p->refcount = 1;
	return p;
}

void
mm_stats(struct mm_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->total_pages = HOST_RAM_PAGES;
	st->free_pages = HOST_RAM_PAGES - pages_live;
}

unsigned long
host_pages_live(void)
{
	return pages_live;
}

/* The log, line by line, as TAP comments; lines are kept for searches. */
static char line[512];
static size_t line_len;
static char *lines;
static size_t lines_len, lines_size;

static void
keep(const char *s, size_t n)
{
	if (lines_len + n + 1 > lines_size) {
		size_t size = lines_size ? lines_size * 2 : 4096;

		while (size < lines_len + n + 1)
			size *= 2;
		lines = realloc(lines, size);
		if (!lines)
			abort();
		lines_size = size;
	}
	memcpy(lines + lines_len, s, n);
	lines_len += n;
	lines[lines_len] = '\0';
}

static void
host_console_out(struct console *con, const char *s, size_t len)
{
	(void)con;
	for (size_t i = 0; i < len; i++) {
		if (line_len < sizeof(line) - 1)
			line[line_len++] = s[i];
		if (s[i] == '\n') {
			line[line_len] = '\0';
			printf("# %s", line);
			keep(line, line_len);
			line_len = 0;
		}
	}
}

static struct console host_console = { "host", host_console_out, NULL, NULL };

void
host_console_start(void)
{
	static bool started;

	if (!started) {
		started = true;
		console_register(&host_console);
	}
}

unsigned int
host_console_count(const char *text)
{
	unsigned int n = 0;

	for (const char *p = lines; p && (p = strstr(p, text)); p += strlen(text))
		n++;
	return n;
}

/* No device drivers on the host: vfs_init()'s devices are none. */
void
chr_dev_init(void)
{
}

/*
 * No user address space on the host: every user copy faults, as one to
 * an unmapped address would (pipe2's and FIONREAD's copies, never run by
 * the host test, link against these).
 */
int
copy_to_user(void *dst, const void *src, size_t n)
{
	return -EFAULT;
}

int
copy_from_user(void *dst, const void *src, size_t n)
{
	return -EFAULT;
}
