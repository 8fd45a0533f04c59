/*
 * The start of a secondary CPU: INIT-SIPI-SIPI leaves it in real mode at
 * the page smp.c copied this to (CS = page >> 4, IP = 0).  It loads the
 * trampoline's own GDT, enters 32-bit protected mode, checks that it is
 * the CPU the mailbox is for (one the boot CPU gave up on, arriving
 * late, halts here instead of taking another CPU's stack), turns on
 * paging with the boot CPU's CR4, EFER and CR0 over the temporary tables
 * (x86_64: PAE and long mode), and jumps to the kernel's high address
 * ({32,64}/head.S: x86_secondary_startup) with ESI = this page.
 *
 * Only copied, never run where it is linked: every address below is an
 * offset in the page, or comes from the mailbox (trampoline.h), which
 * smp.c fills with this page's physical addresses.
 */
#include "trampoline.h"

	.section .rodata
	.balign	16
	.globl x86_trampoline
x86_trampoline:
	.code16
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	movzwl	%ax, %esi
	shll	$4, %esi			/* ESI = this page, physical */
	lgdtl	TR_GDTR
	movl	%cr0, %eax
	orl	$TR_CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	*TR_JUMP32			/* x86_trampoline_32, in TR_CS32 */

	.code32
	.globl x86_trampoline_32
x86_trampoline_32:
	movl	$TR_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* Our APIC ID: CPUID 1 has 8 bits of it, leaf 0xb all 32. */
	movl	TR_APIC_ID(%esi), %edi
	cmpl	$0xff, %edi
	jae	1f
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	jmp	2f
1:	movl	$0xb, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%edx, %ebx
2:	cmpl	%edi, %ebx
	jne	park

	movl	TR_CR4(%esi), %eax
	movl	%eax, %cr4
	movl	TR_PGD(%esi), %eax
	movl	%eax, %cr3
	movl	TR_EFER(%esi), %eax
	testl	%eax, %eax
	jz	3f
	movl	$TR_MSR_EFER, %ecx
	xorl	%edx, %edx
	wrmsr
3:	movl	TR_CR0(%esi), %eax
	movl	%eax, %cr0			/* paging on (x86_64: long mode active) */
#ifdef __x86_64__
	ljmpl	*TR_JUMP64(%esi)		/* x86_trampoline_64, in TR_CS64 */

	.code64
	.globl x86_trampoline_64
x86_trampoline_64:
	movl	%esi, %esi			/* upper halves are undefined after the switch */
	movq	TR_ENTRY(%rsi), %rax
	jmp	*%rax
	.code32
#else
	jmp	*TR_ENTRY(%esi)
#endif

park:
	cli
	hlt
	jmp	park
	.globl x86_trampoline_end
x86_trampoline_end:
