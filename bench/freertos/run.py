#!/usr/bin/python3
"""Build and run the FreeRTOS timing/footprint benchmark on QEMU (microbit).

FreeRTOS is not vendored: pass the path of a FreeRTOS-Kernel source tree with
--src.  Everything produced goes under --out.  Exit status is non-zero on any
build, run or consistency failure.

Variants built:
  so0    configCHECK_FOR_STACK_OVERFLOW=0  (timed run)
  so2    configCHECK_FOR_STACK_OVERFLOW=2  (timed run)
  so0_trace / so2_trace  same, with -DBENCH_TRACE (few iterations, marker
         calls) run under QEMU's exec log for exact instruction counts.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CC = "arm-none-eabi-gcc"
SIZE = "arm-none-eabi-size"
NM = "arm-none-eabi-nm"
OBJDUMP = "arm-none-eabi-objdump"
CFLAGS = ["-mcpu=cortex-m0", "-mthumb", "-Os", "-ffunction-sections",
          "-fdata-sections", "-g", "-Wall", "-Wno-unused-parameter"]
LDFLAGS = ["-mcpu=cortex-m0", "-mthumb", "-nostdlib", "-Wl,--gc-sections"]
KERNEL_OBJS = ["tasks", "list", "queue", "timers", "port", "portasm"]
STATIC_RAM_OBJS = ["tasks", "queue", "timers", "list", "port"]
QEMU_BASE = ["qemu-system-arm", "-machine", "microbit", "-nographic",
             "-semihosting-config", "enable=on,target=native",
             "-icount", "shift=0,sleep=off"]
COUNTS_TO_INSNS = 1e9 / 16e6   # 62.5 ns per 16 MHz count; 1 insn = 1 ns


class Fail(Exception):
    pass


def sh(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, **kw)
    if r.returncode != 0:
        raise Fail("command failed (%d): %s\n%s%s" % (
            r.returncode, " ".join(cmd), r.stdout, r.stderr))
    return r.stdout


def build(src, out, name, defines):
    bdir = os.path.join(out, name)
    os.makedirs(bdir, exist_ok=True)
    inc = ["-I" + HERE, "-I" + os.path.join(HERE, "shim"), "-I" + os.path.join(src, "include"),
           "-I" + os.path.join(src, "portable", "GCC", "ARM_CM0")]
    units = {
        "tasks": os.path.join(src, "tasks.c"),
        "list": os.path.join(src, "list.c"),
        "queue": os.path.join(src, "queue.c"),
        "timers": os.path.join(src, "timers.c"),
        "port": os.path.join(src, "portable", "GCC", "ARM_CM0", "port.c"),
        "portasm": os.path.join(src, "portable", "GCC", "ARM_CM0", "portasm.c"),
        "heap_4": os.path.join(src, "portable", "MemMang", "heap_4.c"),
        "main": os.path.join(HERE, "main.c"),
        "startup": os.path.join(HERE, "startup.c"),
        "minilibc": os.path.join(HERE, "minilibc.c"),
    }
    objs = {}
    for u, path in units.items():
        o = os.path.join(bdir, u + ".o")
        extra = ["-fno-builtin", "-fno-tree-loop-distribute-patterns"] \
            if u == "minilibc" else []
        sh([CC] + CFLAGS + extra + defines + inc + ["-c", path, "-o", o])
        objs[u] = o
    elf = os.path.join(bdir, "bench.elf")
    sh([CC] + LDFLAGS + ["-T", os.path.join(HERE, "nrf51.ld"),
                         "-Wl,-Map=" + os.path.join(bdir, "bench.map"),
                         "-o", elf] + list(objs.values()) + ["-lgcc"])
    return bdir, elf, objs


def obj_sizes(objs):
    res = {}
    for u, o in objs.items():
        lines = sh([SIZE, "-B", o]).splitlines()
        t, d, b = (int(x) for x in lines[1].split()[:3])
        res[u] = {"text": t, "data": d, "bss": b}
    return res


def image_sections(elf):
    res = {}
    for line in sh([SIZE, "-A", elf]).splitlines():
        m = re.match(r"^(\.\S+)\s+(\d+)\s+(\d+)", line)
        if m and m.group(1) in (".text", ".data", ".bss"):
            res[m.group(1)] = int(m.group(2))
    return res


def linked_contrib(mapfile, units):
    """Bytes each object contributes to the linked image (after gc), from
    the linker map: {unit: {"text": .., "data": .., "bss": ..}}."""
    res = {u: {"text": 0, "data": 0, "bss": 0} for u in units}
    lines = open(mapfile).read().splitlines()
    in_map = False
    pending = None
    for line in lines:
        if line.startswith("Linker script and memory map"):
            in_map = True
            continue
        if not in_map:
            continue
        m = re.match(r"^ (\.\S+)\s*$", line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r"^ (\.\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+\.o)\s*$",
                     line)
        if m:
            sec = m.group(1) or pending
            pending = None
            size = int(m.group(3), 16)
            unit = os.path.basename(m.group(4))[:-2]
            if unit not in res or sec is None or size == 0:
                continue
            if sec.startswith(".text") or sec.startswith(".rodata"):
                res[unit]["text"] += size
            elif sec.startswith(".data"):
                res[unit]["data"] += size
            elif sec.startswith(".bss") or sec.startswith("COMMON"):
                res[unit]["bss"] += size
        else:
            pending = None
    return res


def run_qemu(elf, extra=(), timeout=60):
    cmd = ["timeout", str(timeout)] + QEMU_BASE + list(extra) + ["-kernel", elf]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return r.returncode, r.stdout, r.stderr


def parse_results(text):
    res = {}
    for line in text.splitlines():
        if line.startswith("FAIL"):
            raise Fail("target reported: " + line)
        m = re.match(r"^RESULT (\S+) (\d+)$", line.strip())
        if m:
            res[m.group(1)] = int(m.group(2))
    return res


def timed_run(elf):
    rc, out, err = run_qemu(elf)
    out = out + err   # semihosting SYS_WRITE0 output arrives on stderr
    if rc != 0 or "BENCH done" not in out:
        raise Fail("QEMU run failed rc=%d\nstdout:\n%s\nstderr:\n%s" % (rc, out, err))
    r = parse_results(out)
    c = COUNTS_TO_INSNS
    derived = {}
    derived["calib_ratio"] = r["calib_loop_counts"] * c / r["calib_loop_insns"]
    derived["clock_pair_mean"] = r["clock_pair_sum_counts"] * c / r["clock_pair_n"]
    derived["yield_switch"] = r["yield_elapsed_counts"] * c / r["yield_n"]
    lat_mean = r["irq_lat_sum_counts"] * c / r["irq_lat_n"]
    derived["irq_lat_raw_mean"] = lat_mean
    derived["irq_wakeup_latency"] = lat_mean - derived["clock_pair_mean"]
    derived["irq_lat_min_raw"] = r["irq_lat_min_counts"] * c
    derived["irq_lat_max_raw"] = r["irq_lat_max_counts"] * c
    derived["irq_round_trip"] = r["irq_rt_elapsed_counts"] * c / r["irq_rt_n"]
    derived["sem_round_trip"] = r["sem_rt_elapsed_counts"] * c / r["sem_rt_n"]
    # Sanity: calibration loop (2 insns/iteration) must read ~1 insn/ns.
    if not (0.99 < derived["calib_ratio"] < 1.01):
        raise Fail("clock calibration off: ratio %.4f" % derived["calib_ratio"])
    return r, derived, out


# ---------------------------------------------------------------- tracing
def symbols(elf):
    syms = []
    for line in sh([NM, "-S", "--defined-only", elf]).splitlines():
        p = line.split()
        if len(p) == 4 and p[2] in "tTwW":
            syms.append((int(p[0], 16) & ~1, int(p[1], 16), p[3]))
    syms.sort()
    return syms


def func_of(syms, pc, cache={}):
    key = (id(syms), pc)
    if key in cache:
        return cache[key]
    name = None
    for a, s, n in syms:
        if a <= pc < a + s:
            name = n
            break
    cache[key] = name
    return name


def addr(syms, name):
    for a, s, n in syms:
        if n == name:
            return a
    raise Fail("symbol not found: " + name)


def pendsv_return_addr(elf):
    dis = sh([OBJDUMP, "-d", "--disassemble=PendSV_Handler", elf])
    for line in dis.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+[0-9a-f ]+\s+bx\s+r3", line)
        if m:
            return int(m.group(1), 16)
    raise Fail("bx r3 not found in PendSV_Handler")


def trace_counts(elf, bdir):
    log = os.path.join(bdir, "exec.log")
    if os.path.exists(log):
        os.remove(log)
    rc, out, err = run_qemu(elf, ["-accel", "tcg,one-insn-per-tb=on",
                                  "-d", "exec,nochain", "-D", log])
    out = out + err
    if rc != 0 or "BENCH done" not in out:
        raise Fail("trace run failed rc=%d\n%s\n%s" % (rc, out, err))
    pcs = []
    pat = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    with open(log) as f:
        for line in f:
            m = pat.match(line)
            if m:
                pcs.append(int(m.group(1), 16))
    if not pcs:
        raise Fail("no Trace lines in " + log)
    syms = symbols(elf)
    fn = lambda i: func_of(syms, pcs[i])
    a_isr = addr(syms, "bench_irq31_handler")
    a_pendsv = addr(syms, "PendSV_Handler")
    a_bx = pendsv_return_addr(elf)
    a_yield = addr(syms, "vPortYield")
    a_systick = addr(syms, "SysTick_Handler")

    def find(start, target, what):
        for i in range(start, len(pcs)):
            if pcs[i] == target:
                return i
        raise Fail("trace: %s not found after index %d" % (what, start))

    def find_func(start, name):
        for i in range(start, len(pcs)):
            if fn(i) == name:
                return i
        raise Fail("trace: %s not reached after index %d" % (name, start))

    def check_no_tick(i0, i1):
        if any(pcs[i] == a_systick for i in range(i0, i1)):
            raise Fail("trace window %d..%d contains a SysTick interrupt" % (i0, i1))

    # Instruction kinds, for recognising QEMU log artefacts (see README):
    # with one-insn-per-tb, when a store to the NVIC (ISPR or ICSR.PENDSVSET)
    # makes an exception pending, QEMU logs the *next* instruction (a dsb)
    # and then takes the exception before executing it; the dsb is executed
    # (and logged again) when the context resumes.  Such a "phantom" line is
    # not counted.
    kinds = {}
    for line in sh([OBJDUMP, "-d", elf]).splitlines():
        mm = re.match(r"^\s*([0-9a-f]+):\s+(?:[0-9a-f]{4} ?){1,2}\s+(\S+)", line)
        if mm:
            kinds[int(mm.group(1), 16)] = mm.group(2)

    def phantoms(i0, i1):
        n = 0
        # line i-1 lies in [i0, i1); the exception entry i may be = i1
        for i in range(max(i0 + 1, 2), min(i1 + 1, len(pcs))):
            if (pcs[i] in (a_isr, a_pendsv, a_systick)
                    and kinds.get(pcs[i - 1]) == "dsb"
                    and kinds.get(pcs[i - 2], "").startswith("str")):
                n += 1
        return n

    def count(i0, i1):
        """instructions executed from log index i0 (incl.) to i1 (excl.)"""
        for i in range(i0 + 1, i1):
            if pcs[i] == pcs[i - 1]:
                raise Fail("duplicate log line inside window at %d" % i)
        return (i1 - i0) - phantoms(i0, i1)

    res = {}
    # --- IRQ wake-up path (use the 2nd sample, after warm-up) ---
    marks = [i for i, pc in enumerate(pcs) if pc == addr(syms, "trace_mark_pend")]
    if len(marks) < 2:
        raise Fail("trace: too few trace_mark_pend hits")
    m = marks[1]
    i_isr = find(m, a_isr, "irq handler")
    i_psv = find(i_isr, a_pendsv, "PendSV")
    i_bx = find(i_psv, a_bx, "PendSV bx r3")
    i_first = i_bx + 1
    i_back = find_func(i_first, "high_lat_task")
    check_no_tick(m, i_back)
    res["irq_isr_to_pendsv_entry"] = count(i_isr, i_psv)
    res["irq_pendsv_entry_to_task_first"] = count(i_psv, i_first)
    res["irq_isr_to_woken_first_insn"] = count(i_isr, i_first)
    res["irq_woken_first_func"] = fn(i_first)
    res["irq_woken_first_to_take_return"] = count(i_first, i_back)
    res["irq_isr_to_take_return"] = count(i_isr, i_back)
    res["irq_phantoms_in_window"] = phantoms(i_isr, i_back)
    # instructions in the pender from the ISPR-store to ISR entry (the store
    # is the last instruction of low_task logged before the handler)
    res["irq_funcs_in_path"] = sorted({fn(i) for i in range(i_isr, i_back)} - {None})

    # --- yield path (2nd marked yield of task A) ---
    ymarks = [i for i, pc in enumerate(pcs) if pc == addr(syms, "trace_mark_yield")]
    if len(ymarks) < 2:
        raise Fail("trace: too few trace_mark_yield hits")
    y = find(ymarks[1], a_yield, "vPortYield")
    i_bl = y - 1
    if fn(i_bl) != "yield_a_task":
        raise Fail("trace: instruction before vPortYield is in %s" % fn(i_bl))
    i_psv = find(y, a_pendsv, "PendSV")
    i_bx = find(i_psv, a_bx, "PendSV bx r3")
    i_first = i_bx + 1
    i_back = find_func(i_first, "yield_b_task")
    check_no_tick(i_bl, i_back)
    res["yield_bl_to_pendsv_entry"] = count(i_bl, i_psv)
    res["yield_bl_to_b_first_insn"] = count(i_bl, i_first)
    res["yield_b_first_func"] = fn(i_first)
    res["yield_bl_to_b_return"] = count(i_bl, i_back)
    res["yield_pendsv_entry_to_b_first"] = count(i_psv, i_first)
    res["yield_phantoms_in_window"] = phantoms(i_bl, i_back)
    res["yield_funcs_in_path"] = sorted({fn(i) for i in range(i_bl, i_back)} - {None})
    # duplicate-logging sanity check: identical consecutive PCs would mean
    # the log double counts (only legitimate for a branch-to-self).
    dups = sum(1 for i in range(1, len(pcs)) if pcs[i] == pcs[i - 1])
    res["consecutive_duplicate_pcs_in_log"] = dups
    res["log_instructions"] = len(pcs)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True, help="FreeRTOS-Kernel source tree")
    ap.add_argument("--out", required=True, help="build/output directory")
    ap.add_argument("--no-trace", action="store_true")
    a = ap.parse_args()
    src = os.path.abspath(a.src)
    out = os.path.abspath(a.out)
    if not os.path.exists(os.path.join(src, "include", "task.h")):
        print("FAIL: %s is not a FreeRTOS-Kernel tree" % src)
        return 2
    os.makedirs(out, exist_ok=True)
    report = {}
    try:
        ver = re.search(r'tskKERNEL_VERSION_NUMBER\s+"([^"]+)"',
                        open(os.path.join(src, "include", "task.h")).read())
        report["freertos_version"] = ver.group(1) if ver else "?"
        report["cflags"] = " ".join(CFLAGS)
        report["ldflags"] = " ".join(LDFLAGS) + " -T nrf51.ld ... -lgcc"
        for so in (0, 2):
            name = "so%d" % so
            defs = ["-DconfigCHECK_FOR_STACK_OVERFLOW=%d" % so]
            bdir, elf, objs = build(src, out, name, defs)
            v = {}
            sizes = obj_sizes(objs)
            v["obj_sizes"] = sizes
            v["kernel_sum"] = {k: sum(sizes[u][k] for u in KERNEL_OBJS)
                               for k in ("text", "data", "bss")}
            v["kernel_static_ram"] = sum(sizes[u]["data"] + sizes[u]["bss"]
                                         for u in STATIC_RAM_OBJS)
            v["image_sections"] = image_sections(elf)
            lc = linked_contrib(os.path.join(bdir, "bench.map"), list(objs))
            v["linked_contrib"] = lc
            v["linked_kernel_sum"] = {k: sum(lc[u][k] for u in KERNEL_OBJS)
                                      for k in ("text", "data", "bss")}
            raw, derived, text = timed_run(elf)
            open(os.path.join(bdir, "qemu.out"), "w").write(text)
            v["raw"] = raw
            v["derived"] = derived
            if not a.no_trace:
                tdir, telf, _ = build(src, out, name + "_trace",
                                      defs + ["-DBENCH_TRACE"])
                v["trace"] = trace_counts(telf, tdir)
            report[name] = v
    except Fail as e:
        print("FAIL:", e)
        json.dump(report, open(os.path.join(out, "results.json"), "w"), indent=1)
        return 1
    json.dump(report, open(os.path.join(out, "results.json"), "w"), indent=1)
    print_report(report)
    return 0


def print_report(r):
    print("FreeRTOS %s  CFLAGS: %s" % (r["freertos_version"], r["cflags"]))
    print("LDFLAGS: %s" % r["ldflags"])
    vs = ["so0", "so2"]
    print("\n%-44s %14s %14s" % ("figure (instructions = ns, shift=0)",
                                 "stackchk=0", "stackchk=2"))

    def row(label, f):
        print("%-44s %14s %14s" % (label, f(r["so0"]), f(r["so2"])))
    d = lambda k, fmt="%.2f": (lambda v: fmt % v["derived"][k])
    row("calibration (measured/expected insns)", d("calib_ratio", "%.5f"))
    row("clock read pair, mean", d("clock_pair_mean"))
    row("1 yield_switch (per switch)", d("yield_switch"))
    row("2 irq_wakeup_latency (mean - clock pair)", d("irq_wakeup_latency"))
    row("  raw mean (incl. one clock read)", d("irq_lat_raw_mean"))
    row("  raw min", d("irq_lat_min_raw"))
    row("  raw max", d("irq_lat_max_raw"))
    row("3 irq_round_trip", d("irq_round_trip"))
    row("4 sem_round_trip (2 switches)", d("sem_round_trip"))
    for k in ("yield_ticks_elapsed", "irq_lat_ticks_elapsed",
              "irq_rt_ticks_elapsed", "sem_rt_ticks_elapsed"):
        row("  ticks during " + k.replace("_ticks_elapsed", ""),
            lambda v, k=k: str(v["raw"][k]))
    if "trace" in r["so0"]:
        for k in ("irq_isr_to_pendsv_entry", "irq_pendsv_entry_to_task_first",
                  "irq_isr_to_woken_first_insn", "irq_woken_first_to_take_return",
                  "irq_isr_to_take_return", "yield_bl_to_pendsv_entry",
                  "yield_pendsv_entry_to_b_first",
                  "yield_bl_to_b_first_insn", "yield_bl_to_b_return",
                  "irq_phantoms_in_window", "yield_phantoms_in_window",
                  "consecutive_duplicate_pcs_in_log"):
            row("5 trace " + k, lambda v, k=k: str(v["trace"][k]))
        row("  woken task's first insn is in", lambda v: v["trace"]["irq_woken_first_func"])
        row("  yield B's first insn is in", lambda v: v["trace"]["yield_b_first_func"])
    row("sizeof(StaticTask_t)", lambda v: str(v["raw"]["sizeof_StaticTask_t"]))
    row("heap free after setup", lambda v: str(v["raw"]["heap_free_bytes"]))
    for u in ["tasks", "list", "queue", "timers", "port", "portasm", "heap_4"]:
        row("6 %s.o text/data/bss" % u,
            lambda v, u=u: "%d/%d/%d" % tuple(v["obj_sizes"][u][k] for k in ("text", "data", "bss")))
    row("6 kernel sum (tasks..portasm) t/d/b",
        lambda v: "%d/%d/%d" % tuple(v["kernel_sum"][k] for k in ("text", "data", "bss")))
    row("6 kernel static RAM (.data+.bss)", lambda v: str(v["kernel_static_ram"]))
    row("6 kernel linked (after gc) t/d/b",
        lambda v: "%d/%d/%d" % tuple(v["linked_kernel_sum"][k] for k in ("text", "data", "bss")))
    row("6 heap_4 linked t/d/b",
        lambda v: "%d/%d/%d" % tuple(v["linked_contrib"]["heap_4"][k] for k in ("text", "data", "bss")))
    row("6 image .text/.data/.bss",
        lambda v: "%d/%d/%d" % tuple(v["image_sections"].get(k, 0) for k in (".text", ".data", ".bss")))


if __name__ == "__main__":
    sys.exit(main())
