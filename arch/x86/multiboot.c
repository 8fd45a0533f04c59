/*
 * Multiboot (v1) information -> struct boot_info: the usable ranges of
 * the memory map (or mem_lower/mem_upper when a loader gives no map),
 * the command line, the loader's name and the first module as initrd.
 * Strings are copied: the information sits in memory the kernel will
 * later hand out.
 */
#define pr_fmt(fmt) "multiboot: " fmt

#include <string.h>
#include <arch/boot.h>
#include <kernel/printk.h>
#include "internal.h"
#include "multiboot.h"

#define FOUR_GIB	0x100000000ull

static char cmdline[1024];
static char image_name[128];
static char loader[64];
static uint64_t unaddressable;	/* usable RAM beyond what we can address */

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

static void
add_memory(struct boot_info *bi, uint64_t base, uint64_t size)
{
#ifndef CONFIG_64BIT
	/* Without PAE a 32-bit kernel cannot address RAM above 4 GiB. */
	if (base >= FOUR_GIB) {
		pr_info("%llu MiB above 4 GiB not addressable, ignored\n",
			(unsigned long long)(size >> 20));
		unaddressable += size;
		return;
	}
	if (base + size > FOUR_GIB) {
		unaddressable += base + size - FOUR_GIB;
		size = FOUR_GIB - base;
	}
#endif
	boot_mem_add(bi, base, size);
}

static void
parse_mmap(const struct multiboot_info *mbi, struct boot_info *bi)
{
	uintptr_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

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

bool
multiboot_parse(uint32_t magic, uintptr_t addr, struct boot_info *bi)
{
	const struct multiboot_info *mbi = (const void *)addr;

	if (magic != MULTIBOOT_LOADER_MAGIC || !addr) {
		pr_err("not started by a multiboot loader (magic %#x): no memory map\n",
		       magic);
		return false;
	}
	if (mbi->flags & MBI_LOADER_NAME && mbi->boot_loader_name) {
		strlcpy(loader, (const char *)(uintptr_t)mbi->boot_loader_name,
			sizeof(loader));
		bi->loader = loader;
	}
	if (mbi->flags & MBI_CMDLINE && mbi->cmdline) {
		parse_cmdline((const char *)(uintptr_t)mbi->cmdline);
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
	if (mbi->flags & MBI_MODS && mbi->mods_count > 0) {
		const struct multiboot_module *m = (const void *)(uintptr_t)mbi->mods_addr;

		if (m->end > m->start) {
			bi->initrd_base = m->start;
			bi->initrd_size = m->end - m->start;
		}
		if (mbi->mods_count > 1)
			pr_warn("%u modules, only the first (initrd) is used\n",
				mbi->mods_count);
	}
	return true;
}

const char *
multiboot_image_name(void)
{
	return image_name;
}

uint64_t
multiboot_unaddressable(void)
{
	return unaddressable;
}
