/*
 * Private to arch/armv6m: what the port's files share with each other
 * (linker symbols, entry points called from assembly, the System Control
 * Space registers the architecture fixes).
 */
#ifndef ARCH_ARMV6M_PRIVATE_H
#define ARCH_ARMV6M_PRIVATE_H

/* The reset handler fills the stack with this to find its high-water mark. */
#include <kernel/stack_paint.h>
#include <asm/thread.h>
#define ARMV6M_STACK_PAINT	THREAD_STACK_PAINT

/* System Control Block registers: fixed addresses on every ARMv6-M core. */
#define SCB_CPUID		0xe000ed00
#define SCB_ICSR		ARMV6M_SCB_ICSR	/* <asm/thread.h>: PendSV is pended inline */
#define SCB_CCR			0xe000ed14	/* read-only on ARMv6-M */
#define SCB_SHPR3		0xe000ed20	/* SysTick [31:24], PendSV [23:16] */

/* ARMv7-M only: the fault status registers (write 1 to clear). */
#define SCB_CFSR		0xe000ed28
#define SCB_HFSR		0xe000ed2c
#define SCB_BFAR		0xe000ed38
#define CFSR_BFARVALID		(1u << 15)
#define CFSR_MSTKERR		(1u << 4)	/* MemManage fault stacking an exception */

/* CCR.UNALIGN_TRP: fixed at 1 on ARMv6-M, settable on ARMv7-M. */
#define CCR_UNALIGN_TRP		(1u << 3)

/* CONTROL.SPSEL: Thread mode uses the process stack. */
#define CONTROL_SPSEL		(1 << 1)

/*
 * Exception priorities: the NVIC driver puts interrupts and SysTick at
 * 0x80; PendSV must be below every one of them (two bits: 0xc0).
 */
#define PRIO_PENDSV		0xc0u

#ifndef __ASSEMBLER__
#include <kernel/compiler.h>
#include <kernel/types.h>

struct arch_regs;

/* Linker script symbols. */
extern char __flash_start[], __flash_end[], __image_end[];
extern char __ram_start[], __ram_end[];
extern char __stack_bottom[], __stack_top[];		/* boot, then "main": PSP */
extern char __irq_stack_bottom[], __irq_stack_top[];	/* handlers: MSP */
extern char __data_start[], __bss_end[];

/* Called from head.S and vectors.S. */
__noreturn void armv6m_boot(void);
void armv6m_hardfault(struct arch_regs *regs);
void armv6m_nmi(struct arch_regs *regs);
void armv6m_bad_exception(struct arch_regs *regs);

/* Semihosting call (bkpt 0xab); -1 when no debugger answers it. */
/* Semihosting operations the port uses. */
#define SYS_GET_CMDLINE		0x15
#define SYS_EXIT_EXTENDED	0x20

int armv6m_semihost(unsigned int op, const void *arg);

/* Bytes of [bottom, top) ever used, from the paint the reset left. */
size_t armv6m_stack_used(const char *bottom, const char *top);

/* The core is ARMv7-M (a Cortex-M3 running this port): set at boot. */
extern bool armv6m_core_is_v7m;

#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
/* mpu.c: the stack guard. */
struct arch_thread;
void armv6m_mpu_init(void);
void armv6m_mpu_guard_off(void);
bool armv6m_stack_guard_of(const struct arch_thread *t, uintptr_t *lo);
#endif

/* switch.S: where a new thread's first frame returns (thread.c). */
void armv6m_thread_start(void);

/* [start, end) holds code or data the fault decoder may read. */
bool armv6m_readable(uintptr_t start, size_t len);

/* The RTOS demo (rtos_demo.c): what one run measured. */
struct rtos_demo_stats {
	unsigned int sent, dropped;	/* by the interrupt */
	unsigned int received, out_of_order;	/* by the logger */
	uint32_t max_latency_cycles;	/* interrupt -> sensor thread */
	size_t stack_used[2], stack_size[2];	/* sensor, logger */
	size_t heap_free_before, heap_free_running, heap_free_after;
};

int rtos_demo_run(unsigned int samples, struct rtos_demo_stats *st);
int rtos_demo(void);		/* CONFIG_RTOS_DEMO: called by kernel_main() */

/* Board facts from boards/<board>.c. */
extern const char board_model[];

/*
 * What a board must do before any driver probes (its SoC's clocks,
 * resets and pins), called first thing from C; boot.c has an empty
 * default for the boards that need nothing.
 */
void board_early_init(void);

/*
 * The devices every ARMv6-M core has, for the boards' tables (which
 * include <drivers/nvic.h>): the NVIC with the System Control Block
 * registers its driver uses, and SysTick counting the CPU clock.
 */
#define ARMV6M_BOARD_NVIC						\
	{								\
		.name = "nvic",						\
		.compatible = "arm,v6m-nvic",				\
		.reg = {						\
			{ 0xe000e100, 0x400 },	/* NVIC */		\
			{ 0xe000ed00, 0x40 },	/* SCB: ICSR, SHPR3 */	\
		},							\
		.nr_reg = 2,						\
	}
#define ARMV6M_BOARD_SYSTICK(cpu_hz)					\
	{								\
		.name = "systick",					\
		.compatible = "arm,armv6m-systick",			\
		.reg = { { 0xe000e010, 0x10 } },			\
		.nr_reg = 1,						\
		.irq = { NVIC_IRQ_SYSTICK },				\
		.nr_irq = 1,						\
		.clock_hz = (cpu_hz),					\
	}

#endif
#endif
