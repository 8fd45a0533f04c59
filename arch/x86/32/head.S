/*
 * i386 entry.  A multiboot (v1) loader loads this ELF32 by its program
 * headers and enters in 32-bit protected mode, paging off, EAX = magic,
 * EBX = information.  The kernel runs flat and unpaged until the
 * memory-management work turns paging on.
 */
#include <asm/segment.h>

#define MB_MAGIC		0x1badb002
#define MB_PAGE_ALIGN		(1 << 0)	/* modules on page boundaries */
#define MB_MEMORY_INFO		(1 << 1)	/* we want the memory map */
#define MB_FLAGS		(MB_PAGE_ALIGN | MB_MEMORY_INFO)

	.section .text.head, "ax"
	.balign 4
	.globl multiboot_header
multiboot_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.globl _start
	.type _start, @function
_start:
	cli
	cld
	movl	%eax, %ebp			/* multiboot magic */
	movl	%ebx, %esi			/* multiboot information */

	/* The loader zeroes bss; do it anyway, the stack is there. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl
	movl	$boot_stack_top, %esp

	/* The loader's GDT may be gone; x86_gdt is initialised data. */
	lgdt	boot_gdtr
	ljmp	$KERNEL_CS, $1f
1:	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	pushl	%esi				/* information */
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
