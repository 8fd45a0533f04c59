/* FreeRTOSConfig.h for the Kite FreeRTOS comparison benchmark (nRF51 / QEMU
 * microbit, Cortex-M0).  Written for this harness; only the settings the comparison
 * needs plus the ones FreeRTOS insists on are given.
 * configCHECK_FOR_STACK_OVERFLOW is chosen per build variant with -D. */
#ifndef KITE_BENCH_FREERTOS_CONFIG_H
#define KITE_BENCH_FREERTOS_CONFIG_H

#define configUSE_PREEMPTION                1
#define configCPU_CLOCK_HZ                  16000000UL
#define configTICK_RATE_HZ                  100
#define configMAX_PRIORITIES                8
#define configMINIMAL_STACK_SIZE            128
#define configTOTAL_HEAP_SIZE               ( 8 * 1024 )
#define configTICK_TYPE_WIDTH_IN_BITS       TICK_TYPE_WIDTH_32_BITS
#define configUSE_IDLE_HOOK                 0
#define configUSE_TICK_HOOK                 0
#define configUSE_TIME_SLICING              1
#define configUSE_MUTEXES                   1
#define configUSE_COUNTING_SEMAPHORES       1
#define configSUPPORT_DYNAMIC_ALLOCATION    1
#define configSUPPORT_STATIC_ALLOCATION     0

#define configUSE_TIMERS                    1
#define configTIMER_TASK_PRIORITY           ( configMAX_PRIORITIES - 1 )
#define configTIMER_QUEUE_LENGTH            4
#define configTIMER_TASK_STACK_DEPTH        configMINIMAL_STACK_SIZE

#ifndef configCHECK_FOR_STACK_OVERFLOW
#define configCHECK_FOR_STACK_OVERFLOW      0
#endif

/* The port layer (portable/GCC/ARM_CM0) requires this to be stated. */
#define configENABLE_MPU                    0

/* Needed so that portMAX_DELAY means "block indefinitely" (suspended list)
 * instead of a 0xffffffff-tick timeout on the delayed list. */
#define INCLUDE_vTaskSuspend                1

/* configASSERT is intentionally left undefined (no asserts in the
 * measured paths). */

#endif
