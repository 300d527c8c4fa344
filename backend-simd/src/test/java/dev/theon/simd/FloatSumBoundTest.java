package dev.theon.simd;

import dev.theon.T;
import dev.theon.graph.Variable;
import dev.theon.simd.Parity.Lay;
import dev.theon.simd.reduce.FloatRuns;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sums and means against float64 loops written here, within the error bound of the backend's accumulation.
 * <p>
 * Float32: every element passes through at most {@link FloatRuns#ROUNDINGS} float32 roundings before it reaches
 * float64 (short trees, then at most 4 trees per float32 accumulator; column sums likewise), so
 * {@code |got - exact| <= gamma_6(2^-24) * sum|x| + gamma_n(2^-53) * sum|x|} (the float64 steps, in any order) plus
 * half an ulp of the float32 result; this test's own float64 loop adds another {@code gamma_n(2^-53) * sum|x|}.
 * Float64: any order of n additions is within {@code gamma_n(2^-53) * sum|x|}, twice for the two loops. A mean is
 * the sum's bound over the count, plus half an ulp.
 */
class FloatSumBoundTest {
    // small arrays take the multi-threaded paths too (in production a thread must get ~a millisecond of work)
    @BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }

    static double gamma(double k, double u) { return k * u / (1 - k * u); }

    /** The sums and absolute sums of each output of {@code x} reduced over {@code axes} (null: all), by a C-order loop. */
    record Exact(double[] sum, double[] abs, long count, long[] shape) {}

    static Exact exact(NDArray x, int[] axes, boolean keep) {
        long[] shape = x.shape();
        int r = shape.length;
        boolean[] red = new boolean[r];
        for (int d = 0; d < r; d++) red[d] = axes == null;
        if (axes != null) for (int a : axes) red[a < 0 ? a + r : a] = true;
        List<Long> out = new ArrayList<>();
        long count = 1;
        for (int d = 0; d < r; d++) {
            if (red[d]) { count *= shape[d]; if (keep) out.add(1L); } else out.add(shape[d]);
        }
        long[] outShape = out.stream().mapToLong(Long::longValue).toArray();
        long m = 1;
        for (int d = 0; d < r; d++) if (!red[d]) m *= shape[d];
        double[] sum = new double[(int) m], abs = new double[(int) m];
        long n = x.size();
        long[] idx = new long[r];
        for (long i = 0; i < n; i++) {
            long o = 0;
            for (int d = 0; d < r; d++) if (!red[d]) o = o * shape[d] + idx[d];
            double v = x.flatDouble(i);
            sum[(int) o] += v;
            abs[(int) o] += Math.abs(v);
            for (int d = r - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
        }
        return new Exact(sum, abs, count, outShape);
    }

    /** Runs sum (or mean) on the simd backend and checks every output against the loop, within the bound. */
    static void check(NDArray x, int[] axes, boolean keep, boolean mean, String what) {
        long[] unknown = new long[x.ndim()];
        Arrays.fill(unknown, -1);
        Variable v = T.tensor(x.dtype(), unknown, "x");
        Variable f = mean ? T.mean(v, axes, keep) : T.sum(v, axes, keep);
        NDArray got = Parity.simd(List.of(v), List.of(f)).callAll(x).get(0);
        Exact e = exact(x, axes, keep);
        String name = (mean ? "mean " : "sum ") + what + " axes " + Arrays.toString(axes) + (keep ? " keepdims" : "");
        assertEquals(x.dtype(), got.dtype(), name + ": dtype");
        assertArrayEquals(e.shape, got.shape(), name + ": shape " + Arrays.toString(got.shape()));
        boolean f32 = x.dtype() == DType.FLOAT32;
        for (int j = 0; j < e.sum.length; j++) {
            double g = got.flatDouble(j), want = e.sum[j], abs = e.abs[j];
            double bound = (f32 ? gamma(FloatRuns.ROUNDINGS, 0x1p-24) * abs : 0) + 2 * gamma(e.count + 1, 0x1p-53) * abs;
            if (mean) { want /= e.count; bound /= e.count; }
            bound += 0.5 * (f32 ? Math.ulp((float) g) : Math.ulp(g));
            if (!(Math.abs(g - want) <= bound))
                fail(name + ": output " + j + " got " + g + " want " + want + " (error " + Math.abs(g - want) + ", bound " + bound + ", sum|x| " + abs + ")");
        }
    }

    static NDArray values(Random r, DType dt, long[] shape, Lay lay) {
        NDArray a = Parity.random(r, dt, shape, -1, 1, lay);
        long n = a.size();
        // a few large values, so that sum|x| is not all alike
        for (int k = 0; k < Math.min(n, 5); k++) { long at = (long) (r.nextDouble() * n); a.setFlatDouble(at, a.flatDouble(at) * 1000); }
        return a;
    }

    @TestFactory Stream<DynamicTest> everyAxesKeepdimsDtypeAndLayout() {
        long[][] shapes = {{3, 4, 5}, {2, 33, 130}, {17, 129}, {300, 71}, {1000}, {513}, {200003}};
        List<DynamicTest> tests = new ArrayList<>();
        for (long[] shape : shapes) for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) for (Lay lay : Lay.values()) {
            List<int[]> axesSets = new ArrayList<>(List.of(new int[]{0}, new int[]{-1}));
            axesSets.add(null);
            if (shape.length > 1) { axesSets.add(new int[]{1}); axesSets.add(new int[]{0, 1}); }
            if (shape.length > 2) { axesSets.add(new int[]{0, 2}); axesSets.add(new int[]{1, 2}); }
            String what = dt + " " + Arrays.toString(shape) + " " + lay;
            tests.add(DynamicTest.dynamicTest(what, () -> {
                NDArray a = values(new Random(what.hashCode()), dt, shape, lay);
                for (int[] axes : axesSets) for (boolean keep : new boolean[]{false, true}) {
                    check(a, axes, keep, false, what);
                    check(a, axes, keep, true, what);
                }
            }));
        }
        return tests.stream();
    }

    @Test void runLengthsAroundVectorsTreesAndBlocks() {
        Random r = new Random(5);
        int fl = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        // a vector, a tree of 8 vectors, 4 trees per float32 accumulator: lengths on and beside each boundary
        long[] lengths = {1, 2, fl - 1, fl, fl + 1, 2L * fl + 3, 8L * fl - 1, 8L * fl, 8L * fl + 1, 32L * fl - 1, 32L * fl, 32L * fl + 1,
                32L * fl + 8L * fl + fl + 1, 128L * fl + 5, 1000, 4097};
        for (long n : lengths) {
            NDArray v = values(r, DType.FLOAT32, new long[]{n}, Lay.CONTIGUOUS);
            check(v, null, false, false, "vector of " + n);
            check(v, null, true, true, "vector of " + n);
            NDArray rows = values(r, DType.FLOAT32, new long[]{3, n}, Lay.CONTIGUOUS);
            check(rows, new int[]{1}, true, false, "rows of " + n);
            check(rows.slice(0, 0, 3, 2), new int[]{1}, false, false, "every other row of " + n);
        }
    }

    /**
     * Long runs are read as 8 streams side by side: one thread, so that no run is cut into pieces. Their
     * max and min too (exact, NaN wins).
     */
    @Test void longRunsReadAsStreams() {
        int threads = Pool.parallelism();
        Pool.setParallelism(1);
        try {
            Random r = new Random(7);
            for (long n : new long[]{(1 << 12) - 1, 1 << 12, (1 << 12) + 1, (1 << 16) + 128 * 3 + 17, (1 << 20) + 5}) {
                NDArray v = values(r, DType.FLOAT32, new long[]{n}, Lay.CONTIGUOUS);
                check(v, null, false, false, "vector of " + n);
                check(v, null, false, true, "vector of " + n);
            }
            // max and min of long runs (also read as streams) are exact; a NaN anywhere wins
            for (long n : new long[]{(1 << 12) + 200, (1 << 20) + 37}) {
                NDArray v = values(r, DType.FLOAT32, new long[]{n}, Lay.CONTIGUOUS);
                for (long nanAt : new long[]{-1, 3, n / 8 * 5 + 1, n - 2}) {
                    if (nanAt >= 0) v.writeDouble(nanAt, Double.NaN);
                    double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
                    boolean nan = false;
                    for (long i = 0; i < n; i++) { double e = v.readDouble(i); nan |= Double.isNaN(e); max = Math.max(max, e); min = Math.min(min, e); }
                    Variable x = T.fvector("x");
                    List<NDArray> got = Parity.simd(List.of(x), List.of(T.max(x), T.min(x))).callAll(v);
                    String what = "run of " + n + (nanAt >= 0 ? " with NaN at " + nanAt : "");
                    if (nan) {
                        assertTrue(Double.isNaN(got.get(0).toDouble()), "max of " + what);
                        assertTrue(Double.isNaN(got.get(1).toDouble()), "min of " + what);
                    } else {
                        assertEquals(max, got.get(0).toDouble(), "max of " + what);
                        assertEquals(min, got.get(1).toDouble(), "min of " + what);
                    }
                    if (nanAt >= 0) v.writeDouble(nanAt, 0.5);
                }
            }
            float small = 0.3125f;
            int n = 1 << 20;
            for (long at : new long[]{0, n / 8 * 3 + 5, n - 200}) {
                NDArray x = NDArray.zeros(DType.FLOAT32, n);
                for (long i = 0; i < n; i++) x.writeDouble(i, i == at ? 0x1p24 : small);
                check(x, null, false, false, "2^24 at " + at + " among 5/16, one thread");
            }
        } finally {
            Pool.setParallelism(threads);
        }
    }

    @Test void columnSumsAroundRowGroupsAndVectorWidths() {
        Random r = new Random(6);
        // 16 rows per float32 accumulator in trees of 4; columns in vectors, the last one overlapping the one before
        for (long rows : new long[]{1, 2, 3, 4, 5, 15, 16, 17, 33, 100})
            for (long cols : new long[]{1, 15, 16, 17, 31, 33, 64, 65, 100}) {
                NDArray a = values(r, DType.FLOAT32, new long[]{rows, cols}, Lay.CONTIGUOUS);
                check(a, new int[]{0}, false, false, rows + "x" + cols);
                check(a, new int[]{0}, true, true, rows + "x" + cols);
                NDArray t = values(r, DType.FLOAT32, new long[]{2, rows, cols}, Lay.CONTIGUOUS);
                check(t, new int[]{1}, false, false, "2x" + rows + "x" + cols);
            }
    }

    /**
     * A float32 sum that one float32 accumulator gets visibly wrong: 2^24, then 2^20 values of 5/16, each lost to
     * rounding once the sum is 2^24 (whose ulp is 2). In this backend's trees the partial sums next to 2^24 are 2.5
     * (8 values) and each addition of one to 2^24 + 2k loses 0.5: so the test also fails when an accumulator takes
     * more than the few additions the bound allows.
     */
    @Test void manySmallValuesAfterALargeOne() {
        int count = 1 << 20;
        float small = 0.3125f;
        double exact = 0x1p24 + count * (double) small;
        for (long at : new long[]{0, 37, 5000, count}) {
            NDArray x = NDArray.zeros(DType.FLOAT32, count + 1);
            for (long i = 0; i <= count; i++) x.writeDouble(i, i == at ? 0x1p24 : small);
            float naive = 0;
            for (long i = 0; i <= count; i++) naive += (float) x.readDouble(i);
            if (at < count) assertTrue(exact - naive > (count - at - 64) * (double) small, "one float32 accumulator: " + naive);
            check(x, null, false, false, "2^24 at " + at + " and 2^20 of 5/16");
            check(x, null, false, true, "2^24 at " + at + " and 2^20 of 5/16");
            Variable v = T.fvector("x");
            assertEquals(exact, Parity.simd(List.of(v), List.of(T.sum(v))).callAll(x).get(0).toDouble(), 8,
                    "within gamma_6 * sum|x| (~6.1) and half an ulp (1) of the exact sum");
        }
        // the same down columns (trees of 4 rows of 5/16 are 1.25), and along rows
        int rows = 4097;
        NDArray m = NDArray.zeros(DType.FLOAT32, rows, 40);
        for (long i = 0; i < rows; i++) for (long j = 0; j < 40; j++) m.setDouble(i == j ? 0x1p24 : small, i, j);
        check(m, new int[]{0}, false, false, "columns of 2^24 and 5/16");
        check(m.transpose().copy(), new int[]{1}, false, false, "rows of 2^24 and 5/16");
        check(m.transpose(), new int[]{1}, false, false, "rows of a transposed view of 2^24 and 5/16 (walked as columns)");
    }

    @Test void emptyFloat32Reductions() {
        NDArray e = NDArray.zeros(DType.FLOAT32, 0, 3);
        check(e, new int[]{0}, false, false, "0x3");
        check(e, new int[]{1}, true, false, "0x3");
        check(e, null, false, false, "0x3");
        Variable x = T.fmatrix("x");
        assertTrue(Double.isNaN(Parity.simd(List.of(x), List.of(T.mean(x))).callAll(e).get(0).toDouble()), "mean of nothing is NaN");
    }

    @Test void describeSaysHowFloatsAccumulate() {
        Variable x = T.fmatrix("x"), d = T.dmatrix("d");
        String f = Parity.simd(List.of(x), List.of(T.sum(x, 1))).describe();
        assertTrue(f.contains("sum reduction (float32 trees into float64"), f);
        String g = Parity.simd(List.of(d), List.of(T.sum(d, 1))).describe();
        assertTrue(g.contains("sum reduction (float64 accumulation"), g);
    }
}
