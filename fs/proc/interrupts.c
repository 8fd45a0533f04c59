/*
 * /proc/interrupts in Linux's layout (kernel/irq/proc.c): a header of
 * online CPU columns, then one row per interrupt with a handler (or that
 * fired): its number, its count on each online CPU, the controller's
 * name, the number within the controller and the handler's name; last
 * the count of spurious interrupts, as the architecture's Linux names it
 * ("Err" on arm64, "ERR" on x86).  Counts come from kernel/irq.c, which
 * counts per CPU.
 */
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/seqbuf.h>

#include "format.h"
#include "internal.h"

#if defined(__x86_64__) || defined(__i386__)
#define ERR_LABEL	"ERR"
#else
#define ERR_LABEL	"Err"
#endif

static void
interrupts_show(struct seqbuf *m, void *data)
{
	unsigned int nr = irq_nr(), cpu;
	cpumask_t online = cpus_online();
	int prec = proc_irq_prec(nr);

	seqbuf_printf(m, "%*s", prec + 8, "");
	for_each_cpu(cpu, online)
		seqbuf_printf(m, "CPU%-8u", cpu);
	seqbuf_putc(m, '\n');
	for (unsigned int irq = 0; irq < nr; irq++) {
		struct irq_info info;
		bool requested = irq_get_info(irq, &info);

		if (!requested && !irq_count(irq))
			continue;
		seqbuf_printf(m, "%*u: ", prec, irq);
		for_each_cpu(cpu, online)
			seqbuf_printf(m, "%10u ", (unsigned int)irq_count_cpu(irq, cpu));
		seqbuf_printf(m, " %8s", info.chip ? info.chip : "-");
		seqbuf_printf(m, " %*u", prec, info.hwirq);
		if (info.name)
			seqbuf_printf(m, "  %s", info.name);
		seqbuf_putc(m, '\n');
	}
	seqbuf_printf(m, "%*s: %10u\n", prec, ERR_LABEL, (unsigned int)irq_spurious_count());
}

void
proc_interrupts_init(void)
{
	proc_create("interrupts", 0444, NULL, interrupts_show);
}
