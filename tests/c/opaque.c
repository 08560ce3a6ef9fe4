
/* Hides the value from the optimiser, so that a narrowing return keeps the
   register's upper bits as they are. */
static uint64_t sb_opaque(uint64_t value) {
    __asm__ volatile("" : "+r"(value));
    return value;
}
