/*
 * ARM GICv2 (GIC-400 on the Raspberry Pi 4, QEMU virt gic-version=2):
 * memory-mapped distributor and CPU interface.  Shared peripheral
 * interrupts go to the boot CPU; each CPU sets up its own banked part
 * (SGIs and PPIs, the CPU interface) in gicv2_cpu_init().  SGIs 0..15 are
 * the kernel's inter-processor interrupts (enum ipi).
 */
#define pr_fmt(fmt) "gic-v2: " fmt

#include <kernel/cpu.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include "gic-common.h"

#define GICD_SGIR	0x0f00
#define GICD_SGIR_TARGETS_SHIFT	16

#define GICC_CTLR	0x0000
#define GICC_PMR	0x0004
#define GICC_IAR	0x000c
#define GICC_EOIR	0x0010

struct gicv2 {
	struct irq_chip chip;
	uintptr_t dist, cpu;
	uint32_t group;			/* the IGROUPR value: see gicv2_probe() */
	/*
	 * Each CPU's CPU-interface bit (GICD_ITARGETSR / GICD_SGIR target
	 * lists), learnt by the CPU itself in cpu_interface_init(), before
	 * it is online; read by any CPU after.
	 */
	uint8_t cpu_mask[NR_CPUS];
};

static struct gicv2 gic;

static void
gicv2_mask(struct irq_chip *chip, unsigned int hwirq)
{
	mmio_write32(gic.dist + GICD_ICENABLER + hwirq / 32 * 4, 1u << (hwirq % 32));
}

/* SGIs and PPIs (hwirq < 32) are banked: these act on the calling CPU's. */
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
		if (id < 16) {
			/* The whole IAR back: it names the sending CPU too. */
			mmio_write32(gic.cpu + GICC_EOIR, iar);
#ifdef CONFIG_SMP
			smp_rmb();	/* the sender's data after the acknowledge */
			smp_ipi_received((enum ipi)id);
#endif
			continue;
		}
		irq_dispatch(chip, id);
		mmio_write32(gic.cpu + GICC_EOIR, iar);
	}
}

/*
 * This CPU's CPU-interface bit: each byte of the banked GICD_ITARGETSR0-7
 * reads as it (a uniprocessor GIC may read zero: interface 0).
 */
static uint8_t
this_cpu_mask(void)
{
	for (unsigned int i = 0; i < 32; i += 4) {
		uint32_t v = mmio_read32(gic.dist + GICD_ITARGETSR + i);

		v |= v >> 16;
		v |= v >> 8;
		if (v & 0xff)
			return (uint8_t)v;
	}
	return 1;
}

/* The banked SGIs and PPIs and the CPU interface of the calling CPU. */
static void
cpu_interface_init(void)
{
	gic.cpu_mask[cpu_id()] = this_cpu_mask();
	mmio_write32(gic.dist + GICD_ICENABLER, 0xffffffff);
	mmio_write32(gic.dist + GICD_IGROUPR, gic.group);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(gic.dist + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
#ifdef CONFIG_SMP
	mmio_write32(gic.dist + GICD_ISENABLER, (1u << NR_IPIS) - 1);
#endif
	mmio_write32(gic.cpu + GICC_PMR, 0xf0);
	mmio_write32(gic.cpu + GICC_CTLR, 3);	/* see the distributor's enable */
}

static int
gicv2_cpu_init(struct irq_chip *chip)
{
	cpu_interface_init();
	return 0;
}

static void
gicv2_send_ipi(struct irq_chip *chip, unsigned long targets, unsigned int ipi)
{
	uint32_t list = 0;
	unsigned int cpu;

	for_each_cpu(cpu, targets)
		list |= gic.cpu_mask[cpu];
	/* Our stores before the interrupt (the core's fence covers normal memory). */
	__asm__ __volatile__("dmb ishst" ::: "memory");
	mmio_write32(gic.dist + GICD_SGIR, list << GICD_SGIR_TARGETS_SHIFT | (ipi & 0xf));
}

static const struct irq_chip_ops gicv2_chip_ops = {
	.name = "gic-v2",
	.handle = gicv2_handle,
	.mask = gicv2_mask,
	.unmask = gicv2_unmask,
	.xlate = gic_xlate,
	.cpu_init = gicv2_cpu_init,
	.send_ipi = gicv2_send_ipi,
};

static int
gicv2_probe(struct device *dev)
{
	unsigned int nr;

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
	gic.group = mmio_read32(gic.dist + GICD_TYPER) & GICD_TYPER_SECURITY ? 0xffffffff : 0;

	mmio_write32(gic.dist + GICD_CTLR, 0);
	gic_dist_init_spis(gic.dist, nr, gic.group);
	cpu_interface_init();
	/* Shared interrupts go to the boot CPU (this one). */
	for (unsigned int i = 32; i < nr; i += 4)
		mmio_write32(gic.dist + GICD_ITARGETSR + i, gic.cpu_mask[0] * 0x01010101u);
	/*
	 * Enable group 0 and 1.  Without security extensions (QEMU virt) these
	 * are two bits; in the non-secure view of a secure GIC bit 0 is group 1
	 * and bit 1 is reserved, so the same value serves both.
	 */
	mmio_write32(gic.dist + GICD_CTLR, 3);

	gic.chip.ops = &gicv2_chip_ops;
	gic.chip.nr_irqs = nr;
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
