/*
 * ARM GICv3 (QEMU virt gic-version=3): distributor with affinity routing,
 * one redistributor per CPU (found by MPIDR, kept per CPU), and the CPU
 * interface in system registers.  Shared peripheral interrupts go to the
 * boot CPU; SGIs 0..15 are the kernel's inter-processor interrupts.
 */
#define pr_fmt(fmt) "gic-v3: " fmt

#include <arch/cpu.h>
#include <kernel/cpu.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include "gic-common.h"

#define GICD_CTLR_RWP		(1u << 31)
#define GICD_CTLR_ARE		(1u << 4)
#define GICD_CTLR_GRP1		(1u << 1)
#define GICD_CTLR_GRP0		(1u << 0)
#define GICD_IROUTER		0x6000

#define GICR_FRAME		0x20000		/* RD_base + SGI_base per CPU */
#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		(1u << 3)
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
#define ICC_BPR1_EL1	"S3_0_C12_C12_3"
#define ICC_SGI1R_EL1	"S3_0_C12_C11_5"

/* ICC_SGI1R_EL1 fields. */
#define SGI1R_AFF1_SHIFT	16
#define SGI1R_INTID_SHIFT	24
#define SGI1R_AFF2_SHIFT	32
#define SGI1R_RS_SHIFT		44
#define SGI1R_AFF3_SHIFT	48

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
	struct resource rdist_region;
	/*
	 * Each CPU's redistributor frame (virtual, physical), found and
	 * written by the CPU itself in rdist_init() before it is online.
	 */
	uintptr_t rdist[NR_CPUS];
	paddr_t rdist_pa[NR_CPUS];
};

static struct gicv3 gic;

/* Until the distributor has applied a disable or a GICD_CTLR change. */
static void
dist_wait(void)
{
	while (mmio_read32(gic.dist + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

/* Until this CPU's redistributor has applied a disable of an SGI/PPI. */
static void
rdist_wait(uintptr_t rd)
{
	while (mmio_read32(rd + GICR_CTLR) & GICR_CTLR_RWP)
		;
}

/*
 * SGIs and PPIs live in the calling CPU's redistributor (they are per
 * CPU), SPIs in the distributor.
 */
static void
gicv3_mask(struct irq_chip *chip, unsigned int hwirq)
{
	uintptr_t rd = gic.rdist[cpu_id()];

	if (hwirq < 32) {
		mmio_write32(rd + GICR_SGI + GICD_ICENABLER, 1u << hwirq);
		rdist_wait(rd);
	} else {
		mmio_write32(gic.dist + GICD_ICENABLER + hwirq / 32 * 4, 1u << (hwirq % 32));
		dist_wait();
	}
}

static void
gicv3_unmask(struct irq_chip *chip, unsigned int hwirq)
{
	if (hwirq < 32)
		mmio_write32(gic.rdist[cpu_id()] + GICR_SGI + GICD_ISENABLER, 1u << hwirq);
	else
		mmio_write32(gic.dist + GICD_ISENABLER + hwirq / 32 * 4, 1u << (hwirq % 32));
}

static void
gicv3_handle(struct irq_chip *chip, struct arch_regs *regs)
{
	for (;;) {
		uint64_t iar = icc_read(ICC_IAR1_EL1);
		unsigned int id = (unsigned int)(iar & 0xffffff);

		if (id >= GIC_SPURIOUS && id < 8192)
			break;
		if (id < 16) {
			/* The EOI's isb orders the sender's data after the acknowledge. */
			icc_write(ICC_EOIR1_EL1, iar);
			isb();
#ifdef CONFIG_SMP
			smp_ipi_received((enum ipi)id);
#endif
			continue;
		}
		irq_dispatch(chip, id);
		icc_write(ICC_EOIR1_EL1, iar);
	}
}

/* GICR_TYPER.Affinity_Value / GICD_IROUTER layout: Aff3.Aff2.Aff1.Aff0. */
static uint32_t
mpidr_to_aff(uint64_t mpidr)
{
	return (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));
}

/*
 * Find the calling CPU's redistributor by its MPIDR.  Frames are mapped
 * one at a time as the search goes (the region has room for many CPUs,
 * the ioremap window is small); ioremap hands a frame mapped before out
 * again, so CPUs searching the same frames share them.
 */
static int
find_rdist(unsigned int cpu)
{
	const struct resource *r = &gic.rdist_region;
	uint32_t aff = mpidr_to_aff(read_sysreg(mpidr_el1));

	for (size_t off = 0; off + GICR_FRAME <= r->size; off += GICR_FRAME) {
		uintptr_t frame = ioremap(r->start + off, GICR_FRAME);
		uint64_t typer;

		if (!frame)
			return -ENOMEM;
		typer = mmio_read64(frame + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff) {
			gic.rdist[cpu] = frame;
			gic.rdist_pa[cpu] = r->start + off;
			return 0;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return -ENODEV;
}

/*
 * The calling CPU's redistributor (awake, SGIs and PPIs set up) and its
 * CPU interface.  The SGIs are enabled: they are the kernel's IPIs.
 */
static int
rdist_init(void)
{
	unsigned int cpu = cpu_id();
	uintptr_t rd, sgi;
	int err = find_rdist(cpu);

	if (err) {
		pr_err("CPU%u: no redistributor for MPIDR %#llx\n", cpu,
		       (unsigned long long)read_sysreg(mpidr_el1));
		return err;
	}
	rd = gic.rdist[cpu];
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	sgi = rd + GICR_SGI;
	mmio_write32(sgi + GICD_ICENABLER, 0xffffffff);
	rdist_wait(rd);
	mmio_write32(sgi + GICD_IGROUPR, 0xffffffff);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
#ifdef CONFIG_SMP
	mmio_write32(sgi + GICD_ISENABLER, (1u << NR_IPIS) - 1);
#endif

	icc_write(ICC_SRE_EL1, icc_read(ICC_SRE_EL1) | 1);
	isb();
	if (!(icc_read(ICC_SRE_EL1) & 1)) {
		pr_err("CPU%u: system register interface disabled by a higher EL\n", cpu);
		return -ENODEV;
	}
	icc_write(ICC_PMR_EL1, 0xf0);
	icc_write(ICC_BPR1_EL1, 0);
	icc_write(ICC_CTLR_EL1, 0);		/* EOI drops priority and deactivates */
	icc_write(ICC_IGRPEN1_EL1, 1);
	isb();
	return 0;
}

static int
gicv3_cpu_init(struct irq_chip *chip)
{
	return rdist_init();	/* no redistributor: the CPU is left out */
}

/*
 * One ICC_SGI1R_EL1 write reaches the CPUs of one Aff3.Aff2.Aff1 cluster
 * whose Aff0 lies in one range of 16 (RS): group the targets so.
 */
static void
gicv3_send_ipi(struct irq_chip *chip, unsigned long targets, unsigned int ipi)
{
	cpumask_t left = targets;

	/* sysreg writes are not ordered by dmb: our stores first, completely. */
	__asm__ __volatile__("dsb ishst" ::: "memory");
	while (left) {
		unsigned int first = cpumask_first(left), cpu;
		uint64_t cluster = cpus[first].hwid & ~0xfUL;
		uint64_t list = 0, sgi1r;

		for_each_cpu(cpu, left)
			if ((cpus[cpu].hwid & ~0xfUL) == cluster) {
				list |= 1UL << (cpus[cpu].hwid & 0xf);
				left &= ~cpumask_of(cpu);
			}
		sgi1r = ((cluster >> 32) & 0xff) << SGI1R_AFF3_SHIFT |
			((cluster >> 4) & 0xf) << SGI1R_RS_SHIFT |
			((cluster >> 16) & 0xff) << SGI1R_AFF2_SHIFT |
			(uint64_t)(ipi & 0xf) << SGI1R_INTID_SHIFT |
			((cluster >> 8) & 0xff) << SGI1R_AFF1_SHIFT | list;
		icc_write(ICC_SGI1R_EL1, sgi1r);
	}
	isb();
}

static const struct irq_chip_ops gicv3_chip_ops = {
	.name = "gic-v3",
	.handle = gicv3_handle,
	.mask = gicv3_mask,
	.unmask = gicv3_unmask,
	.xlate = gic_xlate,
	.cpu_init = gicv3_cpu_init,
	.send_ipi = gicv3_send_ipi,
};

static int
gicv3_probe(struct device *dev)
{
	uint64_t boot_aff = read_sysreg(mpidr_el1) & 0xff00ffffffUL;
	unsigned int nr;

	if (dev->nr_reg < 2)
		return -EINVAL;
	if (gic.dist)
		return -EBUSY;
	gic.dist = ioremap(dev->reg[0].start, dev->reg[0].size);
	if (!gic.dist)
		return -ENOMEM;
	gic.rdist_region = dev->reg[1];
	nr = gic_nr_irqs(gic.dist);

	mmio_write32(gic.dist + GICD_CTLR, 0);
	dist_wait();
	gic_dist_init_spis(gic.dist, nr, 0xffffffff);
	dist_wait();
	/* Shared interrupts go to the boot CPU (this one). */
	for (unsigned int i = 32; i < nr; i++)
		mmio_write64(gic.dist + GICD_IROUTER + i * 8, boot_aff);
	mmio_write32(gic.dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP0);
	dist_wait();
	if (rdist_init()) {
		gic.dist = 0;
		return -ENODEV;
	}

	gic.chip.ops = &gicv3_chip_ops;
	gic.chip.nr_irqs = nr;
	pr_info("distributor %#lx, redistributor %#lx, %u interrupts\n",
		(unsigned long)dev->reg[0].start, (unsigned long)gic.rdist_pa[0], nr);
	return irq_chip_register(&gic.chip, dev);
}

static const char *const gicv3_compatible[] = { "arm,gic-v3", NULL };

DRIVER(gicv3_driver) = {
	.name = "gic-v3",
	.compatible = gicv3_compatible,
	.probe = gicv3_probe,
};
