/*
 * A byte ring buffer: one producer puts bytes in (a UART's receive
 * interrupt), one consumer takes them out (read(2) of the terminal).
 * It has no lock of its own: its owner serialises the calls.  Bytes that
 * do not fit are dropped and counted, the newest first (what a UART does
 * when its FIFO overruns).  Portable: the host unit test runs it too.
 */
#ifndef KERNEL_RINGBUF_H
#define KERNEL_RINGBUF_H

#include <kernel/types.h>

struct ringbuf {
	unsigned char *buf;
	size_t size;			/* a power of two */
	size_t head;			/* bytes ever put (wraps) */
	size_t tail;			/* bytes ever taken (wraps) */
	unsigned long dropped;		/* bytes that did not fit */
};

/* A ring over buf of size bytes, a power of two. */
void ringbuf_init(struct ringbuf *r, void *buf, size_t size);
/* Put up to n bytes; the rest are dropped and counted.  Returns bytes stored. */
size_t ringbuf_put(struct ringbuf *r, const void *src, size_t n);
/* Take up to n bytes, oldest first.  Returns bytes taken. */
size_t ringbuf_get(struct ringbuf *r, void *dst, size_t n);
/* Drop everything stored (not counted as dropped). */
void ringbuf_reset(struct ringbuf *r);

static inline size_t
ringbuf_len(const struct ringbuf *r)
{
	return r->head - r->tail;
}

static inline size_t
ringbuf_space(const struct ringbuf *r)
{
	return r->size - ringbuf_len(r);
}

static inline bool
ringbuf_empty(const struct ringbuf *r)
{
	return r->head == r->tail;
}

#endif
