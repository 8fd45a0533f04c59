/*
 * Text buffers for procfs and show functions (<kernel/seqbuf.h>).
 */
#include <kernel/printk.h>
#include <kernel/seqbuf.h>
#include <stdarg.h>
#include <string.h>

void
seqbuf_printf(struct seqbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, s->size - s->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= s->size - s->len) {
		s->overflow = true;
		return;
	}
	s->len += (size_t)n;
}

void
seqbuf_putc(struct seqbuf *s, char c)
{
	if (s->overflow || s->len + 1 >= s->size) {
		s->overflow = true;
		return;
	}
	s->buf[s->len++] = c;
	s->buf[s->len] = '\0';
}

void
seqbuf_puts(struct seqbuf *s, const char *str)
{
	size_t n = strlen(str);

	if (s->overflow || s->len + n >= s->size) {
		s->overflow = true;
		return;
	}
	memcpy(s->buf + s->len, str, n + 1);
	s->len += n;
}

void
seqbuf_write(struct seqbuf *s, const void *data, size_t n)
{
	if (s->overflow || s->len + n >= s->size) {
		s->overflow = true;
		return;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void
seqbuf_escape(struct seqbuf *s, const char *str)
{
	for (; *str; str++) {
		unsigned char c = (unsigned char)*str;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\\')
			seqbuf_printf(s, "\\%03o", c);
		else
			seqbuf_putc(s, (char)c);
	}
}
