/*
 * The ARM run-time ABI's memory helpers (__aeabi_memcpy and friends).
 * clang emits calls to them for struct copies and clears on EABI targets;
 * libgcc does not provide them (a C library would), so they forward to
 * lib/string.c.  Written in assembly so no compiler can turn a helper
 * back into a call to itself.  Note __aeabi_memset's argument order:
 * (dest, n, c).
 */
	.syntax	unified
	.cpu	cortex-m0
	.thumb

.macro	alias name
	.globl	\name
	.type	\name, %function
	.thumb_func
\name:
.endm

	.section .text.__aeabi_memcpy, "ax"
	alias	__aeabi_memcpy
	alias	__aeabi_memcpy4
	alias	__aeabi_memcpy8
	ldr	r3, =memcpy
	bx	r3
	.ltorg

	.section .text.__aeabi_memmove, "ax"
	alias	__aeabi_memmove
	alias	__aeabi_memmove4
	alias	__aeabi_memmove8
	ldr	r3, =memmove
	bx	r3
	.ltorg

	.section .text.__aeabi_memset, "ax"
	alias	__aeabi_memset
	alias	__aeabi_memset4
	alias	__aeabi_memset8
	mov	r3, r1				/* (dest, n, c) -> (dest, c, n) */
	mov	r1, r2
	mov	r2, r3
	ldr	r3, =memset
	bx	r3
	.ltorg

	.section .text.__aeabi_memclr, "ax"
	alias	__aeabi_memclr
	alias	__aeabi_memclr4
	alias	__aeabi_memclr8
	mov	r2, r1				/* (dest, n) -> (dest, 0, n) */
	movs	r1, #0
	ldr	r3, =memset
	bx	r3
	.ltorg
