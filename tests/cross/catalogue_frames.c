
/* A call's argument registers (x0-x8, d0-d7) and stack arguments. */
typedef struct { uint64_t x[9]; uint64_t d[8]; uint8_t stack[SBX_STACK]; } sbx_frame_t;
_Static_assert(offsetof(sbx_frame_t, d) == 72, "FRAME_CODE's offsets");
_Static_assert(offsetof(sbx_frame_t, stack) == 136, "FRAME_CODE's offsets");
sbx_frame_t sbx_seen;
void sbx_probe(void);
void sbx_probe_check(void);
void sbx_call_frame(void *function, sbx_frame_t *frame);
