/*
 * x86 boot facts: the multiboot information matches what QEMU was
 * given, the CPU is in the mode head.S set up, the board-table devices
 * bound, and exceptions are decoded.  Paging itself: mmu_test.c.
 */
#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <asm/io.h>
#include <asm/segment.h>
#ifdef CONFIG_IRQCHIP_APIC
#include <asm/apic.h>
#endif
#include <asm/x86.h>
#include <kernel/cmdline.h>
#include <kernel/device.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/time.h>
#include <kernel/trap.h>
#include "../internal.h"

extern char __image_start[], _end[];

static volatile unsigned int com1_irqs;

static uint64_t
usable_total(void)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < boot_info->nr_mem; i++)
		total += boot_info->mem[i].size;
	return total;
}

KTEST(multiboot, memory_map_matches_qemu)
{
	/* All of it, RAM above 4 GiB on i386 too (the core leaves it unused). */
	uint64_t want, total = usable_total();

	KASSERT(cmdline_u64("ktest.mem", &want) == 0);
	/* The firmware keeps a few hundred KiB (BIOS, ACPI tables) of -m. */
	KEXPECT_OP(total, <=, want);
	KEXPECT_OP(total, >=, want - 4 * 1024 * 1024);
}

KTEST(multiboot, kernel_in_usable_memory)
{
	uintptr_t start = virt_to_phys(__image_start), end = virt_to_phys(_end);
	bool inside = false;

	KEXPECT_EQ(start, 0x100000);
	KEXPECT_EQ((uintptr_t)__image_start, KERNEL_VIRT_BASE + 0x100000);
	for (unsigned int i = 0; i < boot_info->nr_mem; i++) {
		const struct mem_region *m = &boot_info->mem[i];

		if (start >= m->base && end <= m->base + m->size)
			inside = true;
	}
	KEXPECT(inside);
}

KTEST(multiboot, command_line_and_loader)
{
	/* QEMU passes "<kernel path> <-append>"; the path is not an argument. */
	KASSERT(boot_info->cmdline != NULL);
	KEXPECT(strncmp(boot_info->cmdline, "ktest.", 6) == 0);
	KEXPECT(strstr(multiboot_image_name(), "kernel") != NULL);
	KEXPECT_STREQ(cmdline_get(), boot_info->cmdline);
	KASSERT(boot_info->loader != NULL);
	KEXPECT_STREQ(boot_info->loader, "qemu");
}

/*
 * The module is arch/x86/tests/initrd.txt (ktest.initrd=<its size>) or
 * the test initramfs (ktest.initramfs; its size is known only at build
 * time), in the linear map either way.
 */
KTEST(multiboot, initrd_module)
{
	bool initramfs = cmdline_has("ktest.initramfs");
	uint64_t want = 0;
	const char *text;

	if (cmdline_u64("ktest.initrd", &want) != 0 && !initramfs)
		KTEST_SKIP("this run passes no -initrd");
	KASSERT(boot_info->initrd_size != 0);
	if (want)
		KEXPECT_EQ(boot_info->initrd_size, want);
	/* Page-aligned, as the header asks, and clear of the kernel's bss. */
	KEXPECT(IS_ALIGNED(boot_info->initrd_base, 4096));
	KEXPECT_OP(boot_info->initrd_base, >=, virt_to_phys(_end));
	text = phys_to_virt((paddr_t)boot_info->initrd_base);
	if (initramfs) {
		/*
		 * More than 3 MiB of cpio (tests/initramfs/); its pages went
		 * back to the allocator once unpacked, so only the size is left
		 * to check here (fs/tests/initramfs_test.c checks the files).
		 */
		KEXPECT_OP(boot_info->initrd_size, >, 3u << 20);
	} else {
		KEXPECT(strncmp(text, "Kite multiboot module:", 22) == 0);
	}
}

KTEST(x86, cpu_mode)
{
	unsigned long cr0 = read_cr(0);
	uint16_t cs;

	__asm__ __volatile__("mov %%cs, %0" : "=r"(cs));
	KEXPECT_EQ(cs, KERNEL_CS);
	KEXPECT(cr0 & CR0_PE);
	/* Paged, PAE entries on both, and read-only pages bind the kernel. */
	KEXPECT(cr0 & CR0_PG);
	KEXPECT(cr0 & CR0_WP);
	KEXPECT(read_cr(4) & CR4_PAE);
	KEXPECT_EQ(!!(read_cr(4) & CR4_PGE), cpu_has(1, 'd', CPUID_1_EDX_PGE));
#ifdef __x86_64__
	uint64_t efer = rdmsr(MSR_EFER);

	KEXPECT(efer & EFER_LME);
	KEXPECT(efer & EFER_LMA);
	KEXPECT_EQ(!!(efer & EFER_NXE), cpu_has(0x80000001, 'd', CPUID_81_EDX_NX));
#endif
}

KTEST(x86, no_execute_available)
{
#ifdef __x86_64__
	/* QEMU's default qemu64 model has NX; head.S must have enabled it. */
	KEXPECT(cpu_has(0x80000001, 'd', CPUID_81_EDX_NX));
#else
	if (!cpu_has(0x80000001, 'd', CPUID_81_EDX_NX))
		KTEST_SKIP("this CPU has no NX (QEMU's qemu32; the -nx variants have it)");
#endif
	KEXPECT(rdmsr(MSR_EFER) & EFER_NXE);
}

/* The APICs run the interrupts (CONFIG_SMP, firmware tables), or the 8259. */
static bool
apic_mode(void)
{
#ifdef CONFIG_IRQCHIP_APIC
	return lapic_active();
#else
	return false;
#endif
}

KTEST(pc, devices_from_board_table)
{
	const struct device *uart = device_find("pnp,PNP0501");
	const struct device *pic = device_find("intel,8259");
	const struct device *pit = device_find("intel,8254");
	const struct device *tsc = device_find("x86,tsc");
	const struct irq_chip *root = irq_root_chip();

	KASSERT(uart && pic && pit && tsc);
	KEXPECT_EQ(uart->state, DEVICE_BOUND);
	KEXPECT_EQ(uart->reg[0].start, 0x3f8);
	KEXPECT(device_is_console(uart));
	KEXPECT_EQ(pic->state, DEVICE_BOUND);	/* masked, in APIC mode */
	KEXPECT_EQ(pit->state, DEVICE_BOUND);
	KEXPECT_EQ(tsc->state, DEVICE_BOUND);
	KASSERT(root != NULL);
	KEXPECT_STREQ(root->ops->name, apic_mode() ? "lapic" : "i8259");
	/* ISA numbers either way: the I/O APICs give IRQ n the 8259's vector. */
	KEXPECT_EQ(device_irq(pit, 0), 0);
	KEXPECT_EQ(device_irq(uart, 0), 4);
#ifdef CONFIG_IRQCHIP_APIC
	if (apic_mode()) {
		const struct device *io = device_find("intel,ioapic");

		KASSERT(io != NULL);
		KEXPECT_EQ(io->state, DEVICE_BOUND);
		KEXPECT_EQ(device_find("intel,lapic-timer")->state, DEVICE_BOUND);
	}
#endif
}

KTEST(pc, tick_interrupts_counted)
{
	const struct device *pit = device_find("intel,8254");
	uint64_t end = ktest_deadline(4 * NSEC_PER_SEC / CONFIG_HZ);
	unsigned int irq;
	uint64_t before, j0;

	KASSERT(pit != NULL);
	/* The tick: each CPU's local APIC timer, or the PIT on IRQ 0. */
#ifdef CONFIG_IRQCHIP_APIC
	if (apic_mode()) {
		KEXPECT_STREQ(clockevent_current()->name, "lapic");
		KEXPECT(clockevent_current()->per_cpu);
		irq = irq_of(irq_root_chip(), APIC_HWIRQ(LOCAL_TIMER_VECTOR));
	} else
#endif
	{
		KEXPECT_STREQ(clockevent_current()->name, "i8254");
		irq = (unsigned int)device_irq(pit, 0);
	}
	before = irq_count(irq);
	KEXPECT_OP(before, >, 0);
	j0 = jiffies_read();
	/*
	 * Interrupts (of any CPU), and jiffies (CPU 0's ticks) moving: not
	 * one per interrupt, as a late local APIC interrupt makes up ticks.
	 */
	while ((irq_count(irq) < before + 2 || jiffies_read() == j0) && time_ns() < end)
		arch_wait_for_irq();
	KEXPECT_OP(irq_count(irq), >=, before + 2);
	KEXPECT_OP(jiffies_read(), >, j0);
}

/* COM1's THR-empty interrupt: acknowledged (IIR read) and turned off. */
static void
com1_irq(unsigned int irq, void *arg)
{
	uint16_t base = (uint16_t)(uintptr_t)arg;

	(void)inb(base + 2);			/* IIR: clears THRE as the source */
	outb(base + 1, 0);			/* IER: once is enough */
	com1_irqs++;
}

KTEST(pc, com1_interrupt_arrives)
{
	/*
	 * The console polls, so this asks COM1 for an interrupt itself (THR
	 * empty, which it is): IRQ 4 must arrive through whichever controller
	 * runs, the 8259 or an I/O APIC pin.
	 */
	const struct device *uart = device_find("pnp,PNP0501");
	uint64_t end = ktest_deadline(20 * NSEC_PER_MSEC);
	uint16_t base;
	uint8_t mcr;
	int irq;

	KASSERT(uart != NULL);
	base = (uint16_t)uart->reg[0].start;
	irq = device_irq(uart, 0);
	KASSERT(irq >= 0);
	com1_irqs = 0;
	KASSERT(irq_request((unsigned int)irq, com1_irq, (void *)(uintptr_t)base, "ktest-com1") == 0);
	mcr = inb(base + 4);
	outb(base + 4, mcr | 0x08);		/* OUT2: the PC gates the IRQ with it */
	outb(base + 1, 0x02);			/* IER: THR empty */
	while (!com1_irqs && time_ns() < end)
		arch_wait_for_irq();
	outb(base + 1, 0);
	outb(base + 4, mcr);
	irq_free((unsigned int)irq);
	KEXPECT_OP(com1_irqs, >, 0);
	KEXPECT_OP(irq_count((unsigned int)irq), >=, com1_irqs);
}

KTEST(pc, tsc_calibrated)
{
	const struct clocksource *cs = clocksource_current();
	const uint64_t hz = time_count_hz();
	uint64_t freq, ppm, diff;

	KASSERT(cs != NULL);
	KEXPECT_STREQ(cs->name, "tsc");
	/* Anything from a 100 MHz to a 10 GHz counter is believable. */
	KEXPECT_OP(hz, >, 100000000);
	KEXPECT_OP(hz, <, 10000000000ull);
	/*
	 * Measured again, it agrees: within 0.1% in virtual time; within
	 * 10% on host time, which the bracketed readings keep however
	 * loaded the host (the polling it replaced was up to 3x off).
	 */
	KASSERT(x86_tsc_calibrate(&freq, &ppm) == 0);
	diff = freq > hz ? freq - hz : hz - freq;
	if (ktest_strict_timing()) {
		KEXPECT_OP(diff, <, hz / 1000);
		KEXPECT_OP(ppm, <, 1000);
	} else {
		KEXPECT_OP(diff, <, hz / 10);
	}
}

KTEST(x86, invalid_opcode_decoded)
{
	struct trap_report r;

	trap_expect(TRAP_UNDEFINED);
	arch_trigger_undefined();
	KASSERT(trap_expect_end(&r));
	KEXPECT_STREQ(r.vector, "#UD invalid opcode");
	KEXPECT_STREQ(r.code_name, "vector");
	KEXPECT_EQ(r.code, 6);
	KEXPECT(extable_fixup(r.pc) != 0);
}

KTEST(x86, divide_error_decoded)
{
	struct trap_report r;

	trap_expect(TRAP_DIVIDE);
	x86_trigger_divide();
	KASSERT(trap_expect_end(&r));
	KEXPECT_STREQ(r.vector, "#DE divide error");
	KEXPECT_EQ(r.code, 0);
}

KTEST(x86, general_protection_selector_decoded)
{
	struct trap_report r;

	/* GDT index 0x247 is far past the table's limit. */
	trap_expect(TRAP_PROTECTION);
	x86_trigger_gp_selector(0x1238);
	KASSERT(trap_expect_end(&r));
	KEXPECT_STREQ(r.vector, "#GP general protection");
	KEXPECT_STREQ(r.code_name, "error code");
	KEXPECT_EQ(r.code, 0x1238);
	KASSERT(r.detail != NULL);
	KEXPECT(strstr(r.detail, "GDT selector 0x1238 (index 0x247") != NULL);
}

KTEST(x86, page_fault_decoded)
{
	struct trap_report r;
	const uintptr_t unmapped = USER_TOP / 2 + 0x1234;	/* nothing in the user half */

	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(x86_probe_read(unmapped), (uintptr_t)-1);
	KASSERT(trap_expect_end(&r));
	KEXPECT_STREQ(r.vector, "#PF page fault");
	KEXPECT(r.addr_valid);
	KEXPECT_EQ(r.addr, unmapped);
	KEXPECT_EQ(r.code, 0);		/* not present, read, kernel */
	KASSERT(r.detail != NULL);
	KEXPECT(strstr(r.detail, "page not present, read, kernel mode") != NULL);
	KEXPECT(strstr(r.detail, "kernel access to user address") != NULL);
}
