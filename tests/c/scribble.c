
/* Overwrites a parameter's bytes in a way the optimiser cannot drop. */
__attribute__((noinline)) static void sb_scribble(void *p, size_t size) {
    memset(p, 0xee, size);
    __asm__ volatile("" : : "r"(p) : "memory");
}
