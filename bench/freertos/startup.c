/* Startup code for the FreeRTOS benchmark image (nRF51822 under QEMU's
 * "microbit" machine, Cortex-M0).  Written for the Kite project; no vendor
 * startup code is used.
 *
 * Provides: the vector table, the reset handler (copies .data, clears .bss,
 * calls main), fault handlers and tiny ARM semihosting helpers used for
 * output (SYS_WRITE0) and for stopping QEMU (SYS_EXIT). */
#include <stdint.h>

extern uint32_t __bench_data_start[], __bench_data_end[], __bench_data_load[];
extern uint32_t __bench_bss_start[], __bench_bss_end[];
extern uint32_t __bench_stack_top[];

int main(void);
void bench_reset(void);
void bench_fault(void);

/* FreeRTOS ARM_CM0 port exception handlers (port.c / portasm.c). */
void SVC_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);

/* Benchmark interrupt on NVIC line 31 (main.c). */
void bench_irq31_handler(void);

/* ---- semihosting ------------------------------------------------------ */
#define SEMI_SYS_WRITE0   0x04u
#define SEMI_SYS_EXIT     0x18u
#define ADP_STOPPED_APPLICATION_EXIT  0x20026u
#define ADP_STOPPED_RUNTIME_ERROR     0x20023u

static uint32_t semi_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void bench_puts(const char *s)
{
    semi_call(SEMI_SYS_WRITE0, s);
}

void bench_exit(int ok)
{
    /* For 32-bit ARM, r1 carries the reason code itself. */
    semi_call(SEMI_SYS_EXIT, (const void *)(ok ? ADP_STOPPED_APPLICATION_EXIT
                                               : ADP_STOPPED_RUNTIME_ERROR));
    for (;;) {
    }
}

/* ---- vector table ----------------------------------------------------- */
typedef void (*bench_vector_t)(void);

__attribute__((section(".bench_vectors"), used))
const bench_vector_t bench_vectors[16 + 32] = {
    [0] = (bench_vector_t)__bench_stack_top,
    [1] = bench_reset,
    [2] = bench_fault,          /* NMI */
    [3] = bench_fault,          /* HardFault */
    [11] = SVC_Handler,
    [14] = PendSV_Handler,
    [15] = SysTick_Handler,
    [16 + 31] = bench_irq31_handler,
    /* Every other entry is 0: those exceptions/IRQs are never enabled. */
};

void bench_fault(void)
{
    bench_puts("FAIL hard fault / NMI\n");
    bench_exit(0);
}

void bench_reset(void)
{
    uint32_t *src = __bench_data_load;
    uint32_t *dst = __bench_data_start;
    while (dst < __bench_data_end)
        *dst++ = *src++;
    for (dst = __bench_bss_start; dst < __bench_bss_end; dst++)
        *dst = 0;
    main();
    bench_puts("FAIL main returned\n");
    bench_exit(0);
}
