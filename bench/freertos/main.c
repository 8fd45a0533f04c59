/* FreeRTOS timing benchmarks for comparison with Kite's RTOS profile.
 * Runs on QEMU "microbit" (nRF51822, Cortex-M0) with -icount shift=0.
 * Written for the Kite project; it only calls the public FreeRTOS API.
 *
 * Time source: SysTick, which FreeRTOS itself programs as its tick
 * (reload = 160000 - 1 at 16 MHz / 100 Hz).  A timestamp is
 *     tick_count * 160000 + (159999 - SYST_CVR)
 * in SysTick counts (16 MHz).  The driver (run.py) converts counts to
 * instructions (x 62.5 under -icount shift=0).  Results are printed as raw
 * sums/minima/maxima in counts so that no precision is lost here. */
#include <stdint.h>
#include "FreeRTOS.h"
#include "task.h"
#include "semphr.h"

void bench_puts(const char *s);
void bench_exit(int ok);

/* ---- parameters ------------------------------------------------------- */
#ifdef BENCH_TRACE
#define N_YIELD      8u
#define N_LAT        4u
#define N_IRQ_RT     4u
#define N_SEM_RT     4u
#define N_CAL        1000u
#else
#define N_YIELD      10000u   /* total switches (each task yields N/2 times) */
#define N_LAT        1000u    /* irq wake-up latency samples */
#define N_IRQ_RT     10000u
#define N_SEM_RT     10000u
#define N_CAL        1000000u
#endif

#define PRIO_YIELD   2
#define PRIO_LOW     3
#define PRIO_HIGH    4
#define PRIO_CTRL    6

#define SYST_CVR     (*(volatile uint32_t *)0xE000E018u)
#define NVIC_ISER    (*(volatile uint32_t *)0xE000E100u)
#define NVIC_ISPR    (*(volatile uint32_t *)0xE000E200u)
#define NVIC_IPR7    (*(volatile uint32_t *)0xE000E41Cu)
#define BENCH_IRQ_BIT (1u << 31)
#define TICK_COUNTS  (configCPU_CLOCK_HZ / configTICK_RATE_HZ)

/* ---- output ----------------------------------------------------------- */
static void put_u32(uint32_t v)
{
    char buf[12];
    int i = 11;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    bench_puts(&buf[i]);
}

static void result(const char *key, uint32_t v)
{
    bench_puts("RESULT ");
    bench_puts(key);
    bench_puts(" ");
    put_u32(v);
    bench_puts("\n");
}

static void fail(const char *why)
{
    bench_puts("FAIL ");
    bench_puts(why);
    bench_puts("\n");
    bench_exit(0);
}

/* ---- clock ------------------------------------------------------------ */
/* Consistent read of (ticks, CVR): the counter counts down, so if the second
 * CVR read is larger than the first, the counter reloaded between them (and
 * the tick ISR may or may not have run before the tick count was read):
 * retry.  Called from tasks with interrupts enabled. */
static inline __attribute__((always_inline)) uint32_t bench_now(void)
{
    uint32_t c1, c2, t;
    do {
        c1 = SYST_CVR;
        t = xTaskGetTickCount();
        c2 = SYST_CVR;
    } while (c2 > c1);
    return t * TICK_COUNTS + (TICK_COUNTS - 1u - c1);
}

static void dither(uint32_t i)
{
    volatile uint32_t d = i & 15u;
    while (d)
        d--;
}

/* Trace markers: empty, never inlined, so they show up in QEMU's exec log. */
#ifdef BENCH_TRACE
#define MARK(name) name()
#else
#define MARK(name) do { } while (0)
#endif
void __attribute__((noinline)) trace_mark_yield(void) { __asm__ volatile(""); }
void __attribute__((noinline)) trace_mark_pend(void) { __asm__ volatile(""); }
void __attribute__((noinline)) trace_mark_done(void) { __asm__ volatile(""); }

/* ---- shared state ----------------------------------------------------- */
static SemaphoreHandle_t sem_done, sem_lat, sem_rt, sem_a, sem_b;
static SemaphoreHandle_t volatile irq_sem;
static volatile uint32_t lat_start;
static volatile uint32_t lat_sum, lat_min = 0xffffffffu, lat_max, lat_count;
static volatile uint32_t yield_elapsed, yield_ticks;

void vApplicationStackOverflowHook(TaskHandle_t task, char *name)
{
    (void)task;
    bench_puts("FAIL stack overflow in task ");
    bench_puts(name);
    bench_puts("\n");
    bench_exit(0);
}

/* NVIC line 31 handler: give the semaphore, request a switch if needed. */
void bench_irq31_handler(void)
{
    BaseType_t woken = pdFALSE;
    xSemaphoreGiveFromISR(irq_sem, &woken);
    portYIELD_FROM_ISR(woken);
}

static inline __attribute__((always_inline)) void pend_irq(void)
{
    NVIC_ISPR = BENCH_IRQ_BIT;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

/* ---- benchmark 1: yield between two equal-priority tasks --------------- */
static void yield_a_task(void *arg)
{
    (void)arg;
    uint32_t t0tick = xTaskGetTickCount();
    uint32_t t0 = bench_now();
    for (uint32_t i = 0; i < N_YIELD / 2u; i++) {
        MARK(trace_mark_yield);
        taskYIELD();
    }
    uint32_t t1 = bench_now();
    yield_elapsed = t1 - t0;
    yield_ticks = xTaskGetTickCount() - t0tick;
    xSemaphoreGive(sem_done);
    for (;;)
        vTaskSuspend(NULL);
}

static void yield_b_task(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < N_YIELD / 2u; i++)
        taskYIELD();
    for (;;)
        vTaskSuspend(NULL);
}

/* ---- benchmark 2: irq -> give -> high task wake-up latency ------------- */
static void high_lat_task(void *arg)
{
    (void)arg;
    for (;;) {
        xSemaphoreTake(sem_lat, portMAX_DELAY);
        uint32_t t = bench_now();
        MARK(trace_mark_done);
        uint32_t d = t - lat_start;
        lat_sum += d;
        if (d < lat_min)
            lat_min = d;
        if (d > lat_max)
            lat_max = d;
        lat_count++;
    }
}

/* ---- benchmark 3: irq round trip without stamps ----------------------- */
static void high_rt_task(void *arg)
{
    (void)arg;
    for (;;)
        xSemaphoreTake(sem_rt, portMAX_DELAY);
}

/* ---- benchmark 4: semaphore ping-pong --------------------------------- */
static void high_sem_task(void *arg)
{
    (void)arg;
    for (;;) {
        xSemaphoreTake(sem_a, portMAX_DELAY);
        xSemaphoreGive(sem_b);
    }
}

/* Low-priority driver of benchmarks 2-4. */
static void low_task(void *arg)
{
    (void)arg;
    uint32_t i, a, b, sum, mn, mx, t0, t1, k0;

    /* Back-to-back clock reads with the same dither as benchmark 2. */
    sum = 0; mn = 0xffffffffu; mx = 0;
    for (i = 0; i < N_LAT; i++) {
        dither(i);
        a = bench_now();
        b = bench_now();
        sum += b - a;
        if (b - a < mn) mn = b - a;
        if (b - a > mx) mx = b - a;
    }
    result("clock_pair_sum_counts", sum);
    result("clock_pair_min_counts", mn);
    result("clock_pair_max_counts", mx);
    result("clock_pair_n", N_LAT);

    /* Benchmark 2. */
    irq_sem = sem_lat;
    k0 = xTaskGetTickCount();
    for (i = 0; i < N_LAT; i++) {
        dither(i);
        MARK(trace_mark_pend);
        lat_start = bench_now();
        pend_irq();
    }
    result("irq_lat_ticks_elapsed", xTaskGetTickCount() - k0);
    if (lat_count != N_LAT)
        fail("irq latency: sample count mismatch");
    result("irq_lat_sum_counts", lat_sum);
    result("irq_lat_min_counts", lat_min);
    result("irq_lat_max_counts", lat_max);
    result("irq_lat_n", N_LAT);

    /* Benchmark 3. */
    irq_sem = sem_rt;
    k0 = xTaskGetTickCount();
    t0 = bench_now();
    for (i = 0; i < N_IRQ_RT; i++)
        pend_irq();
    t1 = bench_now();
    result("irq_rt_ticks_elapsed", xTaskGetTickCount() - k0);
    result("irq_rt_elapsed_counts", t1 - t0);
    result("irq_rt_n", N_IRQ_RT);

    /* Benchmark 4. */
    k0 = xTaskGetTickCount();
    t0 = bench_now();
    for (i = 0; i < N_SEM_RT; i++) {
        xSemaphoreGive(sem_a);
        xSemaphoreTake(sem_b, portMAX_DELAY);
    }
    t1 = bench_now();
    result("sem_rt_ticks_elapsed", xTaskGetTickCount() - k0);
    result("sem_rt_elapsed_counts", t1 - t0);
    result("sem_rt_n", N_SEM_RT);

    xSemaphoreGive(sem_done);
    for (;;)
        vTaskSuspend(NULL);
}

/* Calibration: a 2-instruction loop (subs/bne) of known length. */
static uint32_t __attribute__((noinline)) calib_loop(uint32_t n)
{
    uint32_t t0 = bench_now();
    __asm__ volatile(".syntax unified\n1:\tsubs %0, %0, #1\n\tbne 1b\n\t.syntax divided"
                     : "+l"(n) : : "cc");
    return bench_now() - t0;
}

static void make_task(TaskFunction_t fn, const char *name, UBaseType_t prio)
{
    if (xTaskCreate(fn, name, configMINIMAL_STACK_SIZE, NULL, prio, NULL) != pdPASS)
        fail("xTaskCreate");
}

static void ctrl_task(void *arg)
{
    (void)arg;
    bench_puts("BENCH start " tskKERNEL_VERSION_NUMBER "\n");
    result("sizeof_StaticTask_t", (uint32_t)sizeof(StaticTask_t));
    result("sizeof_StaticQueue_t", (uint32_t)sizeof(StaticQueue_t));
    result("config_check_for_stack_overflow", configCHECK_FOR_STACK_OVERFLOW);
    result("calib_loop_insns", 2u * N_CAL);
    result("calib_loop_counts", calib_loop(N_CAL));

    /* Benchmark 1. */
    make_task(yield_a_task, "ya", PRIO_YIELD);
    make_task(yield_b_task, "yb", PRIO_YIELD);
    xSemaphoreTake(sem_done, portMAX_DELAY);
    result("yield_elapsed_counts", yield_elapsed);
    result("yield_ticks_elapsed", yield_ticks);
    result("yield_n", N_YIELD);

    /* Benchmarks 2-4. */
    make_task(high_lat_task, "hl", PRIO_HIGH);
    make_task(high_rt_task, "hr", PRIO_HIGH);
    make_task(high_sem_task, "hs", PRIO_HIGH);
    make_task(low_task, "lo", PRIO_LOW);
    result("heap_free_bytes", (uint32_t)xPortGetFreeHeapSize());
    xSemaphoreTake(sem_done, portMAX_DELAY);

    bench_puts("BENCH done\n");
    bench_exit(1);
}

int main(void)
{
    sem_done = xSemaphoreCreateBinary();
    sem_lat = xSemaphoreCreateBinary();
    sem_rt = xSemaphoreCreateBinary();
    sem_a = xSemaphoreCreateBinary();
    sem_b = xSemaphoreCreateBinary();
    if (!sem_done || !sem_lat || !sem_rt || !sem_a || !sem_b)
        fail("semaphore create");
    irq_sem = sem_lat;

    /* NVIC line 31: lowest priority (0xC0 = 3 on a 2-bit M0), enabled.
     * The ARM_CM0 port masks with PRIMASK, so FromISR calls are legal at
     * any priority; lowest matches PendSV/SysTick. */
    NVIC_IPR7 = (NVIC_IPR7 & 0x00ffffffu) | (0xC0u << 24);
    NVIC_ISER = BENCH_IRQ_BIT;

    make_task(ctrl_task, "ctrl", PRIO_CTRL);
    vTaskStartScheduler();
    fail("scheduler returned");
    return 0;
}
