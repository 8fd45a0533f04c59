/*
 * Files about the CPUs and the scheduler:
 *   cpuinfo  one entry per online CPU, in the architecture's Linux format
 *            (arch_cpuinfo_show(), <arch/cpu.h>)
 *   uptime   "%lu.%02lu %lu.%02lu\n": seconds since boot, and the seconds
 *            every CPU spent idle, summed
 *   stat     Linux's layout: "cpu" lines in USER_HZ ticks (the time not
 *            idle counts as system: no user space yet), intr (the total,
 *            then one count per interrupt number), ctxt, btime (the
 *            real time of the boot, in seconds since the epoch), processes
 *            (threads created), procs_running, procs_blocked (0) and
 *            softirq (0s)
 *   loadavg  "1min 5min 15min running/threads last_pid": the load average
 *            (kernel/loadavg.c, 0.00 without processes); last_pid is the
 *            process pid handed out last
 */
#include <arch/cpu.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/loadavg.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/seqbuf.h>
#include <kernel/thread.h>
#include <kernel/time.h>

#include "format.h"
#include "internal.h"

#define NR_SOFTIRQS	10		/* Linux's softirq columns */

static void
cpuinfo_show(struct seqbuf *m, void *data)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpus_online())
		arch_cpuinfo_show(m, cpu);
}

static uint64_t
idle_ns_all(void)
{
	uint64_t idle = 0;
	unsigned int cpu;

	for_each_cpu(cpu, cpus_online())
		idle += sched_cpu_idle_ns(cpu);
	return idle;
}

static void
uptime_show(struct seqbuf *m, void *data)
{
	uint64_t now = time_ns(), idle = idle_ns_all();

	proc_show_centis(m, now);
	seqbuf_putc(m, ' ');
	proc_show_centis(m, idle);
	seqbuf_putc(m, '\n');
}

/* One "cpu" line: user nice system idle iowait irq softirq steal guest guest_nice. */
static void
show_cpu_line(struct seqbuf *m, const char *label, uint64_t busy_ns, uint64_t idle_ns)
{
	seqbuf_printf(m, "%s 0 0 %llu %llu 0 0 0 0 0 0\n", label,
		      (unsigned long long)proc_ns_to_clock_t(busy_ns),
		      (unsigned long long)proc_ns_to_clock_t(idle_ns));
}

static void
stat_show(struct seqbuf *m, void *data)
{
	uint64_t now = time_ns(), idle_all = 0, irq_sum = 0;
	uint64_t idle[NR_CPUS];
	unsigned int cpu, nr_irqs = irq_nr();
	cpumask_t online = cpus_online();
	char label[16];

	for_each_cpu(cpu, online) {
		/* A CPU cannot have idled longer than the machine has run. */
		idle[cpu] = sched_cpu_idle_ns(cpu);
		if (idle[cpu] > now)
			idle[cpu] = now;
		idle_all += idle[cpu];
	}
	show_cpu_line(m, "cpu ", now * cpumask_weight(online) - idle_all, idle_all);
	for_each_cpu(cpu, online) {
		snprintf(label, sizeof(label), "cpu%u", cpu);
		show_cpu_line(m, label, now - idle[cpu], idle[cpu]);
	}
	for (unsigned int irq = 0; irq < nr_irqs; irq++)
		irq_sum += irq_count(irq);
	seqbuf_printf(m, "intr %llu", (unsigned long long)irq_sum);
	for (unsigned int irq = 0; irq < nr_irqs; irq++)
		seqbuf_printf(m, " %llu", (unsigned long long)irq_count(irq));
	seqbuf_printf(m, "\nctxt %lu\nbtime %llu\nprocesses %lu\nprocs_running %u\nprocs_blocked 0\n",
		      sched_context_switches(),
		      (unsigned long long)(boottime_real_ns() / (int64_t)NSEC_PER_SEC),
		      thread_created_total(), sched_nr_running());
	seqbuf_puts(m, "softirq 0");
	for (unsigned int i = 0; i < NR_SOFTIRQS; i++)
		seqbuf_puts(m, " 0");
	seqbuf_putc(m, '\n');
}

/* The pid handed out last: a process's (none without processes). */
static int
last_pid(void)
{
#ifdef CONFIG_PROCESSES
	return process_last_pid();
#else
	return 0;
#endif
}

static void
loadavg_show(struct seqbuf *m, void *data)
{
	unsigned long a[3] = { 0, 0, 0 };

#ifdef CONFIG_PROCESSES
	loadavg_get(a, FIXED_1 / 200, 0);	/* Linux rounds to the nearest hundredth */
#endif
	seqbuf_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n", LOAD_INT(a[0]), LOAD_FRAC(a[0]),
		      LOAD_INT(a[1]), LOAD_FRAC(a[1]), LOAD_INT(a[2]), LOAD_FRAC(a[2]),
		      sched_nr_running(), thread_count(), last_pid());
}

void
proc_cpu_init(void)
{
	proc_create("cpuinfo", 0444, NULL, cpuinfo_show);
	proc_create("stat", 0444, NULL, stat_show);
	proc_create("uptime", 0444, NULL, uptime_show);
	proc_create("loadavg", 0444, NULL, loadavg_show);
}
