/*
 * Interrupt handler table and controller registry.  Interrupt numbers
 * are laid out chip by chip: the first chip registered owns 0..n-1 and is
 * the root the port's vector enters through irq_handle().
 *
 * irq_lock guards the chip list and installing or removing handlers; the
 * dispatch path reads a handler without it (a handler is installed before
 * its interrupt is unmasked and masked before it is removed).
 *
 * Each CPU counts the interrupts it takes in its own row of irq_counts
 * (for /proc/interrupts), so a per-CPU tick on every CPU shares no cache
 * line; the increment stays atomic only because handlers may nest.
 */
#define pr_fmt(fmt) "irq: " fmt

#include <arch/cpu.h>
#include <kernel/atomic.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#ifdef CONFIG_THREADS
#include <kernel/thread.h>
#endif

struct irq_desc {
	irq_handler_t fn;
	void *arg;
	const char *name;
	struct irq_chip *chip;
#if NR_CPUS == 1
	unsigned long count;		/* atomic: nested handlers count too */
#endif
};

/* Raw: registration happens before threads, and nothing nests inside. */
static struct spinlock irq_lock = SPINLOCK_INIT("irq");
static struct irq_desc irq_table[CONFIG_NR_IRQS];
static struct irq_chip *chips;		/* in registration order */
static struct irq_chip *root_chip;
static unsigned int next_base;
static unsigned long spurious;		/* atomic */

#if NR_CPUS > 1
/*
 * A row per CPU, written by that CPU only (atomically: handlers nest);
 * 32 bits each, as Linux's kstat_irqs.
 */
static struct {
	unsigned int n[CONFIG_NR_IRQS];
} __cacheline_aligned_smp irq_counts[NR_CPUS];
#define IRQ_COUNTER(cpu, irq)	irq_counts[cpu].n[irq]
#define DISPATCH_COUNTER(d, irq) IRQ_COUNTER(cpu_id(), irq)
#else
#define IRQ_COUNTER(cpu, irq)	irq_table[irq].count
#define DISPATCH_COUNTER(d, irq) (d)->count
#endif


int
irq_chip_register(struct irq_chip *chip, const struct device *dev)
{
	struct irq_chip **tail;
	unsigned long flags = raw_spin_lock_irqsave(&irq_lock);

	if (next_base + chip->nr_irqs > CONFIG_NR_IRQS) {
		raw_spin_unlock_irqrestore(&irq_lock, flags);
		pr_err("%s: %u interrupts do not fit CONFIG_NR_IRQS=%d\n",
		       chip->name, chip->nr_irqs, CONFIG_NR_IRQS);
		return -ENOSPC;
	}
	chip->dev = dev;
	chip->base = next_base;
	chip->next = NULL;
	next_base += chip->nr_irqs;
	for (unsigned int i = 0; i < chip->nr_irqs; i++)
		irq_table[chip->base + i].chip = chip;
	for (tail = &chips; *tail; tail = &(*tail)->next)
		;
	*tail = chip;
	if (!root_chip)
		root_chip = chip;
	raw_spin_unlock_irqrestore(&irq_lock, flags);
	return 0;
}

struct irq_chip *
irq_chip_of(const struct device *dev)
{
	for (struct irq_chip *c = chips; c; c = c->next)
		if (c->dev == dev)
			return c;
	return NULL;
}

struct irq_chip *
irq_root_chip(void)
{
	return root_chip;
}

static struct irq_desc *
desc_of(unsigned int irq)
{
	if (irq >= CONFIG_NR_IRQS || !irq_table[irq].chip)
		return NULL;
	return &irq_table[irq];
}

int
irq_request(unsigned int irq, irq_handler_t fn, void *arg, const char *name)
{
	struct irq_desc *d = desc_of(irq);
	unsigned long flags;

	if (!d || !fn)
		return -EINVAL;
	/* The check and the claim in one: two requests cannot both win. */
	flags = raw_spin_lock_irqsave(&irq_lock);
	if (d->fn) {
		raw_spin_unlock_irqrestore(&irq_lock, flags);
		return -EBUSY;
	}
	d->arg = arg;
	d->name = name;
	store_release(&d->fn, fn);	/* arg first */
	raw_spin_unlock_irqrestore(&irq_lock, flags);
	irq_unmask(irq);
	return 0;
}

void
irq_free(unsigned int irq)
{
	struct irq_desc *d = desc_of(irq);
	unsigned long flags;

	if (!d)
		return;
	irq_mask(irq);
	flags = raw_spin_lock_irqsave(&irq_lock);
	d->fn = NULL;
	d->arg = NULL;
	raw_spin_unlock_irqrestore(&irq_lock, flags);
}

void
irq_mask(unsigned int irq)
{
	struct irq_desc *d = desc_of(irq);

	if (d && d->chip->mask)
		d->chip->mask(d->chip, irq - d->chip->base);
}

void
irq_unmask(unsigned int irq)
{
	struct irq_desc *d = desc_of(irq);

	if (d && d->chip->unmask)
		d->chip->unmask(d->chip, irq - d->chip->base);
}

void
irq_dispatch(struct irq_chip *chip, unsigned int hwirq)
{
	struct irq_desc *d;
	irq_handler_t fn;

	if (hwirq >= chip->nr_irqs) {
		atomic_inc_relaxed(&spurious);
		return;
	}
	d = &irq_table[chip->base + hwirq];
	atomic_inc_relaxed(&DISPATCH_COUNTER(d, chip->base + hwirq));
	fn = load_acquire(&d->fn);
	if (fn) {
		fn(chip->base + hwirq, d->arg);
	} else {
		/* Nobody wants it: mask it so it cannot storm. */
		atomic_inc_relaxed(&spurious);
		if (chip->mask)
			chip->mask(chip, hwirq);
		pr_warn("%s: unexpected interrupt %u masked\n", chip->name, hwirq);
	}
}

/*
 * The registers each CPU's current interrupt interrupted (Linux's
 * get_irq_regs()), for reports made from a handler (the watchdog); set by
 * the CPU itself around the handlers, NULL outside them.
 */
static struct arch_regs *irq_regs[NR_CPUS];

struct arch_regs *
get_irq_regs(void)
{
	return irq_regs[cpu_id()];
}

void
irq_handle(struct arch_regs *regs)
{
	struct arch_regs *outer = irq_regs[cpu_id()];

	irq_regs[cpu_id()] = regs;
#ifdef CONFIG_THREADS
	sched_irq_enter();
#endif
	if (likely(root_chip))
		root_chip->handle(root_chip, regs);
	else
		atomic_inc_relaxed(&spurious);
	irq_regs[cpu_id()] = outer;
#ifdef CONFIG_THREADS
	sched_irq_exit();		/* preempt if a higher thread woke */
#endif
}

int
irq_cpu_init(void)
{
	if (root_chip && root_chip->cpu_init)
		return root_chip->cpu_init(root_chip);
	return 0;
}

uint64_t
irq_count(unsigned int irq)
{
	uint64_t n = 0;

	if (!desc_of(irq))
		return 0;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		n += READ_ONCE(IRQ_COUNTER(cpu, irq));
	return n;
}

uint64_t
irq_count_cpu(unsigned int irq, unsigned int cpu)
{
	if (!desc_of(irq) || cpu >= NR_CPUS)
		return 0;
	return READ_ONCE(IRQ_COUNTER(cpu, irq));
}

unsigned int
irq_nr(void)
{
	return READ_ONCE(next_base);
}

bool
irq_get_info(unsigned int irq, struct irq_info *info)
{
	struct irq_desc *d = desc_of(irq);
	unsigned long flags;
	bool requested;

	if (!d)
		return false;
	flags = raw_spin_lock_irqsave(&irq_lock);
	requested = d->fn != NULL;
	info->chip = d->chip->name;
	info->hwirq = irq - d->chip->base;
	info->name = requested ? d->name : NULL;
	raw_spin_unlock_irqrestore(&irq_lock, flags);
	return requested;
}

uint64_t
irq_spurious_count(void)
{
	return READ_ONCE(spurious);
}
