# Run by tests/ctypes.rs with LD_LIBRARY_PATH at the drop-in: CPython's ctypes calls
# libc and libm, returns a struct, sorts with a CFUNCTYPE comparator and calls printf,
# all through whichever libffi.so.8 the process loaded, and reports which that was.
import ctypes
import ctypes.util
import sys

libc = ctypes.CDLL(ctypes.util.find_library("c"))
libm = ctypes.CDLL(ctypes.util.find_library("m"))

libc.abs.argtypes = [ctypes.c_int]
libc.abs.restype = ctypes.c_int
assert libc.abs(-42) == 42
libc.strlen.argtypes = [ctypes.c_char_p]
libc.strlen.restype = ctypes.c_size_t
assert libc.strlen(b"springboard") == 11
libm.pow.argtypes = [ctypes.c_double, ctypes.c_double]
libm.pow.restype = ctypes.c_double
assert libm.pow(2.0, 10.0) == 1024.0
libm.cbrtf.argtypes = [ctypes.c_float]
libm.cbrtf.restype = ctypes.c_float
assert libm.cbrtf(27.0) == 3.0


class Div(ctypes.Structure):
    _fields_ = [("quot", ctypes.c_long), ("rem", ctypes.c_long)]


libc.ldiv.argtypes = [ctypes.c_long, ctypes.c_long]
libc.ldiv.restype = Div
d = libc.ldiv(47, 5)
assert (d.quot, d.rem) == (9, 2), (d.quot, d.rem)

CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
calls = []


def compare(a, b):
    calls.append(1)
    return (a[0] > b[0]) - (a[0] < b[0])


values = (ctypes.c_int * 6)(5, -3, 9, 0, 2, -8)
libc.qsort(values, len(values), ctypes.sizeof(ctypes.c_int), CMP(compare))
assert list(values) == [-8, -3, 0, 2, 5, 9], list(values)
assert calls

# long double both ways: sqrtl returns in st0, a CFUNCTYPE returns one through a closure.
libm.sqrtl.restype = ctypes.c_longdouble
libm.sqrtl.argtypes = [ctypes.c_longdouble]
assert libm.sqrtl(6.25) == 2.5, libm.sqrtl(6.25)
LD = ctypes.CFUNCTYPE(ctypes.c_longdouble, ctypes.c_longdouble, ctypes.c_int)
assert LD(lambda x, k: x * k + 0.25)(1.5, 3) == 4.75

libc.printf(b"printf %d %s %.2f\n", ctypes.c_int(7), b"via", ctypes.c_double(2.5))
libc.fflush(None)

loaded = [line.split()[-1] for line in open("/proc/self/maps") if "libffi" in line]
drop_in = ctypes.CDLL("libffi.so.8")
drop_in.springboard_libffi_version.restype = ctypes.c_char_p
print("version", drop_in.springboard_libffi_version().decode())
print("loaded", sorted(set(loaded)))
sys.stdout.flush()
