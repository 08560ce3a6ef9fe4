
uint64_t sb_catalogue_first_result_bits = 0;
uint64_t sb_catalogue_failed_result_bits(void) { return sb_catalogue_first_result_bits; }

static int32_t sb_caller_fail(int32_t case_index, int32_t what, uint64_t bits) {
    if (sb_catalogue_failure_count == 0) sb_catalogue_first_result_bits = bits;
    sb_fail(case_index, what);
    return 1;
}

