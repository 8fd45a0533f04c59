/*
 * signalfd (fs/signalfd.c) and the signal code (kernel/signal.c): what
 * each asks of the other.  A signalfd reads the signals of the process
 * that reads it, so it needs no pointer to any process: signal.c tells
 * it when a signal becomes pending, and takes one out for it.
 */
#ifndef KERNEL_SIGNALFD_H
#define KERNEL_SIGNALFD_H

#include <kernel/process.h>

/*
 * fs/signalfd.c: a signal became pending for p (or one of its threads):
 * wake the signalfd readers and pollers of p.  Called with p's
 * sighand->lock held, from any context; cheap until a signalfd exists.
 */
void signalfd_notify(struct process *p);

/*
 * kernel/signal.c: for the calling thread, the pending signals (its own
 * and its process's) that are in mask, whether blocked or not ...
 */
sigset_t signal_pending_mask(sigset_t mask);
/*
 * ... and the first of them taken out as delivery would take it
 * (synchronous faults first, then the lowest number; a real-time
 * signal's queued instances one by one): its number with *info filled,
 * or 0 when none is pending.
 */
int signal_dequeue_mask(sigset_t mask, struct ksiginfo *info);

#endif
