/*
 * The kernel's memcpy and memset on AArch64 (lib/string.c has the
 * portable ones, left out on this port): 64 bytes per iteration with
 * LDP/STP when both pointers are 8-byte aligned, then words, then bytes.
 * The C loop moves 8 bytes per five instructions; this one moves 64 per
 * nine.  Unaligned pointers go byte by byte, as in the C version: before
 * the MMU is on every access is to Device memory, where an unaligned one
 * faults.
 */

	.text
/* void *memcpy(void *dst, const void *src, size_t n) */
	.globl memcpy
	.type memcpy, %function
memcpy:
	mov	x3, x0
	orr	x4, x0, x1
	tst	x4, #7
	b.ne	3f
	cmp	x2, #64
	b.lo	2f
1:	ldp	x4, x5, [x1]
	ldp	x6, x7, [x1, #16]
	ldp	x8, x9, [x1, #32]
	ldp	x10, x11, [x1, #48]
	add	x1, x1, #64
	sub	x2, x2, #64
	stp	x4, x5, [x3]
	stp	x6, x7, [x3, #16]
	stp	x8, x9, [x3, #32]
	stp	x10, x11, [x3, #48]
	add	x3, x3, #64
	cmp	x2, #64
	b.hs	1b
2:	cmp	x2, #8
	b.lo	3f
	ldr	x4, [x1], #8
	str	x4, [x3], #8
	sub	x2, x2, #8
	b	2b
3:	cbz	x2, 4f
	ldrb	w4, [x1], #1
	strb	w4, [x3], #1
	sub	x2, x2, #1
	b	3b
4:	ret
	.size memcpy, . - memcpy

/* void *memset(void *dst, int c, size_t n) */
	.globl memset
	.type memset, %function
memset:
	mov	x3, x0
	and	x1, x1, #0xff
	orr	x1, x1, x1, lsl #8		/* the byte in every byte of the word */
	orr	x1, x1, x1, lsl #16
	orr	x1, x1, x1, lsl #32
	tst	x0, #7
	b.ne	3f
	cmp	x2, #64
	b.lo	2f
1:	stp	x1, x1, [x3]
	stp	x1, x1, [x3, #16]
	stp	x1, x1, [x3, #32]
	stp	x1, x1, [x3, #48]
	add	x3, x3, #64
	sub	x2, x2, #64
	cmp	x2, #64
	b.hs	1b
2:	cmp	x2, #8
	b.lo	3f
	str	x1, [x3], #8
	sub	x2, x2, #8
	b	2b
3:	cbz	x2, 4f
	strb	w1, [x3], #1
	sub	x2, x2, #1
	b	3b
4:	ret
	.size memset, . - memset

/*
 * void arch_clear_pages(void *addr, size_t bytes): whole pages of normal
 * memory (<asm/mmu.h>).  DC ZVA zeroes a 64-byte block per instruction
 * where DCZID_EL0 allows it and says 64 bytes; anything else is memset's.
 */
	.globl arch_clear_pages
	.type arch_clear_pages, %function
arch_clear_pages:
	mrs	x2, dczid_el0
	and	x2, x2, #0x1f			/* DZP (bit 4) clear and BS 4: 2^4 words, 64 bytes */
	cmp	x2, #4
	b.ne	2f
	cbz	x1, 3f
1:	dc	zva, x0
	add	x0, x0, #64
	dc	zva, x0
	add	x0, x0, #64
	dc	zva, x0
	add	x0, x0, #64
	dc	zva, x0
	add	x0, x0, #64
	subs	x1, x1, #256			/* pages are whole multiples of 256 bytes */
	b.hi	1b
3:	ret
2:	mov	x2, x1
	mov	w1, #0
	b	memset
	.size arch_clear_pages, . - arch_clear_pages
