/*
 * PSCI, the Arm Power State Coordination Interface (DEN0022): CPU_ON for
 * secondary CPUs, SYSTEM_OFF and SYSTEM_RESET, through the conduit the device tree's
 * /psci node names: HVC when the firmware (or QEMU) sits at EL2, SMC when
 * it sits at EL3 (QEMU with virtualization=on, the armstub test).  The
 * node is read once at boot, so powering off after a panic walks no
 * device tree.
 */
#define pr_fmt(fmt) "psci: " fmt

#include <string.h>
#include <arch/thread.h>
#include <kernel/errno.h>
#include <kernel/fdt.h>
#include <kernel/printk.h>
#include "psci.h"

#define PSCI_0_2_CPU_ON_64	0xc4000003u
#define PSCI_0_2_SYSTEM_OFF	0x84000008u
#define PSCI_0_2_SYSTEM_RESET	0x84000009u

enum conduit { CONDUIT_NONE, CONDUIT_HVC, CONDUIT_SMC };

/* Written once by psci_init() on the boot CPU, read-only after. */
static enum conduit conduit;
static uint32_t fn_cpu_on;		/* 0: not offered */
static uint32_t fn_system_off;
static uint32_t fn_system_reset;

/* PSCI return codes, by name, and the errno each becomes. */
static const struct {
	int32_t code;
	const char *name;
	int err;
} psci_errors[] = {
	{ -1, "NOT_SUPPORTED", -ENOSYS },
	{ -2, "INVALID_PARAMETERS", -EINVAL },
	{ -3, "DENIED", -EPERM },
	{ -4, "ALREADY_ON", -EBUSY },
	{ -5, "ON_PENDING", -EAGAIN },
	{ -6, "INTERNAL_FAILURE", -EIO },
	{ -7, "NOT_PRESENT", -ENODEV },
	{ -8, "DISABLED", -ENODEV },
	{ -9, "INVALID_ADDRESS", -EFAULT },
};

/* SMC Calling Convention: x0-x3 in, x0 out, x4-x17 may be clobbered. */
static int64_t
psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (conduit == CONDUIT_SMC)
		__asm__ __volatile__("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) ::
				     "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
				     "x13", "x14", "x15", "x16", "x17", "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) ::
				     "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
				     "x13", "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

void
psci_init(const void *fdt)
{
	const char *method;
	int node;

	arch_fp_kernel_begin();
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node >= 0) {
		fn_cpu_on = PSCI_0_2_CPU_ON_64;
		fn_system_off = PSCI_0_2_SYSTEM_OFF;
		fn_system_reset = PSCI_0_2_SYSTEM_RESET;
	} else {
		/* PSCI 0.1 names its function IDs; it has no SYSTEM_OFF or SYSTEM_RESET. */
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
		if (node < 0)
			node = fdt_path_offset(fdt, "/psci");
		fn_cpu_on = fdt_cells(fdt, node, "cpu_on", 0);
	}
	method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;
	if (method && strcmp(method, "smc") == 0)
		conduit = CONDUIT_SMC;
	else if (method && strcmp(method, "hvc") == 0)
		conduit = CONDUIT_HVC;
	else if (node >= 0)
		pr_warn("/psci has no method \"hvc\" or \"smc\": not used\n");
	arch_fp_kernel_end();
}

bool
psci_present(void)
{
	return conduit != CONDUIT_NONE;
}

int
psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
	int64_t r;

	if (conduit == CONDUIT_NONE || !fn_cpu_on) {
		pr_err("CPU_ON for MPIDR %#llx: the firmware offers no PSCI CPU_ON\n",
		       (unsigned long long)mpidr);
		return -ENODEV;
	}
	r = psci_call(fn_cpu_on, mpidr, entry, context);
	if (r == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(psci_errors); i++)
		if (psci_errors[i].code == r) {
			pr_err("CPU_ON for MPIDR %#llx failed: %s (%lld)\n",
			       (unsigned long long)mpidr, psci_errors[i].name, (long long)r);
			return psci_errors[i].err;
		}
	pr_err("CPU_ON for MPIDR %#llx failed: unknown PSCI error %lld\n",
	       (unsigned long long)mpidr, (long long)r);
	return -EIO;
}

void
psci_system_off(void)
{
	if (conduit != CONDUIT_NONE && fn_system_off)
		psci_call(fn_system_off, 0, 0, 0);
}

void
psci_system_reset(void)
{
	if (conduit != CONDUIT_NONE && fn_system_reset)
		psci_call(fn_system_reset, 0, 0, 0);
}
