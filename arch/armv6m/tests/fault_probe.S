/*
 * Test helpers: one load and one store that may fault, each with an
 * exception-table entry so a test expecting the HardFault gets control
 * back.  They use an immediate and a register offset so the tests check
 * the fault decoder's address arithmetic, not just [Rn].
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb
	.text

/* uint32_t armv6m_test_load(uintptr_t addr): loads from addr + 4. */
	.globl	armv6m_test_load
	.type	armv6m_test_load, %function
	.thumb_func
armv6m_test_load:
1:	ldr	r0, [r0, #4]
2:	bx	lr
	.size	armv6m_test_load, . - armv6m_test_load
	.pushsection __extable, "a"
	.balign	4
	.word	1b, 2b
	.popsection

/* void armv6m_test_store16(uintptr_t base, uint32_t off, uint32_t v): base + off. */
	.globl	armv6m_test_store16
	.type	armv6m_test_store16, %function
	.thumb_func
armv6m_test_store16:
1:	strh	r2, [r0, r1]
2:	bx	lr
	.size	armv6m_test_store16, . - armv6m_test_store16
	.pushsection __extable, "a"
	.balign	4
	.word	1b, 2b
	.popsection
