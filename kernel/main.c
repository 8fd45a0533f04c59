/*
 * kernel_main: the machine-independent boot, one step per line.  The port
 * has set up the CPU and described the machine in a struct boot_info.
 */
#include <arch/boot.h>
#include <arch/cpu.h>
#ifdef CONFIG_PAGING
#include <arch/mmu.h>
#endif
#include <kernel/bench.h>
#include <kernel/cmdline.h>
#include <kernel/device.h>
#include <kernel/ktest.h>
#ifdef CONFIG_PROCESSES
#include <kernel/process.h>
#endif
#ifdef CONFIG_VFS
#include <kernel/vfs.h>
#endif
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sw_timer.h>
#include <kernel/random.h>
#ifdef CONFIG_RTC
#include <kernel/rtc.h>
#endif
#include <kernel/slab.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/watchdog.h>
#ifdef CONFIG_THREADS
#include <kernel/thread.h>
#ifdef CONFIG_VDSO
#include <kernel/vdso.h>
#endif
#endif

const struct boot_info *boot_info;

#ifdef CONFIG_RTOS_DEMO
int rtos_demo(void);			/* the port's demo application */
#endif
#ifdef CONFIG_APP
#include <kernel/app.h>
#endif

static void
print_memory(const struct boot_info *bi)
{
	uint64_t total = 0;
	bool big;

	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *m = &bi->mem[i];

		pr_info("memory: [0x%016llx-0x%016llx] %llu KiB\n",
			(unsigned long long)m->base,
			(unsigned long long)(m->base + m->size - 1),
			(unsigned long long)(m->size >> 10));
		total += m->size;
	}
	/* MiB on the big machines, KiB on the 16 KiB ones. */
	big = total >= (16u << 20);
	pr_info("memory: %llu %s usable in %u region%s\n",
		(unsigned long long)(total >> (big ? 20 : 10)), big ? "MiB" : "KiB",
		bi->nr_mem, bi->nr_mem == 1 ? "" : "s");
}

/* Show that the periodic tick runs: wait for a few ticks with WFI/HLT. */
static void
show_tick(void)
{
	uint64_t t0 = time_ns(), j0 = jiffies_read(), j;

	while ((j = jiffies_read()) < j0 + CONFIG_HZ / 10)
		arch_wait_for_irq();
	pr_info("tick: %llu ticks in %llu us\n", (unsigned long long)(j - j0),
		(unsigned long long)((time_ns() - t0) / 1000));
}

__noreturn void
kernel_main(struct boot_info *bi)
{
	boot_info = bi;
	cmdline_init(bi->cmdline);
	devices_scan(bi->fdt);		/* device tree or board table */
	devices_probe();		/* consoles, interrupt chips, timers */
	if (!console_present() && fallback_console()) {
		console_register(fallback_console());
		pr_warn("console: the firmware named none; using %s\n",
			fallback_console()->name);
	}

	pr_notice("Kite %s on %s (%s)\n", KITE_VERSION, bi->machine, CONFIG_ARCH);
	if (bi->loader)
		pr_info("boot loader: %s\n", bi->loader);
	pr_info("command line: \"%s\"\n", cmdline_get());
	print_memory(bi);
#ifdef CONFIG_PAGING
	page_alloc_init(bi);		/* buddy zones over the memory map */
	arch_mmu_init(bi);		/* final kernel page tables, W^X */
	kmalloc_init();			/* slab caches */
#elif defined(CONFIG_RTOS_HEAP)
	kmalloc_init();			/* the heap over the RAM the image leaves */
#endif

#ifdef CONFIG_THREADS
	sched_init();			/* this context becomes thread "main" */
#endif
#ifdef CONFIG_VDSO
	vdso_init();			/* its pages; the time data moves to [vvar] */
#endif
	time_init();			/* periodic tick at CONFIG_HZ */
#ifdef CONFIG_RTC
	rtc_hctosys();			/* the time of day, from the RTC */
#endif
	arch_irq_enable();
#ifdef CONFIG_THREADS
	sched_start();			/* the idle thread; preemption on */
#endif
#ifdef CONFIG_SW_TIMERS
	sw_timers_init();		/* thread "timers" */
#endif
	smp_init();			/* the other CPUs, if any */
	watchdog_init();		/* lockups and hung tasks (CONFIG_WATCHDOG) */
	show_tick();
#ifdef CONFIG_RANDOM
	random_init();			/* seeds: boot loader, CPU, timer jitter */
#endif
#ifdef CONFIG_VFS
	vfs_init();			/* root, initramfs, /dev, /proc */
#endif

#ifdef CONFIG_BENCH
	bench_run_all();
	if (!IS_ENABLED(CONFIG_KTEST))
		machine_poweroff(false);
#endif
	/*
	 * ktest.user: a test boot of user space instead (the initramfs's
	 * test suite as init prints TAP and powers off).
	 */
	if (IS_ENABLED(CONFIG_KTEST) && !(IS_ENABLED(CONFIG_PROCESSES) && cmdline_has("ktest.user")))
		machine_poweroff(ktest_run_all() != 0);
#ifdef CONFIG_RTOS_DEMO
	machine_poweroff(rtos_demo() != 0);
#endif
#ifdef CONFIG_APP
	/* The firmware's own code (app/CONFIG_APP_NAME/); its threads outlive main. */
	thread_exit(app_main());
#endif

#ifdef CONFIG_PROCESSES
	process_start_init();		/* /init from the initramfs as pid 1 */
	thread_exit(0);			/* main's work is done; init and the idle threads go on */
#else
	pr_info("nothing to run yet (no init); powering off\n");
	machine_poweroff(false);
#endif
}
