/*
 * In-kernel tests.  KTEST(suite, name) defines a test that the runner
 * (kernel/ktest.c) executes after boot in a CONFIG_KTEST build, printing
 * flat TAP version 13:  "ok 3 suite.name".  Expectations record a failure
 * with its location and continue; assertions also end the test.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct ktest {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

#define KTEST(suite, name)						\
	static void ktest_fn_##suite##_##name(void);			\
	static const struct ktest ktest_##suite##_##name		\
		__section(".ktests") __used __aligned(sizeof(void *)) = \
		{ #suite, #name, ktest_fn_##suite##_##name };		\
	static void ktest_fn_##suite##_##name(void)

__printf(3, 4) void ktest_fail(const char *file, int line, const char *fmt, ...);
void ktest_skip(const char *reason);
bool ktest_failed(void);

#define KEXPECT(cond) do {						\
	if (!(cond))							\
		ktest_fail(__FILE__, __LINE__, "expected %s", #cond);	\
} while (0)

#define KEXPECT_EQ(a, b) do {						\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	if (a_ != b_)							\
		ktest_fail(__FILE__, __LINE__, "%s == %s: %lld (%#llx) != %lld (%#llx)", \
			   #a, #b, a_, (unsigned long long)a_, b_, (unsigned long long)b_); \
} while (0)

/* Unsigned comparisons that show both values: KEXPECT_OP(a, >=, b). */
#define KEXPECT_OP(a, op, b) do {					\
	unsigned long long a_ = (unsigned long long)(a);		\
	unsigned long long b_ = (unsigned long long)(b);		\
	if (!(a_ op b_))						\
		ktest_fail(__FILE__, __LINE__, "%s %s %s: %llu vs %llu", \
			   #a, #op, #b, a_, b_);			\
} while (0)

#define KEXPECT_STREQ(a, b) do {					\
	const char *a_ = (a), *b_ = (b);				\
	if (!a_ || !b_ || strcmp(a_, b_) != 0)				\
		ktest_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
			   #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
} while (0)

#define KASSERT(cond) do {						\
	if (!(cond)) {							\
		ktest_fail(__FILE__, __LINE__, "assertion %s", #cond);	\
		return;							\
	}								\
} while (0)

#define KTEST_SKIP(reason) do { ktest_skip(reason); return; } while (0)

/*
 * Timing tests check tight bounds only when time cannot be disturbed by
 * the host: ktest.strict_timing on the command line, which the runner
 * passes to QEMU -icount variants.  Otherwise a stalled emulator may
 * deliver a tick tens of milliseconds late, and only gross errors count.
 */
bool ktest_strict_timing(void);

/*
 * A time bound for a test that waits for something: strict_ns in virtual
 * time (ktest.strict_timing), else a deadline so far off (10 s) that only
 * a broken kernel reaches it, whatever the host's load.  Returns the
 * absolute deadline on time_ns()'s clock.
 */
uint64_t ktest_deadline(uint64_t strict_ns);

#ifdef CONFIG_VFS
struct cred;
/*
 * Run the rest of a test as uid and gid 1000 without supplementary
 * groups; returns the credentials ktest_restore_cred() puts back.  NULL
 * (and nothing changed) when memory runs out.
 */
const struct cred *ktest_become_user(void);
void ktest_restore_cred(const struct cred *old);
#endif

/* Runs every test (or those matching ktest.filter=) and prints TAP. */
int ktest_run_all(void);

#endif
