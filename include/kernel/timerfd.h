/*
 * timerfd (fs/timerfd.c) as the clock code sees it: absolute real-time
 * timers follow a change of the real time, and those armed with
 * TFD_TIMER_CANCEL_ON_SET are cancelled by it (their next read gives
 * ECANCELED).
 */
#ifndef KERNEL_TIMERFD_H
#define KERNEL_TIMERFD_H

/* The real time was set or shifted (kernel/posix_clock.c's clock_was_set). */
void timerfd_clock_was_set(void);

#endif
