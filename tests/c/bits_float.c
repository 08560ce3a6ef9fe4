static float sb_f32(uint32_t bits) {
    float value;
    memcpy(&value, &bits, 4);
    return value;
}

static double sb_f64(uint64_t bits) {
    double value;
    memcpy(&value, &bits, 8);
    return value;
}
