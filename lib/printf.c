/*
 * vsnprintf: the one formatter behind printk and snprintf.  C99 integer,
 * string and pointer conversions with flags, width and precision; no
 * floating point (kernel code is integer-only).
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <kernel/printk.h>

struct out {
	char *buf;
	size_t size;	/* capacity including the NUL */
	size_t len;	/* characters produced, even past the capacity */
};

static void
put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

static void
put_number(struct out *o, unsigned long long v, int neg, unsigned base,
	   int upper, int flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len, zeros;
	char sign = 0;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;			/* "%.0d" of zero prints nothing */

	if (neg)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';
	if ((flags & F_ALT) && base == 16 && !(n == 0 || (n == 1 && tmp[0] == '0')))
		prefix = upper ? "0X" : "0x";
	if ((flags & F_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";

	zeros = prec > n ? prec - n : 0;
	len = n + zeros + (sign != 0) + (int)strlen(prefix);
	if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT) && width > len) {
		zeros += width - len;
		len = width;
	}
	if (!(flags & F_LEFT))
		pad(o, ' ', width - len);
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		pad(o, ' ', width - len);
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lng = 0;
		unsigned long long uv;
		long long sv;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (;; fmt++) {
			switch (fmt[1]) {
			case '-': flags |= F_LEFT; continue;
			case '0': flags |= F_ZERO; continue;
			case '+': flags |= F_PLUS; continue;
			case ' ': flags |= F_SPACE; continue;
			case '#': flags |= F_ALT; continue;
			}
			break;
		}
		fmt++;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				width = width * 10 + (*fmt - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				for (; *fmt >= '0' && *fmt <= '9'; fmt++)
					prec = prec * 10 + (*fmt - '0');
			}
		}
		/* lng: 0 int, 1 long, 2 long long, 3 size_t/ptrdiff_t/intmax_t, -1 short, -2 char */
		for (;; fmt++) {
			if (*fmt == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*fmt == 'h')
				lng = lng == -1 ? -2 : -1;
			else if (*fmt == 'z' || *fmt == 't')
				lng = 3;
			else if (*fmt == 'j')
				lng = 2;
			else
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			if (lng == 2)
				sv = va_arg(ap, long long);
			else if (lng == 1 || lng == 3)
				sv = va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng == -2)
				sv = (signed char)sv;
			uv = sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv;
			put_number(&o, uv, sv < 0, 10, 0, flags, width, prec);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng == 2)
				uv = va_arg(ap, unsigned long long);
			else if (lng == 1 || lng == 3)
				uv = va_arg(ap, unsigned long);
			else
				uv = va_arg(ap, unsigned int);
			if (lng == -1)
				uv = (unsigned short)uv;
			else if (lng == -2)
				uv = (unsigned char)uv;
			put_number(&o, uv, 0, *fmt == 'o' ? 8 : *fmt == 'u' ? 10 : 16,
				   *fmt == 'X', flags, width, prec);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(ap, void *);
			put_number(&o, uv, 0, 16, 0, (flags | F_ALT | F_ZERO) & ~F_LEFT,
				   width ? width : (int)(2 + 2 * sizeof(void *)), -1);
			break;
		case 'c':
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - 1);
			put(&o, (char)va_arg(ap, int));
			if (flags & F_LEFT)
				pad(&o, ' ', width - 1);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n;

			if (!s)
				s = "(null)";
			n = (int)(prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s));
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			if (flags & F_LEFT)
				pad(&o, ' ', width - n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;		/* a lone '%' at the end */
			break;
		default:
			/* Unknown conversion: print it as written, visibly. */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
