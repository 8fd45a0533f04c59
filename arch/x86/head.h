/*
 * What the two heads ({32,64}/head.S) share, for the assembler: the
 * multiboot (v1) header, the 32-bit entry prologue, the boot stack and
 * the "wrong CPU" exit.  Both kernels are linked high and loaded at
 * 1 MiB; the loader enters in 32-bit protected mode with paging off,
 * EAX = magic, EBX = information, so until paging is on every absolute
 * address is written PHYS(symbol).
 */
#ifndef ARCH_X86_HEAD_H
#define ARCH_X86_HEAD_H

#include <asm/mmu.h>
#include <asm/segment.h>

#define MB_MAGIC		0x1badb002
#define MB_PAGE_ALIGN		(1 << 0)	/* modules on page boundaries */
#define MB_MEMORY_INFO		(1 << 1)	/* we want the memory map */
#define MB_AOUT_KLUDGE		(1 << 16)	/* load addresses are in the header */
#define MB_FLAGS		(MB_PAGE_ALIGN | MB_MEMORY_INFO | MB_AOUT_KLUDGE)

#define BOOT_STACK_SIZE		16384

#define CR0_PG			(1 << 31)
#define CR0_WP			(1 << 16)
#define CR4_PAE			(1 << 5)
#define MSR_EFER		0xc0000080
#define EFER_LME		(1 << 8)
#define EFER_NXE		(1 << 11)
#define CPUID_1_EDX_PAE		(1 << 6)
#define CPUID_81_EDX_NX		(1 << 20)
#define CPUID_81_EDX_LM		(1 << 29)

#define PTE_P			(1 << 0)
#define PTE_W			(1 << 1)
#define PTE_PS			(1 << 7)	/* 2 MiB page in a page directory */

#define COM1			0x3f8

/*
 * The header, at the start of .text.head, which link.ld places first so
 * that the loader finds it in the first 8 KiB.  Both widths use the
 * "a.out kludge": the loader copies the file's one segment to the
 * physical addresses given here and jumps to the physical entry point,
 * whatever the ELF headers say (QEMU does not load an ELF64 at all, and
 * does not translate a virtual ELF entry point, which GRUB insists on).
 */
.macro multiboot_header
	.section .text.head, "ax"
	.balign 4
	.globl multiboot_header
multiboot_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	PHYS(multiboot_header)		/* header_addr */
	.long	PHYS(__image_start)		/* load_addr */
	.long	PHYS(_edata)			/* load_end_addr */
	.long	PHYS(_end)			/* bss_end_addr: the loader zeroes bss */
	.long	PHYS(_start)			/* entry_addr */
.endm

/*
 * Leaves EBP = multiboot magic, ESI = information, bss zeroed, ESP at the
 * boot stack (physical) and the data segments loaded from the kernel's
 * GDT (through boot_gdtr, below).  CS stays the loader's: i386 can jump
 * to KERNEL_CS at once, x86-64 only once long mode is on.
 */
.macro multiboot_entry
	cli
	cld
	movl	%eax, %ebp			/* multiboot magic */
	movl	%ebx, %esi			/* multiboot information */

	/*
	 * The loader zeroes bss; do it anyway, as the stack and the boot
	 * page tables live there.
	 */
	movl	$PHYS(__bss_start), %edi
	movl	$PHYS(__bss_end), %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl
	movl	$PHYS(boot_stack_top), %esp

	/* The loader's GDT may be gone; CPU 0's (x86_cpus) is initialised data. */
	lgdt	PHYS(boot_gdtr)
	load_data_segments
.endm

/* Print the NUL-terminated string at PHYS(msg) on COM1 and leave QEMU. */
.macro boot_fail msg
	movl	$PHYS(\msg), %esi
4:	movb	(%esi), %bl
	testb	%bl, %bl
	jz	6f
	movw	$COM1 + 5, %dx
5:	inb	%dx, %al			/* wait for THR empty */
	testb	$0x20, %al
	jz	5b
	movb	%bl, %al
	movw	$COM1, %dx
	outb	%al, %dx
	incl	%esi
	jmp	4b
6:
#if CONFIG_X86_DEBUG_EXIT_PORT
	movb	$0x11, %al			/* failure status */
	movw	$CONFIG_X86_DEBUG_EXIT_PORT, %dx
	outb	%al, %dx
#endif
7:	hlt
	jmp	7b
.endm

/*
 * The GDT pointer for the 32-bit LGDT (a 32-bit physical base; C loads
 * the table again at its virtual address), and the boot stack, which
 * link.ld puts right above an unmapped guard page.
 */
.macro boot_data
	.section .rodata
	.balign	8
boot_gdtr:
	.word	GDT_ENTRIES * 8 - 1
	.long	PHYS(x86_cpus)			/* CPU 0's GDT comes first */

	.section .bss.stack, "aw", @nobits
	.balign	4096
	.globl boot_stack
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
.endm

#endif
