/*
 * ARMv6-M port tests: the vector table, HardFault decoding, PRIMASK,
 * the NVIC chip (external lines, and SysTick as its pseudo-interrupt),
 * the SysTick clock source across wraps, and the boot stack's headroom.
 */
#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/cmdline.h>
#include <drivers/nvic.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/trap.h>
#include "../armv6m.h"

extern const uint32_t armv6m_vectors[48];
void armv6m_reset(void);
void armv6m_hardfault_entry(void);
void armv6m_irq_entry(void);
uint32_t armv6m_test_load(uintptr_t addr);
void armv6m_test_store16(uintptr_t base, uint32_t off, uint32_t v);

#define THUMB_ADDR(fn)	((uintptr_t)(fn) & ~(uintptr_t)1)
/* Interrupts irq_count() adds for n taken: none without CONFIG_IRQ_STATS. */
#define STATS(n)	(IS_ENABLED(CONFIG_IRQ_STATS) ? (uint64_t)(n) : 0)

KTEST(armv6m, vector_table)
{
	/*
	 * The core loads SP and PC from here: Thumb bit set on handlers.  At
	 * the start of flash, or after an RP2040's 256-byte boot2.
	 */
	KEXPECT_EQ((uintptr_t)armv6m_vectors,
		   (uintptr_t)__flash_start + (IS_ENABLED(CONFIG_SOC_RP2040) ? 256 : 0));
	KEXPECT_EQ(armv6m_vectors[0], (uintptr_t)__irq_stack_top);	/* MSP */
	KEXPECT_EQ(armv6m_vectors[1], (uintptr_t)armv6m_reset);
	KEXPECT_EQ(armv6m_vectors[3], (uintptr_t)armv6m_hardfault_entry);
	KEXPECT_EQ(armv6m_vectors[15], (uintptr_t)armv6m_irq_entry);	/* SysTick */
	for (unsigned int i = 16; i < 48; i++)			/* external lines */
		KEXPECT_EQ(armv6m_vectors[i], (uintptr_t)irq_handle_line);
	for (unsigned int i = 1; i < 48; i++)
		KEXPECT_EQ(armv6m_vectors[i] & 1, 1);
	KEXPECT_EQ((uintptr_t)__stack_top & 7, 0);
	KEXPECT_EQ((uintptr_t)__irq_stack_top & 7, 0);
}

/* [p, p + n) lies inside one reserved range named "command line". */
static bool
cmdline_reserved(const char *p, size_t n)
{
	for (unsigned int i = 0; i < boot_info->nr_reserved; i++) {
		const struct mem_region *r = &boot_info->reserved[i];

		if (r->what && strcmp(r->what, "command line") == 0 && (uintptr_t)p >= r->base &&
		    (uintptr_t)p + n <= r->base + r->size)
			return true;
	}
	return false;
}

KTEST(armv6m, boot_info_from_board)
{
	uint64_t mem = 0;

	KEXPECT_STREQ(boot_info->machine, board_model);
	KASSERT(boot_info->nr_mem == 1);
	KEXPECT_EQ(boot_info->mem[0].base, CONFIG_ARMV6M_RAM_BASE);
	KEXPECT_EQ(boot_info->mem[0].size, CONFIG_ARMV6M_RAM_SIZE);
	/* The runner's -append (ktest.mem=<the board's RAM>) arrives through semihosting. */
	KASSERT(boot_info->cmdline != NULL);
	KEXPECT_EQ(cmdline_u64("ktest.mem", &mem), 0);
	KEXPECT_EQ(mem, CONFIG_ARMV6M_RAM_SIZE);
	KEXPECT(boot_info->fdt == NULL);
	/*
	 * It was written into the first free RAM and is kept there, not
	 * copied: its bytes are reserved, so the heap never hands them out.
	 */
	KEXPECT(cmdline_get() == boot_info->cmdline);
	KEXPECT_EQ((uintptr_t)boot_info->cmdline, (uintptr_t)__bss_end);
	KEXPECT(cmdline_reserved(boot_info->cmdline, strlen(boot_info->cmdline) + 1));
}

KTEST(armv6m, hardfault_decodes_udf)
{
	struct trap_report r;

	trap_expect(TRAP_UNDEFINED);
	arch_trigger_undefined();
	KASSERT(trap_expect_end(&r));
	KEXPECT_STREQ(r.vector, "HardFault");
	KEXPECT_STREQ(r.code_name, "xPSR/EXC_RETURN");
	/* The stacked PC is the UDF itself: halfword address, no Thumb bit. */
	KEXPECT_EQ(r.pc, THUMB_ADDR(arch_trigger_undefined));
	KEXPECT_EQ(r.code & 0xffffffff, 0xfffffffd);	/* Thread mode, PSP */
	KEXPECT((r.code >> 32) & XPSR_T);
	KEXPECT_EQ(XPSR_EXCEPTION(r.code >> 32), 0);	/* from Thread mode */
	KASSERT(r.detail != NULL);
	KEXPECT(strstr(r.detail, "UDF #0 (de00)") != NULL);
	/* ARMv7-M: CFSR.UNDEFINSTR, escalated to HardFault (HFSR.FORCED). */
	KEXPECT(strstr(r.detail, armv6m_core_is_v7m ? "CFSR 0x10000, HFSR 0x40000000" :
						     "no CFSR") != NULL);
	KEXPECT(!r.addr_valid);
}

KTEST(armv6m, hardfault_decodes_bus_error)
{
	/* Nothing answers at 0x30000000 on the nRF51 or in QEMU's model. */
	const uintptr_t bad = 0x30000000;
	struct trap_report r;

	trap_expect(TRAP_DATA_ABORT);
	armv6m_test_load(bad - 4);
	KASSERT(trap_expect_end(&r));
	KEXPECT_EQ(r.kind, TRAP_DATA_ABORT);
	KEXPECT(r.addr_valid);
	KEXPECT_EQ(r.addr, bad);
	KEXPECT_EQ(r.pc, THUMB_ADDR(armv6m_test_load));
	KASSERT(r.detail != NULL);
	KEXPECT(strstr(r.detail, "bus error on 4-byte read at 0x30000000") != NULL);
	if (armv6m_core_is_v7m)		/* PRECISERR with the address in BFAR */
		KEXPECT(strstr(r.detail, "CFSR 0x8200, HFSR 0x40000000, BFAR 0x30000000") != NULL);
}

KTEST(armv6m, hardfault_decodes_unaligned_store)
{
	/* ARMv6-M has no unaligned access at all: a halfword at an odd address. */
	uint32_t buf[2] = { 0, 0 };
	uintptr_t base = (uintptr_t)buf;
	struct trap_report r;

	trap_expect(TRAP_ALIGNMENT);
	armv6m_test_store16(base, 3, 0xffff);
	KASSERT(trap_expect_end(&r));
	KEXPECT(r.addr_valid);
	KEXPECT_EQ(r.addr, base + 3);
	KASSERT(r.detail != NULL);
	KEXPECT(strstr(r.detail, "unaligned 2-byte write") != NULL);
	/* A Cortex-M3 says so too: CFSR.UNALIGNED, escalated (HFSR.FORCED). */
	if (armv6m_core_is_v7m)
		KEXPECT(strstr(r.detail, "CFSR 0x1000000, HFSR 0x40000000") != NULL);
	KEXPECT_EQ(buf[0], 0);		/* the store did not happen */
	KEXPECT_EQ(buf[1], 0);
}

KTEST(armv6m, primask_nests)
{
	unsigned long outer, inner;

	KASSERT(arch_irqs_enabled());
	outer = arch_irq_save();
	KEXPECT(!arch_irqs_enabled());
	inner = arch_irq_save();
	KEXPECT(!arch_irqs_enabled());
	arch_irq_restore(inner);
	KEXPECT(!arch_irqs_enabled());		/* the inner restore keeps them off */
	arch_irq_restore(outer);
	KEXPECT(arch_irqs_enabled());
	KEXPECT_EQ(outer & PRIMASK_PM, 0);
	KEXPECT_EQ(inner & PRIMASK_PM, PRIMASK_PM);
}

/* Busy-wait on the clock source for n tick periods. */
static void
spin_periods(unsigned int n)
{
	uint64_t end = time_ns() + n * (NSEC_PER_SEC / CONFIG_HZ);

	while (time_ns() < end)
		;
}

KTEST(armv6m, tick_held_while_masked)
{
	uint64_t j0;
	unsigned long flags;

	flags = arch_irq_save();
	j0 = jiffies_read();
	spin_periods(3);
	KEXPECT_EQ(jiffies_read(), j0);
	arch_irq_restore(flags);
	isb();
	/*
	 * The pended SysTick is taken as soon as PRIMASK clears: one tick
	 * for the three periods (a second only if the host stalled us).
	 */
	KEXPECT_OP(jiffies_read(), >=, j0 + 1);
	KEXPECT_OP(jiffies_read(), <=, j0 + 2);
}

KTEST(armv6m, board_devices_bound)
{
	const struct board_device *con = NULL;
	const struct device *uart, *nvic = device_find("arm,v6m-nvic");
	const struct device *systick = device_find("arm,armv6m-systick");
	const struct irq_chip *root = irq_root_chip();

	for (size_t i = 0; i < board_devices_count; i++)
		if (board_devices[i].console)
			con = &board_devices[i];
	KASSERT(con != NULL);
	uart = device_find(con->compatible);
	KEXPECT_EQ(device_count(), board_devices_count);
	for (unsigned int i = 0; i < device_count(); i++)
		KEXPECT_EQ(device_at(i)->state, DEVICE_BOUND);
	KASSERT(uart && nvic && systick && root);
	KEXPECT(device_is_console(uart));
	KEXPECT_STREQ(root->ops->name, "nvic");
	KEXPECT_EQ(root->nr_irqs, NVIC_NR_IRQS);
	KEXPECT(irq_chip_of(nvic) == root);
	for (unsigned int i = 0; i < con->nr_irq; i++)
		KEXPECT_EQ(device_irq(uart, i), con->irq[i]);
	KEXPECT_EQ(device_irq(systick, 0), NVIC_IRQ_SYSTICK);
	KEXPECT_STREQ(clocksource_current()->name, "systick");
	KEXPECT_STREQ(clockevent_current()->name, "systick");
}

KTEST(nvic, systick_counts_and_masks_lazily)
{
	const unsigned int irq = NVIC_IRQ_SYSTICK;
	uint64_t c0 = irq_count(irq), j0 = jiffies_read();

	while (jiffies_read() < j0 + 2)
		arch_wait_for_irq();
	KEXPECT_OP(irq_count(irq) - c0, >=, IS_ENABLED(CONFIG_IRQ_STATS) ? 2u : 0u);

	/* Masked at the chip: ticks arrive but are held back, not lost. */
	irq_mask(irq);
	j0 = jiffies_read();
	spin_periods(3);
	KEXPECT_EQ(jiffies_read(), j0);
	irq_unmask(irq);
	isb();
	KEXPECT_OP(jiffies_read(), >=, j0 + 1);		/* the held tick, replayed */
	KEXPECT_OP(jiffies_read(), <=, j0 + 2);
	j0 = jiffies_read();
	while (jiffies_read() < j0 + 2)
		arch_wait_for_irq();
}

/*
 * Tickless idle: while the test thread sleeps half a second and nothing
 * else runs, SysTick interrupts a few times (its 24-bit reach is about a
 * second) instead of fifty, and time and jiffies still come out right.
 */
KTEST(nvic, tickless_idle)
{
#ifdef CONFIG_TICKLESS_IDLE
	const uint64_t tick_ns = NSEC_PER_SEC / CONFIG_HZ, sleep_ns = 500 * NSEC_PER_MSEC;
	uint64_t c0, j0, t0, ticks, jiffs, passed;

	/*
	 * Leaving idle sets jiffies from the time since the tick started, so
	 * ticks lost earlier (tests that mask interrupts for periods) are
	 * made up then: a first sleep does that before the measured one.
	 */
	thread_sleep_ns(5 * tick_ns);
	c0 = irq_count(NVIC_IRQ_SYSTICK);
	j0 = jiffies_read();
	t0 = time_ns();
	thread_sleep_ns(sleep_ns);
	ticks = irq_count(NVIC_IRQ_SYSTICK) - c0;
	jiffs = jiffies_read() - j0;
	passed = time_ns() - t0;
	printk(KERN_RAW "# %llu SysTick interrupts and %llu jiffies in %llu us asleep\n",
	       (unsigned long long)ticks, (unsigned long long)jiffs,
	       (unsigned long long)(passed / 1000));
	KEXPECT_OP(passed, >=, sleep_ns);
	KEXPECT_OP(ticks, <=, 6);	/* 0 without CONFIG_IRQ_STATS: shown by the jiffies */
	/* jiffies follow the time that passed, whatever the host did meanwhile. */
	KEXPECT_OP(jiffs + 2, >=, passed / tick_ns);
	KEXPECT_OP(jiffs, <=, passed / tick_ns + 2);
	/* And the periodic tick is back. */
	j0 = jiffies_read();
	c0 = irq_count(NVIC_IRQ_SYSTICK);
	spin_periods(3);
	KEXPECT_OP(irq_count(NVIC_IRQ_SYSTICK) - c0, >=, IS_ENABLED(CONFIG_IRQ_STATS) ? 2u : 0u);
	KEXPECT_OP(jiffies_read() - j0, >=, 2);
#else
	KTEST_SKIP("CONFIG_TICKLESS_IDLE is off");
#endif
}

/*
 * Ctrl-T typed on the console prints the thread list (kite_ps), from the
 * UART's receive interrupt: the runner types it when asked (ktest.input).
 * The wait has no time limit (when the byte comes depends on the host);
 * if it never does, the run ends at the runner's timeout.
 */
KTEST(armv6m, status_key_prints_threads)
{
	unsigned long n0 = console_status_requests();

	if (!cmdline_has("ktest.input"))
		KTEST_SKIP("no ktest.input: nobody types on the serial line");
	printk(KERN_RAW "# ktest-input: 14\n");
	while (console_status_requests() == n0)
		thread_sleep_ns(NSEC_PER_SEC / CONFIG_HZ);
	KEXPECT_EQ(console_status_requests(), n0 + 1);
}

static volatile unsigned int line_hits;
static volatile unsigned int line_exception;

static void
line_handler(unsigned int irq, void *arg)
{
	line_hits++;
	line_exception = read_special(ipsr) & 0x3f;
}

KTEST(nvic, external_line_dispatched)
{
	/* Line 31 has no peripheral on the nRF51: pend it by software. */
	const unsigned int line = 31;
	const struct device *nvic = device_find("arm,v6m-nvic");
	uintptr_t ispr;
	uint64_t count0 = irq_count(line);

	KASSERT(nvic != NULL);
	ispr = nvic->reg[0].start + 0x100;	/* NVIC_ISPR */
	line_hits = 0;
	KASSERT(irq_request(line, line_handler, NULL, "ktest") == 0);
	mmio_write32(ispr, 1u << line);
	isb();
	KEXPECT_EQ(line_hits, 1);
	KEXPECT_EQ(line_exception, 16 + line);

	/* Masked at the NVIC it stays pending, and arrives on unmask. */
	irq_mask(line);
	mmio_write32(ispr, 1u << line);
	isb();
	KEXPECT_EQ(line_hits, 1);
	irq_unmask(line);
	isb();
	KEXPECT_EQ(line_hits, 2);
	KEXPECT_EQ(irq_count(line), count0 + STATS(2));
	irq_free(line);
	KEXPECT_EQ(mmio_read32(ispr) & (1u << line), 0);
}

KTEST(nvic, unhandled_line_masked)
{
	/* Enabled with no handler: counted as spurious and masked, once. */
	const unsigned int line = 31;
	const struct device *nvic = device_find("arm,v6m-nvic");
	uintptr_t iser, ispr;
	uint64_t spurious0 = irq_spurious_count(), count0 = irq_count(line);

	KASSERT(nvic != NULL);
	iser = nvic->reg[0].start;		/* NVIC_ISER: reads the enables */
	ispr = nvic->reg[0].start + 0x100;	/* NVIC_ISPR */
	irq_unmask(line);
	KEXPECT_OP(mmio_read32(iser) & (1u << line), !=, 0u);
	mmio_write32(ispr, 1u << line);
	isb();
	KEXPECT_EQ(irq_spurious_count(), spurious0 + 1);
	KEXPECT_EQ(irq_count(line), count0 + STATS(1));
	KEXPECT_EQ(mmio_read32(iser) & (1u << line), 0);
	/* Masked, a second pend stays pending and reaches no handler. */
	mmio_write32(ispr, 1u << line);
	isb();
	KEXPECT_EQ(irq_spurious_count(), spurious0 + 1);
	KEXPECT_OP(mmio_read32(ispr) & (1u << line), !=, 0u);
	mmio_write32(ispr + 0x80, 1u << line);	/* NVIC_ICPR: leave it clean */
	KEXPECT_EQ(mmio_read32(ispr) & (1u << line), 0);
}

/*
 * The handler table (CONFIG_NR_IRQ_HANDLERS entries, a byte a number):
 * fill it from the lines no board here wires (20-31: the nRF51's
 * software interrupts and the unwired tail, the AN385's per-pin GPIO
 * lines), each masked at once with PRIMASK held so nothing arrives;
 * the request after the last fails with -ENOSPC, a taken line says
 * -EBUSY, a freed entry serves another number, and a number's count
 * outlives its handler.
 */
KTEST(nvic, handler_table_fills_and_reuses)
{
	const struct device *nvic = device_find("arm,v6m-nvic");
	unsigned int taken[CONFIG_NR_IRQ_HANDLERS], n = 0, line;
	int err = 0;
	uintptr_t ispr;
	uint64_t count0;

	KASSERT(nvic != NULL);
	ispr = nvic->reg[0].start + 0x100;	/* NVIC_ISPR */
	for (line = 31; line >= 20 && n < CONFIG_NR_IRQ_HANDLERS; line--) {
		unsigned long flags = arch_irq_save();

		err = irq_request(line, line_handler, NULL, "ktest-fill");
		if (err == 0)
			irq_mask(line);
		arch_irq_restore(flags);
		if (err)
			break;
		taken[n++] = line;
	}
	KEXPECT_EQ(err, -ENOSPC);
	KASSERT(n > 0 && err == -ENOSPC);
	KEXPECT_EQ(irq_request(taken[0], line_handler, NULL, "ktest"), -EBUSY);

	/* An entry freed serves the number that could not have one. */
	irq_free(taken[n - 1]);
	{
		unsigned long flags = arch_irq_save();

		KEXPECT_EQ(irq_request(line, line_handler, NULL, "ktest-reuse"), 0);
		irq_mask(line);
		arch_irq_restore(flags);
	}
	taken[n - 1] = line;

	/* Delivered to the reused entry's handler; counted per number. */
	count0 = irq_count(line);
	line_hits = 0;
	irq_unmask(line);
	mmio_write32(ispr, 1u << line);
	isb();
	KEXPECT_EQ(line_hits, 1);
	KEXPECT_EQ(line_exception, 16 + line);
	for (unsigned int i = 0; i < n; i++)
		irq_free(taken[i]);
	KEXPECT_EQ(irq_count(line), count0 + STATS(1));
	/* All free again: a request finds an entry at once. */
	KEXPECT_EQ(irq_request(31, line_handler, NULL, "ktest"), 0);
	irq_free(31);
}

KTEST(systick, monotonic_across_wraps_masked)
{
	const struct clocksource *cs = clocksource_current();
	const uint64_t period = time_count_hz() / CONFIG_HZ;
	uint64_t first, prev, now, j0;
	unsigned long flags;
	unsigned int reads = 0;

	KASSERT(cs != NULL);
	flags = arch_irq_save();
	j0 = jiffies_read();
	first = prev = arch_cycles();
	do {
		now = arch_cycles();
		if (now < prev) {
			arch_irq_restore(flags);
			KASSERT(now >= prev);
		}
		prev = now;
		reads++;
	} while (now - first < 8 * period);
	KEXPECT_EQ(jiffies_read(), j0);		/* no tick ran: truly masked */
	arch_irq_restore(flags);
	isb();
	KEXPECT_OP(jiffies_read(), >, j0);
	KEXPECT_OP(reads, >, 8);
	printk(KERN_RAW "# %u reads across 8 SysTick periods of %llu cycles\n", reads,
	       (unsigned long long)period);
}

KTEST(armv6m, stack_headroom)
{
	size_t size = (size_t)(__stack_top - __stack_bottom);
	size_t used = armv6m_stack_used(__stack_bottom, __stack_top);
	size_t irq_size = (size_t)(__irq_stack_top - __irq_stack_bottom);
	size_t irq_used = armv6m_stack_used(__irq_stack_bottom, __irq_stack_top);

	printk(KERN_RAW "# boot stack (main): %u of %u bytes used so far, "
	       "handlers' stack: %u of %u\n", (unsigned int)used, (unsigned int)size,
	       (unsigned int)irq_used, (unsigned int)irq_size);
	/* Room for a printk more on main, a nested interrupt on the handlers'. */
	KEXPECT_OP(used, >, 0);
	KEXPECT_OP(used + 512, <=, size);
	KEXPECT_OP(irq_used, >, 0);
	KEXPECT_OP(irq_used + 128, <=, irq_size);
}
