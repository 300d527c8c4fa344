package dev.theon.simd.reduce;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Unit-stride float32 runs folded in float32 lanes, the full width of the vector unit, instead of widening every
 * element to float64 (a conversion per element, on half as many lanes: that loop took 3x as long on rows in cache).
 * <p>
 * Sums are short float32 trees whose results go into float64: a sum reads 8 vectors at a time and adds them as a
 * balanced tree (3 roundings per element), adds at most 4 such trees into a float32 accumulator (at most 3 more
 * roundings: the first addition to zero is exact), then widens the accumulator into a float64 total. So every element
 * passes through at most {@link #ROUNDINGS} = 6 float32 roundings, and a sum of any length is within
 * {@code gamma_6 * sum|x|} (gamma_6 = 6u / (1 - 6u), u = 2^-24) of the exact sum, plus ~2^-53 per float64 step and
 * the final rounding to float32: a bound independent of n, tighter than numpy's pairwise sum
 * ({@code ~(18 + log2(n/128))u * sum|x|}: 8 float32 accumulators of 16 elements each, then a float32 tree) and far
 * tighter than one float32 accumulator ({@code (n-1)u * sum|x|}). Column sums ({@link #intoRows}) use the same
 * budget: trees of 4 rows, at most 4 trees per float32 accumulator (5 roundings).
 * <p>
 * Max and min need no scheme: they pick one of their inputs, so folding them in float32 gives the float64 fold's
 * result exactly.
 */
public final class FloatRuns {
    private FloatRuns() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final int FL = F.length();
    /** The most float32 roundings any element of a sum passes through before it reaches float64. */
    public static final int ROUNDINGS = 6;
    /** Rows of a column sum per float32 accumulator (4 trees of 4 rows). */
    public static final int ROWS = 16;
    /** Vectors read, and added as a tree, per step of the sum loop. */
    private static final int GROUP = 8 * FL;
    /** Trees added into one float32 accumulator before it is widened. */
    private static final int TREES = 4;
    /**
     * Runs at least this long (16 KB) are read as 8 streams ({@link #streams}), shorter ones in order. Long runs
     * mostly come from memory, where streams were 1.25x faster (rows of 8192 from a 256 MB matrix); from the caches
     * they were 1.5x slower than one stream (still 2x faster than the float64 loop).
     */
    private static final long STREAMED = 1 << 12;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    static FloatVector load(MemorySegment s, long i) { return FloatVector.fromMemorySegment(F, s, i * 4, ORDER); }

    /** The two float64 halves of a float32 vector, added in float64. */
    static DoubleVector widen(FloatVector a) {
        return ((DoubleVector) a.convertShape(VectorOperators.F2D, D, 0)).add((DoubleVector) a.convertShape(VectorOperators.F2D, D, 1));
    }

    // Methods hand each other only primitives and segments: a vector passed to or returned from a method that C2
    // does not inline (a caller's inlining budget runs out quickly with vector code) is boxed on the heap, which
    // cost 2-3x here. A run's last partial vector is read as the full vector ending at the run's end (its lanes
    // already counted set to 0), not with a masked load, which leaves the intrinsic where it reaches past the end of
    // its segment, and not element by element, which cost a third of the time of a row of 1000.

    /** Sum of n float32 elements from element index off, as the class doc says. */
    public static double sum(MemorySegment s, long off, long n) {
        if (n < FL) {
            double r = 0;
            for (long i = 0; i < n; i++) r += s.getAtIndex(ValueLayout.JAVA_FLOAT, off + i);
            return r;
        }
        long head = n - (n & (GROUP - 1));
        double r = head > 0 ? groups(s, off, head) : 0;
        return head == n ? r : r + rest(s, off, head, n);
    }

    /**
     * n (a multiple of GROUP) elements from memory: each step reads one vector from each eighth of the run. Eight
     * streams side by side keep more cache-line fetches in flight than one: 64M float32 summed 20% faster, at the
     * bandwidth torch reaches (one stream was as slow as the float64 loop, the memory being the limit).
     */
    private static double streams(MemorySegment s, long off, long n) {
        long q = n / 8;
        DoubleVector total = DoubleVector.zero(D);
        FloatVector acc = FloatVector.zero(F);
        int trees = 0;
        for (long i = 0; i < q; i += FL) {
            long b = off + i;
            FloatVector t0 = load(s, b).add(load(s, b + q)), t1 = load(s, b + 2 * q).add(load(s, b + 3 * q));
            FloatVector t2 = load(s, b + 4 * q).add(load(s, b + 5 * q)), t3 = load(s, b + 6 * q).add(load(s, b + 7 * q));
            acc = acc.add(t0.add(t1).add(t2.add(t3)));
            if (++trees == TREES) { total = total.add(widen(acc)); acc = FloatVector.zero(F); trees = 0; }
        }
        return total.add(widen(acc)).reduceLanes(VectorOperators.ADD);
    }

    /** n (a multiple of GROUP) elements: trees of 8 vectors, 4 trees per float32 accumulator, then float64. */
    private static double groups(MemorySegment s, long off, long n) {
        if (n >= STREAMED) return streams(s, off, n);
        DoubleVector total = DoubleVector.zero(D);
        FloatVector acc = FloatVector.zero(F);
        int trees = 0;
        // one flat loop with a counter: an inner loop per block of 4 trees ran 2x slower (its set-up per block)
        for (long i = 0; i < n; i += GROUP) {
            long b = off + i;
            FloatVector t0 = load(s, b).add(load(s, b + FL)), t1 = load(s, b + 2L * FL).add(load(s, b + 3L * FL));
            FloatVector t2 = load(s, b + 4L * FL).add(load(s, b + 5L * FL)), t3 = load(s, b + 6L * FL).add(load(s, b + 7L * FL));
            acc = acc.add(t0.add(t1).add(t2.add(t3)));
            if (++trees == TREES) { total = total.add(widen(acc)); acc = FloatVector.zero(F); trees = 0; }
        }
        return total.add(widen(acc)).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Elements [from, n) of a run of n ≥ FL, fewer than GROUP: vectors into two alternating accumulators (at most 4
     * additions each, the first exact), the last partial vector read as the vector ending at n with the lanes already
     * counted set to 0, and the two accumulators added: at most 4 roundings.
     */
    private static double rest(MemorySegment s, long off, long from, long n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        long i = from;
        for (; n - i >= 2L * FL; i += 2L * FL) { a0 = a0.add(load(s, off + i)); a1 = a1.add(load(s, off + i + FL)); }
        if (n - i >= FL) { a0 = a0.add(load(s, off + i)); i += FL; }
        if (i < n) a1 = a1.add(load(s, off + n - FL).blend(0f, F.indexInRange(0, (int) (FL - (n - i)))));
        return widen(a0.add(a1)).reduceLanes(VectorOperators.ADD);
    }

    /** Max (or min) of n float32 elements, NaN if any is NaN, as {@link Runs#combine} folds them (n = 0: the identity). */
    public static float maxMin(MemorySegment s, long off, long n, boolean max) {
        if (n < FL) {
            float acc = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            for (long i = 0; i < n; i++) {
                float v = s.getAtIndex(ValueLayout.JAVA_FLOAT, off + i);
                if (Float.isNaN(v)) return Float.NaN;
                acc = max ? Math.max(acc, v) : Math.min(acc, v);
            }
            return acc;
        }
        if (n < STREAMED) return max ? max(s, off, n) : min(s, off, n);
        // long runs: 8 streams (as the sum reads them; from memory one stream ran at a third of the bandwidth), the last
        // elements in order
        long head = n / (8L * FL) * (8L * FL);
        float a = max ? maxStreams(s, off, head) : minStreams(s, off, head);
        if (head == n || Float.isNaN(a)) return a;
        float b = maxMin(s, off + head, n - head, max);
        return Float.isNaN(b) ? b : max ? Math.max(a, b) : Math.min(a, b);
    }

    /** Max of n elements (a multiple of 8 vectors), one vector from each eighth per step. */
    private static float maxStreams(MemorySegment s, long off, long n) {
        long q = n / 8;
        FloatVector a0 = load(s, off), a1 = a0, a2 = a0, a3 = a0;
        for (long i = 0; i < q; i += FL) {
            long b = off + i;
            a0 = a0.max(load(s, b).max(load(s, b + q))); a1 = a1.max(load(s, b + 2 * q).max(load(s, b + 3 * q)));
            a2 = a2.max(load(s, b + 4 * q).max(load(s, b + 5 * q))); a3 = a3.max(load(s, b + 6 * q).max(load(s, b + 7 * q)));
        }
        FloatVector v = a0.max(a1).max(a2.max(a3));
        return v.test(VectorOperators.IS_NAN).anyTrue() ? Float.NaN : v.reduceLanes(VectorOperators.MAX);
    }

    /** Min of n elements (a multiple of 8 vectors), one vector from each eighth per step. */
    private static float minStreams(MemorySegment s, long off, long n) {
        long q = n / 8;
        FloatVector a0 = load(s, off), a1 = a0, a2 = a0, a3 = a0;
        for (long i = 0; i < q; i += FL) {
            long b = off + i;
            a0 = a0.min(load(s, b).min(load(s, b + q))); a1 = a1.min(load(s, b + 2 * q).min(load(s, b + 3 * q)));
            a2 = a2.min(load(s, b + 4 * q).min(load(s, b + 5 * q))); a3 = a3.min(load(s, b + 6 * q).min(load(s, b + 7 * q)));
        }
        FloatVector v = a0.min(a1).min(a2.min(a3));
        return v.test(VectorOperators.IS_NAN).anyTrue() ? Float.NaN : v.reduceLanes(VectorOperators.MIN);
    }

    // max and min of n >= FL elements; the last vector overlaps the one before it, which does not change an extremum

    private static float max(MemorySegment s, long off, long n) {
        FloatVector a0 = load(s, off), a1 = a0, a2 = a0, a3 = a0;
        long i = 0, bound = n - (n & (4L * FL - 1));
        for (; i < bound; i += 4L * FL) {
            a0 = a0.max(load(s, off + i)); a1 = a1.max(load(s, off + i + FL));
            a2 = a2.max(load(s, off + i + 2L * FL)); a3 = a3.max(load(s, off + i + 3L * FL));
        }
        for (; n - i >= FL; i += FL) a0 = a0.max(load(s, off + i));
        if (i < n) a1 = a1.max(load(s, off + n - FL));
        FloatVector v = a0.max(a1).max(a2.max(a3));
        return v.test(VectorOperators.IS_NAN).anyTrue() ? Float.NaN : v.reduceLanes(VectorOperators.MAX);
    }

    private static float min(MemorySegment s, long off, long n) {
        FloatVector a0 = load(s, off), a1 = a0, a2 = a0, a3 = a0;
        long i = 0, bound = n - (n & (4L * FL - 1));
        for (; i < bound; i += 4L * FL) {
            a0 = a0.min(load(s, off + i)); a1 = a1.min(load(s, off + i + FL));
            a2 = a2.min(load(s, off + i + 2L * FL)); a3 = a3.min(load(s, off + i + 3L * FL));
        }
        for (; n - i >= FL; i += FL) a0 = a0.min(load(s, off + i));
        if (i < n) a1 = a1.min(load(s, off + n - FL));
        FloatVector v = a0.min(a1).min(a2.min(a3));
        return v.test(VectorOperators.IS_NAN).anyTrue() ? Float.NaN : v.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Column sums of a block of rows: adds rows [0, rows) of n contiguous float32 elements each (row r at element
     * index off + r * rowStep) into acc[a0 .. a0 + n), elementwise. Each vector of columns is summed down at most
     * {@link #ROWS} rows in a float32 register (trees of 4 rows, at most 4 trees: at most 5 roundings) and then added
     * into the float64 accumulators: the bound of {@link #sum}, and the float64 array is read and written once per
     * 16 rows instead of once per row.
     */
    public static void intoRows(MemorySegment s, long off, long rowStep, int rows, long n, double[] acc, int a0) {
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            int g = Math.min(ROWS, rows - r0);
            long base = off + r0 * rowStep;
            if (n < FL) {  // narrower than a vector: in float64
                for (int r = 0; r < g; r++) for (int j = 0; j < n; j++) acc[a0 + j] += s.getAtIndex(ValueLayout.JAVA_FLOAT, base + r * rowStep + j);
                continue;
            }
            int j = 0;
            for (; n - j >= FL; j += FL) column(s, base + j, rowStep, g, acc, a0 + j, FL);
            // the last columns: the vector ending at the row's end, of which only the lanes not yet added count
            if (j < n) column(s, base + n - FL, rowStep, g, acc, (int) (a0 + n - FL), (int) (n - j));
        }
    }

    /** One vector of columns summed down g ≤ 16 rows, its last {@code fresh} lanes added into acc[at ..]. */
    private static void column(MemorySegment s, long at0, long rowStep, int g, double[] acc, int at, int fresh) {
        FloatVector c = FloatVector.zero(F);
        int r = 0;
        for (; g - r >= 4; r += 4) {
            long i = at0 + r * rowStep;
            c = c.add(load(s, i).add(load(s, i + rowStep)).add(load(s, i + 2 * rowStep).add(load(s, i + 3 * rowStep))));
        }
        if (r < g) {  // 1 to 3 rows: at most 2 roundings, as in a tree of 4
            long i = at0 + r * rowStep;
            FloatVector t = load(s, i);
            for (r++; r < g; r++) t = t.add(load(s, i += rowStep));
            c = c.add(t);
        }
        if (fresh < FL) c = c.blend(0f, F.indexInRange(0, FL - fresh));
        int dl = D.length();
        DoubleVector.fromArray(D, acc, at).add((DoubleVector) c.convertShape(VectorOperators.F2D, D, 0)).intoArray(acc, at);
        DoubleVector.fromArray(D, acc, at + dl).add((DoubleVector) c.convertShape(VectorOperators.F2D, D, 1)).intoArray(acc, at + dl);
    }
}
