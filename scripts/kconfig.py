#!/usr/bin/python3
# Kconfig driver for the Meson build: turns a defconfig plus fragments into
# <builddir>/.config and <builddir>/autoconf.h, and implements the editing
# targets (menuconfig, olddefconfig, savedefconfig, defconfig).
#
# The build directory's .config is the source of truth once it exists, so
# menuconfig and hand edits survive reconfiguration.  It is regenerated from
# the defconfig and fragments only when those inputs change (their names or
# their contents), which is what `meson configure -Dfragments=...` expects.
# Every Kconfig warning is fatal, and so is an assignment in a defconfig or
# fragment that does not end up as the symbol's value.

import argparse
import hashlib
import os
import sys

import kconfiglib

STAMP = '.config-inputs'


def fail(msg):
    sys.exit('kconfig: error: ' + msg)


def inputs_digest(files):
    h = hashlib.sha256()
    for f in files:
        h.update(os.path.abspath(f).encode() + b'\0')
        with open(f, 'rb') as fp:
            h.update(fp.read())
        h.update(b'\0')
    return h.hexdigest()


def load_kconfig(kconfig):
    try:
        kconf = kconfiglib.Kconfig(kconfig, warn_to_stderr=False)
    except kconfiglib.KconfigError as e:
        fail(str(e))
    if kconf.warnings:
        fail('\n'.join(kconf.warnings))
    return kconf


def check_assignments(kconf, files):
    """Fail when a hand-written input asks for a value Kconfig refuses."""
    errors = []
    for name, val in kconf.missing_syms:
        errors.append('CONFIG_%s=%s: no such symbol' % (name, val))
    for sym in kconf.unique_defined_syms:
        if sym.user_value is None:
            continue
        if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            want = kconfiglib.TRI_TO_STR[sym.user_value]
        else:
            want = sym.user_value
        if not any(node.prompt for node in sym.nodes):
            errors.append('CONFIG_%s has no prompt and cannot be set by a '
                          'config file' % sym.name)
        elif sym.str_value != want:
            errors.append('CONFIG_%s was assigned %r but got %r (depends on: %s)'
                          % (sym.name, want, sym.str_value,
                             kconfiglib.expr_str(sym.direct_dep)))
    if errors:
        fail('in %s:\n  ' % ', '.join(files) + '\n  '.join(errors))


def generate(args, force=False):
    kconf = load_kconfig(args.kconfig)
    dotconfig = os.path.join(args.builddir, '.config')
    stamp = os.path.join(args.builddir, STAMP)
    inputs = [args.defconfig] + args.fragment
    for f in inputs:
        if not os.path.isfile(f):
            fail('no such config file: ' + f)
    digest = inputs_digest(inputs)
    old_digest = read_stamp(stamp)[0]

    if os.path.exists(dotconfig) and old_digest == digest and not force:
        kconf.load_config(dotconfig)
        if kconf.warnings:
            fail('\n'.join(kconf.warnings))
    else:
        kconf.warn_assign_undef = True
        kconf.warn_assign_override = False   # later files win on purpose
        kconf.warn_assign_redun = False
        kconf.load_config(inputs[0])
        for frag in inputs[1:]:
            kconf.load_config(frag, replace=False)
        if kconf.warnings:
            fail('\n'.join(kconf.warnings))
        check_assignments(kconf, inputs)
        with open(stamp, 'w') as fp:
            fp.write('\n'.join([digest] + [os.path.abspath(f) for f in inputs]) + '\n')

    kconf.write_config(dotconfig, save_old=False)
    kconf.write_autoconf(os.path.join(args.builddir, 'autoconf.h'))
    # Meson makes every printed file a reconfigure dependency.
    for f in sorted(set(kconf.kconfig_filenames)):
        print(os.path.join(os.environ.get('srctree', ''), f))


def savedefconfig(args):
    kconf = load_kconfig(args.kconfig)
    kconf.load_config(os.path.join(args.builddir, '.config'))
    out = os.path.join(args.builddir, 'defconfig')
    kconf.write_min_config(out)
    print('kconfig: minimal config written to ' + out)


def olddefconfig(args):
    kconf = load_kconfig(args.kconfig)
    dotconfig = os.path.join(args.builddir, '.config')
    kconf.load_config(dotconfig)
    kconf.write_config(dotconfig, save_old=False)
    print('kconfig: ' + dotconfig + ' updated')


def read_stamp(stamp):
    """Returns (digest, [defconfig, fragments...]) of the last generation."""
    try:
        with open(stamp) as fp:
            lines = fp.read().split()
    except OSError:
        return None, []
    return (lines[0] if lines else None), lines[1:]


def defconfig(args):
    # Throw away menuconfig and hand edits: regenerate .config from the
    # defconfig and fragments this build directory was set up with.
    inputs = read_stamp(os.path.join(args.builddir, STAMP))[1]
    if not inputs:
        fail('this build directory has no recorded defconfig; run meson setup')
    args.defconfig, args.fragment = inputs[0], inputs[1:]
    with open(os.devnull, 'w') as devnull:
        old, sys.stdout = sys.stdout, devnull
        try:
            generate(args, force=True)
        finally:
            sys.stdout = old
    print('kconfig: .config regenerated from ' + ', '.join(inputs))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('command', choices=['generate', 'savedefconfig',
                                       'olddefconfig', 'defconfig'])
    p.add_argument('--kconfig', required=True)
    p.add_argument('--builddir', required=True)
    p.add_argument('--defconfig')
    p.add_argument('--fragment', action='append', default=[])
    args = p.parse_args()
    os.environ.setdefault('srctree', os.path.dirname(os.path.abspath(args.kconfig)))
    {'generate': generate, 'savedefconfig': savedefconfig,
     'olddefconfig': olddefconfig, 'defconfig': defconfig}[args.command](args)


if __name__ == '__main__':
    main()
