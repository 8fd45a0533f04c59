/*
 * Width macros for the assembly both x86 ports share (extable.S,
 * switch.S): pointer-sized data and registers, where the SysV arguments
 * arrive, and the callee-saved registers a context switch keeps.
 */
#ifndef ASM_ASM_H
#define ASM_ASM_H

#ifdef __x86_64__
#define PTR		.quad		/* a pointer-sized word */
#define PTR_SIZE	8
#define PTR_AX		%rax
#define PTR_CX		%rcx
#define PTR_DX		%rdx
#define PTR_SP		%rsp
#define ARG1		%rdi		/* SysV: the first argument's register */
#define ARG2		%rsi
/* The SysV x86-64 callee-saved registers, and the same in reverse. */
#define CALLEE_SAVED		%rbx, %rbp, %r12, %r13, %r14, %r15
#define CALLEE_SAVED_REVERSED	%r15, %r14, %r13, %r12, %rbp, %rbx
#else
#define PTR		.long
#define PTR_SIZE	4
#define PTR_AX		%eax
#define PTR_CX		%ecx
#define PTR_DX		%edx
#define PTR_SP		%esp
#define ARG1		4(%esp)		/* cdecl: above the return address */
#define ARG2		8(%esp)
#define CALLEE_SAVED		%ebx, %esi, %edi, %ebp
#define CALLEE_SAVED_REVERSED	%ebp, %edi, %esi, %ebx
#endif

#ifdef __ASSEMBLER__
/* Resume at fixup when insn faults: a struct extable_entry. */
.macro EXTABLE insn, fixup
	.pushsection __extable, "a"
	.balign	PTR_SIZE
	PTR	\insn, \fixup
	.popsection
.endm

/*
 * SMAP brackets around the user-copy routines' accesses: STAC lets the
 * kernel reach user pages until CLAC.  Both are #UD on CPUs without SMAP,
 * hence the test of x86_smap (cpu.c), set before any user space exists.
 * Flags are clobbered.
 */
.macro USER_ACCESS_BEGIN
#ifdef __x86_64__
	testb	$1, x86_smap(%rip)
#else
	testb	$1, x86_smap
#endif
	jz	.Lno_stac\@
	stac
.Lno_stac\@:
.endm

.macro USER_ACCESS_END
#ifdef __x86_64__
	testb	$1, x86_smap(%rip)
#else
	testb	$1, x86_smap
#endif
	jz	.Lno_clac\@
	clac
.Lno_clac\@:
.endm
#endif

#endif
