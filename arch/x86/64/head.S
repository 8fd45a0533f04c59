/*
 * x86-64 entry.  A multiboot (v1) loader enters in 32-bit protected
 * mode, paging off, EAX = magic, EBX = information.  QEMU and GRUB refuse
 * to load an ELF64 the ordinary way, so the header carries the "a.out
 * kludge" addresses and the loader copies the image by them.
 *
 * The 32-bit code below identity-maps the first 4 GiB with 2 MiB pages
 * (the kernel, the multiboot data and the PC's devices all live there),
 * enables PAE, long mode and NX, and jumps to 64-bit C.
 */
#include "../head.h"

#define MB_AOUT_KLUDGE		(1 << 16)	/* load addresses are below */
#define MB_FLAGS		(MB_PAGE_ALIGN | MB_MEMORY_INFO | MB_AOUT_KLUDGE)

#define CR0_PG			(1 << 31)
#define CR0_WP			(1 << 16)
#define CR4_PAE			(1 << 5)
#define MSR_EFER		0xc0000080
#define EFER_LME		(1 << 8)
#define EFER_NXE		(1 << 11)
#define CPUID_81_EDX_NX		(1 << 20)
#define CPUID_81_EDX_LM		(1 << 29)

#define PTE_P			(1 << 0)
#define PTE_W			(1 << 1)
#define PTE_PS			(1 << 7)	/* 2 MiB page in a page directory */

#define COM1			0x3f8

	.code32
	multiboot_header_start MB_FLAGS		/* ../head.h */
	.long	multiboot_header		/* header_addr */
	.long	__image_start			/* load_addr */
	.long	_edata				/* load_end_addr */
	.long	_end				/* bss_end_addr: the loader zeroes bss */
	.long	_start				/* entry_addr */

	.globl _start
	.type _start, @function
_start:
	multiboot_entry				/* ../head.h */

	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$CPUID_81_EDX_LM, %edx
	jz	no_long_mode
	movl	%edx, %ebx			/* keep the NX bit */

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages. */
	movl	$boot_pdpt + (PTE_P | PTE_W), boot_pml4
	movl	$boot_pd + (PTE_P | PTE_W), %eax
	xorl	%ecx, %ecx
1:	movl	%eax, boot_pdpt(, %ecx, 8)
	addl	$4096, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	%eax, boot_pd(, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	2b

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	testl	$CPUID_81_EDX_NX, %ebx
	jz	3f
	orl	$EFER_NXE, %eax
3:	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0			/* long mode is active (EFER.LMA) */
	ljmp	$KERNEL_CS, $start64

/* A 32-bit CPU (qemu-system-i386): say so on COM1 and leave QEMU. */
no_long_mode:
	movl	$no_long_mode_msg, %esi
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

	.code64
start64:
	load_data_segments
	movq	$boot_stack_top, %rsp
	/* Upper halves of registers are undefined after the mode switch. */
	movl	%ebp, %edi			/* magic */
	movl	%esi, %esi			/* information */
	xorl	%ebp, %ebp			/* end of the frame chain */
	call	x86_boot
8:	cli
	hlt
	jmp	8b
	.size _start, . - _start

	.section .rodata
no_long_mode_msg:
	.asciz	"Kite: this CPU has no long mode (x86-64); boot the i386 kernel instead\r\n"

	.balign	8
boot_gdtr:
	.word	GDT_ENTRIES * 8 - 1
	.quad	x86_gdt

	.section .bss.boot, "aw", @nobits
	.balign	4096
boot_pml4:
	.space	4096
boot_pdpt:
	.space	4096
boot_pd:
	.space	4 * 4096
	.balign	16
boot_stack:
	.space	16384
	.globl boot_stack_top
boot_stack_top:
