/*
 * i386 entry.  A multiboot (v1) loader copies the image to 1 MiB and
 * enters _start (physical) in 32-bit protected mode, paging off, EAX =
 * magic, EBX = information.  The kernel is linked at KERNEL_VIRT_BASE +
 * 1 MiB (0xc0100000).
 *
 * The code below turns on PAE paging (and NX where the CPU has it) with
 * one page directory of 2 MiB pages covering the linear map's 896 MiB,
 * seen both at 0 (an identity map, only for the jump) and at
 * 0xc0000000 (the linear map, which holds the image), jumps high and
 * calls x86_boot().  A CPU without PAE cannot run this kernel.
 */
#include "../head.h"
#include "../trampoline.h"

	multiboot_header			/* ../head.h */

	.globl _start
	.type _start, @function
_start:
	multiboot_entry				/* ../head.h */
	ljmp	$KERNEL_CS, $PHYS(1f)		/* CS from the new GDT too */
1:
	movl	$1, %eax
	cpuid
	testl	$CPUID_1_EDX_PAE, %edx
	jz	no_pae

	/* NX, when the CPU has it (QEMU's default qemu32 has not). */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	2f
	movl	$0x80000001, %eax
	cpuid
	testl	$CPUID_81_EDX_NX, %edx
	jz	2f
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_NXE, %eax
	wrmsr
2:
	/* 2 MiB pages: physical 0..896 MiB (bss is zero: the high halves too). */
	movl	$(PTE_P | PTE_W | PTE_PS), %eax
	xorl	%ecx, %ecx
3:	movl	%eax, PHYS(boot_pd)(, %ecx, 8)
	addl	$0x200000, %eax
	incl	%ecx
	cmpl	$(LINEAR_MAP_PHYS_END >> 21), %ecx
	jb	3b
	/* PDPTEs take nothing but P (and cache bits). */
	movl	$PHYS(boot_pd) + PTE_P, PHYS(boot_pdpt)
	movl	$PHYS(boot_pd) + PTE_P, PHYS(boot_pdpt) + 3 * 8

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PHYS(boot_pdpt), %eax
	movl	%eax, %cr3
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	ljmp	$KERNEL_CS, $4f			/* off the identity map */
4:	movl	$boot_stack_top, %esp
	pushl	%esi				/* information (physical) */
	pushl	%ebp				/* magic */
	xorl	%ebp, %ebp			/* end of the frame chain */
	call	x86_boot
5:	cli
	hlt
	jmp	5b

no_pae:
	boot_fail no_pae_msg			/* ../head.h */
	.size _start, . - _start

/*
 * A secondary CPU, from the trampoline (../trampoline.S): paged, on the
 * temporary tables, ESI = the trampoline page.  Its mailbox, read
 * through the linear map, gives the kernel's own tables, the idle
 * thread's stack and the CPU's number for x86_secondary_main() (smp.c).
 */
	.text
	.globl x86_secondary_startup
	.type x86_secondary_startup, @function
x86_secondary_startup:
	addl	$LINEAR_MAP_BASE, %esi
	movl	TR_KERNEL_CR3(%esi), %eax
	movl	%eax, %cr3			/* the identity map goes: we run high */
	movl	TR_STACK(%esi), %esp
	subl	$12, %esp			/* 16-byte aligned at the call */
	pushl	TR_CPU(%esi)
	xorl	%ebp, %ebp			/* end of the frame chain */
	call	x86_secondary_main
9:	cli
	hlt
	jmp	9b
	.size x86_secondary_startup, . - x86_secondary_startup

	.section .rodata
no_pae_msg:
	.asciz	"Kite: this CPU has no PAE; the i386 kernel needs a Pentium Pro or later\r\n"

	boot_data				/* ../head.h: boot_gdtr, boot stack */

	.section .bss.boot, "aw", @nobits
	.balign	4096
boot_pdpt:
	.space	4096
boot_pd:
	.space	4096
