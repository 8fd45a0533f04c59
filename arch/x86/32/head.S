/*
 * i386 entry.  A multiboot (v1) loader loads this ELF32 by its program
 * headers and enters in 32-bit protected mode, paging off, EAX = magic,
 * EBX = information.  The kernel runs flat and unpaged until the
 * memory-management work turns paging on.
 */
#include "../head.h"

#define MB_FLAGS		(MB_PAGE_ALIGN | MB_MEMORY_INFO)

	multiboot_header_start MB_FLAGS		/* ../head.h */

	.globl _start
	.type _start, @function
_start:
	multiboot_entry				/* ../head.h */
	ljmp	$KERNEL_CS, $1f			/* CS from the new GDT too */
1:	pushl	%esi				/* information */
	pushl	%ebp				/* magic */
	xorl	%ebp, %ebp			/* end of the frame chain */
	call	x86_boot
2:	cli
	hlt
	jmp	2b
	.size _start, . - _start

	.section .rodata
	.balign	8
boot_gdtr:
	.word	GDT_ENTRIES * 8 - 1
	.long	x86_gdt

	.section .bss.boot, "aw", @nobits
	.balign	16
boot_stack:
	.space	16384
	.globl boot_stack_top
boot_stack_top:
