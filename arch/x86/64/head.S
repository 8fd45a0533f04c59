/*
 * x86-64 entry.  A multiboot (v1) loader copies the image to 1 MiB and
 * enters _start (physical) in 32-bit protected mode, paging off, EAX =
 * magic, EBX = information.  The kernel is linked at KERNEL_VIRT_BASE +
 * 1 MiB (the top 2 GiB, -mcmodel=kernel).
 *
 * The 32-bit code below builds the boot page tables: the first 4 GiB
 * of physical memory with 2 MiB pages, seen both at 0 (an identity map,
 * only for the jump) and at LINEAR_MAP_BASE (the linear map), and the
 * first GiB again at KERNEL_VIRT_BASE (the image).  It enables PAE, long
 * mode and NX, jumps to the image's high address and calls x86_boot().
 * The C side adds the rest (mmu_init.c); arch_mmu_init() replaces them.
 */
#include "../head.h"
#include "../trampoline.h"

#define PML4_LINEAR	((LINEAR_MAP_BASE >> 39) & 511)
#define PML4_IMAGE	((KERNEL_VIRT_BASE >> 39) & 511)
#define PDPT_IMAGE	((KERNEL_VIRT_BASE >> 30) & 511)

	.code32
	multiboot_header			/* ../head.h */

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

	/* Four page directories of 2 MiB pages: physical 0..4 GiB. */
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	%eax, PHYS(boot_pd)(, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	1b
	movl	$PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	xorl	%ecx, %ecx
2:	movl	%eax, PHYS(boot_pdpt_low)(, %ecx, 8)
	addl	$4096, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jb	2b
	movl	$PHYS(boot_pdpt_low) + (PTE_P | PTE_W), PHYS(boot_pml4)
	movl	$PHYS(boot_pdpt_low) + (PTE_P | PTE_W), PHYS(boot_pml4) + PML4_LINEAR * 8
	movl	$PHYS(boot_pdpt_high) + (PTE_P | PTE_W), PHYS(boot_pml4) + PML4_IMAGE * 8
	movl	$PHYS(boot_pd) + (PTE_P | PTE_W), PHYS(boot_pdpt_high) + PDPT_IMAGE * 8

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PHYS(boot_pml4), %eax
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
	ljmp	$KERNEL_CS, $PHYS(start64_low)

/* A 32-bit CPU (qemu-system-i386): say so on COM1 and leave QEMU. */
no_long_mode:
	boot_fail no_long_mode_msg		/* ../head.h */

	.code64
start64_low:
	movabsq	$start64, %rax			/* off the identity map */
	jmp	*%rax
start64:
	load_data_segments
	movq	$boot_stack_top, %rsp

	/* Upper halves of registers are undefined after the mode switch. */
	movl	%ebp, %edi			/* magic */
	movl	%esi, %esi			/* information (physical) */
	xorl	%ebp, %ebp			/* end of the frame chain */
	call	x86_boot
8:	cli
	hlt
	jmp	8b
	.size _start, . - _start

/*
 * A secondary CPU, from the trampoline (../trampoline.S): 64-bit mode on
 * the temporary tables, ESI = the trampoline page.  Its mailbox, read
 * through the linear map, gives the kernel's own tables, the idle
 * thread's stack and the CPU's number for x86_secondary_main() (smp.c).
 */
	.text
	.globl x86_secondary_startup
	.type x86_secondary_startup, @function
x86_secondary_startup:
	movl	%esi, %esi
	movabsq	$LINEAR_MAP_BASE, %rax
	addq	%rax, %rsi
	movq	TR_KERNEL_CR3(%rsi), %rax
	movq	%rax, %cr3			/* the identity map goes: we run high */
	movq	TR_STACK(%rsi), %rsp
	movl	TR_CPU(%rsi), %edi
	xorl	%ebp, %ebp			/* end of the frame chain */
	call	x86_secondary_main
9:	cli
	hlt
	jmp	9b
	.size x86_secondary_startup, . - x86_secondary_startup

	.section .rodata
no_long_mode_msg:
	.asciz	"Kite: this CPU has no long mode (x86-64); boot the i386 kernel instead\r\n"

	boot_data				/* ../head.h: boot_gdtr, boot stack */

	.section .bss.boot, "aw", @nobits
	.balign	4096
boot_pml4:
	.space	4096
boot_pdpt_low:
	.space	4096
boot_pdpt_high:
	.space	4096
boot_pd:
	.space	4 * 4096
