package dev.theon.simd.blas;

/** The shape decisions of the packed GEMM, the same for float32 and float64: blocking, orientation, how threads split. */
final class GemmPlan {
    private GemmPlan() {}

    static int roundUp(int x, int m) { return (x + m - 1) / m * m; }

    /** The K block for a depth of k with blocks of at most {@code kcMax}: equal blocks, not a full one and a sliver. */
    static int kc(int k, int kcMax) {
        int blocks = (k + kcMax - 1) / kcMax;
        return (k + blocks - 1) / blocks;
    }

    /**
     * Whether {@code D = A B} (m x n) should run as {@code D^T = B^T A^T}: when D has fewer columns than a panel is
     * wide, the micro-kernel would spend most of its work on the zero padding of the last panel (n = 10 pads to 64);
     * transposed, the short side pads only to a multiple of MR rows. Chosen when that clearly saves padded work.
     */
    static boolean transposes(int m, int n, int mr, int nr) {
        long direct = (long) roundUp(m, mr) * roundUp(n, nr), swapped = (long) roundUp(n, mr) * roundUp(m, nr);
        return swapped * 4 < direct * 3;
    }

    /** Whether nt threads split the rows of D (each at least two micro-panels), rather than the panels of B. */
    static boolean byRows(int m, int mr, int nt) { return m >= nt * 2 * mr; }

    /**
     * Whether a block runs A's micro-panels outer and B's panels inner (rather than the usual reverse, which keeps one
     * B panel in cache for all of A's micro-panels). Writing a tile that reads D or C back (a later K block, or a full
     * beta C) misses the cache on each of its rows when tiles go down a column strip, since rows of D are pages apart
     * and the prefetchers stay within a page; along the rows they stream. Worth it while the packed B block stays in
     * the last-level cache, as each micro-panel of A reads all of it.
     */
    static boolean rowsOuter(Target t, boolean first, int kc, int nc, int elementBytes) {
        boolean readsBack = !first || (t.c() != null && t.crs() != 0);
        return readsBack && (long) kc * nc * elementBytes <= (4L << 20);
    }
}
