/*
 * /proc/cpuinfo in Linux's arm64 format: per CPU its number, BogoMIPS
 * (Linux derives it from the generic timer: twice the counter frequency
 * in MHz), the features user space may use (from ID_AA64ISAR0/1,
 * ID_AA64PFR0/1 and ID_AA64MMFR2, named as Linux's hwcap strings, in
 * their order), and MIDR_EL1's fields.  The registers are read on the
 * CPU itself.
 */
#include <arch/cpu.h>
#include <kernel/seqbuf.h>
#include <kernel/smp.h>

struct id_regs {
	uint64_t midr, isar0, isar1, pfr0, pfr1, mmfr2, cntfrq;
};

static void
read_id_regs(void *arg)
{
	struct id_regs *r = arg;

	r->midr = read_sysreg(midr_el1);
	r->isar0 = read_sysreg(S3_0_C0_C6_0);	/* ID_AA64ISAR0_EL1 */
	r->isar1 = read_sysreg(S3_0_C0_C6_1);	/* ID_AA64ISAR1_EL1 */
	r->pfr0 = read_sysreg(S3_0_C0_C4_0);	/* ID_AA64PFR0_EL1 */
	r->pfr1 = read_sysreg(S3_0_C0_C4_1);	/* ID_AA64PFR1_EL1 */
	r->mmfr2 = read_sysreg(S3_0_C0_C7_2);	/* ID_AA64MMFR2_EL1 */
	r->cntfrq = read_sysreg(cntfrq_el0);
}

enum { ISAR0, ISAR1, PFR0, PFR1, MMFR2 };

/*
 * A hwcap: the 4-bit field at shift of register reg is at least min
 * (signed fields, FP and AdvSIMD, are 0xf when absent: min 0 and not 0xf).
 */
struct hwcap {
	const char *name;
	uint8_t reg, shift, min;
	bool is_signed;
};

/* Linux's hwcap_str order; only what this kernel lets EL0 use. */
static const struct hwcap hwcaps[] = {
	{ "fp",		PFR0, 16, 0, true },
	{ "asimd",	PFR0, 20, 0, true },
	{ "aes",	ISAR0, 4, 1, false },
	{ "pmull",	ISAR0, 4, 2, false },
	{ "sha1",	ISAR0, 8, 1, false },
	{ "sha2",	ISAR0, 12, 1, false },
	{ "crc32",	ISAR0, 16, 1, false },
	{ "atomics",	ISAR0, 20, 2, false },
	{ "fphp",	PFR0, 16, 1, true },
	{ "asimdhp",	PFR0, 20, 1, true },
	{ "asimdrdm",	ISAR0, 28, 1, false },
	{ "jscvt",	ISAR1, 12, 1, false },
	{ "fcma",	ISAR1, 16, 1, false },
	{ "lrcpc",	ISAR1, 20, 1, false },
	{ "dcpop",	ISAR1, 0, 1, false },
	{ "sha3",	ISAR0, 32, 1, false },
	{ "sm3",	ISAR0, 36, 1, false },
	{ "sm4",	ISAR0, 40, 1, false },
	{ "asimddp",	ISAR0, 44, 1, false },
	{ "sha512",	ISAR0, 12, 2, false },
	{ "asimdfhm",	ISAR0, 48, 1, false },
	{ "dit",	PFR0, 48, 1, false },
	{ "uscat",	MMFR2, 32, 1, false },
	{ "ilrcpc",	ISAR1, 20, 2, false },
	{ "flagm",	ISAR0, 52, 1, false },
	{ "ssbs",	PFR1, 4, 2, false },
	{ "sb",		ISAR1, 36, 1, false },
	{ "dcpodp",	ISAR1, 0, 2, false },
	{ "flagm2",	ISAR0, 52, 2, false },
	{ "frint",	ISAR1, 32, 1, false },
	{ "i8mm",	ISAR1, 52, 1, false },
	{ "bf16",	ISAR1, 44, 1, false },
	{ "dgh",	ISAR1, 48, 1, false },
	{ "rng",	ISAR0, 60, 1, false },
	{ "bti",	PFR1, 0, 1, false },
};

void
arch_cpuinfo_show(struct seqbuf *out, unsigned int cpu)
{
	struct id_regs r = { 0 };
	uint64_t regs[5];
	unsigned long bogo;

	if (smp_call_on(cpu, read_id_regs, &r, true))
		return;
	regs[ISAR0] = r.isar0;
	regs[ISAR1] = r.isar1;
	regs[PFR0] = r.pfr0;
	regs[PFR1] = r.pfr1;
	regs[MMFR2] = r.mmfr2;
	/* Linux: loops_per_jiffy = timer rate / HZ, BogoMIPS = lpj / (500000 / HZ). */
	bogo = (unsigned long)(r.cntfrq / 5000u);	/* hundredths */
	seqbuf_printf(out, "processor\t: %u\n", cpu);
	seqbuf_printf(out, "BogoMIPS\t: %lu.%02lu\n", bogo / 100, bogo % 100);
	seqbuf_puts(out, "Features\t:");
	for (unsigned int i = 0; i < sizeof(hwcaps) / sizeof(hwcaps[0]); i++) {
		const struct hwcap *h = &hwcaps[i];
		unsigned int v = (unsigned int)(regs[h->reg] >> h->shift) & 0xf;

		if (h->is_signed ? (v != 0xf && v >= h->min) : v >= h->min)
			seqbuf_printf(out, " %s", h->name);
	}
	seqbuf_puts(out, "\n");
	seqbuf_printf(out, "CPU implementer\t: 0x%02x\n", (unsigned int)(r.midr >> 24) & 0xff);
	seqbuf_puts(out, "CPU architecture: 8\n");
	seqbuf_printf(out, "CPU variant\t: 0x%x\n", (unsigned int)(r.midr >> 20) & 0xf);
	seqbuf_printf(out, "CPU part\t: 0x%03x\n", (unsigned int)(r.midr >> 4) & 0xfff);
	seqbuf_printf(out, "CPU revision\t: %u\n\n", (unsigned int)r.midr & 0xf);
}
