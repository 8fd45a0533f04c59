/*
 * Intel 8259A programmable interrupt controllers, master and slave
 * cascaded on the master's line 2: the PC's 16 ISA interrupts.  They are
 * remapped to vectors 0x20-0x2f, past the CPU exceptions.  When another
 * controller registered as the root first (the APICs of an SMP kernel,
 * which the board table lists before the 8259), the pair is reprogrammed
 * the same way but left fully masked, and the APICs do the work.  A line that is
 * dropped between request and acknowledge shows up as IRQ 7 (or 15) with
 * its in-service bit clear; such spurious interrupts get no EOI (except
 * the master's, for a spurious slave one).
 */
#define pr_fmt(fmt) "i8259: " fmt

#include <arch/trap.h>
#include <arch/io.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/printk.h>

#define PIC_CMD		0
#define PIC_DATA	1

#define ICW1_ICW4	0x01	/* ICW4 follows */
#define ICW1_INIT	0x10
#define ICW4_8086	0x01
#define OCW2_EOI	0x20	/* non-specific end of interrupt */
#define OCW3_READ_ISR	0x0b
#define OCW3_READ_IRR	0x0a

#define CASCADE_IRQ	2
#define NR_IRQS		16

static struct {
	struct irq_chip chip;
	uint16_t master, slave;
	uint16_t mask;		/* bit n: line n masked */
	uint64_t spurious;	/* IRQ 7 / 15 without an in-service bit */
	uint64_t foreign_seen;	/* vectors outside 0x20-0x2f */
} pic;

static void
write_mask(unsigned int hwirq)
{
	if (hwirq < 8)
		outb(pic.master + PIC_DATA, (uint8_t)pic.mask);
	else
		outb(pic.slave + PIC_DATA, (uint8_t)(pic.mask >> 8));
}

static void
i8259_mask(struct irq_chip *chip, unsigned int hwirq)
{
	if (hwirq == CASCADE_IRQ)
		return;		/* the slave's lines need it */
	pic.mask |= (uint16_t)(1u << hwirq);
	write_mask(hwirq);
}

static void
i8259_unmask(struct irq_chip *chip, unsigned int hwirq)
{
	pic.mask &= (uint16_t)~(1u << hwirq);
	write_mask(hwirq);
}

static uint8_t
read_isr(uint16_t port)
{
	uint8_t isr;

	outb(port + PIC_CMD, OCW3_READ_ISR);
	isr = inb(port + PIC_CMD);
	outb(port + PIC_CMD, OCW3_READ_IRR);
	return isr;
}

/* The CPU already acknowledged the interrupt: its vector names the line. */
static void
i8259_handle(struct irq_chip *chip, struct arch_regs *regs)
{
	unsigned int hwirq = x86_regs_vector(regs) - X86_PIC_VECTOR_BASE;

	if (hwirq >= NR_IRQS) {
		/* No other controller yet: a stray INT n or a misrouted vector. */
		if (!pic.foreign_seen++)
			pr_warn("interrupt on vector %#x, which no controller owns\n",
				x86_regs_vector(regs));
		return;
	}
	if (hwirq == 7 && !(read_isr(pic.master) & 0x80)) {
		pic.spurious++;
		return;
	}
	if (hwirq == 15 && !(read_isr(pic.slave) & 0x80)) {
		pic.spurious++;
		outb(pic.master + PIC_CMD, OCW2_EOI);	/* the master did see it */
		return;
	}
	irq_dispatch(chip, hwirq);
	if (hwirq >= 8)
		outb(pic.slave + PIC_CMD, OCW2_EOI);
	outb(pic.master + PIC_CMD, OCW2_EOI);
}

static void
init_one(uint16_t port, uint8_t vector, uint8_t icw3)
{
	outb(port + PIC_CMD, ICW1_INIT | ICW1_ICW4);
	io_delay();
	outb(port + PIC_DATA, vector);		/* ICW2: vector base */
	io_delay();
	outb(port + PIC_DATA, icw3);		/* ICW3: cascade wiring */
	io_delay();
	outb(port + PIC_DATA, ICW4_8086);
	io_delay();
}

static const struct irq_chip_ops i8259_chip_ops = {
	.name = "i8259",
	.handle = i8259_handle,
	.mask = i8259_mask,
	.unmask = i8259_unmask,
};

static int
i8259_probe(struct device *dev)
{
	if (dev->nr_reg < 2)
		return -EINVAL;
	if (pic.master)
		return -EBUSY;		/* one pair per PC */
	pic.master = (uint16_t)dev->reg[0].start;
	pic.slave = (uint16_t)dev->reg[1].start;

	/* Everything masked while reprogramming, then only the cascade open. */
	outb(pic.master + PIC_DATA, 0xff);
	outb(pic.slave + PIC_DATA, 0xff);
	init_one(pic.master, X86_PIC_VECTOR_BASE, 1u << CASCADE_IRQ);
	init_one(pic.slave, X86_PIC_VECTOR_BASE + 8, CASCADE_IRQ);
	if (irq_root_chip()) {
		/* The APICs run the interrupts (initialisation cleared the masks). */
		outb(pic.master + PIC_DATA, 0xff);
		outb(pic.slave + PIC_DATA, 0xff);
		pr_info("master %#x, slave %#x: masked, %s runs the interrupts\n", pic.master,
			pic.slave, irq_root_chip()->ops->name);
		return 0;
	}
	pic.mask = (uint16_t)~(1u << CASCADE_IRQ);
	outb(pic.master + PIC_DATA, (uint8_t)pic.mask);
	outb(pic.slave + PIC_DATA, (uint8_t)(pic.mask >> 8));

	pic.chip.ops = &i8259_chip_ops;
	pic.chip.nr_irqs = NR_IRQS;
	pr_info("master %#x, slave %#x, vectors %#x-%#x\n", pic.master, pic.slave,
		X86_PIC_VECTOR_BASE, X86_PIC_VECTOR_BASE + NR_IRQS - 1);
	return irq_chip_register(&pic.chip, dev);
}

static const char *const i8259_compatible[] = { "intel,8259", "pnp,PNP0000", NULL };

DRIVER(i8259_driver) = {
	.name = "i8259",
	.compatible = i8259_compatible,
	.probe = i8259_probe,
};
