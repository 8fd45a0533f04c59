/*
 * __aeabi_uldivmod and __aeabi_ldivmod (the ARM run-time ABI): the
 * quotient in r0-r1 and the remainder in r2-r3, around the C division in
 * aeabi_long.c, which returns the remainder through a pointer (the fifth
 * argument word, on the stack).  Only with ARMV6M_HIGH_REGS_FIXED.
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb

.macro	divmod name, body
	.text
	.globl	\name
	.type	\name, %function
	.thumb_func
\name:
	push	{r4, lr}
	sub	sp, #16				/* [sp]: &rem; [sp, #8]: rem */
	add	r4, sp, #8
	str	r4, [sp]
	bl	\body
	ldr	r2, [sp, #8]
	ldr	r3, [sp, #12]
	add	sp, #16
	pop	{r4, pc}
	.size	\name, . - \name
.endm

	divmod	__aeabi_uldivmod, armv6m_udivmod64
	divmod	__aeabi_ldivmod, armv6m_divmod64
