/*
 * Test helpers with exception-table entries, so a test that expects the
 * abort gets control back:
 *   uint64_t aarch64_test_load(uintptr_t addr)   loads from addr (x0 then
 *                                                still holds the address);
 *   void aarch64_test_store(uintptr_t addr, uint64_t value).
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

	.pushsection __extable, "a"
	.balign 8
	.quad	1b, 2b
	.quad	3b, 4b
	.popsection
