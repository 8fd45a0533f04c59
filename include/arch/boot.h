/*
 * HAL contract, boot: what a port hands the core.
 *
 * The port's entry code sets up a stack and its exception vectors, fills a
 * struct boot_info from the firmware's description of the machine (device
 * tree, multiboot information or the board table) and calls kernel_main().
 */
#ifndef ARCH_BOOT_H
#define ARCH_BOOT_H

#include <kernel/compiler.h>
#include <kernel/types.h>

/*
 * Firmware memory maps are long; a Cortex-M board table has a RAM region
 * or two.  A physical address can lie above 4 GiB on a 32-bit CPU with an
 * MMU (PAE, LPAE); without one it is an address the CPU issues, so it
 * fits a pointer, and a 16 KiB board keeps 12-byte ranges instead of 24.
 * Host tests (no __KERNEL__) build the kernel's sources and their own
 * with different settings, so they take the large forms on both sides.
 */
#if defined(CONFIG_MMU) || !defined(__KERNEL__)
#define BOOT_MAX_MEM_REGIONS	32
#define BOOT_MAX_RESERVED	32
typedef uint64_t boot_addr_t;
#else
#define BOOT_MAX_MEM_REGIONS	2
#define BOOT_MAX_RESERVED	4
typedef uintptr_t boot_addr_t;
#endif
#define BOOT_ADDR_MAX		((boot_addr_t)-1)

/* A range never reaches past BOOT_ADDR_MAX: base + size does not wrap. */
struct mem_region {
	boot_addr_t base;
	boot_addr_t size;
	const char *what;		/* reserved ranges: why (for the log) */
};

struct boot_info {
	const char *machine;		/* model name for the boot log */
	const char *loader;		/* boot loader name, or NULL */
	const char *cmdline;		/* NULL or "" when none was passed */
	const void *fdt;		/* flattened device tree (ARCH_HAS_DT) */
	unsigned int nr_mem;
	unsigned int nr_reserved;
	struct mem_region mem[BOOT_MAX_MEM_REGIONS];	/* usable RAM */
	/* Inside usable RAM but taken: the kernel image, DTB, initrd, ... */
	struct mem_region reserved[BOOT_MAX_RESERVED];
	boot_addr_t initrd_base, initrd_size;	/* size 0: no initrd */
#ifdef CONFIG_RANDOM
	/*
	 * Random bytes from the boot loader (/chosen/rng-seed), copied out of
	 * the firmware's tables, which no longer hold them; random_init()
	 * mixes them into its pool and wipes this copy.  NULL: none.
	 */
	uint8_t *rng_seed;
	size_t rng_seed_len;
#endif
};

/* The most of a boot loader's seed the port keeps (QEMU passes 32 bytes). */
#define BOOT_RNG_SEED_MAX	64

/*
 * For the port while it fills boot_info: append a usable RAM range
 * (zero-sized, wrapping and excess ranges are refused with a message; a
 * range reaching past BOOT_ADDR_MAX is cut short there).
 */
void boot_mem_add(struct boot_info *bi, uint64_t base, uint64_t size);
/*
 * Mark a physical range as taken (it may straddle or lie outside usable
 * RAM; only the overlap matters).  The page allocator never hands it out.
 */
void boot_mem_reserve(struct boot_info *bi, uint64_t base, uint64_t size, const char *what);

/* Sort, page-trim and merge the usable ranges; sort the reserved ones. */
void boot_mem_normalize(struct boot_info *bi, uint64_t page_size);

/* What the port handed kernel_main(). */
extern const struct boot_info *boot_info;

/* The core's entry point; never returns. */
__noreturn void kernel_main(struct boot_info *bi);

#endif
