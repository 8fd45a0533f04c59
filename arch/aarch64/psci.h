/* PSCI for the AArch64 port (psci.c): starting CPUs and powering off. */
#ifndef AARCH64_PSCI_H
#define AARCH64_PSCI_H

#include <kernel/types.h>

/* Read /psci once, at boot (the conduit, the CPU_ON function). */
void psci_init(const void *fdt);
bool psci_present(void);

/*
 * Start the CPU with affinity mpidr at physical address entry (MMU off),
 * with context in x0.  0, or -errno after a message naming the PSCI error.
 */
int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);

/* SYSTEM_OFF; returns only when there is no PSCI or it refused. */
void psci_system_off(void);
/* SYSTEM_RESET, likewise. */
void psci_system_reset(void);

#endif
