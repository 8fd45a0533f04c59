/*
 * The driver model on the host, over device trees built in the test with
 * libfdt: matching, reg translation through ranges, probe deferral,
 * interrupt resolution, the stdout-path console, and hostile properties.
 */
#include <stdint.h>
#include <string.h>
#include <libfdt.h>
#include "host_test.h"

#define DEVICE_MAX_REG	4
typedef uintptr_t paddr_t;

/* Mirrors of the kernel structures the test touches (include/kernel/). */
struct device;
struct driver {
	const char *name;
	const char *const *compatible;
	int (*probe)(struct device *dev);
};
struct resource { paddr_t start; size_t size; };
enum device_state { DEVICE_NEW, DEVICE_DEFERRED, DEVICE_BOUND, DEVICE_FAILED };
struct device {
	const char *name;
	const char *compatible;
	const struct driver *driver;
	struct resource reg[DEVICE_MAX_REG];
	int fdt_node;
	const void *bdev;
	void *priv;
	uint8_t nr_reg;
	uint8_t state;			/* enum device_state */
	int16_t error;
};
struct irq_chip;
struct irq_chip_ops {
	const char *name;
	void (*handle)(struct irq_chip *, void *);
	void (*mask)(struct irq_chip *, unsigned int);
	void (*unmask)(struct irq_chip *, unsigned int);
	int (*xlate)(struct irq_chip *, const uint32_t *, unsigned int, unsigned int *);
	int (*cpu_init)(struct irq_chip *);
	void (*send_ipi)(struct irq_chip *, unsigned long, unsigned int);
};
struct irq_chip {
	const struct irq_chip_ops *ops;
	unsigned int nr_irqs;
	const struct device *dev;
	unsigned int base;
	struct irq_chip *next;
};

int devices_scan(const void *fdt);
void devices_probe(void);
struct device *device_find(const char *compatible);
unsigned int device_count(void);
int device_irq(const struct device *dev, unsigned int idx);
bool device_is_console(const struct device *dev);
int irq_chip_register(struct irq_chip *chip, const struct device *dev);

#define EPROBE_DEFER 517

/* ---- drivers under test ---- */
static int timer_irq = -1000, intc_probes, timer_probes;

static int
xlate_plus_one(struct irq_chip *c, const uint32_t *cells, unsigned int n, unsigned int *hw)
{
	if (n != 2)
		return -1;
	*hw = cells[0] + 1;	/* recognisably not the raw cell */
	return 0;
}

static const struct irq_chip_ops intc_ops = { .name = "test-intc", .xlate = xlate_plus_one };
static struct irq_chip chip = { .ops = &intc_ops, .nr_irqs = 64 };

static int
intc_probe(struct device *dev)
{
	intc_probes++;
	return irq_chip_register(&chip, dev);
}

static int
timer_probe(struct device *dev)
{
	timer_probes++;
	timer_irq = device_irq(dev, 0);
	return timer_irq < 0 ? timer_irq : 0;
}

static int
plain_probe(struct device *dev)
{
	return 0;
}

static const char *const intc_compat[] = { "test,intc", NULL };
static const char *const timer_compat[] = { "test,timer", NULL };
static const char *const uart_compat[] = { "test,uart-v2", "test,uart", NULL };
static const struct driver intc_drv = { "intc", intc_compat, intc_probe };
static const struct driver timer_drv = { "timer", timer_compat, timer_probe };
static const struct driver uart_drv = { "uart", uart_compat, plain_probe };

/* The driver table the core walks (a linker section in the kernel). */
const struct driver *const host_drivers_start[] = { &intc_drv, &timer_drv, &uart_drv };
__asm__(".globl host_drivers_end\n.set host_drivers_end, host_drivers_start + 3 * 8");

/* ---- one tree, built with libfdt's sequential writer ---- */
static char blob[8192];

#define OK(x) do { if ((x) < 0) { CHECK(!#x); return; } } while (0)

static void
prop_cells(const char *name, const uint32_t *v, int n)
{
	fdt32_t be[16];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	fdt_property(blob, name, be, n * 4);
}

static void
build_tree(void)
{
	fdt_create(blob, sizeof(blob));
	fdt_finish_reservemap(blob);
	fdt_begin_node(blob, "");
	prop_cells("#address-cells", (uint32_t[]){ 1 }, 1);
	prop_cells("#size-cells", (uint32_t[]){ 1 }, 1);
	prop_cells("interrupt-parent", (uint32_t[]){ 7 }, 1);

	fdt_begin_node(blob, "aliases");
	fdt_property_string(blob, "serial0", "/soc/uart@100");
	fdt_end_node(blob);
	fdt_begin_node(blob, "chosen");
	fdt_property_string(blob, "stdout-path", "serial0:115200n8");
	fdt_end_node(blob);

	/* The timer comes first in the tree: it must wait for the intc. */
	fdt_begin_node(blob, "timer");
	fdt_property_string(blob, "compatible", "test,timer");
	prop_cells("interrupts", (uint32_t[]){ 9, 0 }, 2);
	fdt_end_node(blob);

	fdt_begin_node(blob, "soc");
	prop_cells("#address-cells", (uint32_t[]){ 1 }, 1);
	prop_cells("#size-cells", (uint32_t[]){ 1 }, 1);
	/* Child 0x0..0xfff maps to CPU 0x40000000. */
	prop_cells("ranges", (uint32_t[]){ 0x0, 0x40000000, 0x1000 }, 3);
	fdt_begin_node(blob, "uart@100");
	fdt_property(blob, "compatible", "vendor,unknown\0test,uart", 25);
	prop_cells("reg", (uint32_t[]){ 0x100, 0x20 }, 2);
	fdt_end_node(blob);
	fdt_begin_node(blob, "uart@200");
	fdt_property_string(blob, "compatible", "test,uart");
	fdt_property_string(blob, "status", "disabled");
	prop_cells("reg", (uint32_t[]){ 0x200, 0x20 }, 2);
	fdt_end_node(blob);
	fdt_begin_node(blob, "uart@2000");	/* outside every range */
	fdt_property_string(blob, "compatible", "test,uart-v2");
	prop_cells("reg", (uint32_t[]){ 0x2000, 0x20, 0x5 }, 3);	/* odd length */
	fdt_end_node(blob);
	fdt_end_node(blob);

	fdt_begin_node(blob, "intc@8000");
	fdt_property_string(blob, "compatible", "test,intc");
	prop_cells("#interrupt-cells", (uint32_t[]){ 2 }, 1);
	prop_cells("reg", (uint32_t[]){ 0x8000, 0x100 }, 2);
	prop_cells("phandle", (uint32_t[]){ 7 }, 1);
	fdt_end_node(blob);

	fdt_begin_node(blob, "orphan");		/* names a parent that does not exist */
	fdt_property_string(blob, "compatible", "test,timer");
	prop_cells("interrupt-parent", (uint32_t[]){ 99 }, 1);
	prop_cells("interrupts", (uint32_t[]){ 1, 0 }, 2);
	fdt_end_node(blob);

	fdt_end_node(blob);
	fdt_finish(blob);
}

HOST_TEST(a_scan_probe_and_resolve)
{
	struct device *uart, *uart2, *timer, *intc;

	build_tree();
	CHECK(fdt_check_full(blob, sizeof(blob)) == 0);
	CHECK(devices_scan(blob) == 5);		/* disabled uart@200 skipped */
	devices_probe();

	uart = device_find("test,uart");
	CHECK(uart != NULL);
	if (!uart)
		return;
	CHECK(strcmp(uart->name, "uart@100") == 0);
	CHECK(uart->nr_reg == 1 && uart->reg[0].start == 0x40000100 && uart->reg[0].size == 0x20);
	CHECK(device_is_console(uart));		/* alias plus options */

	uart2 = device_find("test,uart-v2");	/* the more specific string matched */
	CHECK(uart2 != NULL && uart2->nr_reg == 0);	/* untranslatable reg dropped */
	CHECK(uart2 && !device_is_console(uart2));

	intc = device_find("test,intc");
	CHECK(intc && intc->state == DEVICE_BOUND && intc_probes == 1);

	/* The timer deferred once, then got interrupt 9 translated to 10. */
	timer = device_find("test,timer");
	CHECK(timer && timer->state == DEVICE_BOUND);
	CHECK(timer_probes >= 3);			/* timer: 2, orphan: at least 1 */
	CHECK(timer && device_irq(timer, 0) == 10);
	CHECK(timer && device_irq(timer, 1) < 0);	/* only one interrupt */
}

HOST_TEST(b_orphan_interrupt_fails_cleanly)
{
	unsigned int failed = 0;

	for (unsigned int i = 0; i < device_count(); i++) {
		extern struct device *device_at(unsigned int);
		struct device *d = device_at(i);

		if (strcmp(d->name, "orphan") == 0) {
			CHECK(d->state == DEVICE_FAILED);
			CHECK(d->error != -EPROBE_DEFER);
			failed++;
		}
	}
	CHECK(failed == 1);
}
