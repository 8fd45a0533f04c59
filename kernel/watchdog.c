/*
 * The lockup detector (CONFIG_WATCHDOG), Linux's three reports:
 *
 * - Soft lockup: a CPU that has not made progress for 2 * watchdog_thresh
 *   seconds of its own timer ticks, with interrupts on (the tick still
 *   comes): "watchdog: BUG: soft lockup - CPU#1 stuck for 21s! [comm:pid]",
 *   then the thread, its system call, the interrupted registers and a
 *   frame-pointer backtrace.  Progress is a context switch on that CPU, a
 *   return to user mode (cpu.user_returns, from exit_to_user), a tick in
 *   user mode or in the idle thread, or a tick that finds a kernel thread
 *   preemptible (it would be preempted if anything wanted the CPU, as
 *   Linux's watchdog thread would preempt it).  So a user thread's system
 *   call that runs on and on is caught, preemptible or not, and a kernel
 *   thread only with preemption off.
 * - Hard lockup: a CPU whose tick stopped (interrupts masked for good),
 *   seen by its buddy, the next online CPU, after the same number of the
 *   buddy's ticks: "watchdog: Watchdog detected hard LOCKUP on cpu 1".
 * - Hung task: a user thread blocked uninterruptibly (not stopped), not run for
 *   hung_task_timeout_secs (default 120, Linux's): "INFO: task comm:pid
 *   blocked for more than 120 seconds.", with the system call it is in and
 *   the mutex it waits for.  khungtaskd looks every quarter of the timeout.
 *
 * Ticks, not time: the verdict does not depend on how fast the host runs
 * the machine, only on how many ticks a CPU took while stuck (a vCPU that
 * the host does not run takes none).  The hung-task check sleeps in
 * kernel time, which a test only reaches by being stuck for minutes.
 *
 * Each is reported, not fatal, unless softlockup_panic=1 (soft and hard
 * lockups) or hung_task_panic=1 on the command line or CONFIG_WATCHDOG_PANIC
 * says so; the fuzzer's test boots panic, so the run fails at once.
 * Command line: nowatchdog, watchdog_thresh=N (seconds, 1..60),
 * softlockup_panic=0|1, hung_task_panic=0|1,
 * sysctl.kernel.hung_task_timeout_secs=N (0: no hung-task check).
 *
 * Per-CPU state: written by its CPU in its tick (interrupts masked);
 * ticks is read by the buddy.  The hung-task table belongs to khungtaskd.
 */
#define pr_fmt(fmt) "watchdog: " fmt

#include <stdlib.h>
#include <string.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/atomic.h>
#include <kernel/backtrace.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/watchdog.h>
#ifdef CONFIG_PROCESSES
#include <kernel/process.h>
#include <kernel/syscall.h>
#endif

struct wd_cpu {
	unsigned long seen_touched;	/* cpu.user_returns at the last tick */
	unsigned long seen_switches;
	uint64_t ticks;			/* this CPU's ticks (its buddy reads them) */
	uint64_t progress_tick;		/* the tick of its last progress */
	unsigned int soft_reports;	/* in this episode */
	uint64_t buddy_seen;		/* the buddy's tick count when it last moved */
	uint64_t buddy_stalled;		/* own ticks since */
	bool hard_reported;
} __cacheline_aligned_smp;

static struct wd_cpu wd[NR_CPUS];
static bool enabled;
static uint64_t thresh_ticks;		/* 2 * watchdog_thresh seconds of ticks */
static bool soft_panic = IS_ENABLED(CONFIG_WATCHDOG_PANIC);
static bool hung_panic = IS_ENABLED(CONFIG_WATCHDOG_PANIC);
static unsigned long soft_reports;		/* atomic; for tests */

unsigned long
watchdog_soft_reports(void)
{
	return READ_ONCE(soft_reports);
}

void
watchdog_touch(void)
{
	unsigned long flags = arch_irq_save();

	watchdog_touch_irqs_off();
	arch_irq_restore(flags);
}

void
watchdog_set_thresh_ticks(uint64_t ticks)
{
	WRITE_ONCE(thresh_ticks, ticks);
}

uint64_t
watchdog_thresh_ticks(void)
{
	return READ_ONCE(thresh_ticks);
}

static void
describe_thread(struct thread *t)
{
#ifdef CONFIG_PROCESSES
	if (t->proc && t->syscall_nr >= 0)
		printk(KERN_EMERG "watchdog: thread %s of pid %d, in system call %s (%ld)\n",
		       t->name, t->proc->pid, syscall_name((unsigned long)t->syscall_nr),
		       t->syscall_nr);
	else if (t->proc)
		printk(KERN_EMERG "watchdog: thread %s of pid %d\n", t->name, t->proc->pid);
	else
#endif
		printk(KERN_EMERG "watchdog: kernel thread " THREAD_FMT "\n", THREAD_ARG(t));
}

static int
thread_pid(struct thread *t)
{
#ifdef CONFIG_PROCESSES
	if (t && t->proc)
		return t->proc->pid;
#endif
	return 0;
}

/* ------------------------------------------------------------ the tick */

static void
report_soft(unsigned int cpu, struct thread *cur, struct arch_regs *regs, uint64_t ticks)
{
	atomic_inc_relaxed(&soft_reports);
	printk(KERN_EMERG "watchdog: BUG: soft lockup - CPU#%u stuck for %llus! [" THREAD_FMT ":%d]\n",
	       cpu, (unsigned long long)(ticks / CONFIG_HZ), THREAD_ARG(cur), thread_pid(cur));
	if (cur)
		describe_thread(cur);
	if (regs) {
		arch_regs_dump(regs);
		if (cur)
			backtrace_print("watchdog: ", arch_regs_pc(regs), arch_regs_fp(regs),
					(uintptr_t)thread_stack_top(cur) - thread_stack_size(cur),
					(uintptr_t)thread_stack_top(cur));
	}
	if (soft_panic)
		panic("softlockup: hung tasks");
}

/* The next online CPU after cpu, or cpu itself. */
static unsigned int
buddy_of(unsigned int cpu)
{
	cpumask_t online = cpus_online();

	for (unsigned int i = 1; i < NR_CPUS; i++) {
		unsigned int b = (cpu + i) % NR_CPUS;

		if (cpumask_test(online, b))
			return b;
	}
	return cpu;
}

static void
check_buddy(unsigned int cpu, struct wd_cpu *w, uint64_t limit)
{
	unsigned int b = buddy_of(cpu);
	uint64_t t;

	if (b == cpu)
		return;
	t = READ_ONCE(wd[b].ticks);
	if (!t || t != w->buddy_seen) {
		w->buddy_seen = t;
		w->buddy_stalled = 0;
		w->hard_reported = false;
		return;
	}
	if (++w->buddy_stalled < limit || w->hard_reported)
		return;
	w->hard_reported = true;
	printk(KERN_EMERG "watchdog: Watchdog detected hard LOCKUP on cpu %u (no timer tick for %llus of CPU#%u's)\n",
	       b, (unsigned long long)(w->buddy_stalled / CONFIG_HZ), cpu);
	if (READ_ONCE(cpus[b].current))
		describe_thread(READ_ONCE(cpus[b].current));
	if (soft_panic)
		panic("Hard LOCKUP");
}

void
watchdog_tick(void)
{
	unsigned int cpu;
	struct wd_cpu *w;
	struct thread *cur;
	struct arch_regs *regs;
	unsigned long switches;
	uint64_t now, limit = READ_ONCE(thresh_ticks);
	bool progress;

	if (!READ_ONCE(enabled) || !limit)
		return;
	cpu = cpu_id();
	w = &wd[cpu];
	cur = thread_current();
	regs = get_irq_regs();
	switches = sched_cpu_switches(cpu);
	now = w->ticks + 1;
	WRITE_ONCE(w->ticks, now);

	progress = !cur || switches != w->seen_switches ||
		   this_cpu()->user_returns != w->seen_touched || cur->prio == THREAD_PRIO_IDLE;
	w->seen_switches = switches;
	w->seen_touched = this_cpu()->user_returns;
#ifdef CONFIG_PROCESSES
	if (cur && cur->user_regs && regs == cur->user_regs)
		progress = true;		/* interrupted in user mode */
	if (cur && !cur->proc && !thread_preempt(cur)->count && this_cpu()->irq_depth == 1)
		progress = true;		/* a kernel thread anything could preempt */
#else
	if (cur && !thread_preempt(cur)->count && this_cpu()->irq_depth == 1)
		progress = true;
#endif
	if (progress) {
		w->progress_tick = now;
		w->soft_reports = 0;
	} else if (now - w->progress_tick >= limit * (w->soft_reports + 1)) {
		w->soft_reports++;
		report_soft(cpu, cur, regs, now - w->progress_tick);
	}
	check_buddy(cpu, w, limit);
}

/* ------------------------------------------------------------ hung tasks */

#if defined(CONFIG_PROCESSES) && defined(CONFIG_SCHED_STATS)

struct hung_entry {
	struct thread *t;
	uint64_t run_count;		/* unchanged: it has not run since */
	uint64_t since;			/* time_ns() it was first seen so */
	bool reported;
};

static struct hung_entry *hung_table;	/* khungtaskd */
static size_t hung_len;
static uint64_t hung_timeout_ns = (uint64_t)CONFIG_HUNG_TASK_TIMEOUT * NSEC_PER_SEC;

struct hung_walk {
	struct hung_entry *next;
	size_t len, cap;
	uint64_t now;
	size_t nreport;
	struct {
		char name[THREAD_NAME_LEN];
		int pid;
		long syscall_nr;
		const char *mutex;
		uint64_t seconds;
	} report[4];
};

/*
 * A user thread in an uninterruptible wait (threads_lock held).  Stopped
 * by a signal is not hung (Linux's TASK_STOPPED is not D either).
 */
static bool
hung_candidate(struct thread *t)
{
	return t->proc && READ_ONCE(t->state) == THREAD_BLOCKED && !READ_ONCE(t->interruptible) &&
	       !READ_ONCE(t->proc->stopped);
}

static void
hung_count(struct thread *t, void *arg)
{
	*(size_t *)arg += hung_candidate(t);
}

/* threads_lock held: carry over or start each blocked user thread's entry. */
static void
hung_visit(struct thread *t, void *arg)
{
	struct hung_walk *hw = arg;
	struct hung_entry *e;
	uint64_t rc = READ_ONCE(t->run_count);

	if (!hung_candidate(t) || hw->len >= hw->cap)
		return;
	e = &hw->next[hw->len++];
	e->t = t;
	e->run_count = rc;
	e->since = hw->now;
	e->reported = false;
	for (size_t i = 0; i < hung_len; i++) {
		if (hung_table[i].t == t && hung_table[i].run_count == rc) {
			e->since = hung_table[i].since;
			e->reported = hung_table[i].reported;
			break;
		}
	}
	if (!e->reported && hw->now - e->since >= hung_timeout_ns && hw->nreport < 4) {
		struct mutex *m = thread_blocked_on(t);

		e->reported = true;
		strlcpy(hw->report[hw->nreport].name, t->name, THREAD_NAME_LEN);
		hw->report[hw->nreport].pid = t->proc->pid;
		hw->report[hw->nreport].syscall_nr = t->syscall_nr;
		hw->report[hw->nreport].mutex = m ? m->name : NULL;
		hw->report[hw->nreport].seconds = (hw->now - e->since) / NSEC_PER_SEC;
		hw->nreport++;
	}
}

static void
hung_check(void)
{
	struct hung_walk hw = { .now = time_ns() };
	size_t blocked = 0;

	/*
	 * Nothing blocked (the usual case): allocate nothing, so the scan
	 * does not disturb what tests count of the heap and the page pool.
	 */
	thread_for_each(hung_count, &blocked);
	if (!blocked) {
		kfree(hung_table);
		hung_table = NULL;
		hung_len = 0;
		return;
	}
	hw.cap = blocked + 16;		/* more may block before the walk */
	hw.next = kmalloc(hw.cap * sizeof(*hw.next));
	if (!hw.next)
		return;
	thread_for_each(hung_visit, &hw);
	kfree(hung_table);
	/* Nothing blocked: hold no memory between scans (tests count the heap). */
	if (!hw.len) {
		kfree(hw.next);
		hw.next = NULL;
	}
	hung_table = hw.next;
	hung_len = hw.len;
	for (size_t i = 0; i < hw.nreport; i++) {
		printk(KERN_ERR "INFO: task %s:%d blocked for more than %llu seconds.\n",
		       hw.report[i].name, hw.report[i].pid,
		       (unsigned long long)hw.report[i].seconds);
		if (hw.report[i].syscall_nr >= 0)
			printk(KERN_ERR "      in system call %s (%ld)\n",
			       syscall_name((unsigned long)hw.report[i].syscall_nr),
			       hw.report[i].syscall_nr);
		if (hw.report[i].mutex)
			printk(KERN_ERR "      waiting for mutex %s\n", hw.report[i].mutex);
	}
	if (hw.nreport && hung_panic)
		panic("hung_task: blocked tasks");
}

static void
khungtaskd(void *arg)
{
	(void)arg;
	for (;;) {
		thread_sleep_ns(hung_timeout_ns / 4);
		hung_check();
	}
}

static void
hung_task_init(void)
{
	char buf[24];

	if (cmdline_value("sysctl.kernel.hung_task_timeout_secs", buf, sizeof(buf)) > 0)
		hung_timeout_ns = (uint64_t)strtoul(buf, NULL, 0) * NSEC_PER_SEC;
	if (!hung_timeout_ns)
		return;
	if (!thread_create("khungtaskd", khungtaskd, NULL, THREAD_PRIO_DEFAULT, 0))
		pr_warn("no memory for khungtaskd\n");
}
#else
static void hung_task_init(void) { }
#endif

/* ------------------------------------------------------------ set-up */

static bool
cmdline_bool(const char *key, bool dflt)
{
	char buf[8];

	if (cmdline_value(key, buf, sizeof(buf)) <= 0)
		return dflt;
	return strtol(buf, NULL, 0) != 0;
}

void
watchdog_init(void)
{
	char buf[24];
	long thresh = CONFIG_WATCHDOG_THRESH;

	if (cmdline_has("nowatchdog") || cmdline_has("nosoftlockup")) {
		pr_info("disabled on the command line\n");
		return;
	}
	if (cmdline_value("watchdog_thresh", buf, sizeof(buf)) > 0) {
		thresh = strtol(buf, NULL, 0);
		if (thresh <= 0 || thresh > 60) {
			pr_info("watchdog_thresh=%ld: disabled\n", thresh);
			return;
		}
	}
	soft_panic = cmdline_bool("softlockup_panic", soft_panic);
	hung_panic = cmdline_bool("hung_task_panic", hung_panic);
	thresh_ticks = 2 * (uint64_t)thresh * CONFIG_HZ;
	store_release(&enabled, true);
	hung_task_init();
	pr_info("soft and hard lockups after %lds of ticks%s\n", 2 * thresh,
		soft_panic ? ", panic" : "");
}
