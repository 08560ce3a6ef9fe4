
#include <stdint.h>
typedef struct { int64_t i; double d; } long_double_pair;
typedef struct { int8_t c; double d; } char_double_pair;
typedef struct { int32_t i; float f; double d; } int_float_double;

int64_t call_long_double_pair(int64_t (*f)(double, int64_t, int64_t, int64_t, int64_t,
                                           int64_t, long_double_pair)) {
    long_double_pair s = { -7, 7.5 };
    return f(1.5, 1, 2, 3, 4, 5, s);
}

double call_char_double_pair(double (*f)(float, int8_t, int8_t, int8_t, int8_t, int8_t,
                                         char_double_pair, double)) {
    char_double_pair s = { -9, -0.25 };
    return f(1234.5f, 1, 2, 3, 4, 5, s, 6.0);
}

int32_t call_int_float_double(int32_t (*f)(double, double, void *, int32_t, uint16_t,
                                           int64_t, uint8_t, int_float_double)) {
    int_float_double s = { 77, 2.5f, 1e300 };
    return f(-1.0, 3.25, (void *)0x1000, -2, 65535, 9, 200, s);
}
