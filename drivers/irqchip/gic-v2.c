/*
 * ARM GICv2 (GIC-400 on the Raspberry Pi 4, QEMU virt gic-version=2):
 * memory-mapped distributor and CPU interface.  Interrupts are routed to
 * the boot CPU as group 1 (non-secure) interrupts.
 */
#define pr_fmt(fmt) "gic-v2: " fmt

#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include "gic-common.h"

#define GICC_CTLR	0x0000
#define GICC_PMR	0x0004
#define GICC_IAR	0x000c
#define GICC_EOIR	0x0010

struct gicv2 {
	struct irq_chip chip;
	uintptr_t dist, cpu;
};

static struct gicv2 gic;

static void
gicv2_mask(struct irq_chip *chip, unsigned int hwirq)
{
	mmio_write32(gic.dist + GICD_ICENABLER + hwirq / 32 * 4, 1u << (hwirq % 32));
}

static void
gicv2_unmask(struct irq_chip *chip, unsigned int hwirq)
{
	mmio_write32(gic.dist + GICD_ISENABLER + hwirq / 32 * 4, 1u << (hwirq % 32));
}

static void
gicv2_handle(struct irq_chip *chip, struct arch_regs *regs)
{
	for (;;) {
		uint32_t iar = mmio_read32(gic.cpu + GICC_IAR);
		unsigned int id = iar & 0x3ff;

		if (id >= GIC_SPURIOUS)
			break;
		irq_dispatch(chip, id);
		mmio_write32(gic.cpu + GICC_EOIR, iar);
	}
}

static int
gicv2_probe(struct device *dev)
{
	unsigned int nr;
	uint32_t group;

	if (dev->nr_reg < 2)
		return -EINVAL;
	if (gic.dist)
		return -EBUSY;		/* one distributor per system */
	gic.dist = ioremap(dev->reg[0].start, dev->reg[0].size);
	gic.cpu = ioremap(dev->reg[1].start, dev->reg[1].size);
	if (!gic.dist || !gic.cpu) {
		gic.dist = 0;
		return -ENOMEM;
	}
	nr = gic_nr_irqs(gic.dist);
	/*
	 * A GIC with security extensions is seen from the non-secure side
	 * (group 1; group registers are not writable).  Without them (QEMU
	 * virt) GICC_IAR only acknowledges group 0, so use group 0 as IRQs.
	 */
	group = mmio_read32(gic.dist + GICD_TYPER) & GICD_TYPER_SECURITY ? 0xffffffff : 0;

	mmio_write32(gic.dist + GICD_CTLR, 0);
	gic_dist_init_spis(gic.dist, nr, group);
	for (unsigned int i = 32; i < nr; i += 4)
		mmio_write32(gic.dist + GICD_ITARGETSR + i, 0x01010101);	/* CPU 0 */
	/* Banked SGIs and PPIs of this CPU. */
	mmio_write32(gic.dist + GICD_ICENABLER, 0xffffffff);
	mmio_write32(gic.dist + GICD_IGROUPR, group);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(gic.dist + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	/*
	 * Enable group 0 and 1.  Without security extensions (QEMU virt) these
	 * are two bits; in the non-secure view of a secure GIC bit 0 is group 1
	 * and bit 1 is reserved, so the same value serves both.
	 */
	mmio_write32(gic.dist + GICD_CTLR, 3);

	mmio_write32(gic.cpu + GICC_PMR, 0xf0);
	mmio_write32(gic.cpu + GICC_CTLR, 3);

	gic.chip.name = "gic-v2";
	gic.chip.nr_irqs = nr;
	gic.chip.handle = gicv2_handle;
	gic.chip.mask = gicv2_mask;
	gic.chip.unmask = gicv2_unmask;
	gic.chip.xlate = gic_xlate;
	pr_info("distributor %#lx, cpu interface %#lx, %u interrupts\n",
		(unsigned long)dev->reg[0].start, (unsigned long)dev->reg[1].start, nr);
	return irq_chip_register(&gic.chip, dev);
}

static const char *const gicv2_compatible[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", NULL
};

DRIVER(gicv2_driver) = {
	.name = "gic-v2",
	.compatible = gicv2_compatible,
	.probe = gicv2_probe,
};
