/*
 * The APIC interrupt path (CONFIG_SMP builds): what the local APIC
 * driver (drivers/irqchip/lapic.c, the root interrupt controller) offers
 * the I/O APIC driver, the local APIC timer and SMP bring-up.
 *
 * Vectors: ISA IRQ n arrives on 0x20 + n, as it does from the 8259, and
 * every vector's number on the root chip is vector - 0x20, so a board
 * table's "IRQ 4" means the same in both modes.  The local APIC's own
 * vectors are Linux's.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <kernel/types.h>
#include <asm/trap.h>

#define APIC_FIRST_VECTOR	X86_PIC_VECTOR_BASE
#define ISA_IRQ_VECTOR(irq)	(APIC_FIRST_VECTOR + (irq))
#define LOCAL_TIMER_VECTOR	0xec
#define REBOOT_VECTOR		0xf8	/* IPI_STOP */
#define CALL_FUNCTION_VECTOR	0xfc	/* IPI_CALL */
#define RESCHEDULE_VECTOR	0xfd	/* IPI_RESCHEDULE */
#define ERROR_APIC_VECTOR	0xfe
#define SPURIOUS_APIC_VECTOR	0xff

/* Hardware numbers on the root chip, and back. */
#define APIC_HWIRQ(vector)	((vector) - APIC_FIRST_VECTOR)
#define APIC_NR_HWIRQS		(X86_NR_VECTORS - APIC_FIRST_VECTOR)

/* Local APIC registers: xAPIC MMIO offsets (x2APIC: MSR 0x800 + off / 16). */
#define APIC_ID			0x20
#define APIC_LVR		0x30	/* version; bits 23:16 the highest LVT */
#define APIC_TASKPRI		0x80
#define APIC_EOI		0xb0
#define APIC_LDR		0xd0
#define APIC_DFR		0xe0	/* xAPIC only */
#define APIC_SPIV		0xf0
#define APIC_ESR		0x280
#define APIC_ICR		0x300
#define APIC_ICR2		0x310	/* xAPIC: destination in bits 31:24 */
#define APIC_LVTT		0x320
#define APIC_LVTTHMR		0x330
#define APIC_LVTPC		0x340
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define APIC_LVTERR		0x370
#define APIC_TMICT		0x380	/* timer initial count */
#define APIC_TMCCT		0x390	/* timer current count */
#define APIC_TDCR		0x3e0	/* timer divide configuration */

#define APIC_SPIV_ENABLED	(1u << 8)
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_LVT_TIMER_PERIODIC	(1u << 17)
#define APIC_LVT_LEVEL		(1u << 15)
#define APIC_LVT_ACTIVE_LOW	(1u << 13)
#define APIC_DM_FIXED		(0u << 8)
#define APIC_DM_NMI		(4u << 8)
#define APIC_DM_INIT		(5u << 8)
#define APIC_DM_STARTUP		(6u << 8)
#define APIC_DM_EXTINT		(7u << 8)
#define APIC_ICR_BUSY		(1u << 12)	/* xAPIC: delivery pending */
#define APIC_INT_ASSERT		(1u << 14)
#define APIC_INT_LEVELTRIG	(1u << 15)
#define APIC_TDR_DIV_16		0x3

/* The local APIC driver runs the interrupts (not the 8259). */
bool lapic_active(void);
/* In x2APIC mode (MSR access, 32-bit IDs). */
bool lapic_x2apic(void);

uint32_t lapic_read(unsigned int reg);
void lapic_write(unsigned int reg, uint32_t v);
void lapic_eoi(void);
/* This CPU's local APIC ID (what the firmware tables list). */
uint32_t lapic_id(void);

/*
 * Send to one local APIC: a fixed interrupt, or the INIT and STARTUP
 * messages that start a CPU (STARTUP at physical page << 12).
 */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_init(uint32_t apic_id, bool assert);
void lapic_send_startup(uint32_t apic_id, uint8_t page);

/*
 * Vectors whose masking the local APIC cannot do itself (an I/O APIC's
 * pin, the timer's LVT) name the function that masks them: the root
 * chip's mask and unmask call it.  Set before the vector's irq_request().
 */
typedef void (*apic_mask_fn)(unsigned int vector, bool masked);
void apic_vector_set_mask(unsigned int vector, apic_mask_fn fn);

/* The local APIC timer (drivers/timer/lapic_timer.c): a CPU's rate and ticks. */
uint64_t lapic_timer_hz(unsigned int cpu);
unsigned long lapic_timer_ticks(unsigned int cpu);

#endif
