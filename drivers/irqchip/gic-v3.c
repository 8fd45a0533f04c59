/*
 * ARM GICv3 (QEMU virt gic-version=3): distributor with affinity routing,
 * one redistributor per CPU, and the CPU interface in system registers.
 */
#define pr_fmt(fmt) "gic-v3: " fmt

#include <arch/cpu.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include "gic-common.h"

#define GICD_CTLR_RWP		(1u << 31)
#define GICD_CTLR_ARE		(1u << 4)
#define GICD_CTLR_GRP1		(1u << 1)
#define GICD_CTLR_GRP0		(1u << 0)
#define GICD_IROUTER		0x6000

#define GICR_FRAME		0x20000		/* RD_base + SGI_base per CPU */
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_TYPER_LAST		(1u << 4)
#define GICR_WAKER_SLEEP	(1u << 1)
#define GICR_WAKER_ASLEEP	(1u << 2)
#define GICR_SGI		0x10000		/* SGI_base within the frame */

/* CPU interface system registers, by encoding (assembler-independent). */
#define ICC_SRE_EL1	"S3_0_C12_C12_5"
#define ICC_PMR_EL1	"S3_0_C4_C6_0"
#define ICC_IAR1_EL1	"S3_0_C12_C12_0"
#define ICC_EOIR1_EL1	"S3_0_C12_C12_1"
#define ICC_IGRPEN1_EL1	"S3_0_C12_C12_7"
#define ICC_CTLR_EL1	"S3_0_C12_C12_4"

#define icc_read(reg) ({						\
	uint64_t v_;							\
	__asm__ __volatile__("mrs %0, " reg : "=r"(v_));		\
	v_;								\
})
#define icc_write(reg, v)						\
	__asm__ __volatile__("msr " reg ", %0" :: "r"((uint64_t)(v)))

struct gicv3 {
	struct irq_chip chip;
	uintptr_t dist;
	uintptr_t rdist;	/* this CPU's redistributor frame */
	paddr_t rdist_pa;
};

static struct gicv3 gic;

static void
dist_wait(void)
{
	while (mmio_read32(gic.dist + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

/* SGIs and PPIs live in the redistributor, SPIs in the distributor. */
static uintptr_t
enable_reg(unsigned int hwirq, unsigned int reg)
{
	if (hwirq < 32)
		return gic.rdist + GICR_SGI + reg;
	return gic.dist + reg + hwirq / 32 * 4;
}

static void
gicv3_mask(struct irq_chip *chip, unsigned int hwirq)
{
	mmio_write32(enable_reg(hwirq, GICD_ICENABLER), 1u << (hwirq % 32));
}

static void
gicv3_unmask(struct irq_chip *chip, unsigned int hwirq)
{
	mmio_write32(enable_reg(hwirq, GICD_ISENABLER), 1u << (hwirq % 32));
}

static void
gicv3_handle(struct irq_chip *chip, struct arch_regs *regs)
{
	for (;;) {
		uint64_t iar = icc_read(ICC_IAR1_EL1);
		unsigned int id = (unsigned int)(iar & 0xffffff);

		if (id >= GIC_SPURIOUS && id < 8192)
			break;
		irq_dispatch(chip, id);
		icc_write(ICC_EOIR1_EL1, iar);
	}
}

/*
 * Find the redistributor whose affinity matches this CPU's MPIDR.  Frames
 * are mapped one at a time as the search goes: the region has room for
 * many CPUs, the ioremap window is small.
 */
static int
find_rdist(const struct resource *r)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint32_t aff = (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));

	for (size_t off = 0; off + GICR_FRAME <= r->size; off += GICR_FRAME) {
		uintptr_t frame = ioremap(r->start + off, GICR_FRAME);
		uint64_t typer;

		if (!frame)
			return -ENOMEM;
		typer = mmio_read64(frame + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff) {
			gic.rdist = frame;
			gic.rdist_pa = r->start + off;
			return 0;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return -ENODEV;
}

static int
gicv3_probe(struct device *dev)
{
	unsigned int nr;
	uintptr_t sgi;

	if (dev->nr_reg < 2)
		return -EINVAL;
	if (gic.dist)
		return -EBUSY;
	gic.dist = ioremap(dev->reg[0].start, dev->reg[0].size);
	if (!gic.dist)
		return -ENOMEM;
	if (find_rdist(&dev->reg[1])) {
		pr_err("no redistributor for this CPU\n");
		gic.dist = 0;
		return -ENODEV;
	}
	nr = gic_nr_irqs(gic.dist);

	mmio_write32(gic.dist + GICD_CTLR, 0);
	dist_wait();
	gic_dist_init_spis(gic.dist, nr, 0xffffffff);
	for (unsigned int i = 32; i < nr; i++)
		mmio_write64(gic.dist + GICD_IROUTER + i * 8, 0);	/* affinity 0.0.0.0 */
	mmio_write32(gic.dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP0);
	dist_wait();

	/* Wake this CPU's redistributor. */
	mmio_write32(gic.rdist + GICR_WAKER,
		     mmio_read32(gic.rdist + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(gic.rdist + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	sgi = gic.rdist + GICR_SGI;
	mmio_write32(sgi + GICD_ICENABLER, 0xffffffff);
	mmio_write32(sgi + GICD_IGROUPR, 0xffffffff);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);

	icc_write(ICC_SRE_EL1, icc_read(ICC_SRE_EL1) | 1);
	isb();
	if (!(icc_read(ICC_SRE_EL1) & 1)) {
		pr_err("system register interface disabled by a higher EL\n");
		return -ENODEV;
	}
	icc_write(ICC_PMR_EL1, 0xf0);
	icc_write(ICC_CTLR_EL1, 0);		/* EOI drops priority and deactivates */
	icc_write(ICC_IGRPEN1_EL1, 1);
	isb();

	gic.chip.name = "gic-v3";
	gic.chip.nr_irqs = nr;
	gic.chip.handle = gicv3_handle;
	gic.chip.mask = gicv3_mask;
	gic.chip.unmask = gicv3_unmask;
	gic.chip.xlate = gic_xlate;
	pr_info("distributor %#lx, redistributor %#lx, %u interrupts\n",
		(unsigned long)dev->reg[0].start, (unsigned long)gic.rdist_pa, nr);
	return irq_chip_register(&gic.chip, dev);
}

static const char *const gicv3_compatible[] = { "arm,gic-v3", NULL };

DRIVER(gicv3_driver) = {
	.name = "gic-v3",
	.compatible = gicv3_compatible,
	.probe = gicv3_probe,
};
