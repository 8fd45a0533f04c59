/*
 * Interrupt handler table and controller registry.  Interrupt numbers
 * are laid out chip by chip: the first chip registered owns 0..n-1 and is
 * the root the port's vector enters through irq_handle() (or, vectored,
 * irq_handle_line()).
 *
 * Handlers sit in a table of CONFIG_NR_IRQ_HANDLERS entries, and each
 * interrupt number names its entry with a byte (irq_slot): most numbers
 * never get a handler (a Cortex-M0 board uses two or three of its 33),
 * and a byte a number is what a 16 KiB board can spare, where an entry
 * a number took 264 bytes.
 *
 * irq_lock guards the chip list and installing or removing handlers; the
 * dispatch path reads a handler without it (a handler is installed before
 * its interrupt is unmasked and masked before it is removed).  On SMP a
 * handler may still be running on another CPU when irq_free() masks its
 * line: each CPU marks the number it is dispatching (irq_running), and
 * irq_free() waits for those marks to clear before the entry can be
 * reused, as Linux's free_irq() waits in synchronize_irq().
 *
 * Each CPU counts the interrupts it takes in its own row of irq_counts
 * (for /proc/interrupts; CONFIG_IRQ_STATS), so a per-CPU tick on every
 * CPU shares no cache line; the increment stays atomic only because
 * handlers may nest.
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

/* An installed handler.  The name only /proc/interrupts shows. */
struct irq_desc {
	irq_handler_t fn;		/* NULL: the entry is free */
	void *arg;
#ifdef CONFIG_PROCFS
	const char *name;
#endif
};

#if CONFIG_NR_IRQ_HANDLERS < 256
typedef uint8_t irq_slot_t;
#else
typedef uint16_t irq_slot_t;
#endif

/* Raw: registration happens before threads, and nothing nests inside. */
static struct spinlock irq_lock = SPINLOCK_INIT("irq");
/*
 * irq_slot[irq] is the index of irq's entry in irq_handlers: irq_lock to
 * change.  Entry 0 stands for none: its handler reports and masks the
 * line (no_handler(), set as the root chip registers), so the dispatch
 * reads a slot and an entry and calls, with nothing to test.
 */
static struct irq_desc irq_handlers[1 + CONFIG_NR_IRQ_HANDLERS];
static irq_slot_t irq_slot[CONFIG_NR_IRQS];
static void no_handler(unsigned int irq, void *arg);
static struct irq_chip *chips;		/* in registration order */
static struct irq_chip *root_chip;
static unsigned int next_base;
static unsigned long spurious;		/* atomic */

#ifdef CONFIG_SMP
/*
 * irq_running[cpu].n[irq]: cpu is dispatching irq (set before it reads
 * the slot, cleared with release after the handler returns).  Written by
 * that CPU only, read by irq_free(); a byte per number and CPU.  Handlers
 * nest, but never for the same number on one CPU.
 */
static struct {
	uint8_t n[CONFIG_NR_IRQS];
} __cacheline_aligned_smp irq_running[NR_CPUS];
#endif

#ifdef CONFIG_IRQ_STATS
/*
 * A row per CPU, written by that CPU only (atomically: handlers nest);
 * 32 bits each, as Linux's kstat_irqs.  Per number, not per handler: a
 * count outlives irq_free(), and an unexpected interrupt counts too.
 */
static struct {
	unsigned int n[CONFIG_NR_IRQS];
} __cacheline_aligned_smp irq_counts[NR_CPUS];
#define IRQ_COUNTER(cpu, irq)	irq_counts[cpu].n[irq]
#endif


int
irq_chip_register(struct irq_chip *chip, const struct device *dev)
{
	struct irq_chip **tail;
	unsigned long flags = raw_spin_lock_irqsave(&irq_lock);

	if (next_base + chip->nr_irqs > CONFIG_NR_IRQS) {
		raw_spin_unlock_irqrestore(&irq_lock, flags);
		pr_err("%s: %u interrupts do not fit CONFIG_NR_IRQS=%d\n",
		       chip->ops->name, chip->nr_irqs, CONFIG_NR_IRQS);
		return -ENOSPC;
	}
	chip->dev = dev;
	chip->base = next_base;
	chip->next = NULL;
	for (tail = &chips; *tail; tail = &(*tail)->next)
		;
	*tail = chip;
	if (!root_chip) {
		root_chip = chip;
		irq_handlers[0].fn = no_handler;	/* before any line can fire */
	}
	store_release(&next_base, next_base + chip->nr_irqs);	/* its numbers are valid now */
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

/* Chips own consecutive numbers from 0, in registration order. */
static bool
irq_valid(unsigned int irq)
{
	return irq < load_acquire(&next_base);
}

/*
 * On one CPU irq_lock masks interrupts: a dispatch never sees a handler
 * half installed or half removed, and needs no ordered loads (a volatile
 * byte load costs a Cortex-M0 an extra instruction).
 */
#if NR_CPUS == 1
#define dispatch_load(p)	(*(p))
#else
#define dispatch_load(p)	load_acquire(p)
#endif

/* The chip owning a valid irq (the list only grows: no lock needed). */
static struct irq_chip *
chip_of(unsigned int irq)
{
	struct irq_chip *c = chips;

	while (irq >= c->base + c->nr_irqs)
		c = c->next;
	return c;
}

/* Nobody wants irq (entry 0's handler): mask it so it cannot storm. */
static void
no_handler(unsigned int irq, void *arg)
{
	struct irq_chip *chip = chip_of(irq);
	unsigned int hwirq = irq - chip->base;

	(void)arg;
	atomic_inc_relaxed(&spurious);
	if (chip->ops->mask)
		chip->ops->mask(chip, hwirq);
	pr_warn("%s: unexpected interrupt %u masked\n", chip->ops->name, hwirq);
}

int
irq_request(unsigned int irq, irq_handler_t fn, void *arg, const char *name)
{
	struct irq_desc *d = NULL;
	unsigned long flags;
	unsigned int i;

	if (!irq_valid(irq) || !fn)
		return -EINVAL;
	/* The check and the claim in one: two requests cannot both win. */
	flags = raw_spin_lock_irqsave(&irq_lock);
	if (irq_slot[irq]) {
		raw_spin_unlock_irqrestore(&irq_lock, flags);
		return -EBUSY;
	}
	for (i = 1; i <= CONFIG_NR_IRQ_HANDLERS; i++) {
		if (!irq_handlers[i].fn) {
			d = &irq_handlers[i];
			break;
		}
	}
	if (!d) {
		raw_spin_unlock_irqrestore(&irq_lock, flags);
		pr_err("%s: no handler entry left for irq %u (CONFIG_NR_IRQ_HANDLERS=%d)\n",
		       name ? name : "?", irq, CONFIG_NR_IRQ_HANDLERS);
		return -ENOSPC;
	}
	d->arg = arg;
#ifdef CONFIG_PROCFS
	d->name = name;
#endif
	d->fn = fn;
	store_release(&irq_slot[irq], (irq_slot_t)i);	/* the entry first */
	raw_spin_unlock_irqrestore(&irq_lock, flags);
	irq_unmask(irq);
	return 0;
}

#ifdef CONFIG_SMP
/*
 * Wait until no CPU is in a dispatch of irq that may have read its slot
 * before irq_free() cleared it.  Pairs with the barrier in dispatch():
 * either that CPU's slot load sees 0, or this load sees its mark.
 */
static void
irq_synchronize(unsigned int irq)
{
	smp_mb();
	for (unsigned int c = 0; c < NR_CPUS; c++)
		while (load_acquire(&irq_running[c].n[irq]))
			arch_cpu_relax();
}
#endif

void
irq_free(unsigned int irq)
{
	unsigned long flags;
	irq_slot_t slot;

	if (!irq_valid(irq))
		return;
	irq_mask(irq);
	flags = raw_spin_lock_irqsave(&irq_lock);
	slot = irq_slot[irq];
	if (slot)
		store_release(&irq_slot[irq], 0);	/* unreachable; not free yet */
	raw_spin_unlock_irqrestore(&irq_lock, flags);
	if (!slot)
		return;
#ifdef CONFIG_SMP
	/*
	 * Outside the lock, interrupts as the caller had them: a handler
	 * still running elsewhere finishes with its own fn and arg before the
	 * entry can be handed to another request.  From that handler itself
	 * this would wait for ever, as free_irq() would in Linux.
	 */
	irq_synchronize(irq);
#endif
	flags = raw_spin_lock_irqsave(&irq_lock);
	irq_handlers[slot].arg = NULL;
	store_release(&irq_handlers[slot].fn, NULL);	/* free for the next request */
	raw_spin_unlock_irqrestore(&irq_lock, flags);
}

void
irq_mask(unsigned int irq)
{
	struct irq_chip *c = irq_valid(irq) ? chip_of(irq) : NULL;

	if (c && c->ops->mask)
		c->ops->mask(c, irq - c->base);
}

void
irq_unmask(unsigned int irq)
{
	struct irq_chip *c = irq_valid(irq) ? chip_of(irq) : NULL;

	if (c && c->ops->unmask)
		c->ops->unmask(c, irq - c->base);
}

/*
 * irq_dispatch()'s body, inlined into the vectored entry too; base is
 * chip->base (a constant 0 there: the root chip registers first).  chip
 * NULL: the root chip's line, from its vector, so in range (and the chip
 * is looked up only if nothing handles the line: no_handler()).
 */
static __always_inline void
dispatch(struct irq_chip *chip, unsigned int hwirq, unsigned int base)
{
	unsigned int irq = base + hwirq;
	struct irq_desc *d;
	irq_handler_t fn;

	if (chip && hwirq >= chip->nr_irqs) {
		atomic_inc_relaxed(&spurious);
		return;
	}
#ifdef CONFIG_IRQ_STATS
	/*
	 * Only this CPU writes its count, from its handlers, interrupts
	 * masked: a plain increment (no masking again on cores without
	 * atomics), read with READ_ONCE().
	 */
	{
		unsigned int *count = &IRQ_COUNTER(cpu_id(), irq);

		WRITE_ONCE(*count, *count + 1);
	}
#endif
#ifdef CONFIG_SMP
	uint8_t *running = &irq_running[cpu_id()].n[irq];

	WRITE_ONCE(*running, 1);
	smp_mb();		/* the mark before the slot: irq_synchronize() */
#endif
	/*
	 * Entry 0 when none.  A slot's entry keeps its handler until
	 * irq_free() has seen every dispatch that read the slot finish.
	 */
	d = &irq_handlers[dispatch_load(&irq_slot[irq])];
	fn = dispatch_load(&d->fn);
	fn(irq, d->arg);
#ifdef CONFIG_SMP
	store_release(running, 0);
#endif
}

void
irq_dispatch(struct irq_chip *chip, unsigned int hwirq)
{
	dispatch(chip, hwirq, chip->base);
}

/*
 * The registers each CPU's current interrupt interrupted (Linux's
 * get_irq_regs()), for reports made from a handler (the watchdog); set by
 * the CPU itself around the handlers, NULL outside them.
 */
#ifdef CONFIG_WATCHDOG
static struct arch_regs *irq_regs[NR_CPUS];

struct arch_regs *
get_irq_regs(void)
{
	return irq_regs[cpu_id()];
}
#define irq_regs_enter(regs)	struct arch_regs *outer = irq_regs[cpu_id()]; \
				irq_regs[cpu_id()] = (regs)
#define irq_regs_exit()		(irq_regs[cpu_id()] = outer)
#else
/* Only the watchdog reads them: the micro:bit keeps its bytes. */
struct arch_regs *
get_irq_regs(void)
{
	return NULL;
}
#define irq_regs_enter(regs)	(void)(regs)
#define irq_regs_exit()		((void)0)
#endif

void
irq_handle(struct arch_regs *regs)
{
	irq_regs_enter(regs);
#ifdef CONFIG_THREADS
	sched_irq_enter();
#endif
	if (likely(root_chip))
		root_chip->ops->handle(root_chip, regs);
	else
		atomic_inc_relaxed(&spurious);
	irq_regs_exit();
#ifdef CONFIG_THREADS
	sched_irq_exit();		/* preempt if a higher thread woke */
#endif
}

#ifdef CONFIG_IRQ_VECTORED
/*
 * The vectored entry: the CPU's exception number already names the root
 * chip's line, so nothing asks the chip (the NVIC's external lines); it
 * is irq_handle() with the chip's handle() and irq_dispatch() folded in,
 * the interrupt-to-thread path of a small core, and the vector itself.
 */
void
irq_handle_line(void)
{
	unsigned int hwirq = arch_irq_vector_line();

#ifdef CONFIG_THREADS
	sched_irq_enter();
#endif
	/*
	 * No tests: the vectors are the root chip's lines, and it registered
	 * before it enabled any (a line is disabled from reset until then).
	 */
	dispatch(NULL, hwirq, 0);
#ifdef CONFIG_THREADS
	sched_irq_exit();
#endif
}
#endif

int
irq_cpu_init(void)
{
	if (root_chip && root_chip->ops->cpu_init)
		return root_chip->ops->cpu_init(root_chip);
	return 0;
}

uint64_t
irq_count(unsigned int irq)
{
	uint64_t n = 0;

#ifdef CONFIG_IRQ_STATS
	if (irq_valid(irq))
		for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
			n += READ_ONCE(IRQ_COUNTER(cpu, irq));
#endif
	return n;
}

uint64_t
irq_count_cpu(unsigned int irq, unsigned int cpu)
{
#ifdef CONFIG_IRQ_STATS
	if (irq_valid(irq) && cpu < NR_CPUS)
		return READ_ONCE(IRQ_COUNTER(cpu, irq));
#endif
	return 0;
}

unsigned int
irq_nr(void)
{
	return READ_ONCE(next_base);
}

bool
irq_get_info(unsigned int irq, struct irq_info *info)
{
	struct irq_chip *chip;
	unsigned long flags;
	irq_slot_t slot;

	if (!irq_valid(irq))
		return false;
	flags = raw_spin_lock_irqsave(&irq_lock);
	slot = irq_slot[irq];
	chip = chip_of(irq);
	info->chip = chip->ops->name;
	info->hwirq = irq - chip->base;
#ifdef CONFIG_PROCFS
	info->name = slot ? irq_handlers[slot].name : NULL;
#else
	info->name = NULL;
#endif
	raw_spin_unlock_irqrestore(&irq_lock, flags);
	return slot != 0;
}

uint64_t
irq_spurious_count(void)
{
	return READ_ONCE(spurious);
}
