#!/usr/bin/env python3
"""Runs libffi's own test suite (from the libffi-sys crate's source) the way its
DejaGnu drivers do, against one or more libffi.so.8 builds, and prints one line per
run: `<result per library> <test id>`.

Usage: libffi-testsuite.py TESTSUITE_DIR LIB_DIR[,LABEL[,PRELOAD]]... [--only REGEX] [--jobs N]

Each program is compiled once per option set (gcc/g++ -O0 and -O2 with
`-W -Wall -Wno-psabi`; the `-DABI_NUM=FFI_GNUW64 -DABI_ATTR=__MSABI__` variant for
sources that mention ABI_NUM; libffi.bhaible once per DGTEST), linked with -lffi
against each LIB_DIR (a directory holding libffi.so and libffi.so.8) and run with
LD_LIBRARY_PATH=LIB_DIR; with PRELOAD (a library path), the program linked against
LIB_DIR runs with LD_PRELOAD=PRELOAD instead (a drop-in taking over a program built
against another libffi). A run passes when it exits 0 and its stdout+stderr match the
concatenated `dg-output` patterns; compile-only programs (no `dg-do run`) pass when
they compile. The result letters: P pass, F fail (exit status), O output mismatch,
C compile/link failure, T timeout.
"""

import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

SUITES = ["libffi.call", "libffi.closures", "libffi.complex", "libffi.bhaible",
          "libffi.threads", "libffi.go"]
# The configuration libffi's configure writes on x86-64 Linux, as far as the tests
# and ffi_common.h read it.
FFICONFIG = """#define HAVE_ALLOCA_H 1
#define HAVE_MMAP_ANON 1
#define STDC_HEADERS 1
#define HAVE_STDINT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_STRING_H 1
#define HAVE_MEMCPY 1
#define HAVE_LONG_DOUBLE 1
#define SIZEOF_SIZE_T 8
#define HAVE_HIDDEN_VISIBILITY_ATTRIBUTE 1
#define FFI_HIDDEN __attribute__ ((visibility ("hidden")))
"""


def tcl_string(body):
    """The value of a Tcl double-quoted word: backslash escapes substituted."""
    out, i = [], 0
    escapes = {"n": "\n", "r": "\r", "t": "\t"}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def dg_directives(text):
    runs = re.search(r"\{\s*dg-do\s+run", text) is not None
    pattern = []
    for m in re.finditer(r'\{\s*dg-output\s+(?:"((?:[^"\\]|\\.)*)"|\{([^}]*)\})', text):
        pattern.append(tcl_string(m.group(1)) if m.group(1) is not None else m.group(2))
    return runs, "".join(pattern)


def tcl_to_python(pattern):
    # Tcl AREs and Python agree on what the suite uses; Python needs literal braces
    # outside quantifiers escaped less often than Tcl, so keep as is.
    return pattern


def variants(suite_dir, suite, source):
    text = open(os.path.join(suite_dir, source), errors="replace").read()
    abis = [[]]
    if "ABI_NUM" in text:
        abis.append(["-DABI_NUM=FFI_GNUW64", "-DABI_ATTR=__MSABI__"])
    extra = [[]]
    if suite == "libffi.bhaible":
        extra = [["-DDGTEST=%d" % i] for i in range(1, 82)]
        # testcases.c is included by the others.
        if source == "testcases.c":
            return []
    out = []
    for opt in ["-O0", "-O2"]:
        for abi in abis:
            for e in extra:
                out.append((suite, source, [opt] + abi + e, text))
    return out


def run_one(args):
    testsuite, libs, workdir, (suite, source, options, text) = args
    tid = "%s/%s %s" % (suite, source, " ".join(options))
    suite_dir = os.path.join(testsuite, suite)
    runs, pattern = dg_directives(text)
    if suite == "libffi.bhaible":
        runs, pattern = True, ""
    compiler = "g++" if source.endswith(".cc") else "gcc"
    exe_base = os.path.join(workdir, re.sub(r"[^A-Za-z0-9]", "_", tid))
    obj = exe_base + ".o"
    flags = ["-W", "-Wall", "-Wno-psabi", "-I", suite_dir, "-I", workdir,
             "-I", os.path.join(testsuite, "..", "include")]
    if suite == "libffi.bhaible":
        flags += ["-Wno-unused-variable", "-Wno-unused-parameter", "-Wno-unused-but-set-variable",
                  "-Wno-uninitialized"]
    cc = subprocess.run([compiler] + flags + options + ["-c", os.path.join(suite_dir, source), "-o", obj],
                        capture_output=True, text=True)
    results = []
    for lib_dir, _label, preload in libs:
        if cc.returncode != 0:
            results.append("C")
            continue
        exe = exe_base + "." + str(abs(hash((lib_dir, preload))))
        link = subprocess.run([compiler, obj, "-o", exe, "-L", lib_dir, "-lffi", "-lm", "-lpthread",
                               "-Wl,-rpath," + lib_dir],
                              capture_output=True, text=True)
        if link.returncode != 0:
            results.append("C")
            continue
        if not runs:
            results.append("P")
            continue
        env = dict(os.environ, LD_LIBRARY_PATH=lib_dir)
        if preload:
            env["LD_PRELOAD"] = preload
        try:
            p = subprocess.run([exe], capture_output=True, env=env, timeout=60)
        except subprocess.TimeoutExpired:
            results.append("T")
            continue
        output = (p.stdout + p.stderr).decode(errors="replace")
        if p.returncode != 0:
            results.append("F")
        elif pattern and re.search(tcl_to_python(pattern), output) is None:
            results.append("O")
        else:
            results.append("P")
    return tid, results


def main():
    argv = sys.argv[1:]
    only, jobs = None, 2
    if "--only" in argv:
        i = argv.index("--only")
        only = re.compile(argv[i + 1])
        del argv[i:i + 2]
    if "--jobs" in argv:
        i = argv.index("--jobs")
        jobs = int(argv[i + 1])
        del argv[i:i + 2]
    testsuite = argv[0]
    libs = []
    for spec in argv[1:]:
        parts = spec.split(",")
        libs.append((parts[0], parts[1] if len(parts) > 1 else parts[0],
                     parts[2] if len(parts) > 2 else None))
    work = []
    for suite in SUITES:
        suite_dir = os.path.join(testsuite, suite)
        for source in sorted(os.listdir(suite_dir)):
            if source.endswith((".c", ".cc")):
                work.extend(variants(suite_dir, suite, source))
    if only:
        work = [w for w in work if only.search("%s/%s" % (w[0], w[1]))]
    with tempfile.TemporaryDirectory(prefix="libffi-testsuite-") as workdir:
        open(os.path.join(workdir, "fficonfig.h"), "w").write(FFICONFIG)
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for tid, results in pool.map(run_one, [(testsuite, libs, workdir, w) for w in work]):
                print("".join(results), tid, flush=True)


if __name__ == "__main__":
    main()
