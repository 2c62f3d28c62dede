package kcp.oracle;

/**
 * The playground's seeded generator (SplitMix64), for the two things the harness must draw exactly as
 * the engine does: {@code generate}'s keys and values (defined so in scenario-format.md) and the
 * sticky partition of null-key records (a client-side choice the playground makes deterministic).
 */
final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
        state = seed;
    }

    long nextU64() {
        state += 0x9E37_79B9_7F4A_7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** {@code (next * bound) >> 64} in unsigned 128-bit arithmetic. */
    long below(long bound) {
        long x = nextU64();
        long hi = Math.multiplyHigh(x, bound);
        // multiplyHigh is signed; correct it to the unsigned high word.
        hi += ((x >> 63) & bound) + ((bound >> 63) & x);
        return hi;
    }

    double nextF64() {
        return (nextU64() >>> 11) / (double) (1L << 53);
    }

    SplitMix64 copy() {
        SplitMix64 c = new SplitMix64(0);
        c.state = state;
        return c;
    }

    void restore(SplitMix64 from) {
        state = from.state;
    }
}
