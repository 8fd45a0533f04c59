/*
 * The local APIC of every CPU, and the root interrupt controller of an
 * SMP PC: every vector from 0x20 up arrives here, whoever raised it (an
 * I/O APIC pin, the local timer, another CPU).  The chip's hardware
 * numbers are vectors - 0x20 (<asm/apic.h>); I/O APIC pins and the timer
 * say how their vectors are masked, inter-processor interrupts go to
 * smp_ipi_received().
 *
 * Registers are reached through MMIO (xAPIC, at the address the firmware
 * tables give) or, where CPUID offers x2APIC and the command line does
 * not say nox2apic, through MSRs, which also lift the 8-bit APIC ID
 * limit.  QEMU's TCG offers x2APIC on every CPU model here (docs/x86.md).
 *
 * Each CPU's own registers are only touched by that CPU, so there is
 * nothing to lock but the two-write xAPIC ICR sequence, which runs with
 * interrupts masked.
 */
#define pr_fmt(fmt) "lapic: " fmt

#include <arch/cpu.h>
#include <asm/apic.h>
#include <asm/firmware.h>
#include <asm/io.h>
#include <asm/x86.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

#define IMCR_SELECT	0x22	/* MP spec 3.6.2.1: INTR and NMI routing */
#define IMCR_DATA	0x23
#define ICR_WAIT_LIMIT	1000000

static struct {
	struct irq_chip chip;
	uintptr_t base;			/* xAPIC registers */
	bool x2apic;
	bool active;
	const struct fw_apic_info *fw;
	apic_mask_fn mask_fn[APIC_NR_HWIRQS];	/* written before the vector is requested */
	unsigned long spurious, errors;	/* atomic: every CPU counts */
} lapic;

static const uint8_t ipi_vector[NR_IPIS] = {
	[IPI_RESCHEDULE] = RESCHEDULE_VECTOR,
	[IPI_CALL] = CALL_FUNCTION_VECTOR,
	[IPI_STOP] = REBOOT_VECTOR,
};

bool
lapic_active(void)
{
	return lapic.active;
}

bool
lapic_x2apic(void)
{
	return lapic.x2apic;
}

uint32_t
lapic_read(unsigned int reg)
{
	if (lapic.x2apic)
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return mmio_read32(lapic.base + reg);
}

void
lapic_write(unsigned int reg, uint32_t v)
{
	if (lapic.x2apic)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		mmio_write32(lapic.base + reg, v);
}

void
lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

uint32_t
lapic_id(void)
{
	if (lapic.x2apic)
		return lapic_read(APIC_ID);
	return lapic_read(APIC_ID) >> 24;
}

static void
icr_write(uint32_t dest, uint32_t low)
{
	unsigned long flags = arch_irq_save();

	if (lapic.x2apic) {
		/* An x2APIC MSR write is not ordered after earlier stores by itself. */
		__asm__ __volatile__("mfence; lfence" ::: "memory");
		wrmsr(MSR_X2APIC_BASE + (APIC_ICR >> 4), (uint64_t)dest << 32 | low);
	} else {
		for (unsigned int i = 0; lapic_read(APIC_ICR) & APIC_ICR_BUSY; i++)
			if (i == ICR_WAIT_LIMIT) {
				pr_err("CPU%u: the previous IPI is still pending\n", cpu_id());
				break;
			}
		lapic_write(APIC_ICR2, dest << 24);
		lapic_write(APIC_ICR, low);
	}
	arch_irq_restore(flags);
}

void
lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	icr_write(apic_id, APIC_DM_FIXED | vector);
}

void
lapic_send_init(uint32_t apic_id, bool assert)
{
	icr_write(apic_id, APIC_DM_INIT | APIC_INT_LEVELTRIG | (assert ? APIC_INT_ASSERT : 0));
}

void
lapic_send_startup(uint32_t apic_id, uint8_t page)
{
	icr_write(apic_id, APIC_DM_STARTUP | page);
}

void
apic_vector_set_mask(unsigned int vector, apic_mask_fn fn)
{
	if (vector >= APIC_FIRST_VECTOR && vector < X86_NR_VECTORS)
		lapic.mask_fn[APIC_HWIRQ(vector)] = fn;
}

/* An NMI input the firmware wired to this CPU's LINT0/1, or masked. */
static uint32_t
lint_setup(unsigned int lint, uint32_t apic_id)
{
	const struct fw_apic_info *fw = lapic.fw;
	uint32_t uid = FW_ID_ALL;

	for (unsigned int i = 0; i < MIN(fw->nr_cpus, (unsigned int)FW_MAX_CPUS); i++)
		if (fw->cpus[i].apic_id == apic_id)
			uid = fw->cpus[i].acpi_uid;
	for (unsigned int i = 0; i < fw->nr_nmis; i++) {
		const struct fw_nmi *n = &fw->nmis[i];

		if (n->lint != lint)
			continue;
		if (n->id == FW_ID_ALL || n->id == (n->by_uid ? uid : apic_id))
			return APIC_DM_NMI | ((n->flags & FW_IRQ_POLARITY) == FW_IRQ_ACTIVE_LOW ?
					      APIC_LVT_ACTIVE_LOW : 0);
	}
	return APIC_LVT_MASKED;
}

/*
 * This CPU's local APIC, from whatever the firmware left: enabled (in
 * x2APIC mode if chosen), all priorities accepted, the 8259's virtual
 * wire (LINT0) cut, NMI inputs as the tables say, errors on their vector,
 * the timer masked until its driver starts it.
 */
static void
lapic_setup_this_cpu(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_EN;
	uint32_t id, maxlvt;

	if (lapic.x2apic)
		base |= APIC_BASE_EXTD;
	wrmsr(MSR_APIC_BASE, base);
	id = lapic_id();
	maxlvt = (lapic_read(APIC_LVR) >> 16) & 0xff;
	lapic_write(APIC_TASKPRI, 0);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	lapic_write(APIC_LVT0, lint_setup(0, id));
	lapic_write(APIC_LVT1, lint_setup(1, id));
	if (maxlvt >= 4)
		lapic_write(APIC_LVTPC, APIC_LVT_MASKED);
	if (maxlvt >= 5)
		lapic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
	lapic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	lapic_write(APIC_ESR, 0);		/* the write latches the errors */
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_SPIV, APIC_SPIV_ENABLED | SPURIOUS_APIC_VECTOR);
	lapic_eoi();				/* whatever the firmware left in service */
}

static int
lapic_cpu_init(struct irq_chip *chip)
{
	lapic_setup_this_cpu();
	return 0;
}

static void
lapic_handle(struct irq_chip *chip, struct arch_regs *regs)
{
	unsigned int vector = x86_regs_vector(regs);

	switch (vector) {
	case SPURIOUS_APIC_VECTOR:
		atomic_inc_relaxed(&lapic.spurious);	/* no EOI for these */
		return;
	case ERROR_APIC_VECTOR:
		lapic_write(APIC_ESR, 0);
		if (atomic_fetch_add(&lapic.errors, 1) < 8)
			pr_err("CPU%u: APIC error, ESR %#x\n", cpu_id(), lapic_read(APIC_ESR));
		lapic_eoi();
		return;
	case RESCHEDULE_VECTOR:
		lapic_eoi();
		smp_ipi_received(IPI_RESCHEDULE);
		return;
	case CALL_FUNCTION_VECTOR:
		lapic_eoi();
		smp_ipi_received(IPI_CALL);
		return;
	case REBOOT_VECTOR:
		lapic_eoi();
		smp_ipi_received(IPI_STOP);
		return;
	default:
		/* The handler first: a level-triggered line must be quiet at the EOI. */
		irq_dispatch(chip, APIC_HWIRQ(vector));
		lapic_eoi();
		return;
	}
}

static void
lapic_mask(struct irq_chip *chip, unsigned int hwirq)
{
	if (hwirq < APIC_NR_HWIRQS && lapic.mask_fn[hwirq])
		lapic.mask_fn[hwirq](APIC_FIRST_VECTOR + hwirq, true);
}

static void
lapic_unmask(struct irq_chip *chip, unsigned int hwirq)
{
	if (hwirq < APIC_NR_HWIRQS && lapic.mask_fn[hwirq])
		lapic.mask_fn[hwirq](APIC_FIRST_VECTOR + hwirq, false);
}

static void
lapic_send_ipi_mask(struct irq_chip *chip, unsigned long targets, unsigned int ipi)
{
	unsigned int cpu;

	if (ipi >= NR_IPIS)
		return;
	for_each_cpu(cpu, targets)
		lapic_send_ipi((uint32_t)cpus[cpu].hwid, ipi_vector[ipi]);
}

static const struct irq_chip_ops lapic_chip_ops = {
	.name = "lapic",
	.handle = lapic_handle,
	.mask = lapic_mask,
	.unmask = lapic_unmask,
	.cpu_init = lapic_cpu_init,
	.send_ipi = lapic_send_ipi_mask,
};

static int
lapic_probe(struct device *dev)
{
	const struct fw_apic_info *fw = x86_apic_info();
	struct irq_chip *root = irq_root_chip();

	if (!fw || !cpu_has(1, 'd', CPUID_1_EDX_APIC)) {
		pr_info("%s: the 8259 keeps the interrupts\n",
			fw ? "this CPU has no local APIC" : "no MADT or MP table");
		return -ENODEV;
	}
	if (root) {
		pr_err("%s is the root interrupt controller already\n", root->ops->name);
		return -EBUSY;
	}
	lapic.fw = fw;
	lapic.x2apic = cpu_has(1, 'c', CPUID_1_ECX_X2APIC) && !cmdline_has("nox2apic");
	if (!lapic.x2apic) {
		lapic.base = ioremap((paddr_t)fw->lapic_addr, 0x1000);
		if (!lapic.base)
			return -ENOMEM;
	}
	if (fw->imcr) {
		/* The IMCR still sends INTR to the 8259: give it to the APIC. */
		outb(IMCR_SELECT, 0x70);
		outb(IMCR_DATA, 0x01);
	}
	lapic_setup_this_cpu();
	lapic.chip = (struct irq_chip){ .ops = &lapic_chip_ops, .nr_irqs = APIC_NR_HWIRQS };
	lapic.active = true;
	if (lapic.x2apic)
		pr_info("x2APIC mode (MSRs), boot CPU APIC ID %#x, version %#x\n", lapic_id(),
			lapic_read(APIC_LVR) & 0xff);
	else
		pr_info("xAPIC mode at %#llx, boot CPU APIC ID %#x, version %#x\n",
			(unsigned long long)fw->lapic_addr, lapic_id(), lapic_read(APIC_LVR) & 0xff);
	return irq_chip_register(&lapic.chip, dev);
}

static const char *const lapic_compatible[] = { "intel,lapic", NULL };

DRIVER(lapic_driver) = {
	.name = "lapic",
	.compatible = lapic_compatible,
	.probe = lapic_probe,
};
