/*
 * I/O APICs: device interrupt pins turned into messages to a local APIC.
 * Each ISA interrupt the firmware routes (ACPI interrupt source overrides
 * or MP I/O interrupt entries: QEMU moves IRQ 0 to pin 2) gets the vector
 * the 8259 would have given it, 0x20 + IRQ, so the root chip's number for
 * it is the ISA IRQ itself and board tables need not care which
 * controller runs.  Every pin goes to the boot CPU, fixed delivery,
 * masked until its interrupt is requested; pins nobody routes stay masked.
 *
 * ioapic_lock guards the index/data register pair of every I/O APIC.
 */
#define pr_fmt(fmt) "ioapic: " fmt

#include <arch/cpu.h>
#include <asm/apic.h>
#include <asm/firmware.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01
#define IOAPIC_REDTBL(pin)	(0x10 + 2 * (pin))

#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_ACTIVE_LOW	(1u << 13)

struct ioapic {
	uintptr_t base;
	unsigned int nr_pins;
	uint32_t gsi_base;
};

static struct spinlock ioapic_lock = SPINLOCK_INIT("ioapic");	/* raw */
static struct ioapic ioapics[FW_MAX_IOAPICS];
/* Which pin each ISA vector uses (written at probe, before any request). */
static struct {
	struct ioapic *io;
	unsigned int pin;
} isa_pin[FW_ISA_IRQS];

static uint32_t
io_read(struct ioapic *io, unsigned int reg)
{
	mmio_write32(io->base + IOREGSEL, reg);
	return mmio_read32(io->base + IOWIN);
}

static void
io_write(struct ioapic *io, unsigned int reg, uint32_t v)
{
	mmio_write32(io->base + IOREGSEL, reg);
	mmio_write32(io->base + IOWIN, v);
}

/* Set or clear a pin's mask bit, nothing else. */
static void
pin_mask(struct ioapic *io, unsigned int pin, bool masked)
{
	unsigned long flags = arch_irq_save();
	uint32_t lo;

	raw_spin_lock(&ioapic_lock);
	lo = io_read(io, IOAPIC_REDTBL(pin));
	io_write(io, IOAPIC_REDTBL(pin), masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
	raw_spin_unlock(&ioapic_lock);
	arch_irq_restore(flags);
}

static void
isa_vector_mask(unsigned int vector, bool masked)
{
	unsigned int irq = vector - ISA_IRQ_VECTOR(0);

	if (irq < FW_ISA_IRQS && isa_pin[irq].io)
		pin_mask(isa_pin[irq].io, isa_pin[irq].pin, masked);
}

/* Probe time: one CPU, no interrupts from these pins yet. */
static void
pin_route(struct ioapic *io, unsigned int pin, uint8_t vector, uint16_t fw_flags,
	  uint32_t dest)
{
	uint32_t lo = RTE_MASKED | vector;	/* fixed delivery, physical destination */

	/* ISA "conforms to the bus": edge, active high. */
	if ((fw_flags & FW_IRQ_POLARITY) == FW_IRQ_ACTIVE_LOW)
		lo |= RTE_ACTIVE_LOW;
	if ((fw_flags & FW_IRQ_TRIGGER) == FW_IRQ_LEVEL)
		lo |= RTE_LEVEL;
	io_write(io, IOAPIC_REDTBL(pin) + 1, dest << 24);
	io_write(io, IOAPIC_REDTBL(pin), lo);
}

static int
ioapic_probe(struct device *dev)
{
	const struct fw_apic_info *fw = x86_apic_info();
	uint32_t next_gsi = 0, boot_cpu;
	unsigned int routed = 0;

	if (!lapic_active()) {
		const struct device *l = device_find("intel,lapic");

		/* Nothing to route to until the local APIC runs, if it ever will. */
		return fw && l && l->state != DEVICE_FAILED ? -EPROBE_DEFER : -ENODEV;
	}
	boot_cpu = lapic_id();
	if (boot_cpu > 0xff) {
		pr_err("boot CPU APIC ID %#x does not fit a redirection entry\n", boot_cpu);
		return -ERANGE;
	}
	for (unsigned int i = 0; i < fw->nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];

		io->base = ioremap(fw->ioapics[i].addr, 0x20);
		if (!io->base)
			return -ENOMEM;
		io->nr_pins = ((io_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		io->gsi_base = fw->ioapics[i].gsi_base == FW_GSI_UNKNOWN ? next_gsi
									  : fw->ioapics[i].gsi_base;
		next_gsi = io->gsi_base + io->nr_pins;
		for (unsigned int pin = 0; pin < io->nr_pins; pin++)
			io_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
		pr_info("I/O APIC %u at %#x: %u pins, GSI %u-%u, version %#x\n", fw->ioapics[i].id,
			fw->ioapics[i].addr, io->nr_pins, io->gsi_base, next_gsi - 1,
			io_read(io, IOAPIC_VER) & 0xff);
	}
	for (unsigned int irq = 0; irq < FW_ISA_IRQS; irq++) {
		const struct fw_irq_route *r = &fw->isa[irq];
		struct ioapic *io;

		if (!r->valid)
			continue;
		if (r->ioapic >= fw->nr_ioapics || r->pin >= ioapics[r->ioapic].nr_pins) {
			pr_warn("ISA IRQ %u: pin %u of I/O APIC %u does not exist\n", irq, r->pin,
				r->ioapic);
			continue;
		}
		io = &ioapics[r->ioapic];
		pin_route(io, r->pin, (uint8_t)ISA_IRQ_VECTOR(irq), r->flags, boot_cpu);
		isa_pin[irq].io = io;
		isa_pin[irq].pin = r->pin;
		apic_vector_set_mask(ISA_IRQ_VECTOR(irq), isa_vector_mask);
		if (irq != r->pin || r->ioapic)
			pr_info("ISA IRQ %u on I/O APIC %u pin %u\n", irq, r->ioapic, r->pin);
		routed++;
	}
	pr_info("%u ISA interrupts routed to the boot CPU (APIC ID %#x), vectors %#x-%#x\n",
		routed, boot_cpu, ISA_IRQ_VECTOR(0), ISA_IRQ_VECTOR(FW_ISA_IRQS - 1));
	return 0;
}

static const char *const ioapic_compatible[] = { "intel,ioapic", NULL };

DRIVER(ioapic_driver) = {
	.name = "ioapic",
	.compatible = ioapic_compatible,
	.probe = ioapic_probe,
};
