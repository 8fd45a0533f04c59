/*
 * x86 I/O port space.  Only x86 code includes this: drivers that also
 * run on memory-mapped buses go through their own accessors.
 */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <kernel/types.h>

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline void
outw(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" :: "a"(v), "Nd"(port));
}

static inline void
outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" :: "a"(v), "Nd"(port));
}

/*
 * About a microsecond on ISA: old 8259s and 8254s need a pause between
 * consecutive accesses.  Port 0x80 is the POST code port nobody reads.
 */
static inline void
io_delay(void)
{
	outb(0x80, 0);
}

#endif
