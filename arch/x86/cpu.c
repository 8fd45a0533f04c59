/*
 * x86 CPU control and identification: halting, power off through QEMU's
 * isa-debug-exit, and the CPUID summary in the boot log.
 */
#define pr_fmt(fmt) "x86: " fmt

#include <string.h>
#include <arch/cpu.h>
#include <asm/io.h>
#include <asm/x86.h>
#include <kernel/printk.h>
#include "internal.h"

/* isa-debug-exit makes QEMU exit with (value << 1) | 1. */
#define DEBUG_EXIT_SUCCESS	0x10	/* status 33 */
#define DEBUG_EXIT_FAILURE	0x11	/* status 35 */

__noreturn void
arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" ::: "memory");
}

__noreturn void
arch_poweroff(bool failure)
{
	/* Not under QEMU with the device: the write is lost and we halt. */
	if (CONFIG_X86_DEBUG_EXIT_PORT)
		outb(CONFIG_X86_DEBUG_EXIT_PORT,
		     failure ? DEBUG_EXIT_FAILURE : DEBUG_EXIT_SUCCESS);
	arch_halt();
}

static void
cpuid_string(uint32_t leaf, char *out)
{
	struct cpuid_regs r = cpuid(leaf, 0);

	memcpy(out, &r, sizeof(r));
}

void
x86_cpu_identify(void)
{
	struct cpuid_regs r = cpuid(0, 0);
	char vendor[13], brand[49] = "";
	uint32_t sig, family, model;
	const char *p = brand;

	memcpy(vendor, &r.ebx, 4);
	memcpy(vendor + 4, &r.edx, 4);
	memcpy(vendor + 8, &r.ecx, 4);
	vendor[12] = '\0';
	sig = cpuid(1, 0).eax;
	family = (sig >> 8) & 0xf;
	model = (sig >> 4) & 0xf;
	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family >= 6)
		model |= ((sig >> 16) & 0xf) << 4;
	if (cpuid_has_leaf(0x80000004)) {
		cpuid_string(0x80000002, brand);
		cpuid_string(0x80000003, brand + 16);
		cpuid_string(0x80000004, brand + 32);
		brand[48] = '\0';
		while (*p == ' ')
			p++;
	}
	pr_info("%s family %u model %u stepping %u%s%s%s\n", vendor, family, model,
		sig & 0xf, *p ? " \"" : "", p, *p ? "\"" : "");
	pr_info("features:%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s\n",
		cpu_has(1, 'd', CPUID_1_EDX_TSC) ? " tsc" : "",
		cpu_has(0x80000007, 'd', CPUID_87_EDX_INVTSC) ? " invariant-tsc" : "",
		cpu_has(1, 'd', CPUID_1_EDX_PAE) ? " pae" : "",
		cpu_has(1, 'd', CPUID_1_EDX_PGE) ? " pge" : "",
		cpu_has(1, 'c', CPUID_1_ECX_PCID) ? " pcid" : "",
		cpu_has(0x80000001, 'd', CPUID_81_EDX_NX) ? " nx" : "",
		cpu_has(0x80000001, 'd', CPUID_81_EDX_LM) ? " lm" : "",
		cpu_has(1, 'd', CPUID_1_EDX_APIC) ? " apic" : "",
		cpu_has(1, 'c', CPUID_1_ECX_X2APIC) ? " x2apic" : "",
		cpu_has(1, 'd', CPUID_1_EDX_FXSR) ? " fxsr" : "",
		cpu_has(1, 'd', CPUID_1_EDX_SSE) ? " sse" : "",
		cpu_has(1, 'c', CPUID_1_ECX_RDRAND) ? " rdrand" : "",
		cpu_has(7, 'b', CPUID_7_EBX_RDSEED) ? " rdseed" : "",
		cpu_has(7, 'b', CPUID_7_EBX_SMEP) ? " smep" : "",
		cpu_has(7, 'b', CPUID_7_EBX_SMAP) ? " smap" : "",
		cpu_has(1, 'c', CPUID_1_ECX_HYPERVISOR) ? " hypervisor" : "");
}

/*
 * Every CPU, the boot CPU first: read-only pages bind the kernel (WP);
 * the x87 is there and reports errors as #MF; never a trap on first FP
 * use (TS stays clear: FP state is switched eagerly, docs/x86.md); SSE
 * and its FXSAVE state where the CPU has them.  Kernel code itself stays
 * integer-only (-mgeneral-regs-only): only threads that own FP state
 * (arch_thread_fp_own()) and kernel brackets use these registers.
 */
bool x86_smap;

void
x86_cpu_setup(void)
{
	unsigned long cr0 = read_cr(0), cr4 = read_cr(4);

	cr0 = (cr0 | CR0_WP | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS);
	if (cpu_has(1, 'd', CPUID_1_EDX_FXSR))
		cr4 |= CR4_OSFXSR;
	if (cpu_has(1, 'd', CPUID_1_EDX_SSE))
		cr4 |= CR4_OSXMMEXCPT;
	/* The kernel never runs user code, and reaches user data only in uaccess.S. */
	if (cpu_has(7, 'b', CPUID_7_EBX_SMEP))
		cr4 |= CR4_SMEP;
	if (cpu_has(7, 'b', CPUID_7_EBX_SMAP)) {
		cr4 |= CR4_SMAP;
		x86_smap = true;
	}
	write_cr(0, cr0);
	write_cr(4, cr4);
	__asm__ __volatile__("fninit" ::: "memory");
}

bool x86_has_rdseed, x86_has_rdrand;

void
arch_random_probe(struct arch_random_caps *caps)
{
	x86_has_rdrand = cpu_has(1, 'c', CPUID_1_ECX_RDRAND);
	x86_has_rdseed = cpu_has(7, 'b', CPUID_7_EBX_RDSEED);
	caps->seed = x86_has_rdseed ? "rdseed" : NULL;
	caps->rand = x86_has_rdrand ? "rdrand" : NULL;
}
