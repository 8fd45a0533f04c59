/*
 * Interrupt handler table and controller registry.  Interrupt numbers
 * are laid out chip by chip: the first chip registered owns 0..n-1 and is
 * the root the port's vector enters through irq_handle().
 *
 * irq_lock guards the chip list and installing or removing handlers; the
 * dispatch path reads a handler without it (a handler is installed before
 * its interrupt is unmasked and masked before it is removed).
 */
#define pr_fmt(fmt) "irq: " fmt

#include <arch/cpu.h>
#include <kernel/atomic.h>
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
	unsigned long count;		/* atomic: every CPU counts */
};

/* Raw: registration happens before threads, and nothing nests inside. */
static struct spinlock irq_lock = SPINLOCK_INIT("irq");
static struct irq_desc irq_table[CONFIG_NR_IRQS];
static struct irq_chip *chips;		/* in registration order */
static struct irq_chip *root_chip;
static unsigned int next_base;
static unsigned long spurious;		/* atomic */


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
	atomic_inc_relaxed(&d->count);
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

void
irq_handle(struct arch_regs *regs)
{
#ifdef CONFIG_THREADS
	sched_irq_enter();
#endif
	if (likely(root_chip))
		root_chip->handle(root_chip, regs);
	else
		atomic_inc_relaxed(&spurious);
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
	struct irq_desc *d = desc_of(irq);

	return d ? READ_ONCE(d->count) : 0;
}
