/*
 * A text buffer that procfs files and show functions print into; it
 * records when output did not fit, so the caller can retry larger.
 */
#ifndef KERNEL_SEQBUF_H
#define KERNEL_SEQBUF_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct seqbuf {
	char *buf;
	size_t size;
	size_t len;
	bool overflow;
};

static inline void
seqbuf_init(struct seqbuf *s, char *buf, size_t size)
{
	s->buf = buf;
	s->size = size;
	s->len = 0;
	s->overflow = false;
}

__printf(2, 3) void seqbuf_printf(struct seqbuf *s, const char *fmt, ...);
void seqbuf_puts(struct seqbuf *s, const char *str);
void seqbuf_putc(struct seqbuf *s, char c);
/* n bytes as they are (NULs too: /proc/<pid>/cmdline). */
void seqbuf_write(struct seqbuf *s, const void *data, size_t n);
/* A path or name with space, tab, newline and backslash escaped as \ooo. */
void seqbuf_escape(struct seqbuf *s, const char *str);

#endif
