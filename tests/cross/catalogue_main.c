
/* Runs every check from the index in argv[1] (default 0) on. */
int main(int argc, char **argv) {
    static const char *const modes[6] = {"downcall", "callback", "apple", "apple_caller",
                                         "apple_callee", "bound"};
    static char crash_stack[1 << 16];
    long first = argc > 1 ? atol(argv[1]) : 0;
    stack_t alternate = {.ss_sp = crash_stack, .ss_size = sizeof crash_stack};
    struct sigaction action = {.sa_handler = sbx_crash, .sa_flags = SA_ONSTACK};
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigaltstack(&alternate, NULL);
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGILL, &action, NULL);
    sbx_index = -1;
    for (const sbx_case_t *c = sbx_cases; c->name; c++) {
        for (int mode = 0; mode < 6; mode++) {
            if ((mode == 0 && !c->down) || (mode == 1 && !c->call_callback)
                || (mode == 2 && !c->apple_down) || ((mode == 3 || mode == 4) && !c->apple_model)
                || (mode == 5 && !c->call_bound))
                continue;
            if (++sbx_index < first) continue;
            sbx_mode = modes[mode];
            sbx_case = c->name;
            sbx_current = c;
            snprintf(sbx_crash_note, sizeof sbx_crash_note, "%s %s", sbx_mode, sbx_case);
            sbx_problems = 0;
            sbx_handler_calls = 0;
            sbx_probe_calls = 0;
            if (c->apple_entry) {
                c->apple_entry->handler = (void *)sbx_handler;
                c->apple_entry->context = (void *)c;
            }
            switch (mode) {
            case 0:
                sbx_run_downcall(c, c->down, c->callee, 1, 1);
                break;
            case 1:
                c->callback_entry->handler = (void *)sbx_handler;
                c->callback_entry->context = (void *)c;
                c->call_callback(c);
                break;
            case 2:
                sbx_run_downcall(c, c->apple_down, c->apple_callback, 0, 1);
                break;
            case 3:
                sbx_run_downcall(c, c->apple_down, (void *)sbx_probe, 0, 0);
                if (sbx_probe_calls != 1) SBX_FAIL("the probe ran %u times", sbx_probe_calls);
                break;
            case 4:
                sbx_run_frame(c);
                break;
            default:
                /* The bound callback calls the case's gcc-compiled handler, which counts
                   and checks its context and arguments in the callees' globals. */
                c->bound_entry->handler = c->bound_handler;
                c->bound_entry->context = (void *)c->bound_context;
                SBX_RESET();
                c->call_bound(c);
                if (SBX_CALLS != 1)
                    SBX_FAIL("the bound handler ran %llu times", (unsigned long long)SBX_CALLS);
                if (SBX_FAILURES != 0)
                    SBX_FAIL("the bound handler saw argument %d (leaf %d) wrong, %lld mismatches",
                             (int)SBX_FIRST_ARG, (int)SBX_FIRST_LEAF, (long long)SBX_FAILURES);
            }
            if (mode != 0 && mode != 3 && mode != 5 && sbx_handler_calls != 1)
                SBX_FAIL("the handler ran %u times", sbx_handler_calls);
            if (sbx_problems) sbx_failed++; else sbx_passed++;
        }
    }
    printf("%ld passed, %ld failed\n", sbx_passed, sbx_failed);
    return sbx_failed != 0;
}
