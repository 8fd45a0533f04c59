/*
 * HAL contract, I/O ports: ports with a separate I/O space
 * (ARCH_HAS_PORT_IO, x86) provide inline inb/inw/inl and outb/outw/outl
 * in their <asm/io.h>.  Memory-mapped registers use <kernel/mmio.h>.
 */
#ifndef ARCH_IO_H
#define ARCH_IO_H

#ifdef CONFIG_ARCH_HAS_PORT_IO
#include <asm/io.h>
#endif

#endif
