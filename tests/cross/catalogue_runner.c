
/* The handler of every callback: its context is the case. Checks each argument in
   the array (a scalar's own bytes in its slot, a struct's value bytes through the
   slot's pointer) and writes the case's result (a scalar as a whole slot). */
static void sbx_handler(void *context, uint64_t *args, void *result) {
    const sbx_case_t *c = context;
    sbx_handler_calls++;
    if (c != sbx_current) {
        SBX_FAIL("handler context %p, expected %p", context, (const void *)sbx_current);
        return;
    }
    for (uint32_t j = 0; j < c->nargs; j++) {
        const sbx_arg_t *a = &c->args[j];
        if (a->value)
            sbx_expect("handler argument (struct bytes)", (int)j,
                       (const void *)(uintptr_t)args[j], a->value, a->mask, a->size);
        else
            sbx_expect("handler argument", (int)j, &args[j],
                       (const uint8_t *)&c->slots[j], 0, a->size);
    }
    if (c->result_kind == 1) memcpy(result, c->result_written, 8);
    if (c->result_kind == 2) memcpy(result, c->result_written, c->result_size);
}

/* Calls `trampoline(callee, args, result)` with the case's argument array and checks
   the result place, the callee's counters (when `callee_counts`) and that neither the
   array nor the struct bytes changed. */
static void *sbx_result_place;

static void sbx_run_downcall(const sbx_case_t *c, sbx_downcall_t trampoline, void *callee,
                             int callee_counts, int check_result) {
    uint64_t args[SBX_MAX_ARGS], args_copy[SBX_MAX_ARGS];
    _Alignas(16) uint8_t arena[SBX_ARENA];
    _Alignas(16) uint8_t result[SBX_RESULT_PLACE];
    size_t used = 0;
    for (uint32_t j = 0; j < c->nargs; j++) {
        const sbx_arg_t *a = &c->args[j];
        if (a->padded) {
            memcpy(arena + used, a->padded, a->size);
            args[j] = (uint64_t)(uintptr_t)(arena + used);
            used += (a->size + 15) & ~(size_t)15;
        } else {
            args[j] = c->slots[j];
        }
    }
    memcpy(args_copy, args, sizeof args);
    memset(result, 0xa7, sizeof result);
    if (callee_counts) SBX_RESET();
    sbx_result_place = result;
    trampoline(callee, args, result);
    if (callee_counts && SBX_CALLS != 1)
        SBX_FAIL("the callee ran %llu times", (unsigned long long)SBX_CALLS);
    if (callee_counts && SBX_FAILURES != 0)
        SBX_FAIL("the callee saw argument %d (leaf %d) wrong, %lld mismatches",
                 (int)SBX_FIRST_ARG, (int)SBX_FIRST_LEAF, (long long)SBX_FAILURES);
    if (memcmp(args, args_copy, c->nargs * sizeof args[0]))
        SBX_FAIL("the argument array changed");
    used = 0;
    for (uint32_t j = 0; j < c->nargs; j++) {
        const sbx_arg_t *a = &c->args[j];
        if (!a->padded) continue;
        if (memcmp(arena + used, a->padded, a->size))
            SBX_FAIL("struct argument %u's bytes changed", j);
        used += (a->size + 15) & ~(size_t)15;
    }
    if (!check_result) return;
    switch (c->result_kind) {
    case 0:
        sbx_untouched(result, 0, sizeof result);
        break;
    case 1:
        sbx_expect("result slot", -1, result, c->result, 0, 8);
        sbx_untouched(result, 8, sizeof result);
        break;
    default:
        sbx_expect("result", -1, result, c->result, c->result_mask, c->result_size);
        sbx_untouched(result, c->result_size, sizeof result);
    }
}

static const uint8_t *sbx_locate(const sbx_frame_t *frame, const sbx_place_t *p) {
    switch (p->kind) {
    case 0: return (const uint8_t *)&frame->x[p->where];
    case 1: return (const uint8_t *)&frame->d[p->where];
    default: return frame->stack + p->where;
    }
}

/* Checks the bytes of a place, naming it in the report. */
static void sbx_expect_place(const sbx_place_t *p, const uint8_t *at) {
    char label[96];
    int n = p->arg < 0 ? snprintf(label, sizeof label, "result")
                       : snprintf(label, sizeof label, "argument %d", p->arg);
    switch (p->kind) {
    case 0: snprintf(label + n, sizeof label - n, " in x%u", p->where); break;
    case 1: snprintf(label + n, sizeof label - n, " in d%u", p->where); break;
    case 2: snprintf(label + n, sizeof label - n, " at stack+%u", p->where); break;
    default: snprintf(label + n, sizeof label - n, " in memory at x8");
    }
    if (p->by_reference) {
        uint64_t address;
        memcpy(&address, at, 8);
        at = (const uint8_t *)(uintptr_t)address;
        strncat(label, " (through the pointer there)", sizeof label - strlen(label) - 1);
    }
    sbx_expect(label, -1, at, p->bytes, p->mask, p->size);
}

/* The probe's C half: runs while the downcall that called sbx_probe is still active
   (so that its copies of by-reference structs are alive) and checks what sbx_probe
   saw against the case's model. */
static unsigned sbx_probe_calls;
void sbx_probe_check(void) {
    const sbx_case_t *c = sbx_current;
    sbx_probe_calls++;
    for (uint32_t k = 0; k < c->apple_nplaces; k++)
        sbx_expect_place(&c->apple_places[k], sbx_locate(&sbx_seen, &c->apple_places[k]));
    if (c->apple_indirect && sbx_seen.x[8] != (uint64_t)(uintptr_t)sbx_result_place)
        SBX_FAIL("x8 holds 0x%llx, not the result place %p",
                 (unsigned long long)sbx_seen.x[8], sbx_result_place);
}

/* Calls the Apple callback with registers and stack laid out by the case's model,
   garbage everywhere else, and checks what comes back. */
static void sbx_run_frame(const sbx_case_t *c) {
    sbx_frame_t frame;
    _Alignas(16) uint8_t arena[SBX_ARENA];
    _Alignas(16) uint8_t result[SBX_RESULT_PLACE];
    size_t used = 0;
    memset(&frame, 0x5a, sizeof frame);
    memset(result, 0xa7, sizeof result);
    for (uint32_t k = 0; k < c->apple_nplaces; k++) {
        const sbx_place_t *p = &c->apple_places[k];
        uint8_t *at = (uint8_t *)sbx_locate(&frame, p);
        if (p->by_reference) {
            uint64_t address = (uint64_t)(uintptr_t)(arena + used);
            memcpy(arena + used, p->bytes, p->size);
            memcpy(at, &address, 8);
            used += (p->size + 15) & ~(size_t)15;
        } else {
            memcpy(at, p->bytes, p->size);
        }
    }
    if (c->apple_indirect) frame.x[8] = (uint64_t)(uintptr_t)result;
    sbx_call_frame(c->apple_callback, &frame);
    for (uint32_t k = 0; k < c->apple_nresults; k++) {
        const sbx_place_t *p = &c->apple_results[k];
        sbx_expect_place(p, p->kind == 3 ? result : sbx_locate(&frame, p));
        if (p->kind == 3) sbx_untouched(result, p->size, sizeof result);
    }
    used = 0;
    for (uint32_t k = 0; k < c->apple_nplaces; k++) {
        const sbx_place_t *p = &c->apple_places[k];
        if (!p->by_reference) continue;
        if (memcmp(arena + used, p->bytes, p->size))
            SBX_FAIL("the caller's copy of argument %d changed", p->arg);
        used += (p->size + 15) & ~(size_t)15;
    }
}
