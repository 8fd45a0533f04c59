/*
 * Instructions that fault by design, each with an exception-table entry
 * (kernel/trap.c): the HAL's arch_trigger_undefined() and the x86 tests'
 * triggers.  Assembled for both widths; only the width of a table entry
 * and where the first argument arrives differ (asm/asm.h).
 */
#include <asm/asm.h>
#include <asm/segment.h>

	.text
	.globl arch_trigger_undefined
	.type arch_trigger_undefined, @function
arch_trigger_undefined:
1:	ud2
2:	ret
	EXTABLE	1b, 2b
	.size arch_trigger_undefined, . - arch_trigger_undefined

	.globl x86_trigger_divide
	.type x86_trigger_divide, @function
x86_trigger_divide:
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	movl	$1, %eax
1:	divl	%ecx
2:	ret
	EXTABLE	1b, 2b
	.size x86_trigger_divide, . - x86_trigger_divide

/*
 * void x86_trigger_gp_selector(unsigned int selector): load it into FS.
 * Should it load after all, FS goes back to what the kernel keeps there
 * (on i386 the per-CPU segment).
 */
	.globl x86_trigger_gp_selector
	.type x86_trigger_gp_selector, @function
x86_trigger_gp_selector:
	mov	ARG1, PTR_CX
1:	movw	%cx, %fs
2:	movl	$KERNEL_FS, %eax
	movw	%ax, %fs
	ret
	EXTABLE	1b, 2b
	.size x86_trigger_gp_selector, . - x86_trigger_gp_selector

/*
 * uintptr_t x86_probe_read(uintptr_t addr): ~0 when the read faults.  Kernel
 * or user addresses: user pages are read as uaccess.S does (STAC/CLAC).
 */
	.globl x86_probe_read
	.type x86_probe_read, @function
x86_probe_read:
	mov	ARG1, PTR_CX
	mov	$-1, PTR_AX
	USER_ACCESS_BEGIN
1:	mov	(PTR_CX), PTR_AX
2:	USER_ACCESS_END
	ret
	EXTABLE	1b, 2b
	.size x86_probe_read, . - x86_probe_read

/* uintptr_t x86_probe_read_plain(uintptr_t addr): the same without STAC, as SMAP sees stray loads. */
	.globl x86_probe_read_plain
	.type x86_probe_read_plain, @function
x86_probe_read_plain:
	mov	ARG1, PTR_CX
	mov	$-1, PTR_AX
1:	mov	(PTR_CX), PTR_AX
2:	ret
	EXTABLE	1b, 2b
	.size x86_probe_read_plain, . - x86_probe_read_plain

/* int x86_probe_write(uintptr_t addr, uintptr_t value): -1 when the write faults. */
	.globl x86_probe_write
	.type x86_probe_write, @function
x86_probe_write:
	mov	ARG1, PTR_CX
	mov	ARG2, PTR_DX
	mov	$-1, %eax
	USER_ACCESS_BEGIN
1:	mov	PTR_DX, (PTR_CX)
	xorl	%eax, %eax
2:	USER_ACCESS_END
	ret
	EXTABLE	1b, 2b
	.size x86_probe_write, . - x86_probe_write
