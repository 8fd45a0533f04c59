/*
 * /proc/cpuinfo in Linux's x86 format (arch/x86/kernel/cpu/proc.c): per
 * CPU the CPUID identification, the topology lines of an SMP kernel,
 * the misc lines of the 32- or 64-bit kernel, the CPUID feature flags by
 * Linux's names in its order (words 0, 1, 4, 6 and 9: leaves 1,
 * 0x80000001 and 7; Linux's own synthetic flags are not made up), and
 * BogoMIPS and "cpu MHz" from the TSC frequency when the TSC is the
 * clock.  CPUID runs on the CPU itself.
 */
#include <arch/cpu.h>
#include <asm/x86.h>
#include <kernel/cpu.h>
#include <kernel/seqbuf.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <string.h>

struct cpuid_info {
	struct cpuid_regs l0, l1, l7, e0, e1, e8;
	char brand[49];
};

static void
read_cpuid(void *arg)
{
	struct cpuid_info *ci = arg;

	ci->l0 = cpuid(0, 0);
	ci->l1 = ci->l0.eax >= 1 ? cpuid(1, 0) : (struct cpuid_regs){ 0 };
	ci->l7 = ci->l0.eax >= 7 ? cpuid(7, 0) : (struct cpuid_regs){ 0 };
	ci->e0 = cpuid(0x80000000u, 0);
	if (ci->e0.eax < 0x80000000u || ci->e0.eax > 0x8000ffffu)
		ci->e0.eax = 0;
	ci->e1 = ci->e0.eax >= 0x80000001u ? cpuid(0x80000001u, 0) : (struct cpuid_regs){ 0 };
	ci->e8 = ci->e0.eax >= 0x80000008u ? cpuid(0x80000008u, 0) : (struct cpuid_regs){ 0 };
	if (ci->e0.eax >= 0x80000004u) {
		for (uint32_t i = 0; i < 3; i++) {
			struct cpuid_regs r = cpuid(0x80000002u + i, 0);

			memcpy(ci->brand + 16 * i, &r, sizeof(r));
		}
	}
	ci->brand[48] = '\0';
}

/* Linux's x86_cap_flags for the CPUID words shown; NULL: not shown. */
static const char *const word0[32] = {	/* CPUID 1 EDX */
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
	"cx8", "apic", NULL, "sep", "mtrr", "pge", "mca", "cmov",
	"pat", "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx",
	"fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};
static const char *const word1[32] = {	/* CPUID 0x80000001 EDX */
	[11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt",
	[26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
};
static const char *const word4[32] = {	/* CPUID 1 ECX */
	"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
	"tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm",
	NULL, "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt",
	"tsc_deadline_timer", "aes", "xsave", NULL, "avx", "f16c", "rdrand", "hypervisor",
};
static const char *const word6[32] = {	/* CPUID 0x80000001 ECX */
	"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
	"3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", NULL, "lwp",
	"fma4", "tce", NULL, "nodeid_msr", NULL, "tbm", "topoext", "perfctr_core",
	"perfctr_nb", NULL, "bpext", "ptsc", "perfctr_llc", "mwaitx", NULL, NULL,
};
static const char *const word9[32] = {	/* CPUID 7.0 EBX */
	"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", NULL, "smep",
	"bmi2", "erms", "invpcid", "rtm", "cqm", NULL, "mpx", "rdt_a",
	"avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma", NULL, "clflushopt",
	"clwb", "intel_pt", "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw", "avx512vl",
};

static void
show_flags(struct seqbuf *out, const char *const names[32], uint32_t bits)
{
	for (unsigned int i = 0; i < 32; i++)
		if ((bits & (1u << i)) && names[i])
			seqbuf_printf(out, " %s", names[i]);
}

void
arch_cpuinfo_show(struct seqbuf *out, unsigned int cpu)
{
	struct cpuid_info ci;
	const struct clocksource *cs = clocksource_current();
	uint32_t sig, family, model, clflush, phys, virt;
	unsigned long khz = 0;
	char vendor[13];
	const char *brand;

	memset(&ci, 0, sizeof(ci));
	if (smp_call_on(cpu, read_cpuid, &ci, true))
		return;
	memcpy(vendor, &ci.l0.ebx, 4);
	memcpy(vendor + 4, &ci.l0.edx, 4);
	memcpy(vendor + 8, &ci.l0.ecx, 4);
	vendor[12] = '\0';
	sig = ci.l1.eax;
	family = (sig >> 8) & 0xf;
	model = (sig >> 4) & 0xf;
	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family >= 6)
		model |= ((sig >> 16) & 0xf) << 4;
	for (brand = ci.brand; *brand == ' '; brand++)
		;
	if (cs && !strcmp(cs->name, "tsc"))
		khz = (unsigned long)(time_count_hz() / 1000u);

	seqbuf_printf(out, "processor\t: %u\n", cpu);
	seqbuf_printf(out, "vendor_id\t: %s\n", vendor[0] ? vendor : "unknown");
	seqbuf_printf(out, "cpu family\t: %u\n", family);
	seqbuf_printf(out, "model\t\t: %u\n", model);
	seqbuf_printf(out, "model name\t: %s\n", *brand ? brand : "unknown");
	seqbuf_printf(out, "stepping\t: %u\n", sig & 0xf);
	if (khz)
		seqbuf_printf(out, "cpu MHz\t\t: %lu.%03lu\n", khz / 1000, khz % 1000);
#ifdef CONFIG_SMP
	{
		unsigned int n = nr_cpus_online();

		seqbuf_printf(out, "physical id\t: 0\n");
		seqbuf_printf(out, "siblings\t: %u\n", n);
		seqbuf_printf(out, "core id\t\t: %u\n", cpu);
		seqbuf_printf(out, "cpu cores\t: %u\n", n);
		seqbuf_printf(out, "apicid\t\t: %u\n", (unsigned int)cpus[cpu].hwid);
		seqbuf_printf(out, "initial apicid\t: %u\n", ci.l1.ebx >> 24);
	}
#endif
#ifndef __x86_64__
	seqbuf_puts(out, "fdiv_bug\t: no\nf00f_bug\t: no\ncoma_bug\t: no\n");
#endif
	seqbuf_printf(out, "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\n",
		      ci.l0.eax);
	seqbuf_puts(out, "flags\t\t:");
	show_flags(out, word0, ci.l1.edx);
	show_flags(out, word1, ci.e1.edx);
	show_flags(out, word4, ci.l1.ecx);
	show_flags(out, word6, ci.e1.ecx);
	show_flags(out, word9, ci.l7.ebx);
	seqbuf_puts(out, "\nbugs\t\t:\n");
	/* Linux: loops_per_jiffy from tsc_khz, BogoMIPS = lpj / (500000 / HZ). */
	seqbuf_printf(out, "bogomips\t: %lu.%02lu\n", khz / 500, (khz / 5) % 100);
	clflush = ci.l1.edx & (1u << 19) ? ((ci.l1.ebx >> 8) & 0xff) * 8 : 0;
	if (!clflush)
		clflush = 32;
	seqbuf_printf(out, "clflush size\t: %u\n", clflush);
	seqbuf_printf(out, "cache_alignment\t: %u\n", clflush);
	if (ci.e8.eax) {
		phys = ci.e8.eax & 0xff;
		virt = (ci.e8.eax >> 8) & 0xff;
	} else {
		phys = ci.l1.edx & (1u << 6) ? 36 : 32;
		virt = 32;
	}
	seqbuf_printf(out, "address sizes\t: %u bits physical, %u bits virtual\n", phys, virt);
	seqbuf_puts(out, "power management:\n\n");
}
