/* A tiny TAP harness for host unit tests of portable kernel code. */
#ifndef HOST_TEST_H
#define HOST_TEST_H

#include <stdio.h>
#include <stdbool.h>
#include <string.h>

struct host_test {
	const char *name;
	void (*fn)(void);
	struct host_test *next;
};

void host_test_register(struct host_test *t);
void host_test_fail(const char *file, int line, const char *msg);
void host_test_fail_str(const char *file, int line, const char *a, const char *b);

#define HOST_TEST(name)							\
	static void name(void);						\
	static struct host_test name##_desc = { #name, name, NULL };	\
	__attribute__((constructor)) static void name##_reg(void)	\
	{ host_test_register(&name##_desc); }				\
	static void name(void)

#define CHECK(cond) do {						\
	if (!(cond))							\
		host_test_fail(__FILE__, __LINE__, #cond);		\
} while (0)

#define CHECK_STREQ(a, b) do {						\
	if (strcmp((a), (b)) != 0)					\
		host_test_fail_str(__FILE__, __LINE__, (a), (b));	\
} while (0)

#endif

#include <setjmp.h>
extern jmp_buf *host_halt_jmp;

/*
 * Run stmt expecting the kernel code to panic (which ends in arch_halt());
 * evaluates to true when it did.
 */
#define HOST_EXPECT_PANIC(stmt) ({					\
	jmp_buf j_;							\
	volatile bool halted_ = false;					\
	host_halt_jmp = &j_;						\
	if (setjmp(j_) == 0) {						\
		stmt;							\
		host_halt_jmp = NULL;					\
	} else {							\
		halted_ = true;						\
	}								\
	halted_;							\
})
