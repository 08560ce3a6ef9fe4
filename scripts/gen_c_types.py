# Writes tests/c/c_types.c: the C callees and callers of tests/c_types.rs and
# tests/cross_c_types.rs, one pair per signature of tests/c/c_types.sigs (which the
# Rust tests read too; c32/c64 are float/double _Complex), and the variadic vsum. Run: python3 scripts/gen_c_types.py
import os
HERE = os.path.dirname(os.path.abspath(__file__))
SIGS = [line.strip() for line in open(os.path.join(HERE, "..", "tests", "c", "c_types.sigs"))
        if line.strip() and not line.startswith("#")]
CT = {"ld":"long double","cld":"long double _Complex","q128":"q128","c32":"float _Complex","c64":"double _Complex","f32":"float","i8":"int8_t","i32":"int32_t","i64":"int64_t","i128":"i128","u128":"u128","f64":"double"}
def parse(t):
    t=t.strip()
    if t.startswith("{"):
        inner=t[1:-1]; parts=[]; depth=0; cur=""
        for ch in inner:
            if ch=="," and depth==0: parts.append(cur); cur=""; continue
            depth += ch=="{"; depth -= ch=="}"; cur+=ch
        parts.append(cur)
        return [parse(p) for p in parts]
    return t
def split_sig(s):
    params, res = s.split("->")
    params=params.strip()[1:-1]
    out=[]; depth=0; cur=""
    for ch in params:
        if ch=="," and depth==0: out.append(cur); cur=""; continue
        depth += ch=="{"; depth -= ch=="}"; cur+=ch
    out.append(cur)
    return [parse(p) for p in out], parse(res)
structs={}
def scal(t): return isinstance(t,str) and t not in ("c32","c64","cld")
def ctype(t):
    if isinstance(t,str): return CT[t]
    key=repr(t)
    if key not in structs:
        name="s%d"%len(structs)
        fields="".join(" %s f%d;"%(ctype(f),i) for i,f in enumerate(t))
        structs[key]=(name,"typedef struct {%s } %s;"%(fields,name))
    return structs[key][0]
def leaves(t, expr):
    if t in ("c32","c64","cld"):
        f = {"c32":"f32","c64":"f64","cld":"ld"}[t]
        return [(f,"__real__ %s"%expr),(f,"__imag__ %s"%expr)]
    if isinstance(t,str): return [(t,expr)]
    r=[]
    for i,f in enumerate(t): r+=leaves(f,"%s.f%d"%(expr,i))
    return r
def conv(t, e):
    if t in ("ld","q128"): return "(%s)((int64_t)(%s) >> 1)"%(CT[t],e)
    if t=="f64": return "(double)((int64_t)(%s) >> 12)"%e
    if t=="f32": return "(float)((int64_t)(%s) >> 40)"%e
    return "(%s)(%s)"%(CT[t],e)
def unconv(t,e):
    if t in ("f64","f32","ld","q128"): return "(u128)(i128)(int64_t)(%s)"%e
    return "(u128)(i128)(%s)"%e
out=[]
for abi in ["", "ms_"]:
    if abi: out.append("#if defined(__x86_64__)")
    attr = "__attribute__((ms_abi)) " if abi else ""
    for n,s in enumerate(SIGS):
        ps,r = split_sig(s)
        for p in ps: ctype(p)
        ctype(r)
        decl=", ".join("%s a%d"%(ctype(p),i) for i,p in enumerate(ps))
        body=["    u128 h = 0;"]
        for i,p in enumerate(ps):
            for t,e in leaves(p,"a%d"%i): body.append("    h = mix(h, %s);"%unconv(t,e))
        ret=[]
        if scal(r): ret.append("    return %s;"%conv(r,"h"))
        else:
            ret.append("    %s r;"%ctype(r))
            for k,(t,e) in enumerate(leaves(r,"r")): ret.append("    %s = %s;"%(e,conv(t,"h + %d"%k)))
            ret.append("    return r;")
        out.append("%s%s %scallee%d(%s) {\n%s\n%s\n}"%(attr,ctype(r),abi,n,decl,"\n".join(body),"\n".join(ret)))
        # caller: calls f with arguments from v
        fnty="%s%s (*f)(%s)"%(attr,ctype(r),", ".join(ctype(p) for p in ps))
        lines=[]; k=0; args=[]
        for i,p in enumerate(ps):
            lines.append("    %s a%d;"%(ctype(p),i))
            if scal(p):
                lines.append("    a%d = %s;"%(i,conv(p,"v[%d]"%k))); k+=1
            else:
                for t,e in leaves(p,"a%d"%i): lines.append("    %s = %s;"%(e,conv(t,"v[%d]"%k))); k+=1
            args.append("a%d"%i)
        if scal(r):
            lines.append("    return %s(f(%s));"%(unconv(r,""), ", ".join(args)) if False else "    return %s;"%unconv(r,"f(%s)"%", ".join(args)))
        else:
            lines.append("    %s r = f(%s);"%(ctype(r),", ".join(args)))
            lines.append("    u128 h = 0;")
            for t,e in leaves(r,"r"): lines.append("    h = mix(h, %s);"%unconv(t,e))
            lines.append("    return h;")
        out.append("u128 %scaller%d(%s, const u128 *v) {\n%s\n}"%(abi,n,fnty,"\n".join(lines)))
    if abi: out.append("#endif")
hdr='''/* Callees and callers with __int128 and _Complex arguments, results and struct
 * fields, for tests/c_types.rs, once in the host's System V convention and once with GCC's ms_abi
 * (prefix ms_, x86-64 only; tests/cross_c_types.rs builds the rest for aarch64 and
 * riscv64). Written by scripts/gen_c_types.py from the signature list of tests/c_types.rs: callee N hashes
 * its arguments (every scalar leaf, in order, sign-extended to 128 bits; a float or
 * double as the int64 it holds; a complex as its real then imaginary part) with mix() and returns the hash converted to its result type
 * (a struct result: leaf k gets hash + k); caller N calls f with arguments made from
 * v[0], v[1], ... (one per leaf, converted to the leaf's type; v >> 12 for a
 * double, v >> 40 for a float, v >> 1 for a long double or q128, so that they hold it exactly) and returns f's result
 * extended to 128 bits (a struct result: hashed like arguments). */
#include <stdint.h>

typedef __int128 i128;
typedef unsigned __int128 u128;
/* ld is long double (x87 80-bit on x86-64, binary128 on aarch64 and riscv64 Linux);
 * q128 is binary128 everywhere: __float128 on x86-64. They hold (int64_t)v >> 1. */
#if defined(__x86_64__)
typedef __float128 q128;
#else
typedef long double q128;
#endif

static u128 mix(u128 h, u128 v) { return ((h * 0x9e3779b97f4a7c15u) + v) ^ (h >> 64); }
'''
footer = '''
/* A variadic callee: n pairs of (int64_t, __int128) after n, hashed in order. */
#include <stdarg.h>
u128 vsum(int32_t n, ...) {
    va_list ap;
    va_start(ap, n);
    u128 h = 0;
    for (int32_t i = 0; i < n; i++) {
        h = mix(h, (u128)(i128)va_arg(ap, int64_t));
        h = mix(h, (u128)va_arg(ap, i128));
    }
    va_end(ap);
    return h;
}
'''
src = hdr + "\n".join(v[1] for v in sorted(structs.values(), key=lambda x:int(x[0][1:]))) + "\n\n" + "\n\n".join(out) + "\n" + footer
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "c", "c_types.c"),"w").write(src)
