/*
 * ACPI power management facts, read once at boot: from the FADT (5.2.9)
 * the PM1 control registers, the reset register, the switch to ACPI mode
 * and the CMOS century index; from the DSDT the \_S5 object, whose
 * package gives the SLP_TYP values that power the machine off (7.4.2).
 *
 * No AML interpreter: \_S5 is found as the byte pattern of
 * Name(_S5, Package(){ integers }), which is how firmware (QEMU's,
 * SeaBIOS's, most vendors') writes it; a \_S5 computed by a method is
 * not understood and leaves powering off to the fallbacks.  Portable C,
 * bounds-checked against the table lengths: the host tests feed it
 * hostile tables under ASan.
 */
#define pr_fmt(fmt) "acpi: " fmt

#include <string.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <asm/firmware.h>

#define HDR_LEN			36

/* FADT field offsets (ACPI 6.5, table 5.9) and the lengths that hold them. */
#define FADT_DSDT		40
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM1B_CNT_BLK	68
#define FADT_PM1_CNT_LEN	89
#define FADT_CENTURY		108
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_FLAGS		112
#define FADT_V1_LEN		116	/* ACPI 1.0 ends after the flags */
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_X_DSDT		140
#define FADT_X_PM1A_CNT_BLK	172
#define FADT_X_PM1B_CNT_BLK	184
#define GAS_LEN			12

#define FADT_REV_ACPI2		3	/* IAPC_BOOT_ARCH is defined from here */
#define IAPC_NO_CMOS_RTC	(1u << 5)
#define FLAG_RESET_REG_SUP	(1u << 10)
#define FLAG_HW_REDUCED		(1u << 20)

/* AML opcodes (20.3). */
#define AML_ZERO		0x00
#define AML_ONE			0x01
#define AML_NAME		0x08
#define AML_BYTE		0x0a
#define AML_WORD		0x0b
#define AML_DWORD		0x0c
#define AML_QWORD		0x0e
#define AML_PACKAGE		0x12
#define AML_ROOT		0x5c	/* '\' */
#define AML_ONES		0xff

#define SLP_TYP_MAX		7	/* a 3-bit field of PM1 control */

static struct acpi_gas
gas_read(const uint8_t *p)
{
	return (struct acpi_gas){ p[0], p[1], p[2], p[3], fw_u64(p + 4), 0 };
}

/*
 * An AML PkgLength at p (at most end - p bytes): its value, and in *size
 * how many bytes it took.  -1 when it runs past the end.
 */
static long
pkg_length(const uint8_t *p, const uint8_t *end, unsigned int *size)
{
	unsigned int follow = p < end ? p[0] >> 6 : 0;
	unsigned long len;

	if (p >= end || (size_t)(end - p) < 1u + follow)
		return -1;
	*size = 1 + follow;
	if (!follow)
		return p[0] & 0x3f;
	len = p[0] & 0x0f;
	for (unsigned int i = 1; i <= follow; i++)
		len |= (unsigned long)p[i] << (4 + 8 * (i - 1));
	return (long)len;
}

/* An integer constant at *p (before end), moving *p past it; false if none. */
static bool
aml_integer(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	const uint8_t *q = *p;
	size_t n;

	if (q >= end)
		return false;
	switch (*q++) {
	case AML_ZERO: *v = 0; n = 0; break;
	case AML_ONE: *v = 1; n = 0; break;
	case AML_ONES: *v = ~0ULL; n = 0; break;
	case AML_BYTE: n = 1; break;
	case AML_WORD: n = 2; break;
	case AML_DWORD: n = 4; break;
	case AML_QWORD: n = 8; break;
	default: return false;
	}
	if ((size_t)(end - q) < n)
		return false;
	if (n) {
		*v = 0;
		for (size_t i = 0; i < n; i++)
			*v |= (uint64_t)q[i] << (8 * i);
	}
	*p = q + n;
	return true;
}

/* Package(){ a, b, ... } at p: the first two integers. */
static int
s5_package(const uint8_t *p, const uint8_t *end, uint8_t *a, uint8_t *b)
{
	const uint8_t *body_end;
	unsigned int size;
	uint64_t va, vb;
	long len;

	if (p >= end || *p++ != AML_PACKAGE)
		return -ENOENT;
	len = pkg_length(p, end, &size);
	/* The length counts itself, the element count and the elements. */
	if (len < 0 || (unsigned long)len < size + 1 || (unsigned long)len > (size_t)(end - p))
		return -ENOENT;
	body_end = p + len;
	p += size;
	if (*p++ < 2)			/* NumElements */
		return -ENOENT;
	if (!aml_integer(&p, body_end, &va) || !aml_integer(&p, body_end, &vb))
		return -ENOENT;
	if (va > SLP_TYP_MAX || vb > SLP_TYP_MAX)
		return -ENOENT;
	*a = (uint8_t)va;
	*b = (uint8_t)vb;
	return 0;
}

int
acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
	const uint8_t *end = aml + len;

	for (size_t i = 1; i + 4 <= len; i++) {
		size_t op = i - 1;

		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		if (aml[op] == AML_ROOT && op > 0)
			op--;
		if (aml[op] != AML_NAME)
			continue;
		if (s5_package(aml + i + 4, end, slp_typa, slp_typb) == 0)
			return 0;
	}
	return -ENOENT;
}

/* A PM1 control block: the extended field when set, else the I/O port. */
static struct acpi_gas
pm1_cnt(const uint8_t *f, uint32_t len, unsigned int legacy, unsigned int ext)
{
	struct acpi_gas g = { ACPI_SPACE_IO, (uint8_t)(f[FADT_PM1_CNT_LEN] * 8), 0, 0,
			      fw_u32(f + legacy), 0 };

	if (len >= ext + GAS_LEN && fw_u64(f + ext + 4))
		g = gas_read(f + ext);
	return g;
}

static const char *
space_name(uint8_t space)
{
	switch (space) {
	case ACPI_SPACE_MEMORY: return "memory";
	case ACPI_SPACE_IO: return "I/O";
	case ACPI_SPACE_PCI: return "PCI configuration";
	default: return "unknown space";
	}
}

static void
find_s5(fw_map_fn map, const uint8_t *f, uint32_t len, struct acpi_pm_info *pm)
{
	uint64_t pa = len >= FADT_X_DSDT + 8 ? fw_u64(f + FADT_X_DSDT) : 0;
	const uint8_t *d;

	if (!pa)
		pa = fw_u32(f + FADT_DSDT);
	d = acpi_map_table(map, pa, "DSDT", &pm->problems);
	if (!d)
		return;
	if (memcmp(d, "DSDT", 4) != 0) {
		pr_warn("the FADT's DSDT pointer leads to a %.4s table\n", (const char *)d);
		pm->problems++;
		return;
	}
	if (acpi_find_s5(d + HDR_LEN, fw_u32(d + 4) - HDR_LEN, &pm->slp_typa, &pm->slp_typb) == 0)
		pm->s5_found = true;
	else
		pr_info("DSDT: no \\_S5 package (power off falls back)\n");
}

int
acpi_pm_parse(fw_map_fn map, struct acpi_pm_info *pm)
{
	uint32_t len, flags;
	uint64_t pa = acpi_table("FACP", &len);
	const uint8_t *f = pa ? map(pa, len) : NULL;

	memset(pm, 0, sizeof(*pm));
	if (!f) {
		pr_info("no FADT: no ACPI power off or reset\n");
		return -ENOENT;
	}
	if (len < FADT_V1_LEN) {
		pr_warn("FADT of %u bytes is shorter than ACPI 1.0's %u: not used\n", len,
			FADT_V1_LEN);
		pm->problems++;
		return -ENOENT;
	}
	pm->fadt_revision = f[8];
	flags = fw_u32(f + FADT_FLAGS);
	pm->century = f[FADT_CENTURY];
	if (pm->fadt_revision >= FADT_REV_ACPI2)
		pm->no_cmos_rtc = fw_u16(f + FADT_IAPC_BOOT_ARCH) & IAPC_NO_CMOS_RTC;
	pm->hw_reduced = flags & FLAG_HW_REDUCED;
	pm->smi_cmd = fw_u32(f + FADT_SMI_CMD);
	pm->acpi_enable = f[FADT_ACPI_ENABLE];
	pm->pm1a_cnt = pm1_cnt(f, len, FADT_PM1A_CNT_BLK, FADT_X_PM1A_CNT_BLK);
	pm->pm1b_cnt = pm1_cnt(f, len, FADT_PM1B_CNT_BLK, FADT_X_PM1B_CNT_BLK);
	if (len >= FADT_RESET_VALUE + 1) {
		pm->reset_reg = gas_read(f + FADT_RESET_REG);
		pm->reset_value = f[FADT_RESET_VALUE];
		pm->reset_supported = (flags & FLAG_RESET_REG_SUP) && pm->reset_reg.address;
	}
	if (!pm->hw_reduced)
		find_s5(map, f, len, pm);
	pm->valid = true;

	pr_info("FADT revision %u: PM1a control at %s %#llx, CMOS century at %#x\n",
		pm->fadt_revision, space_name(pm->pm1a_cnt.space),
		(unsigned long long)pm->pm1a_cnt.address, pm->century);
	if (pm->s5_found)
		pr_info("DSDT: \\_S5 sleep types %u/%u\n", pm->slp_typa, pm->slp_typb);
	if (pm->reset_supported)
		pr_info("FADT reset register: %s %#llx, value %#x\n", space_name(pm->reset_reg.space),
			(unsigned long long)pm->reset_reg.address, pm->reset_value);
	return 0;
}
