/*
 * What the two heads ({32,64}/head.S) share, for the assembler: the
 * multiboot (v1) header's required words and the start of _start.  Both
 * are entered the same way, in 32-bit protected mode with paging off,
 * EAX = magic, EBX = information, so the first steps are the same
 * 32-bit code.
 */
#ifndef ARCH_X86_HEAD_H
#define ARCH_X86_HEAD_H

#include <asm/segment.h>

#define MB_MAGIC		0x1badb002
#define MB_PAGE_ALIGN		(1 << 0)	/* modules on page boundaries */
#define MB_MEMORY_INFO		(1 << 1)	/* we want the memory map */

/*
 * The part of the multiboot header every kernel has: magic, flags and
 * their checksum, at the start of .text.head, which link.ld places first
 * so that the loader finds it in the first 8 KiB.  x86-64 goes on with
 * the a.out kludge's addresses.
 */
.macro multiboot_header_start flags
	.section .text.head, "ax"
	.balign 4
	.globl multiboot_header
multiboot_header:
	.long	MB_MAGIC
	.long	\flags
	.long	-(MB_MAGIC + \flags)
.endm

/*
 * Leaves EBP = multiboot magic, ESI = information, bss zeroed, ESP at
 * boot_stack_top and the data segments loaded from the kernel's GDT
 * (through the head's boot_gdtr).  CS stays the loader's: i386 can jump
 * to KERNEL_CS at once, x86-64 only once long mode is on.
 */
.macro multiboot_entry
	cli
	cld
	movl	%eax, %ebp			/* multiboot magic */
	movl	%ebx, %esi			/* multiboot information */

	/*
	 * The loader zeroes bss; do it anyway, as the stack and, on x86-64,
	 * the boot page tables live there.
	 */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl
	movl	$boot_stack_top, %esp

	/* The loader's GDT may be gone; x86_gdt is initialised data. */
	lgdt	boot_gdtr
	load_data_segments
.endm

#endif
