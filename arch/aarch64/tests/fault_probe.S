/*
 * Test helpers with exception-table entries, so a test that expects the
 * abort gets control back:
 *   uint64_t aarch64_test_load(uintptr_t addr)   loads from addr (x0 then
 *                                                still holds the address);
 *   void aarch64_test_store(uintptr_t addr, uint64_t value);
 *   uint64_t aarch64_test_load_user(uintptr_t addr)  the same with LDTR, as
 *                                                the user-copy routines
 *                                                load (PAN lets it through).
 * And long aarch64_test_on_sp0(long (*fn)(void)), which runs fn in EL1t on
 * the exception stack, interrupts masked, as the stack-overflow path does.
 */
	.text
	.globl aarch64_test_load
	.type aarch64_test_load, %function
aarch64_test_load:
1:	ldr	x0, [x0]
2:	ret
	.size aarch64_test_load, . - aarch64_test_load

	.globl aarch64_test_store
	.type aarch64_test_store, %function
aarch64_test_store:
3:	str	x1, [x0]
4:	ret
	.size aarch64_test_store, . - aarch64_test_store

	.globl aarch64_test_load_user
	.type aarch64_test_load_user, %function
aarch64_test_load_user:
5:	ldtr	x0, [x0]
6:	ret
	.size aarch64_test_load_user, . - aarch64_test_load_user

	.globl aarch64_test_on_sp0
	.type aarch64_test_on_sp0, %function
aarch64_test_on_sp0:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	str	x19, [sp, #16]
	mrs	x19, daif
	msr	daifset, #0xf
	msr	spsel, #0
	blr	x0
	msr	spsel, #1
	msr	daif, x19
	ldr	x19, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
	.size aarch64_test_on_sp0, . - aarch64_test_on_sp0

	.pushsection __extable, "a"
	.balign 8
	.quad	1b, 2b
	.quad	3b, 4b
	.quad	5b, 6b
	.popsection
