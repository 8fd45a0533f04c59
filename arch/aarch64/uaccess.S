/*
 * AArch64 user-memory copies.  User memory is reached only with the
 * unprivileged loads and stores (LDTR/STTR): they check EL0's permissions
 * (a read-only user page stays read-only to the kernel acting for the
 * user) and work with PAN set, which keeps every other kernel access to
 * user memory faulting.  Each access has an exception-table entry: a fault
 * that demand paging cannot resolve resumes at the fixup, which returns
 * the bytes not copied.  The bulk moves 64 bytes per iteration (LDTR and
 * STTR have no pair form, so eight of them against four LDP/STP); a fault
 * in such a block resumes at the 8-byte loop with the pointers and count
 * still at the block's start, which redoes the block (rewriting words it
 * already stored with the same bytes) and falls back to bytes at the
 * faulting word, so the count is exact.
 */

/* One user access with an exception-table entry resuming at \fixup. */
.macro uacc fixup, insn:vararg
9999:	\insn
	.pushsection __extable, "a"
	.balign 8
	.quad	9999b, \fixup
	.popsection
.endm

	.text
/* size_t arch_copy_from_user(void *dst, const void *src, size_t n) */
	.globl arch_copy_from_user
	.type arch_copy_from_user, %function
arch_copy_from_user:
	cmp	x2, #64
	b.lo	1f
0:	uacc	1f, ldtr x3, [x1]		/* all loads before any store */
	uacc	1f, ldtr x4, [x1, #8]
	uacc	1f, ldtr x5, [x1, #16]
	uacc	1f, ldtr x6, [x1, #24]
	uacc	1f, ldtr x7, [x1, #32]
	uacc	1f, ldtr x8, [x1, #40]
	uacc	1f, ldtr x9, [x1, #48]
	uacc	1f, ldtr x10, [x1, #56]
	stp	x3, x4, [x0]
	stp	x5, x6, [x0, #16]
	stp	x7, x8, [x0, #32]
	stp	x9, x10, [x0, #48]
	add	x0, x0, #64
	add	x1, x1, #64
	sub	x2, x2, #64
	cmp	x2, #64
	b.hs	0b
1:	cmp	x2, #8
	b.lo	2f
	uacc	2f, ldtr x3, [x1]
	str	x3, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
	b	1b
2:	cbz	x2, 3f
	uacc	3f, ldtrb w3, [x1]
	strb	w3, [x0], #1
	add	x1, x1, #1
	sub	x2, x2, #1
	b	2b
3:	mov	x0, x2
	ret
	.size arch_copy_from_user, . - arch_copy_from_user

/* size_t arch_copy_to_user(void *dst, const void *src, size_t n) */
	.globl arch_copy_to_user
	.type arch_copy_to_user, %function
arch_copy_to_user:
	cmp	x2, #64
	b.lo	1f
0:	ldp	x3, x4, [x1]
	ldp	x5, x6, [x1, #16]
	ldp	x7, x8, [x1, #32]
	ldp	x9, x10, [x1, #48]
	uacc	1f, sttr x3, [x0]
	uacc	1f, sttr x4, [x0, #8]
	uacc	1f, sttr x5, [x0, #16]
	uacc	1f, sttr x6, [x0, #24]
	uacc	1f, sttr x7, [x0, #32]
	uacc	1f, sttr x8, [x0, #40]
	uacc	1f, sttr x9, [x0, #48]
	uacc	1f, sttr x10, [x0, #56]
	add	x0, x0, #64
	add	x1, x1, #64
	sub	x2, x2, #64
	cmp	x2, #64
	b.hs	0b
1:	cmp	x2, #8
	b.lo	2f
	ldr	x3, [x1], #8
	uacc	4f, sttr x3, [x0]
	add	x0, x0, #8
	sub	x2, x2, #8
	b	1b
4:	sub	x1, x1, #8		/* redo this word byte by byte */
2:	cbz	x2, 3f
	ldrb	w3, [x1], #1
	uacc	3f, sttrb w3, [x0]
	add	x0, x0, #1
	sub	x2, x2, #1
	b	2b
3:	mov	x0, x2
	ret
	.size arch_copy_to_user, . - arch_copy_to_user

/* size_t arch_clear_user(void *dst, size_t n) */
	.globl arch_clear_user
	.type arch_clear_user, %function
arch_clear_user:
	cmp	x1, #64
	b.lo	1f
0:	uacc	1f, sttr xzr, [x0]
	uacc	1f, sttr xzr, [x0, #8]
	uacc	1f, sttr xzr, [x0, #16]
	uacc	1f, sttr xzr, [x0, #24]
	uacc	1f, sttr xzr, [x0, #32]
	uacc	1f, sttr xzr, [x0, #40]
	uacc	1f, sttr xzr, [x0, #48]
	uacc	1f, sttr xzr, [x0, #56]
	add	x0, x0, #64
	sub	x1, x1, #64
	cmp	x1, #64
	b.hs	0b
1:	cmp	x1, #8
	b.lo	2f
	uacc	2f, sttr xzr, [x0]
	add	x0, x0, #8
	sub	x1, x1, #8
	b	1b
2:	cbz	x1, 3f
	uacc	3f, sttrb wzr, [x0]
	add	x0, x0, #1
	sub	x1, x1, #1
	b	2b
3:	mov	x0, x1
	ret
	.size arch_clear_user, . - arch_clear_user

/* long arch_strnlen_user(const char *s, size_t n): length, n, or -1 on a fault */
	.globl arch_strnlen_user
	.type arch_strnlen_user, %function
arch_strnlen_user:
	mov	x2, #0
1:	cmp	x2, x1
	b.hs	2f
	uacc	3f, ldtrb w3, [x0]
	cbz	w3, 2f
	add	x0, x0, #1
	add	x2, x2, #1
	b	1b
2:	mov	x0, x2
	ret
3:	mov	x0, #-1
	ret
	.size arch_strnlen_user, . - arch_strnlen_user

/*
 * int arch_user_cmpxchg32(uint32_t *uaddr, uint32_t old, uint32_t new, uint32_t *cur)
 *
 * Exclusive loads and stores have no unprivileged form, so PAN (where the
 * CPU has it, ID_AA64MMFR1_EL1.PAN) is cleared around them; the access
 * is then checked against the kernel's permissions, which for user pages
 * are the user's (read-only stays read-only).  An exception taken inside
 * restores PAN as it was on return.
 */
	.globl arch_user_cmpxchg32
	.type arch_user_cmpxchg32, %function
arch_user_cmpxchg32:
	mrs	x9, S3_0_C0_C7_1		/* ID_AA64MMFR1_EL1 */
	ubfx	x9, x9, #20, #4
	cbz	x9, 1f
	.inst	0xd500409f			/* msr pan, #0 */
1:	uacc	5f, ldaxr w4, [x0]
	cmp	w4, w1
	b.ne	2f
	uacc	5f, stlxr w5, w2, [x0]
	cbnz	w5, 1b
	dmb	ish
2:	cbz	x9, 3f
	.inst	0xd500419f			/* msr pan, #1 */
3:	str	w4, [x3]
	mov	w0, #0
	ret
5:	cbz	x9, 6f
	.inst	0xd500419f			/* msr pan, #1 */
6:	mov	w0, #-14			/* -EFAULT */
	ret
	.size arch_user_cmpxchg32, . - arch_user_cmpxchg32
