/*
 * Byte ring buffer (include/kernel/ringbuf.h).  head and tail count bytes
 * ever put and taken, so they wrap freely and head - tail is the fill
 * level even across the wrap of size_t; the index is the count modulo the
 * power-of-two size.
 */
#include <kernel/ringbuf.h>
#include <string.h>

void
ringbuf_init(struct ringbuf *r, void *buf, size_t size)
{
	r->buf = buf;
	r->size = size;
	r->head = 0;
	r->tail = 0;
	r->dropped = 0;
}

void
ringbuf_reset(struct ringbuf *r)
{
	r->tail = r->head;
}

size_t
ringbuf_put(struct ringbuf *r, const void *src, size_t n)
{
	size_t space = ringbuf_space(r), stored = n < space ? n : space;
	size_t at = r->head & (r->size - 1), first = r->size - at;

	if (first > stored)
		first = stored;
	memcpy(r->buf + at, src, first);
	memcpy(r->buf, (const unsigned char *)src + first, stored - first);
	r->head += stored;
	r->dropped += n - stored;
	return stored;
}

size_t
ringbuf_get(struct ringbuf *r, void *dst, size_t n)
{
	size_t len = ringbuf_len(r), taken = n < len ? n : len;
	size_t at = r->tail & (r->size - 1), first = r->size - at;

	if (first > taken)
		first = taken;
	memcpy(dst, r->buf + at, first);
	memcpy((unsigned char *)dst + first, r->buf, taken - first);
	r->tail += taken;
	return taken;
}
