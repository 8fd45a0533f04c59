/*
 * Interrupts: controllers are drivers that register an irq_chip; the
 * port's interrupt vector calls irq_handle(), which lets the root chip
 * find the pending interrupt and run its handler (a vectored port names
 * the line itself: irq_handle_line()).  Interrupt numbers are
 * per chip: chip->base + hardware number.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <kernel/types.h>

struct arch_regs;
struct device;

typedef void (*irq_handler_t)(unsigned int irq, void *arg);

struct irq_chip;

/*
 * What a controller's driver does, the same for every chip it drives:
 * constant (in flash on a microcontroller), like a clock's description.
 */
struct irq_chip_ops {
	const char *name;
	/* Find and dispatch pending interrupts (through irq_dispatch()). */
	void (*handle)(struct irq_chip *chip, struct arch_regs *regs);
	void (*mask)(struct irq_chip *chip, unsigned int hwirq);
	void (*unmask)(struct irq_chip *chip, unsigned int hwirq);
	/*
	 * Device-tree interrupt specifier -> hardware number.  NULL means the
	 * first cell is the number.
	 */
	int (*xlate)(struct irq_chip *chip, const uint32_t *cells,
		     unsigned int ncells, unsigned int *hwirq);
	/*
	 * SMP, root chip only.  cpu_init readies this CPU's part of the
	 * controller (banked registers, redistributor, local APIC) on each
	 * secondary CPU before it enables interrupts: 0, or -errno when this
	 * CPU cannot take interrupts (it is then left out).  send_ipi raises
	 * inter-processor interrupt ipi (enum ipi, <kernel/smp.h>) on every
	 * CPU in targets; the chip's handle() passes received ones to
	 * smp_ipi_received().
	 */
	int (*cpu_init)(struct irq_chip *chip);
	void (*send_ipi)(struct irq_chip *chip, unsigned long targets, unsigned int ipi);
};

/* One controller: its driver embeds it in its state (container_of()). */
struct irq_chip {
	const struct irq_chip_ops *ops;
	unsigned int nr_irqs;		/* hardware numbers 0 .. nr_irqs-1 */
	/* Filled by irq_chip_register(). */
	const struct device *dev;
	unsigned int base;
	struct irq_chip *next;
};

/* The first chip registered becomes the root that irq_handle() calls. */
int irq_chip_register(struct irq_chip *chip, const struct device *dev);
struct irq_chip *irq_chip_of(const struct device *dev);
struct irq_chip *irq_root_chip(void);

/* Interrupt number of hardware number hwirq of chip. */
static inline unsigned int
irq_of(const struct irq_chip *chip, unsigned int hwirq)
{
	return chip->base + hwirq;
}

/*
 * Install fn for irq and unmask it.  Per-CPU interrupts (GIC SGIs and
 * PPIs, the local APIC's own) are masked and unmasked on the calling CPU
 * only: each CPU unmasks its own with irq_unmask() after the one request.
 */
int irq_request(unsigned int irq, irq_handler_t fn, void *arg, const char *name);
/*
 * Mask irq and remove its handler.  On return no CPU runs the handler
 * any more (one still running elsewhere is waited for), so its arg may
 * be freed.  Not from that handler itself: it would wait for ever.
 */
void irq_free(unsigned int irq);
void irq_mask(unsigned int irq);
void irq_unmask(unsigned int irq);

/* Called by a chip's handle() for each pending hardware number. */
void irq_dispatch(struct irq_chip *chip, unsigned int hwirq);

/*
 * Called by the port's interrupt vector, with the interrupted registers;
 * NULL on a port where nothing reads them (ARMv6-M: no MMU, no watchdog).
 */
void irq_handle(struct arch_regs *regs);
/*
 * Instead, the vector itself on a port whose vectors already name the
 * root chip's line (CONFIG_IRQ_VECTORED: ARMv6-M's external interrupts,
 * whose hardware saves what a C function may clobber):
 * arch_irq_vector_line() says which, so the chip's handle() is not
 * asked, and no registers are passed.
 */
void irq_handle_line(void);
/* In a handler: the registers of the code the interrupt interrupted. */
struct arch_regs *get_irq_regs(void);

/* A secondary CPU's share of the root chip (calls its cpu_init): 0 or -errno. */
int irq_cpu_init(void);

/* How often irq has fired since boot, on all CPUs; on one CPU (0 without CONFIG_IRQ_STATS). */
uint64_t irq_count(unsigned int irq);
uint64_t irq_count_cpu(unsigned int irq, unsigned int cpu);
/* Interrupts spurious or without a handler, since boot. */
uint64_t irq_spurious_count(void);
/* Interrupt numbers in use: the chips registered cover 0 .. irq_nr()-1. */
unsigned int irq_nr(void);

/* What /proc/interrupts shows of an interrupt. */
struct irq_info {
	const char *chip;		/* its controller's name */
	unsigned int hwirq;		/* its number in the controller */
	const char *name;		/* the handler's name (irq_request) */
};
/* Fill info; true if irq has a handler. */
bool irq_get_info(unsigned int irq, struct irq_info *info);

#endif
