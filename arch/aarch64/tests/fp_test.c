/*
 * Eager FP/SIMD switching (<arch/thread.h>): threads that own FP state
 * keep their registers across switches, even with a thread that owns none
 * clobbering them in between (as kernel SIMD code may); and an owner's
 * registers survive arch_fp_kernel_begin/end around a libfdt write, which
 * uses SIMD stores.
 */
#include <libfdt.h>
#include <arch/thread.h>
#include <kernel/atomic.h>
#include <kernel/ktest.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include "ktest_cpu.h"

void aarch64_test_fp_fill(uint64_t seed);
unsigned int aarch64_test_fp_check(uint64_t seed);

#define ROUNDS	200

struct fp_worker {
	uint64_t seed;
	bool own;			/* owns FP state; else it only clobbers */
	unsigned int errors;		/* registers found changed, all rounds */
	unsigned int turns;		/* rounds after which another had run */
};

static struct fp_worker *volatile last_ran;
static volatile unsigned int workers_ready;

static void
fp_worker(void *arg)
{
	struct fp_worker *w = arg;

	if (w->own)
		arch_thread_fp_own(&thread_current()->arch);
	/* All three first: the creator (elsewhere) may be slower than us. */
	atomic_fetch_add(&workers_ready, 1);	/* a tick may preempt a plain ++ */
	while (workers_ready < 3)
		thread_yield();
	aarch64_test_fp_fill(w->seed);
	for (int i = 0; i < ROUNDS; i++) {
		last_ran = w;
		thread_yield();
		if (w->own)
			w->errors += aarch64_test_fp_check(w->seed);
		else
			aarch64_test_fp_fill(w->seed);
		w->turns += last_ran != w;
	}
}

KTEST(aarch64, fp_state_survives_switches)
{
	struct fp_worker w[3] = {
		{ .seed = 0x1111111111111100UL, .own = true },
		{ .seed = 0x2222222222222200UL + 7, .own = true },
		{ .seed = 0xdeadbeefdeadbe00UL + 9, .own = false },
	};
	cpumask_t one = cpumask_of(ktest_last_cpu());	/* all three on one CPU */
	struct thread *t[3];

	workers_ready = 0;
	for (int i = 0; i < 3; i++) {
		t[i] = thread_create_on("fp-worker", fp_worker, &w[i], THREAD_PRIO_DEFAULT, 0, one);
		KASSERT(t[i] != NULL);
	}
	for (int i = 0; i < 3; i++)
		thread_join(t[i]);
	KEXPECT_EQ(w[0].errors, 0);
	KEXPECT_EQ(w[1].errors, 0);
	/* They did take turns: another ran in most of each one's yields. */
	for (int i = 0; i < 3; i++)
		KEXPECT_OP(w[i].turns, >=, ROUNDS / 2);
}

struct fp_bracket {
	uint64_t seed;
	unsigned int errors;
	int fdt_err;
};

static void
fp_bracket(void *arg)
{
	struct fp_bracket *b = arg;
	char *tree = kmalloc(1024);

	arch_thread_fp_own(&thread_current()->arch);
	aarch64_test_fp_fill(b->seed);
	arch_fp_kernel_begin();
	/* What libfdt's SIMD stores do to the registers, and a real call. */
	aarch64_test_fp_fill(~b->seed);
	b->fdt_err = tree ? fdt_create_empty_tree(tree, 1024) : -1;
	if (!b->fdt_err)
		b->fdt_err = fdt_add_mem_rsv(tree, 0x40000000, 0x1000);
	arch_fp_kernel_end();
	b->errors = aarch64_test_fp_check(b->seed);
	kfree(tree);
}

KTEST(aarch64, fp_state_survives_kernel_fp)
{
	struct fp_bracket b = { .seed = 0x0123456789abcd00UL + 5 };
	struct thread *t = thread_create_on("fp-bracket", fp_bracket, &b, THREAD_PRIO_DEFAULT, 0,
					    cpumask_of(ktest_last_cpu()));

	KASSERT(t != NULL);
	thread_join(t);
	KEXPECT_EQ(b.fdt_err, 0);
	KEXPECT_EQ(b.errors, 0);
}
