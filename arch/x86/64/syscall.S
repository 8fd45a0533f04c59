/*
 * x86-64 SYSCALL entry and the return to user mode.  SYSCALL leaves the
 * user's RIP in RCX and RFLAGS in R11 (SFMASK has cleared IF, DF, TF and
 * AC) and does not switch stacks: the kernel stack top comes from this
 * CPU's struct cpu (kept up to date at every switch to a user thread),
 * reached through the kernel GS base after SWAPGS.  The frame built is
 * the struct arch_regs an interrupt from ring 3 would leave, so every
 * path out of the kernel is the same.
 *
 * The way back is SYSRET when it is safe: the frame's RIP is canonical
 * (SYSRET with a non-canonical RCX faults in ring 0 on Intel CPUs, with
 * the user's stack), CS and SS are the user defaults, and RFLAGS has
 * neither RF nor TF.  Anything else (a signal handler's frame, sigreturn
 * with odd values, ptrace later) returns through IRETQ.
 */
#include <asm/segment.h>
#include <asm/trap.h>

#define CPU_OFFSET_ENTRY_SCRATCH 24	/* include/kernel/cpu.h */
#define CPU_OFFSET_ENTRY_STACK	32

/* struct arch_regs offsets (asm/trap.h) */
#define R_R11		(4 * 8)
#define R_RCX		(12 * 8)
#define R_RIP		(17 * 8)
#define R_CS		(18 * 8)
#define R_RFLAGS	(19 * 8)
#define R_RSP		(20 * 8)
#define R_SS		(21 * 8)

#define EFLAGS_TF	(1 << 8)
#define EFLAGS_RF	(1 << 16)

	.text
	.globl x86_syscall_entry
	.type x86_syscall_entry, @function
x86_syscall_entry:
	swapgs
	movq	%rsp, %gs:CPU_OFFSET_ENTRY_SCRATCH
	movq	%gs:CPU_OFFSET_ENTRY_STACK, %rsp
	pushq	$USER_DS			/* ss */
	pushq	%gs:CPU_OFFSET_ENTRY_SCRATCH	/* rsp */
	pushq	%r11				/* rflags */
	pushq	$USER_CS64			/* cs */
	pushq	%rcx				/* rip */
	pushq	$0				/* error code */
	pushq	$X86_VECTOR_NONE		/* vector: none, a system call */
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	xorl	%ebp, %ebp			/* backtraces end here */
	movq	%rsp, %rdi
	sti
	call	syscall_entry			/* kernel/entry.c, interrupts on */
	cli
	movq	%rsp, %rdi
	call	exit_to_user			/* returns with interrupts masked */
	/* fall through: back to user mode with the frame at RSP */

/*
 * x86_return_to_user: RSP at a user frame (the top of the kernel stack),
 * interrupts masked, exit_to_user() done.
 */
	.globl x86_return_to_user
x86_return_to_user:
	movq	R_RIP(%rsp), %rcx
	movq	%rcx, %r11
	shlq	$16, %r11
	sarq	$16, %r11
	cmpq	%rcx, %r11
	jne	iret_to_user			/* not canonical */
	cmpq	$USER_CS64, R_CS(%rsp)
	jne	iret_to_user
	cmpq	$USER_DS, R_SS(%rsp)
	jne	iret_to_user
	movq	R_RFLAGS(%rsp), %r11
	testq	$(EFLAGS_TF | EFLAGS_RF), %r11
	jnz	iret_to_user
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	addq	$8, %rsp			/* r11: RFLAGS, loaded below */
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	addq	$8, %rsp			/* rcx: RIP, loaded below */
	popq	%rbx
	popq	%rax
	movq	16(%rsp), %rcx			/* rip (past vector and error) */
	movq	32(%rsp), %r11			/* rflags */
	movq	40(%rsp), %rsp			/* the user's stack */
	swapgs
	sysretq

iret_to_user:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp			/* vector and error code */
	swapgs
	iretq
	.size x86_syscall_entry, . - x86_syscall_entry

/* void arch_user_enter(struct arch_regs *regs): the top frame of our stack. */
	.globl arch_user_enter
	.type arch_user_enter, @function
arch_user_enter:
	movq	%rdi, %rsp
	cli
	call	x86_exit_to_user
	jmp	x86_return_to_user
	.size arch_user_enter, . - arch_user_enter
