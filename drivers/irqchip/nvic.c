/*
 * ARMv6-M NVIC (the Cortex-M0's interrupt controller) as the root
 * irq_chip.  Hardware numbers 0-31 are the external interrupt lines;
 * number 32 is SysTick, which is an exception rather than an NVIC line
 * (see <drivers/nvic.h>).  The port's external-interrupt vectors enter
 * irq_handle_line() with the line (CONFIG_IRQ_VECTORED), SysTick's enters
 * irq_handle() and so nvic_handle(), where IPSR says which exception is
 * active; the NVIC has no acknowledge or end-of-interrupt step.
 *
 * SysTick's only enable bit is SYST_CSR.TICKINT, which belongs to the
 * SysTick driver (a read of SYST_CSR clears COUNTFLAG, which its clock
 * source depends on), so the chip masks SysTick lazily: a SysTick that
 * arrives masked is remembered and replayed through ICSR.PENDSTSET when it
 * is unmasked.
 *
 * All interrupts get one priority, so handlers never nest.
 */
#define pr_fmt(fmt) "nvic: " fmt

#include <arch/cpu.h>
#include <drivers/nvic.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>

/* NVIC block, relative to 0xe000e100. */
#define NVIC_ISER	0x000
#define NVIC_ICER	0x080
#define NVIC_ICPR	0x180
#define NVIC_IPR	0x300		/* word access only on ARMv6-M */

/* System Control Block, relative to 0xe000ed00. */
#define SCB_ICSR	0x04
#define SCB_SHPR3	0x20
#define ICSR_PENDSTSET	(1u << 26)
#define ICSR_PENDSTCLR	(1u << 25)

/* ARMv6-M implements the top two priority bits. */
#define PRIO_IRQ	0x80u

#define EXC_SYSTICK	15
#define EXC_IRQ0	16

static struct {
	struct irq_chip chip;
	uintptr_t nvic, scb;
	bool systick_masked;
	bool systick_deferred;
} nvic;

static void
nvic_mask(struct irq_chip *chip, unsigned int hwirq)
{
	if (hwirq == NVIC_IRQ_SYSTICK)
		nvic.systick_masked = true;
	else
		mmio_write32(nvic.nvic + NVIC_ICER, 1u << hwirq);
}

static void
nvic_unmask(struct irq_chip *chip, unsigned int hwirq)
{
	unsigned long flags;

	if (hwirq != NVIC_IRQ_SYSTICK) {
		mmio_write32(nvic.nvic + NVIC_ISER, 1u << hwirq);
		return;
	}
	flags = arch_irq_save();
	nvic.systick_masked = false;
	if (nvic.systick_deferred) {
		nvic.systick_deferred = false;
		mmio_write32(nvic.scb + SCB_ICSR, ICSR_PENDSTSET);
	}
	arch_irq_restore(flags);
}

static void
nvic_handle(struct irq_chip *chip, struct arch_regs *regs)
{
	unsigned int exc = read_special(ipsr) & 0x3f;

	if (exc == EXC_SYSTICK) {
		if (nvic.systick_masked) {
			nvic.systick_deferred = true;
			return;
		}
		irq_dispatch(chip, NVIC_IRQ_SYSTICK);
	} else if (exc >= EXC_IRQ0) {
		irq_dispatch(chip, exc - EXC_IRQ0);
	} else {
		irq_dispatch(chip, NVIC_NR_IRQS);	/* counted as spurious */
	}
}

static const struct irq_chip_ops nvic_chip_ops = {
	.name = "nvic",
	.handle = nvic_handle,
	.mask = nvic_mask,
	.unmask = nvic_unmask,
};

static int
nvic_probe(struct device *dev)
{
	uint32_t shpr3;

	if (dev->nr_reg < 2 || dev->reg[0].size < NVIC_IPR + NVIC_NR_LINES)
		return -EINVAL;
	if (nvic.nvic)
		return -EBUSY;		/* one per CPU, and there is one CPU */
	nvic.nvic = dev->reg[0].start;
	nvic.scb = dev->reg[1].start;

	/* Everything off and idle until a driver asks for it. */
	mmio_write32(nvic.nvic + NVIC_ICER, 0xffffffff);
	mmio_write32(nvic.nvic + NVIC_ICPR, 0xffffffff);
	for (unsigned int i = 0; i < NVIC_NR_LINES; i += 4)
		mmio_write32(nvic.nvic + NVIC_IPR + i, PRIO_IRQ * 0x01010101u);
	nvic.systick_masked = true;
	mmio_write32(nvic.scb + SCB_ICSR, ICSR_PENDSTCLR);
	shpr3 = mmio_read32(nvic.scb + SCB_SHPR3);
	mmio_write32(nvic.scb + SCB_SHPR3, (shpr3 & 0x00ffffff) | PRIO_IRQ << 24);

	nvic.chip.ops = &nvic_chip_ops;
	nvic.chip.nr_irqs = NVIC_NR_IRQS;
	pr_info("%u interrupt lines + SysTick (irq %u)\n", NVIC_NR_LINES, NVIC_IRQ_SYSTICK);
	return irq_chip_register(&nvic.chip, dev);
}

static const char *const nvic_compatible[] = { "arm,v6m-nvic", NULL };

DRIVER(nvic_driver) = {
	.name = "nvic",
	.compatible = nvic_compatible,
	.probe = nvic_probe,
};
