/* Memory-mapped device registers: single-copy accesses of a fixed width. */
#ifndef KERNEL_MMIO_H
#define KERNEL_MMIO_H

#include <kernel/types.h>

/*
 * Map a device's registers into the kernel's address space (uncached,
 * device memory) and return their virtual address; without an MMU this is
 * the physical address.  Works from the first line of C on: the ports keep
 * the page tables of the ioremap window in the boot image.  Returns 0 when
 * the window is full (a clear message is printed).
 */
#ifdef CONFIG_PAGING
uintptr_t ioremap(paddr_t pa, size_t size);
#else
static inline uintptr_t ioremap(paddr_t pa, size_t size) { return pa; }
#endif

static inline uint8_t mmio_read8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline uint16_t mmio_read16(uintptr_t a) { return *(volatile uint16_t *)a; }
static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void mmio_write16(uintptr_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint64_t mmio_read64(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void mmio_write64(uintptr_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

#endif
