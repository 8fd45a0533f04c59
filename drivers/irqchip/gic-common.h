/* Shared by the GICv2 and GICv3 drivers: distributor registers, DT cells. */
#ifndef DRIVERS_IRQCHIP_GIC_COMMON_H
#define DRIVERS_IRQCHIP_GIC_COMMON_H

#include <kernel/irq.h>
#include <kernel/mmio.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_TYPER_SECURITY	(1u << 10)
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ICPENDR		0x0280
#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR		0x0800
#define GICD_ICFGR		0x0c00

#define GIC_SPURIOUS		1020
#define GIC_PRIO_DEFAULT	0xa0

/* INTIDs the distributor implements, capped below the special numbers. */
static inline unsigned int
gic_nr_irqs(uintptr_t dist)
{
	unsigned int n = ((mmio_read32(dist + GICD_TYPER) & 0x1f) + 1) * 32;

	return n > 1020 ? 1020 : n;
}

/* Device-tree specifier <type number flags>: SPI 0 -> 32, PPI 1 -> 16. */
static inline int
gic_xlate(struct irq_chip *chip, const uint32_t *cells, unsigned int ncells,
	  unsigned int *hwirq)
{
	if (ncells < 2)
		return -1;
	if (cells[0] == 0)
		*hwirq = cells[1] + 32;
	else if (cells[0] == 1)
		*hwirq = cells[1] + 16;
	else
		return -1;
	return 0;
}

/* Shared SPI set-up: level-triggered, default priority, all disabled. */
static inline void
gic_dist_init_spis(uintptr_t dist, unsigned int nr_irqs, uint32_t group)
{
	for (unsigned int i = 32; i < nr_irqs; i += 32) {
		mmio_write32(dist + GICD_ICENABLER + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_ICPENDR + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_IGROUPR + i / 8, group);
	}
	for (unsigned int i = 32; i < nr_irqs; i += 16)
		mmio_write32(dist + GICD_ICFGR + i / 4, 0);
	for (unsigned int i = 32; i < nr_irqs; i += 4)
		mmio_write32(dist + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
}

#endif
