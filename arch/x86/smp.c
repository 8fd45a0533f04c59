/*
 * x86 SMP bring-up (<arch/smp.h>): the CPUs are the firmware's local
 * APICs (firmware.c), started one at a time by INIT-SIPI-SIPI into the
 * real-mode trampoline (trampoline.S), which takes each to the kernel's
 * page tables and x86_secondary_main() here.  The trampoline's pages
 * below 1 MiB are reserved at boot, before the page allocator exists.
 *
 * The trampoline pages and their mailbox are written only by the boot
 * CPU, one start at a time (the core waits for each CPU, or gives up on
 * it, before starting the next); a CPU reads its mailbox before it is
 * online, and one arriving after the boot CPU gave up on it finds
 * another CPU's APIC ID there and halts.
 */
#define pr_fmt(fmt) "smp: " fmt

#include <stddef.h>
#include <string.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/firmware.h>
#include <asm/segment.h>
#include <asm/x86.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include "internal.h"
#include "percpu.h"
#include "pgtable.h"
#include "trampoline.h"

#define LOW_MEMORY_END		0x100000	/* a STARTUP IPI names a page below 1 MiB */
#define INIT_DELAY_US		10000		/* Intel SDM 8.4.4.1, MP spec B.4 */
#define STARTUP_DELAY_US	200

/* The mailbox at TR_DATA, as trampoline.S and {32,64}/head.S read it. */
struct trampoline_data {
	uint64_t entry;
	uint64_t kernel_cr3;
	uint64_t stack;
	uint32_t pgd, cr0, cr4, efer, cpu, apic_id;
	uint32_t jump32[2];
	uint32_t jump64[2];
	uint16_t pad;
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint64_t gdt[4];
} __packed;

_Static_assert(offsetof(struct trampoline_data, kernel_cr3) == TR_KERNEL_CR3 - TR_DATA, "mailbox");
_Static_assert(offsetof(struct trampoline_data, stack) == TR_STACK - TR_DATA, "mailbox");
_Static_assert(offsetof(struct trampoline_data, pgd) == TR_PGD - TR_DATA, "mailbox");
_Static_assert(offsetof(struct trampoline_data, efer) == TR_EFER - TR_DATA, "mailbox");
_Static_assert(offsetof(struct trampoline_data, apic_id) == TR_APIC_ID - TR_DATA, "mailbox");
_Static_assert(offsetof(struct trampoline_data, jump32) == TR_JUMP32 - TR_DATA, "mailbox");
_Static_assert(offsetof(struct trampoline_data, jump64) == TR_JUMP64 - TR_DATA, "mailbox");
_Static_assert(offsetof(struct trampoline_data, gdt_limit) == TR_GDTR - TR_DATA, "mailbox");
_Static_assert(offsetof(struct trampoline_data, gdt) == TR_GDT - TR_DATA, "mailbox");
_Static_assert(sizeof(struct trampoline_data) == TR_DATA_END - TR_DATA, "mailbox");

extern const char x86_trampoline[], x86_trampoline_32[], x86_trampoline_end[];
#ifdef __x86_64__
extern const char x86_trampoline_64[];
#endif
void x86_secondary_startup(void);
__noreturn void x86_secondary_main(unsigned int cpu);

static paddr_t trampoline_pa;		/* 0: no low memory for it */

void
x86_trampoline_reserve(struct boot_info *bi)
{
	uint64_t pa = x86_boot_free_run(bi, TRAMPOLINE_PAGES * PAGE_SIZE, LOW_MEMORY_END);

	if (!pa) {
		pr_warn("no free pages below 1 MiB for the trampoline: the boot CPU runs alone\n");
		return;
	}
	boot_mem_reserve(bi, pa, TRAMPOLINE_PAGES * PAGE_SIZE, "SMP trampoline");
	trampoline_pa = (paddr_t)pa;
}

unsigned int
arch_smp_enumerate(uint64_t *hwids, unsigned int max)
{
	const struct fw_apic_info *fw = x86_apic_info();
	uint32_t me;
	unsigned int n = 1;
	bool listed = false;

	if (!fw || !lapic_active())
		return 0;
	me = lapic_id();
	if (max)
		hwids[0] = me;
	for (unsigned int i = 0; i < MIN(fw->nr_cpus, (unsigned int)FW_MAX_CPUS); i++) {
		uint32_t id = fw->cpus[i].apic_id;

		if (id == me) {
			listed = true;
			continue;
		}
		if (id >= 0xff && !lapic_x2apic()) {
			pr_warn("APIC ID %#x needs x2APIC mode: that CPU stays parked\n", id);
			continue;
		}
		if (n < max)
			hwids[n] = id;
		n++;
	}
	if (!listed)
		pr_warn("the boot CPU (APIC ID %#x) is not in the %s\n", me, fw->source);
	return n + (fw->nr_cpus > FW_MAX_CPUS ? fw->nr_cpus - FW_MAX_CPUS : 0);
}

uint64_t
arch_cpu_hwid(void)
{
	if (lapic_active())
		return lapic_id();
	return cpuid(1, 0).ebx >> 24;		/* the initial APIC ID */
}

/*
 * The temporary root: the first 2 MiB identity-mapped (one large page,
 * executable, supervisor) for the trampoline, the kernel half shared.
 * Below 4 GiB, as a 32-bit CR3 load needs: it is in the trampoline pages.
 */
static uint32_t
temporary_tables(void)
{
	pte_t *kernel = pt_table(arch_kernel_aspace()->root);
	paddr_t table = trampoline_pa + PAGE_SIZE;
	pte_t *root = pt_table(table);

	for (int level = 0; level <= PT_DIR; level++) {
		pte_t *t = pt_table(table);

		memset(t, 0, PAGE_SIZE);
		table += PAGE_SIZE;
		if (level < PT_DIR)
			t[0] = table | (level == 0 ? PT_ROOT_FLAGS & (PTE_P | PTE_W) : PTE_P | PTE_W);
		else
			t[0] = PTE_P | PTE_W | PTE_PS;
	}
	for (unsigned int i = PT_ROOT_KERNEL; i < PT_ROOT_ENTRIES; i++)
		root[i] = kernel[i];
	return (uint32_t)(trampoline_pa + PAGE_SIZE);
}

static void
trampoline_prepare(unsigned int cpu, void *stack_top)
{
	uint8_t *page = phys_to_virt(trampoline_pa);
	struct trampoline_data *d = (struct trampoline_data *)(page + TR_DATA);
	bool efer = IS_ENABLED(CONFIG_ARCH_X86_64) || cpu_has(0x80000001, 'd', CPUID_81_EDX_NX);

	memcpy(page, x86_trampoline, (size_t)(x86_trampoline_end - x86_trampoline));
	*d = (struct trampoline_data){
		.entry = (uintptr_t)x86_secondary_startup,
		.kernel_cr3 = arch_kernel_aspace()->root,
		.stack = (uintptr_t)stack_top,
		.pgd = temporary_tables(),
		.cr0 = (uint32_t)read_cr(0),
		.cr4 = (uint32_t)(read_cr(4) & ~CR4_PCIDE),
		.efer = efer ? (uint32_t)(rdmsr(MSR_EFER) & ~EFER_LMA) : 0,
		.cpu = cpu,
		.apic_id = (uint32_t)cpus[cpu].hwid,
		.jump32 = { (uint32_t)(trampoline_pa + (x86_trampoline_32 - x86_trampoline)),
			    TR_CS32 },
#ifdef __x86_64__
		.jump64 = { (uint32_t)(trampoline_pa + (x86_trampoline_64 - x86_trampoline)),
			    TR_CS64 },
#endif
		.gdt_limit = sizeof(d->gdt) - 1,
		.gdt_base = (uint32_t)(trampoline_pa + TR_GDT),
		.gdt = { 0, SEG_CODE32_KERNEL, SEG_DATA_KERNEL, SEG_CODE64_KERNEL },
	};
}

int
arch_cpu_start(unsigned int cpu, void *stack_top)
{
	uint32_t apic_id = (uint32_t)cpus[cpu].hwid;
	uint8_t page = (uint8_t)(trampoline_pa >> PAGE_SHIFT);
	int err;

	if (!lapic_active())
		return -ENODEV;
	if (!trampoline_pa)
		return -ENOMEM;
	err = x86_exception_stacks_alloc(cpu);
	if (err)
		return err;
	x86_gdt_setup(cpu);
	trampoline_prepare(cpu, stack_top);
	/* The sequence of the Intel SDM (8.4.4.1); the ICR writes are fenced. */
	lapic_send_init(apic_id, true);
	udelay(INIT_DELAY_US);
	if (!lapic_x2apic())
		lapic_send_init(apic_id, false);	/* x2APIC has no de-assert */
	for (int i = 0; i < 2; i++) {
		lapic_send_startup(apic_id, page);
		udelay(STARTUP_DELAY_US);
	}
	return 0;
}

/*
 * A secondary CPU, on its idle thread's stack with interrupts masked:
 * its own descriptor tables and per-CPU register first (nothing may ask
 * for cpu_id() before), then the boot CPU's settings, then the core.
 */
__noreturn void
x86_secondary_main(unsigned int cpu)
{
	x86_cpu_load_tables(cpu);
	x86_cpu_setup();
	x86_mmu_cpu_init();
	smp_secondary_main();
}
