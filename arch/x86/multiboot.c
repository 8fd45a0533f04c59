/*
 * Multiboot (v1) information -> struct boot_info: the usable ranges of
 * the memory map (or mem_lower/mem_upper when a loader gives no map),
 * the command line, the loader's name and the first module as initrd.
 * The information is read through the boot linear map.  Strings are
 * copied; the structures and modules are reserved all the same, so that
 * nothing the loader handed over is overwritten before it is used.
 */
#define pr_fmt(fmt) "multiboot: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/mmu.h>
#include <kernel/printk.h>
#include "internal.h"
#include "multiboot.h"

#define MAX_MODULES	8		/* reserved; only the first is used */

static char cmdline[1024];
static char image_name[128];
static char loader[64];

/* The loader's data at pa, len bytes, or NULL when the boot map misses it. */
static const void *
mb_ptr(uint64_t pa, uint64_t len)
{
	if (!pa || pa + len < pa || pa + len > BOOT_LINEAR_MAP_END) {
		pr_err("information at %#llx (+%llu) is out of reach, ignored\n",
		       (unsigned long long)pa, (unsigned long long)len);
		return NULL;
	}
	return phys_to_virt((uintptr_t)pa);
}

/* A string of the loader's, reserved; NULL when out of reach. */
static const char *
mb_string(struct boot_info *bi, uint32_t pa, const char *what)
{
	const char *s = mb_ptr(pa, 1);

	if (s)
		boot_mem_reserve(bi, pa, strlen(s) + 1, what);
	return s;
}

static const char *
mmap_type_name(uint32_t type)
{
	switch (type) {
	case MULTIBOOT_MEMORY_AVAILABLE: return "usable";
	case MULTIBOOT_MEMORY_ACPI: return "ACPI reclaimable";
	case MULTIBOOT_MEMORY_NVS: return "ACPI NVS";
	case MULTIBOOT_MEMORY_BADRAM: return "bad RAM";
	default: return "reserved";
	}
}

/*
 * The map counts bytes, and the PC's low RAM ends mid-page below the EBDA:
 * only whole pages are usable, so trim here rather than be warned later.
 * Everything goes in, RAM above 4 GiB on i386 too (PAE reaches it); the
 * core leaves what the linear map does not cover unused.
 */
static void
add_memory(struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN_UP(base, PAGE_SIZE), end = ALIGN_DOWN(base + size, PAGE_SIZE);

	if (base + size < base)
		boot_mem_add(bi, base, size);	/* refused there, with a message */
	else if (end > start)
		boot_mem_add(bi, start, end - start);
}

static void
parse_mmap(const struct multiboot_info *mbi, struct boot_info *bi)
{
	const char *map = mb_ptr(mbi->mmap_addr, mbi->mmap_length);
	uintptr_t p = (uintptr_t)map, end = p + mbi->mmap_length;

	if (!map)
		return;
	boot_mem_reserve(bi, mbi->mmap_addr, mbi->mmap_length, "multiboot memory map");

	while (p + sizeof(struct multiboot_mmap_entry) <= end) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		pr_debug("[%#018llx-%#018llx] %s\n", (unsigned long long)e->addr,
			 (unsigned long long)(e->addr + e->len - 1), mmap_type_name(e->type));
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE)
			add_memory(bi, e->addr, e->len);
		if (e->size < sizeof(*e) - sizeof(e->size))
			break;		/* a broken entry would loop forever */
		p += e->size + sizeof(e->size);
	}
}

/*
 * Multiboot loaders (GRUB, QEMU, syslinux's mboot.c32) all put the image's
 * file name first, as in argv[0]; the kernel's arguments are the rest.
 */
static void
parse_cmdline(const char *s)
{
	size_t n = 0, len;

	while (*s == ' ')
		s++;
	while (s[n] && s[n] != ' ')
		n++;
	strlcpy(image_name, s, MIN(n + 1, sizeof(image_name)));
	s += n;
	while (*s == ' ')
		s++;
	len = strlcpy(cmdline, s, sizeof(cmdline));
	if (len >= sizeof(cmdline))
		pr_warn("command line of %zu bytes truncated to %zu\n", len,
			sizeof(cmdline) - 1);
}

/* The module list and the modules; the first is the initrd. */
static void
parse_modules(const struct multiboot_info *mbi, struct boot_info *bi)
{
	const struct multiboot_module *m;
	uint32_t n = mbi->mods_count;

	m = mb_ptr(mbi->mods_addr, (uint64_t)n * sizeof(*m));
	if (!m)
		return;
	boot_mem_reserve(bi, mbi->mods_addr, (uint64_t)n * sizeof(*m), "multiboot module list");
	if (m->end > m->start) {
		bi->initrd_base = m->start;
		bi->initrd_size = m->end - m->start;
	}
	for (uint32_t i = 0; i < n && i < MAX_MODULES; i++)
		if (m[i].end > m[i].start)
			boot_mem_reserve(bi, m[i].start, m[i].end - m[i].start,
					 i == 0 ? "initrd" : "multiboot module");
	if (n > 1)
		pr_warn("%u modules, only the first (initrd) is used\n", n);
}

bool
multiboot_parse(uint32_t magic, uintptr_t addr, struct boot_info *bi)
{
	const struct multiboot_info *mbi;
	const char *s;

	if (magic != MULTIBOOT_LOADER_MAGIC || !addr) {
		pr_err("not started by a multiboot loader (magic %#x): no memory map\n",
		       magic);
		return false;
	}
	mbi = mb_ptr(addr, sizeof(*mbi));
	if (!mbi)
		return false;
	boot_mem_reserve(bi, addr, sizeof(*mbi), "multiboot information");
	if (mbi->flags & MBI_LOADER_NAME &&
	    (s = mb_string(bi, mbi->boot_loader_name, "boot loader name"))) {
		strlcpy(loader, s, sizeof(loader));
		bi->loader = loader;
	}
	if (mbi->flags & MBI_CMDLINE && (s = mb_string(bi, mbi->cmdline, "command line"))) {
		parse_cmdline(s);
		bi->cmdline = cmdline;
	}
	if (mbi->flags & MBI_MMAP) {
		parse_mmap(mbi, bi);
	} else if (mbi->flags & MBI_MEMORY) {
		pr_warn("no memory map, using mem_lower/mem_upper\n");
		add_memory(bi, 0, (uint64_t)mbi->mem_lower << 10);
		add_memory(bi, 0x100000, (uint64_t)mbi->mem_upper << 10);
	} else {
		pr_err("the loader described no memory\n");
	}
	if (mbi->flags & MBI_MODS && mbi->mods_count > 0)
		parse_modules(mbi, bi);
	return true;
}

const char *
multiboot_image_name(void)
{
	return image_name;
}
