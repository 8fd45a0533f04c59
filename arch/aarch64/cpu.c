/*
 * AArch64 CPU control: halting, and power off through PSCI with the
 * conduit (HVC or SMC) the device tree names.
 */
#include <string.h>
#include <libfdt.h>
#include <arch/boot.h>
#include <arch/cpu.h>

#define PSCI_SYSTEM_OFF	0x84000008u

/* PSCI calls preserve nothing but the result registers we ignore. */
static void
psci_call(bool smc, uint32_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	if (smc)
		__asm__ __volatile__("smc #0" : "+r"(x0) :: "x1", "x2", "x3", "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0) :: "x1", "x2", "x3", "memory");
}

static int
psci_conduit(void)
{
	const void *fdt = boot_info ? boot_info->fdt : NULL;
	const char *method;
	int node;

	if (!fdt)
		return -1;
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_path_offset(fdt, "/psci");
	if (node < 0)
		return -1;
	method = fdt_getprop(fdt, node, "method", NULL);
	if (!method)
		return -1;
	return strcmp(method, "smc") == 0 ? 1 : strcmp(method, "hvc") == 0 ? 0 : -1;
}

__noreturn void
arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("msr daifset, #0xf; wfi" ::: "memory");
}

__noreturn void
arch_poweroff(bool failure)
{
	int conduit = psci_conduit();

	(void)failure;		/* PSCI SYSTEM_OFF has no status */
	if (conduit >= 0)
		psci_call(conduit == 1, PSCI_SYSTEM_OFF);
	arch_halt();
}
