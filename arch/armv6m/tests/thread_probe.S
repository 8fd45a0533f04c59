/*
 * Test helper: uint32_t armv6m_test_reg_spin(const uint32_t pattern[13],
 * volatile uint32_t *stop) loads r1-r12 and lr from pattern and spins
 * checking that none of them changes, until *stop is non-zero.  Returns
 * 0, or 1-13 for the first register found changed (13: lr).  Run in two
 * threads with different patterns and preempted by the tick, it shows that
 * the PendSV switch saves and restores every register: the hardware frame
 * (r0-r3, r12, lr) and the switch frame (r4-r11).  r0 is the only scratch
 * register; the pattern and stop pointers live on the stack.  A kernel
 * that keeps off r8-r11 (ARMV6M_HIGH_REGS_FIXED) does not switch them, so
 * then this leaves them alone too (armv6m.high-regs checks the image).
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb

#define PAT	0		/* [sp, #PAT]: pattern */
#define STOP	4		/* [sp, #STOP]: stop */

.macro	load reg, i
	ldr	r0, [sp, #PAT]
	ldr	r0, [r0, #4 * (\i)]
	mov	\reg, r0
.endm

.macro	check reg, i
	ldr	r0, [sp, #PAT]
	ldr	r0, [r0, #4 * (\i)]
	cmp	r0, \reg
	beq	1f
	movs	r0, #(\i) + 1
	b	9f
1:
.endm

	.text
	.globl	armv6m_test_reg_spin
	.type	armv6m_test_reg_spin, %function
	.thumb_func
armv6m_test_reg_spin:
	push	{r4-r7, lr}
	mov	r4, r8
	mov	r5, r9
	mov	r6, r10
	mov	r7, r11
	push	{r4-r7}
	mov	r4, r12
	push	{r0, r1, r2, r4}	/* pattern, stop, pad, r12 */

	load	r1, 0
	load	r2, 1
	load	r3, 2
	load	r4, 3
	load	r5, 4
	load	r6, 5
	load	r7, 6
#ifndef ARMV6M_HIGH_REGS_FIXED
	load	r8, 7
	load	r9, 8
	load	r10, 9
	load	r11, 10
#endif
	load	r12, 11
	load	lr, 12

2:	check	r1, 0
	check	r2, 1
	check	r3, 2
	check	r4, 3
	check	r5, 4
	check	r6, 5
	check	r7, 6
#ifndef ARMV6M_HIGH_REGS_FIXED
	check	r8, 7
	check	r9, 8
	check	r10, 9
	check	r11, 10
#endif
	check	r12, 11
	check	lr, 12
	ldr	r0, [sp, #STOP]
	ldr	r0, [r0]
	cmp	r0, #0
	beq	2b
	movs	r0, #0

9:	pop	{r1, r2, r3, r4}	/* pattern, stop, pad, r12 */
	mov	r12, r4
	pop	{r4-r7}
	mov	r8, r4
	mov	r9, r5
	mov	r10, r6
	mov	r11, r7
	pop	{r4-r7, pc}
	.size	armv6m_test_reg_spin, . - armv6m_test_reg_spin

/*
 * The same, one word lower on the stack: an interrupt then finds the
 * stack 8-aligned and stacks no padding word (xPSR bit 9 clear), the
 * other case of the hand-made exception return in switch.S.
 */
	.globl	armv6m_test_reg_spin_shifted
	.type	armv6m_test_reg_spin_shifted, %function
	.thumb_func
armv6m_test_reg_spin_shifted:
	push	{r3, r4, lr}
	bl	armv6m_test_reg_spin
	pop	{r3, r4, pc}
	.size	armv6m_test_reg_spin_shifted, . - armv6m_test_reg_spin_shifted
