# Writes tests/c/wide_kinds.c: the C callees, callers and fast-call callers of
# tests/wide_kinds.rs and tests/cross_wide_kinds.rs, one of each per signature of
# tests/c/wide_kinds.sigs (which the Rust tests read too), and, under
# WIDE_KINDS_TABLE, the table the qemu harness (tests/cross/wide_kinds_harness.c)
# walks. Run: python3 scripts/gen_wide_kinds.py
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SIGS = [line.strip() for line in open(os.path.join(ROOT, "tests", "c", "wide_kinds.sigs"))
        if line.strip() and not line.startswith("#")]
C = {"ptr": "void *", "ld": "long double", "q128": "q128", "f32": "float", "f64": "double",
     "i8": "int8_t", "u8": "uint8_t", "i32": "int32_t", "i64": "int64_t", "i128": "i128",
     "u128": "u128", "void": "void"}
# The type a fast-call entry takes or returns a value as (FastCall::entry_signature):
# narrow integers as 32 bits, 16-byte scalars and structs by address.
NARROW = {"i8": "int32_t", "u8": "uint32_t"}
WIDE = ("i128", "u128", "ld", "q128")


def split(text):
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def parse(t):
    return [parse(p) for p in split(t[1:-1])] if t.startswith("{") else t


def parse_sig(s):
    params, result = s.split("->")
    return [parse(p) for p in split(params.strip()[1:-1])], parse(result.strip())


structs = {}


def ctype(t):
    if isinstance(t, str):
        return C[t]
    key = repr(t)
    if key not in structs:
        name = "w%d" % len(structs)
        fields = "".join(" %s f%d;" % (ctype(f), i) for i, f in enumerate(t))
        structs[key] = (name, "typedef struct {%s } %s;" % (fields, name))
    return structs[key][0]


def by_address(t):
    return not isinstance(t, str) or t in WIDE


def leaves(t, expr):
    if isinstance(t, str):
        return [(t, expr)]
    out = []
    for i, f in enumerate(t):
        out += leaves(f, "%s.f%d" % (expr, i))
    return out


def conv(t, e):
    """The value of leaf type t that the u128 e stands for (exact for floats)."""
    if t in ("ld", "q128"):
        return "(%s)((int64_t)(%s) >> 1)" % (C[t], e)
    if t == "f64":
        return "(double)((int64_t)(%s) >> 12)" % e
    if t == "f32":
        return "(float)((int64_t)(%s) >> 40)" % e
    return "(%s)(%s)" % (C[t], e)


def unconv(t, e):
    if t in ("f64", "f32", "ld", "q128"):
        return "(u128)(i128)(int64_t)(%s)" % e
    return "(u128)(i128)(%s)" % e


def args_from_v(ps):
    """Lines building a1.. from v (a0 is the context), and the count of v used."""
    lines, k = [], 0
    for i, p in enumerate(ps[1:], 1):
        lines.append("    %s a%d;" % (ctype(p), i))
        for t, e in leaves(p, "a%d" % i):
            lines.append("    %s = %s;" % (e, conv(t, "v[%d]" % k)))
            k += 1
    return lines


def result_lines(r, call):
    if r == "void":
        return ["    %s;" % call, "    return ctx->hash;"]
    if isinstance(r, str):
        return ["    %s r = %s;" % (ctype(r), call), "    return %s;" % unconv(r, "r")]
    lines = ["    %s r = %s;" % (ctype(r), call), "    u128 h = 0;"]
    for t, e in leaves(r, "r"):
        lines.append("    h = mix(h, %s);" % unconv(t, e))
    return lines + ["    return h;"]


out = []
table = []
for abi in ["", "ms_"]:
    if abi:
        out.append("#if defined(__x86_64__)")
    attr = "__attribute__((ms_abi)) " if abi else ""
    for n, s in enumerate(SIGS):
        ps, r = parse_sig(s)
        assert ps[0] == "ptr", s
        for p in ps:
            ctype(p)
        ctype(r)
        decl = ", ".join("%s a%d" % (ctype(p), i) for i, p in enumerate(ps))
        body = ["    note(a0, __builtin_frame_address(0));", "    u128 h = 0;"]
        for i, p in enumerate(ps[1:], 1):
            for t, e in leaves(p, "a%d" % i):
                body.append("    h = mix(h, %s);" % unconv(t, e))
        body.append("    ((wk_ctx *)a0)->hash = h;")
        if r == "void":
            pass
        elif isinstance(r, str):
            body.append("    return %s;" % conv(r, "h"))
        else:
            body.append("    %s r;" % ctype(r))
            for k, (t, e) in enumerate(leaves(r, "r")):
                body.append("    %s = %s;" % (e, conv(t, "h + %d" % k)))
            body.append("    return r;")
        out.append("%s%s %scallee%d(%s) {\n%s\n}" % (attr, ctype(r), abi, n, decl, "\n".join(body)))

        # callerN: calls f, a function of the signature, with arguments from v.
        fnty = "%s%s (*)(%s)" % (attr, ctype(r), ", ".join(ctype(p) for p in ps))
        lines = ["    wk_ctx *ctx = c;", "    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);",
                 "    ctx->hash = ~(u128)0;"]
        lines += args_from_v(ps)
        call = "((%s)f)(%s)" % (fnty, ", ".join(["c"] + ["a%d" % i for i in range(1, len(ps))]))
        lines += result_lines(r, call)
        out.append("u128 %scaller%d(void *f, void *c, const u128 *v) {\n%s\n}"
                   % (abi, n, "\n".join(lines)))

        # fcallerN: calls a fast-call entry of the signature (receiver, args..., [out],
        # options) with the same arguments.
        etypes, eargs = ["void *", "void *"], ["(void *)0x5ece1e5", "c"]
        for i, p in enumerate(ps[1:], 1):
            if by_address(p):
                etypes.append("const %s *" % ctype(p))
                eargs.append("&a%d" % i)
            elif p in NARROW:
                etypes.append(NARROW[p])
                eargs.append("(%s)a%d" % (NARROW[p], i))
            else:
                etypes.append(ctype(p))
                eargs.append("a%d" % i)
        out_pointer = r != "void" and by_address(r)
        if out_pointer:
            etypes.append("%s *" % ctype(r))
            eargs.append("&r")
        etypes.append("void *")
        eargs.append("(void *)0x0b7105")
        eres = "void" if out_pointer or r == "void" else NARROW.get(r, ctype(r))
        ety = "%s%s (*)(%s)" % (attr, eres, ", ".join(etypes))
        lines = ["    wk_ctx *ctx = c;", "    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);",
                 "    ctx->hash = ~(u128)0;"]
        lines += args_from_v(ps)
        call = "((%s)entry)(%s)" % (ety, ", ".join(eargs))
        if out_pointer:
            lines.append("    %s r;" % ctype(r))
            lines.append("    memset(&r, 0xa5, sizeof r);")
            lines.append("    %s;" % call)
            if isinstance(r, str):
                lines.append("    return %s;" % unconv(r, "r"))
            else:
                lines.append("    u128 h = 0;")
                for t, e in leaves(r, "r"):
                    lines.append("    h = mix(h, %s);" % unconv(t, e))
                lines.append("    return h;")
        elif r == "void":
            lines += ["    %s;" % call, "    return ctx->hash;"]
        else:
            # A narrow result comes back widened to 32 bits: all 32 are compared.
            lines.append("    %s r = %s;" % (NARROW.get(r, ctype(r)), call))
            lines.append("    return %s;" % unconv(r, "r"))
        out.append("u128 %sfcaller%d(void *entry, void *c, const u128 *v) {\n%s\n}"
                   % (abi, n, "\n".join(lines)))
        if not abi:
            table.append(n)
    if abi:
        out.append("#endif")

hdr = '''/* Callees and callers with __int128, long double and binary128 arguments and results,
 * each after a runtime context pointer, for the fast-call and boundary tests
 * tests/wide_kinds.rs (host: System V, and GCC's ms_abi with prefix ms_) and
 * tests/cross_wide_kinds.rs (aarch64 and riscv64 under qemu). Written by
 * scripts/gen_wide_kinds.py from tests/c/wide_kinds.sigs; do not edit.
 *
 * calleeN(ctx, ...) notes the context's boundary records and its own frame pointer
 * (note()), hashes every scalar leaf of its other arguments in order (sign-extended
 * to 128 bits; a float as the int64 it holds) with mix(), stores the hash in
 * ctx->hash and returns it converted to its result type (a struct result: leaf k gets
 * hash + k). callerN(f, ctx, v) calls f, a function of signature N, with the context
 * and arguments made from v[0], v[1], ... (one per leaf, converted to the leaf's
 * type: v >> 12 for a double, v >> 40 for a float, v >> 1 for a long double or
 * binary128, so that they hold it exactly) and returns f's result extended to 128 bits
 * (a struct result hashed like arguments; void: ctx->hash). fcallerN(entry, ctx, v)
 * does the same through a fast-call entry of signature N: (receiver, ctx, args...,
 * [out], options), narrow integers as 32 bits, 16-byte scalars and structs as pointers
 * to them, a 16-byte or struct result through out. Both callers first store their own
 * frame pointer in ctx->caller_fp. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef __int128 i128;
typedef unsigned __int128 u128;
#if defined(__x86_64__)
typedef __float128 q128;
#else
typedef long double q128;
#endif

/* The runtime context: the standard boundary records at 0, 8, 16 and 24 (entry SP,
 * entry FP, exit FP, exit PC), what the latest callee saw of them, the frame pointers
 * of the latest caller and callee, the frame the callee's links to, the entry
 * trampoline's frame record (saved FP, return address) as the callee saw it, and the
 * latest callee's hash. Records hold WK_UNTOUCHED until a trampoline writes them. */
#define WK_UNTOUCHED ((uintptr_t)0x5eed0000deadbeefull)
typedef struct {
    uintptr_t entry_sp, entry_fp, exit_fp, exit_pc;
    uintptr_t seen[4];
    uintptr_t caller_fp, callee_fp, callee_link, entry_link, entry_return;
    u128 hash;
} wk_ctx;

static u128 mix(u128 h, u128 v) { return ((h * 0x9e3779b97f4a7c15u) + v) ^ (h >> 64); }

/* Called by every callee with its own frame pointer: copies the records, and reads the
 * frame records while they are live (gcc's riscv64 frame pointer points above the
 * saved FP and return address; elsewhere at the saved FP). */
static void note(void *c, void *frame) {
    wk_ctx *ctx = c;
    ctx->seen[0] = ctx->entry_sp;
    ctx->seen[1] = ctx->entry_fp;
    ctx->seen[2] = ctx->exit_fp;
    ctx->seen[3] = ctx->exit_pc;
    ctx->callee_fp = (uintptr_t)frame;
#if defined(__riscv)
    ctx->callee_link = ((uintptr_t *)frame)[-2];
#else
    ctx->callee_link = ((uintptr_t *)frame)[0];
#endif
    /* The entry trampoline's own frame record (Cranelift's: FP at its saved FP). */
    if (ctx->entry_fp != WK_UNTOUCHED) {
        ctx->entry_link = ((uintptr_t *)ctx->entry_fp)[0];
        ctx->entry_return = ((uintptr_t *)ctx->entry_fp)[1];
    }
}
'''

tab = ['', '#if defined(WIDE_KINDS_TABLE)',
       '/* The qemu harness\'s view: for signature N, the object springboard emitted holds',
       ' * wkfN = fastcall(calleeN), wkenN = entry(calleeN), wkexN = exit(calleeN) (native',
       ' * shapes), wkaeN = entry and wkaxN = exit (array shapes, wkaxN_entry its handler). */',
       'typedef struct { void *handler; void *context; } wk_entry_t;',
       'typedef void (*wk_array_entry_t)(void *callee, const uint64_t *args, void *result, size_t capacity);',
       'typedef u128 (*wk_caller_t)(void *, void *, const u128 *);',
       'typedef struct {',
       '    int n, params;',
       '    void *callee;',
       '    wk_caller_t caller, fcaller;',
       '    void *fast, *native_entry, *native_exit, *array_exit;',
       '    wk_entry_t *array_exit_entry;',
       '    wk_array_entry_t array_entry;',
       '} wk_case;']
for n in table:
    tab.append('extern char wkf%d[], wken%d[], wkex%d[], wkax%d[];' % (n, n, n, n))
    tab.append('extern wk_entry_t wkax%d_entry;' % n)
    tab.append('void wkae%d(void *, const uint64_t *, void *, size_t);' % n)
tab.append('static const wk_case wk_cases[] = {')
for n in table:
    params = len(parse_sig(SIGS[n])[0])
    tab.append('    { %d, %d, (void *)callee%d, caller%d, fcaller%d, wkf%d, wken%d, wkex%d, wkax%d, &wkax%d_entry, wkae%d },'
               % (n, params, n, n, n, n, n, n, n, n, n))
tab.append('};')
tab.append('#endif')

src = hdr + "\n".join(v[1] for v in sorted(structs.values(), key=lambda x: int(x[0][1:]))) \
    + "\n\n" + "\n\n".join(out) + "\n" + "\n".join(tab) + "\n"
open(os.path.join(ROOT, "tests", "c", "wide_kinds.c"), "w").write(src)
