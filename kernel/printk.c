/*
 * printk: levels, timestamps, the log buffer and the console list.
 *
 * Every line goes into a ring buffer tagged with its level, so messages
 * printed before the first console exists are replayed when it registers.
 * Lines at or below CONFIG_LOGLEVEL are written to every console.
 *
 * log_lock (raw, interrupts masked) guards the buffer, the console list
 * and the consoles' output, so lines from different CPUs do not mix.  A
 * CPU that faults while it holds the lock (a report from inside a console
 * driver) prints without it rather than wait for itself, and a panic
 * takes the lock over from the CPUs it stopped.
 */
#include <stdarg.h>
#include <string.h>
#include <arch/cpu.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>

#define LOG_BUF_SIZE	(1u << CONFIG_LOG_BUF_SHIFT)
#define LINE_MAX	256
#define LEVEL_RAW	8

static struct spinlock log_lock = SPINLOCK_INIT("printk");
static volatile int log_owner = -1;	/* the CPU holding log_lock */
static char log_buf[LOG_BUF_SIZE];	/* the rest: log_lock */
static size_t log_head;		/* total bytes ever written */
static struct console *consoles;
static bool line_open;		/* the last line has no '\n' yet */
static int line_level;		/* level of the open line */

/* False when this CPU holds it already (it faulted inside printk). */
static bool
log_lock_take(unsigned long *flags)
{
	int me;

	*flags = arch_irq_save();
	me = (int)cpu_id();
	if (READ_ONCE(log_owner) == me)
		return false;
	raw_spin_lock(&log_lock);
	WRITE_ONCE(log_owner, me);
	return true;
}

static void
log_lock_give(bool taken, unsigned long flags)
{
	if (taken) {
		WRITE_ONCE(log_owner, -1);
		raw_spin_unlock(&log_lock);
	}
	arch_irq_restore(flags);
}

void
printk_panic_takeover(void)
{
	/* The other CPUs are stopped: whoever held the lock never lets go. */
	if (spin_is_locked(&log_lock) && READ_ONCE(log_owner) != (int)cpu_id()) {
		spin_init(&log_lock, "printk");
		WRITE_ONCE(log_owner, -1);
	}
}

static void
log_store(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_buf[log_head++ % LOG_BUF_SIZE] = s[i];
}

static bool
level_shown(int level)
{
	return level == LEVEL_RAW || level <= CONFIG_LOGLEVEL;
}

static void
consoles_write(const char *s, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, len);
}

/*
 * Log-buffer records are the printed text, with a "\001<level>" tag before
 * each line so a replay can filter by level.
 */
static void
emit(int level, const char *text, size_t len)
{
	char stamp[24];

	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t chunk = nl ? (size_t)(nl - text) + 1 : len;

		if (!line_open) {
			char tag[2] = { '\001', (char)('0' + level) };
			size_t n = 0;

			log_store(tag, 2);
			if (level != LEVEL_RAW) {
				uint64_t ns = time_ns();
				n = (size_t)snprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
						     (unsigned long long)(ns / NSEC_PER_SEC),
						     (unsigned long long)(ns % NSEC_PER_SEC / 1000));
				log_store(stamp, n);
			}
			line_level = level;
			if (level_shown(level) && n)
				consoles_write(stamp, n);
		}
		log_store(text, chunk);
		if (level_shown(line_level))
			consoles_write(text, chunk);
		line_open = text[chunk - 1] != '\n';
		text += chunk;
		len -= chunk;
	}
}

int
vprintk(const char *fmt, va_list ap)
{
	char line[LINE_MAX];
	int level = LOGLEVEL_DEFAULT, n;
	unsigned long flags;
	bool cont = false, taken;

	if (fmt[0] == '\001' && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] == 'r')
			level = LEVEL_RAW;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n >= (int)sizeof(line)) {
		memcpy(line + sizeof(line) - 5, "...\n", 5);
		n = sizeof(line) - 1;
	}

	taken = log_lock_take(&flags);
	if (line_open && !cont)
		emit(line_level, "\n", 1);	/* a new message ends an open line */
	if (cont && line_open)
		level = line_level;
	emit(level, line, (size_t)n);
	log_lock_give(taken, flags);
	return n;
}

int
printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* Walks the buffer oldest-first, calling fn on each level-tagged run. */
static void
log_replay(void (*fn)(int level, const char *s, size_t len, void *arg), void *arg)
{
	size_t start = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	size_t i = start;
	int level = -1;
	char chunk[64];
	size_t n = 0;

	/* After a wrap the oldest line is partial: skip to a tag. */
	if (start)
		while (i < log_head && log_buf[i % LOG_BUF_SIZE] != '\001')
			i++;
	for (; i < log_head; i++) {
		char c = log_buf[i % LOG_BUF_SIZE];

		if (c == '\001' && i + 1 < log_head) {
			if (n)
				fn(level, chunk, n, arg);
			n = 0;
			level = log_buf[++i % LOG_BUF_SIZE] - '0';
			continue;
		}
		chunk[n++] = c;
		if (n == sizeof(chunk)) {
			fn(level, chunk, n, arg);
			n = 0;
		}
	}
	if (n)
		fn(level, chunk, n, arg);
}

static void
replay_to_console(int level, const char *s, size_t len, void *arg)
{
	struct console *con = arg;

	if (level_shown(level))
		con->write(con, s, len);
}

void
console_register(struct console *con)
{
	unsigned long flags;
	bool taken = log_lock_take(&flags);

	log_replay(replay_to_console, con);
	con->next = consoles;
	consoles = con;
	log_lock_give(taken, flags);
}

void
console_write(struct console *con, const char *s, size_t len)
{
	/* Short holds of the lock: other CPUs' printk lines get their turn. */
	while (len) {
		size_t n = len < 64 ? len : 64;
		unsigned long flags;
		bool taken = log_lock_take(&flags);

		if (con)
			con->write(con, s, n);
		else
			consoles_write(s, n);
		log_lock_give(taken, flags);
		s += n;
		len -= n;
	}
}

bool
console_present(void)
{
	return consoles != NULL;
}

struct read_state {
	char *buf;
	size_t size, len;
	size_t skip;		/* older bytes that do not fit */
};

static void
count_out(int level, const char *s, size_t len, void *arg)
{
	*(size_t *)arg += len;
}

static void
copy_out(int level, const char *s, size_t len, void *arg)
{
	struct read_state *st = arg;

	for (size_t i = 0; i < len && st->len + 1 < st->size; i++) {
		if (st->skip) {
			st->skip--;
			continue;
		}
		st->buf[st->len++] = s[i];
	}
}

/* When buf is smaller than the log, the newest part is what readers want. */
size_t
log_buf_read(char *buf, size_t size)
{
	struct read_state st = { buf, size, 0, 0 };
	size_t total = 0;
	unsigned long flags;
	bool taken = log_lock_take(&flags);

	log_replay(count_out, &total);
	if (size && total > size - 1)
		st.skip = total - (size - 1);
	log_replay(copy_out, &st);
	log_lock_give(taken, flags);
	if (size)
		buf[st.len] = '\0';
	return st.len;
}
