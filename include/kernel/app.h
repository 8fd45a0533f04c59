/*
 * The application linked into the kernel (CONFIG_APP: app/<APP_NAME>/),
 * the way firmware is built on the RTOS profile.  The kernel calls
 * app_main() in thread "main" once it is up: the scheduler and the tick
 * running, interrupts on, the software-timer thread started (with
 * CONFIG_SW_TIMERS).  main runs at THREAD_PRIO_DEFAULT on the boot stack
 * (ARMV6M_STACK_SIZE on Cortex-M).  When app_main() returns, main exits
 * with its result and the application's other threads run on; firmware
 * that never returns is as usual.  The kernel's API is include/kernel/.
 */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

int app_main(void);

#endif
