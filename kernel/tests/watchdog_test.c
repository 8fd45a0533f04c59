/*
 * The lockup detector (kernel/watchdog.c): a CPU held in the kernel with
 * preemption off is reported after the threshold's ticks; a preemptible
 * kernel thread that merely keeps the CPU busy is not.  The threshold is
 * shortened to a few ticks for the test and restored.
 */
#include <arch/cpu.h>
#include <kernel/ktest.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/watchdog.h>

#define TEST_TICKS	5

/* Spin until reports() moves or the deadline; returns whether it moved. */
static bool
spin_for_report(unsigned long before, uint64_t ns)
{
	uint64_t end = time_ns() + ns;

	while (time_ns() < end)
		if (watchdog_soft_reports() != before)
			return true;
	return false;
}

KTEST(watchdog, soft_lockup_reported)
{
	uint64_t old = watchdog_thresh_ticks();
	unsigned long before = watchdog_soft_reports();
	bool reported;

	if (!old)
		KTEST_SKIP("the watchdog is off");
	watchdog_set_thresh_ticks(TEST_TICKS);
	preempt_disable();
	reported = spin_for_report(before, ktest_deadline(50 * NSEC_PER_SEC / CONFIG_HZ));
	preempt_enable();
	watchdog_set_thresh_ticks(old);
	KEXPECT(reported);
}

KTEST(watchdog, busy_preemptible_thread_is_not_a_lockup)
{
	uint64_t old = watchdog_thresh_ticks();
	unsigned long before = watchdog_soft_reports();
	uint64_t j0;

	if (!old)
		KTEST_SKIP("the watchdog is off");
	watchdog_set_thresh_ticks(TEST_TICKS);
	/* Three thresholds of ticks, busy but preemptible. */
	j0 = jiffies_read();
	while (jiffies_read() < j0 + 3 * TEST_TICKS)
		arch_cpu_relax();
	watchdog_set_thresh_ticks(old);
	KEXPECT_EQ(watchdog_soft_reports(), before);
}
