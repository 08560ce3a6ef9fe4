/* Callees for benches/downcall.rs, built with the system gcc at -O1. */
#include <stdint.h>

int add(int a, int b) { return a + b; }

double sum6(double a, double b, double c, double d, double e, double f) {
    return a + b + c + d + e + f;
}

/* Twelve arguments: nine go in integer registers or on the stack (six integer
 * registers on x86-64 SysV), three in vector registers. */
int64_t mixed12(int8_t a, uint16_t b, int32_t c, int64_t d, float e, double f,
                const int32_t *p, uint8_t g, int16_t h, uint32_t i, uint64_t j,
                float k) {
    return a + b + c + d + (int64_t)e + (int64_t)f + *p + g + h + i +
           (int64_t)j + (int64_t)k;
}
