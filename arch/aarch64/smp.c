/*
 * AArch64 SMP bring-up (<arch/smp.h>): the CPUs the device tree's /cpus
 * describes, woken by PSCI CPU_ON or a spin-table release, each sent to
 * head.S's secondary_entry with its boot slot filled; and every CPU's
 * exception stack.
 *
 * A secondary starts with the MMU off and perhaps its caches off too: it
 * reads its slot from memory, so arch_cpu_start() cleans the slot to the
 * point of coherency before waking it.  One slot per CPU: a CPU the core
 * gave up on (kernel/smp.c waits 2 s) that arrives late still finds its
 * own slot, not the next CPU's, and parks itself in smp_secondary_main().
 */
#define pr_fmt(fmt) "smp: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/thread.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/fdt.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/vm.h>
#include "fdt_util.h"
#include "mmu_internal.h"
#include "psci.h"
#include "smp_boot.h"

#define EXC_STACK_SIZE	(16 * 1024UL)
#define EXC_STACK_ALIGN	(64 * 1024UL)	/* its top: vectors.S's overflow test */

enum enable_method { METHOD_UNKNOWN, METHOD_PSCI, METHOD_SPIN_TABLE };

/*
 * What /cpus says of each logical CPU, in arch_smp_enumerate()'s order
 * (the core's cpus[n].hwid): written by it on the boot CPU before any
 * other CPU starts, read-only after.
 */
static struct {
	enum enable_method method;
	const char *method_name;	/* as the tree spells it, for messages */
	bool no_release_addr;		/* a spin-table that names no address */
	uint64_t release_addr;		/* spin-table: where to write the entry */
} described[NR_CPUS];

/*
 * Read by head.S with the MMU off.  Slot n is written only by
 * arch_cpu_start(n) on the boot CPU, before CPU n is woken.
 */
struct boot_slot aarch64_boot_slots[NR_CPUS];

/*
 * The secondary CPUs' exception stacks (the boot CPU's is in head.S):
 * written by arch_cpu_start() on the boot CPU, read-only once the CPU runs.
 */
static struct kstack exc_stacks[NR_CPUS];
static char exc_stack_names[NR_CPUS][16];

uint64_t
arch_cpu_hwid(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
}

uintptr_t
aarch64_exception_stack_top_of(unsigned int cpu)
{
	if (cpu == 0)
		return (uintptr_t)aarch64_exception_stack_top;
	return cpu < NR_CPUS && exc_stacks[cpu].base ?
	       exc_stacks[cpu].base + exc_stacks[cpu].size : 0;
}

/* Clean [p, p + len) to the point of coherency: CPUs without caches see it. */
static void
dcache_clean_poc(const volatile void *p, size_t len)
{
	uint64_t line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t a = (uintptr_t)p & ~(line - 1), end = (uintptr_t)p + len;

	for (; a < end; a += line)
		__asm__ __volatile__("dc civac, %0" :: "r"(a) : "memory");
	__asm__ __volatile__("dsb sy" ::: "memory");
}

/* ---------------------------------------------------------- enumeration */

static void
read_method(const void *fdt, int node, unsigned int slot)
{
	const char *m = fdt_getprop(fdt, node, "enable-method", NULL);
	const fdt32_t *p;
	int len;

	described[slot].method = METHOD_UNKNOWN;
	described[slot].method_name = m ? m : "(none)";
	if (!m)
		return;
	if (strcmp(m, "psci") == 0) {
		described[slot].method = METHOD_PSCI;
	} else if (strcmp(m, "spin-table") == 0) {
		p = fdt_getprop(fdt, node, "cpu-release-addr", &len);
		if (!p || (len != 4 && len != 8)) {
			described[slot].no_release_addr = true;
			return;
		}
		described[slot].release_addr = fdt_read_cells(p, (uint32_t)len / 4);
		described[slot].method = METHOD_SPIN_TABLE;
	}
}

/* hwid is among the first n stored ones. */
static bool
seen(const uint64_t *hwids, unsigned int n, uint64_t hwid)
{
	for (unsigned int i = 0; i < n; i++)
		if (hwids[i] == hwid)
			return true;
	return false;
}

unsigned int
arch_smp_enumerate(uint64_t *hwids, unsigned int max)
{
	const void *fdt = boot_info ? boot_info->fdt : NULL;
	uint64_t self = arch_cpu_hwid();
	unsigned int n = 1;
	bool found_self = false;
	int parent, node;
	uint32_t ac;

	if (!fdt || max == 0)
		return 0;
	arch_fp_kernel_begin();
	parent = fdt_path_offset(fdt, "/cpus");
	ac = fdt_cells(fdt, parent, "#address-cells", 1);
	if (parent < 0 || ac < 1 || ac > 2) {
		if (parent >= 0)
			pr_err("/cpus: #address-cells %u unsupported\n", ac);
		arch_fp_kernel_end();
		return 0;
	}
	fdt_for_each_subnode(node, fdt, parent) {
		const char *name = fdt_get_name(fdt, node, NULL);
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		unsigned int slot;
		uint64_t hwid;
		int len;

		if (!type || strcmp(type, "cpu") != 0)
			continue;
		if (!fdt_status_okay(fdt, node)) {
			pr_info("%s: status \"%s\": skipped\n", name,
				(const char *)fdt_getprop(fdt, node, "status", NULL));
			continue;
		}
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < (int)ac * 4) {
			pr_warn("%s: no reg: skipped\n", name);
			continue;
		}
		hwid = fdt_read_cells(reg, ac);
		if (hwid & ~MPIDR_HWID_MASK) {
			pr_warn("%s: reg %#llx is not an MPIDR affinity: skipped\n", name,
				(unsigned long long)hwid);
			continue;
		}
		if (hwid == self ? found_self : seen(hwids + 1, MIN(n, max) - 1, hwid)) {
			pr_warn("%s: MPIDR %#llx listed twice: skipped\n", name,
				(unsigned long long)hwid);
			continue;
		}
		if (hwid == self) {
			slot = 0;
			found_self = true;
		} else {
			slot = n++;
		}
		if (slot < max) {
			hwids[slot] = hwid;
			read_method(fdt, node, slot);
		}
	}
	arch_fp_kernel_end();
	if (!found_self) {
		pr_err("the boot CPU (MPIDR %#llx) is not in /cpus: the others stay parked\n",
		       (unsigned long long)self);
		return 0;
	}
	return n;
}

/* ------------------------------------------------------------- starting */

/* A 16 KiB kernel stack whose top is 64 KiB aligned, for vectors.S. */
static int
exc_stack_get(unsigned int cpu, uintptr_t *top)
{
	struct kstack *ks = &exc_stacks[cpu];
	int err;

	if (!ks->base) {
		snprintf(exc_stack_names[cpu], sizeof(exc_stack_names[cpu]), "exception/%u", cpu);
		err = kstack_alloc(ks, EXC_STACK_SIZE, exc_stack_names[cpu]);
		if (err)
			return err;
	}
	*top = ks->base + ks->size;
	if (ks->size != EXC_STACK_SIZE || (*top & (EXC_STACK_ALIGN - 1))) {
		pr_err("CPU%u: exception stack %#lx-%#lx does not end at a 64 KiB boundary\n",
		       cpu, (unsigned long)ks->base, (unsigned long)*top - 1);
		kstack_free(ks);
		ks->base = 0;
		return -ENOMEM;
	}
	return 0;
}

/*
 * Spin-table: the CPU waits (wfe) until its release address holds the
 * entry point.  The address is RAM the linear map has (the Raspberry
 * Pi's 0xd8..0xf0), else reached through ioremap.
 */
static int
spin_table_release(unsigned int cpu, uint64_t release, paddr_t entry)
{
	volatile uint64_t *p;
	vaddr_t lin = (vaddr_t)phys_to_virt(release);

	if (release & 7) {
		pr_err("CPU%u: cpu-release-addr %#llx is not 8-byte aligned\n", cpu,
		       (unsigned long long)release);
		return -EINVAL;
	}
	if (release < LINEAR_MAP_PHYS_END &&
	    arch_mmu_query(arch_kernel_aspace(), lin & PAGE_MASK, NULL, NULL) == 0) {
		p = (volatile uint64_t *)lin;
	} else {
		p = (volatile uint64_t *)ioremap(release, sizeof(*p));
		if (!p)
			return -ENOMEM;
	}
	*p = entry;
	dcache_clean_poc(p, sizeof(*p));
	__asm__ __volatile__("sev" ::: "memory");
	return 0;
}

int
arch_cpu_start(unsigned int cpu, void *stack_top)
{
	struct boot_slot *s = &aarch64_boot_slots[cpu];
	paddr_t entry = virt_to_phys(secondary_entry);
	uint64_t hwid = cpus[cpu].hwid;
	uintptr_t exc;
	int err;

	if (cpu == 0 || cpu >= NR_CPUS)
		return -EINVAL;
	if (described[cpu].no_release_addr) {
		pr_err("CPU%u: spin-table without a cpu-release-addr\n", cpu);
		return -ENODEV;
	}
	if (described[cpu].method == METHOD_UNKNOWN) {
		pr_err("CPU%u: enable-method \"%s\" is not one the kernel knows\n", cpu,
		       described[cpu].method_name);
		return -ENODEV;
	}
	err = exc_stack_get(cpu, &exc);
	if (err)
		return err;
	s->ttbr0 = aarch64_boot_idmap;
	s->ttbr1 = arch_kernel_aspace()->root;
	s->stack = (uintptr_t)stack_top;
	s->exc_stack = exc;
	s->cpu = (uintptr_t)&cpus[cpu];
	s->hwid = hwid | BOOT_SLOT_VALID;
	dcache_clean_poc(s, sizeof(*s));

	if (described[cpu].method == METHOD_PSCI)
		err = psci_cpu_on(hwid, entry, 0);
	else
		err = spin_table_release(cpu, described[cpu].release_addr, entry);
	if (err) {
		/* It was never told to start: nothing of this may reach it. */
		s->hwid = 0;
		dcache_clean_poc(s, sizeof(*s));
		kstack_free(&exc_stacks[cpu]);
		exc_stacks[cpu].base = 0;
	}
	return err;
}
