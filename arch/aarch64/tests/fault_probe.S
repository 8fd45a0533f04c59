/*
 * Test helper: uint64_t aarch64_test_load(uintptr_t addr) loads from addr.
 * The load has an exception-table entry, so a test that expects the data
 * abort gets control back (x0 then still holds the address).
 */
	.text
	.globl aarch64_test_load
	.type aarch64_test_load, %function
aarch64_test_load:
1:	ldr	x0, [x0]
2:	ret
	.pushsection __extable, "a"
	.balign 8
	.quad	1b, 2b
	.popsection
