/*
 * Instructions that may trap by design, each with an exception-table
 * entry (kernel/trap.c).  Addresses in the table are halfword addresses
 * without the Thumb bit, as the hardware stacks the faulting PC; the
 * labels below are plain labels, not functions, so the assembler and the
 * linker keep bit 0 clear.
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb

/* void arch_trigger_undefined(void): one permanently undefined (UDF). */
	.text
	.globl	arch_trigger_undefined
	.type	arch_trigger_undefined, %function
	.thumb_func
arch_trigger_undefined:
1:	udf	#0
2:	bx	lr
	.size	arch_trigger_undefined, . - arch_trigger_undefined
	.pushsection __extable, "a"
	.balign	4
	.word	1b, 2b
	.popsection

/*
 * int armv6m_semihost(unsigned int op, const void *arg): a semihosting
 * call, answered by QEMU (-semihosting-config enable=on) or a debugger.
 * Without one the BKPT is a HardFault; armv6m_hardfault() then resumes
 * at the fixup with r0 = -1.
 */
	.globl	armv6m_semihost
	.type	armv6m_semihost, %function
	.thumb_func
armv6m_semihost:					/* op in r0, argument in r1 */
1:	bkpt	#0xab
2:	bx	lr
	.size	armv6m_semihost, . - armv6m_semihost
	.pushsection __extable, "a"
	.balign	4
	.word	1b, 2b
	.popsection
