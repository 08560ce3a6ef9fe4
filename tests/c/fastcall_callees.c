/* The fast-call fixtures' C targets (tests/fastcall.rs), compiled twice after
 * fastcall_prelude.c: FC_ABI is empty and FC(name) is name_sysv, then FC_ABI is
 * __attribute__((ms_abi)) and FC(name) is name_win64.
 *
 * Every target passes each argument, in order, to fc_see (which compares it with
 * fc_expect) and returns what fc_ret / fc_ret_bytes hold. The _wide twins declare
 * narrow integer and bool parameters as the 32-bit integers they travel in, to check
 * the caller's extension, and return 64 bits of which only the low ones are the
 * result, to check that the trampoline ignores the rest. */

/* Deno's turbocall: u8, u16, i16, i8, u32, u64, buffer, function, i64, i32, i16, i8,
 * f32 x4, f64 x4, f32, f64. */
FC_ABI void FC(turbo22)(uint8_t a0, uint16_t a1, int16_t a2, int8_t a3, uint32_t a4,
                        uint64_t a5, void *buffer, void *function, int64_t a8, int32_t a9,
                        int16_t a10, int8_t a11, float f0, float f1, float f2, float f3,
                        double d0, double d1, double d2, double d3, float f4, double d4) {
    fc_enter();
    SEE_U(a0); SEE_U(a1); SEE_S(a2); SEE_S(a3); SEE_U(a4); SEE_U(a5);
    SEE_P(buffer); SEE_P(function); SEE_S(a8); SEE_S(a9); SEE_S(a10); SEE_S(a11);
    SEE_F32(f0); SEE_F32(f1); SEE_F32(f2); SEE_F32(f3);
    SEE_F64(d0); SEE_F64(d1); SEE_F64(d2); SEE_F64(d3); SEE_F32(f4); SEE_F64(d4);
}

FC_ABI void FC(turbo22_wide)(uint32_t a0, uint32_t a1, int32_t a2, int32_t a3, uint32_t a4,
                             uint64_t a5, void *buffer, void *function, int64_t a8,
                             int32_t a9, int32_t a10, int32_t a11, float f0, float f1,
                             float f2, float f3, double d0, double d1, double d2, double d3,
                             float f4, double d4) {
    fc_enter();
    SEE_U(a0); SEE_U(a1); SEE_S(a2); SEE_S(a3); SEE_U(a4); SEE_U(a5);
    SEE_P(buffer); SEE_P(function); SEE_S(a8); SEE_S(a9); SEE_S(a10); SEE_S(a11);
    SEE_F32(f0); SEE_F32(f1); SEE_F32(f2); SEE_F32(f3);
    SEE_F64(d0); SEE_F64(d1); SEE_F64(d2); SEE_F64(d3); SEE_F32(f4); SEE_F64(d4);
}

/* Deno's 12 narrow integers: (u8, u16, i8, i16) x3 -> i8. */
FC_ABI int8_t FC(narrow12)(uint8_t a0, uint16_t a1, int8_t a2, int16_t a3, uint8_t a4,
                           uint16_t a5, int8_t a6, int16_t a7, uint8_t a8, uint16_t a9,
                           int8_t a10, int16_t a11) {
    fc_enter();
    SEE_U(a0); SEE_U(a1); SEE_S(a2); SEE_S(a3); SEE_U(a4); SEE_U(a5);
    SEE_S(a6); SEE_S(a7); SEE_U(a8); SEE_U(a9); SEE_S(a10); SEE_S(a11);
    return (int8_t)fc_ret;
}

FC_ABI uint64_t FC(narrow12_wide)(uint32_t a0, uint32_t a1, int32_t a2, int32_t a3,
                                  uint32_t a4, uint32_t a5, int32_t a6, int32_t a7,
                                  uint32_t a8, uint32_t a9, int32_t a10, int32_t a11) {
    fc_enter();
    SEE_U(a0); SEE_U(a1); SEE_S(a2); SEE_S(a3); SEE_U(a4); SEE_U(a5);
    SEE_S(a6); SEE_S(a7); SEE_U(a8); SEE_U(a9); SEE_S(a10); SEE_S(a11);
    return fc_ret;
}

/* Deno's 8 buffers. */
FC_ABI void FC(buffers8)(void *b0, void *b1, void *b2, void *b3, void *b4, void *b5,
                         void *b6, void *b7) {
    fc_enter();
    SEE_P(b0); SEE_P(b1); SEE_P(b2); SEE_P(b3); SEE_P(b4); SEE_P(b5); SEE_P(b6); SEE_P(b7);
}

/* Targets of converted buffers. */
FC_ABI int32_t FC(converted_i32)(void *data, int32_t x) {
    fc_enter();
    SEE_P(data); SEE_S(x);
    return (int32_t)fc_ret;
}

FC_ABI double FC(converted_f64)(void *data, int32_t x) {
    fc_enter();
    SEE_P(data); SEE_S(x);
    return fc_ret_f64();
}

FC_ABI int8_t FC(converted_i8)(void *data, int32_t x) {
    fc_enter();
    SEE_P(data); SEE_S(x);
    return (int8_t)fc_ret;
}

FC_ABI double FC(converted_mixed)(void *a, double x, void *b, int8_t c, void *d, float y,
                                  uint16_t e) {
    fc_enter();
    SEE_P(a); SEE_F64(x); SEE_P(b); SEE_S(c); SEE_P(d); SEE_F32(y); SEE_U(e);
    return fc_ret_f64();
}

/* 64-bit results (through the out pointer). */
FC_ABI uint64_t FC(out_u64)(int32_t a, uint64_t b) {
    fc_enter();
    SEE_S(a); SEE_U(b);
    return fc_ret;
}

FC_ABI int64_t FC(out_i64)(int16_t a, double b) {
    fc_enter();
    SEE_S(a); SEE_F64(b);
    return (int64_t)fc_ret;
}

/* Struct results and arguments. */
FC_ABI struct fc_pair FC(pair_result)(int32_t a, double b) {
    struct fc_pair result;
    fc_enter();
    SEE_S(a); SEE_F64(b);
    memcpy(&result, fc_ret_bytes, sizeof result);
    return result;
}

FC_ABI struct fc_triple FC(triple_result)(struct fc_pair p, int8_t c) {
    struct fc_triple result;
    fc_enter();
    SEE_S(p.a); SEE_S(p.b); SEE_S(c);
    memcpy(&result, fc_ret_bytes, sizeof result);
    return result;
}

FC_ABI struct fc_floats FC(floats_result)(float a, int8_t b) {
    struct fc_floats result;
    fc_enter();
    SEE_F32(a); SEE_S(b);
    memcpy(&result, fc_ret_bytes, sizeof result);
    return result;
}

FC_ABI double FC(struct_args)(struct fc_pair p, struct fc_triple t, int8_t c,
                              struct fc_mix m, float f) {
    fc_enter();
    SEE_S(p.a); SEE_S(p.b); SEE_F64(t.x); SEE_F64(t.y); SEE_F64(t.z); SEE_S(c);
    SEE_U(m.a); SEE_F32(m.b); SEE_F32(f);
    /* A struct argument is the callee's own copy: scribbling on it must not reach the
     * caller's bytes (Windows x64 passes t by reference to a caller-made copy). */
    ((volatile struct fc_pair *)&p)->a = -1;
    ((volatile struct fc_triple *)&t)->x = -1.0;
    ((volatile struct fc_triple *)&t)->z = -1.0;
    ((volatile struct fc_mix *)&m)->a = 0xee;
    return fc_ret_f64();
}

/* bool arguments and result. */
FC_ABI bool FC(bools)(bool a, uint8_t b, bool c, int16_t d) {
    fc_enter();
    SEE_U(a); SEE_U(b); SEE_U(c); SEE_S(d);
    return (bool)(fc_ret & 1);
}

FC_ABI uint64_t FC(bools_wide)(uint32_t a, uint32_t b, uint32_t c, int32_t d) {
    fc_enter();
    SEE_U(a); SEE_U(b); SEE_U(c); SEE_S(d);
    return fc_ret;
}

/* All 64 bits of fc_ret (or of its f64 register) as the result, whatever result type
 * the fast call declares: the trampoline must read only the declared width. */
FC_ABI uint64_t FC(raw_result)(int32_t x) {
    fc_enter();
    SEE_S(x);
    return fc_ret;
}

FC_ABI double FC(raw_result_f64)(int32_t x) {
    fc_enter();
    SEE_S(x);
    return fc_ret_f64();
}
