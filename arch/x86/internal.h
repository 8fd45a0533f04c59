/* Declarations shared by the files of arch/x86 (not a HAL header). */
#ifndef ARCH_X86_INTERNAL_H
#define ARCH_X86_INTERNAL_H

#include <arch/boot.h>
#include <kernel/compiler.h>
#include <kernel/types.h>

struct arch_regs;

/* Entry from {32,64}/head.S: registers as the multiboot loader left them. */
__noreturn void x86_boot(uint32_t magic, uintptr_t mbi);

/* Every vector's stub ends here: exceptions are decoded, the rest are irqs. */
void x86_trap(struct arch_regs *regs);

/* Fill bi from the multiboot information; false if there is none. */
bool multiboot_parse(uint32_t magic, uintptr_t mbi, struct boot_info *bi);

/* The image name the boot loader put before the command line, or "". */
const char *multiboot_image_name(void);

/*
 * Boot page tables (mmu_init.c): the ioremap window's tables, and RAM
 * beyond what head.S mapped added to the linear map, before the core runs.
 */
void x86_mmu_early(struct boot_info *bi);

/*
 * A page-aligned run of len bytes of usable RAM below limit (and the boot
 * linear map) that no reservation touches, or 0 (mmu_init.c).
 */
uint64_t x86_boot_free_run(const struct boot_info *bi, uint64_t len, uint64_t limit);

/* The extended BIOS data area's address, 0 when there is none (boot.c). */
uint64_t x86_ebda_base(void);

/* Find the ACPI MADT or MP table (firmware.c; <asm/firmware.h>). */
void x86_firmware_scan(const struct boot_info *bi);

/* Reserve the SMP trampoline's pages below 1 MiB (smp.c). */
void x86_trampoline_reserve(struct boot_info *bi);

/*
 * This CPU's control-register settings, as every CPU gets them (cpu.c):
 * x87 and SSE usable (FXSAVE state, no lazy switching), CR0.WP.
 */
void x86_cpu_setup(void);

/* A secondary CPU's share of the MMU: its address space, PCIDs (mmu.c). */
void x86_mmu_cpu_init(void);

/* After x86_cpu_setup() on the boot CPU: which save format (fpu.c). */
void x86_fp_init(void);

/* Is addr in the unmapped page below the boot stack? */
bool x86_boot_stack_guard(uintptr_t addr);

/* CR3 was loaded with cr3: i386's task switches load it from the TSSes. */
void x86_tss_set_cr3(uintptr_t cr3);

/*
 * Measure the TSC against PIT channel 2 (tsc.c, once it has probed): the
 * rate and its uncertainty in parts per million; -ENODEV without a PIT.
 */
int x86_tsc_calibrate(uint64_t *freq, uint64_t *ppm);

/* Log what the CPU is and which of the features we rely on it has. */
void x86_cpu_identify(void);

/* The board's name for the boot log (arch/x86/boards/<board>.c). */
const char *x86_board_name(void);

/* Descriptor tables and exception entry (desc.c, {32,64}/entry.S). */
struct desc_ptr;
void x86_load_gdt(const struct desc_ptr *gdtr);

/*
 * One register in arch_regs_dump()'s list ({32,64}/regs.c): its name,
 * value and how many hex digits to print.  X86_REG_ROW_END ends a row.
 */
struct x86_reg {
	const char *name;
	uint64_t value;
	int digits;
};

#define X86_REG_ROW_END	{ NULL, 0, 0 }

/* Print the list as arch_regs_dump() does; the control registers close it. */
void x86_regs_print(const struct x86_reg *regs, size_t n);

/* User mode (thread.c, user.c). */
struct x86_cpu;
struct arch_thread;
/* The incoming user thread's kernel stack (TSS sp0, SYSCALL's) and TLS base. */
void x86_user_context_load(struct arch_thread *next);
void x86_tls_load(struct x86_cpu *c, uintptr_t tls);
#ifdef __x86_64__
void x86_syscall_init(void);		/* this CPU's SYSCALL MSRs */
#endif
void x86_user_entry(struct arch_regs *regs);

/* Test helpers with exception-table entries (extable.S). */
void x86_trigger_divide(void);
void x86_trigger_gp_selector(unsigned int selector);
/* The word at addr (user pages through STAC, as uaccess.S), or ~0 on a fault. */
uintptr_t x86_probe_read(uintptr_t addr);
/* The same with a plain load, which SMAP stops on user pages. */
uintptr_t x86_probe_read_plain(uintptr_t addr);
/* Write value to addr: 0, or -1 when the write faults. */
int x86_probe_write(uintptr_t addr, uintptr_t value);

#endif
