package dev.theon.simd;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.graph.Variable;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reductions over every axis selection, with keepdims, on contiguous, transposed and strided inputs of every dtype,
 * empty arrays and arrays large enough to split among threads: simd against the reference backend (float32 sums and
 * means within the bound of their float32 trees), and the 64M-style full float32 sum against a float64 loop.
 */
class ReduceParityTest {
    // small arrays take the multi-threaded paths too (in production a thread must get ~a millisecond of work)
    @org.junit.jupiter.api.BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @org.junit.jupiter.api.AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }

    /** A reduction; {@code abs}, for sums and means, is the same reduction of |x| in float64 (its error bound's scale). */
    record R(String name, Function<Variable, Variable> f, Function<Variable, Variable> abs) {
        R(String name, Function<Variable, Variable> f) { this(name, f, null); }
    }

    static R sum(int[] axes, boolean keep) { return new R("sum", x -> T.sum(x, axes, keep), x -> T.sum(T.abs(T.cast(x, DType.FLOAT64)), axes, keep)); }
    static R mean(int[] axes, boolean keep) { return new R("mean", x -> T.mean(x, axes, keep), x -> T.mean(T.abs(T.cast(x, DType.FLOAT64)), axes, keep)); }

    static List<R> reductions(int[] axes, boolean keep) {
        List<R> r = new ArrayList<>();
        r.add(sum(axes, keep));
        r.add(new R("prod", x -> T.prod(x, axes, keep)));
        r.add(mean(axes, keep));
        r.add(new R("max", x -> T.max(x, axes, keep)));
        r.add(new R("min", x -> T.min(x, axes, keep)));
        r.add(new R("all", x -> T.all(x, axes, keep)));
        r.add(new R("any", x -> T.any(x, axes, keep)));
        r.add(new R("var", x -> T.var(x, axes, keep)));
        r.add(new R("std1", x -> T.std(x, axes, keep, 1)));
        if (axes == null || axes.length > 0) r.add(new R("argmax", x -> T.argmax(x, axes, keep)));
        if (axes == null || axes.length > 0) r.add(new R("argmin", x -> T.argmin(x, axes, keep)));
        return r;
    }

    @TestFactory Stream<DynamicTest> everyReductionAxesDtypeAndLayout() {
        int[][] axesSets = {null, {0}, {1}, {-1}, {0, 2}, {1, 2}, {0, 1, 2}, {}};
        DType[] dts = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL, DType.INT8};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] axes : axesSets) for (boolean keep : new boolean[]{false, true}) for (DType dt : dts) for (Lay lay : Lay.values()) {
            String name = Arrays.toString(axes) + (keep ? " keepdims " : " ") + dt + " " + lay;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Random r = new Random(name.hashCode());
                NDArray a = Parity.random(r, dt, new long[]{3, 4, 5}, 0.5, 1.5, lay);
                if (dt.isFloat()) a.setFlatDouble(7, Double.NaN);
                for (R red : reductions(axes, keep)) check(red, a, name);
            }));
        }
        return tests.stream();
    }

    static void check(R red, NDArray a, String name) { check(red, a, name, 1e-12); }

    /** {@code rtol64}: float64 results are summed in another order; over many terms the reference's own error grows. */
    static void check(R red, NDArray a, String name, double rtol64) {
        Variable x = T.tensor(a.dtype(), unknown(a.ndim()), "x");
        Variable out = red.f.apply(x);
        NDArray s = Parity.simd(List.of(x), List.of(out)).callAll(a).get(0);
        NDArray ref = Parity.reference(List.of(x), List.of(out)).callAll(a).get(0);
        if (ref.dtype().isDiscrete()) Parity.close(s, ref, 0, red.name + " " + name);
        else if (a.dtype() == DType.FLOAT32 && red.abs != null) {
            NDArray abs = Parity.reference(List.of(x), List.of(red.abs.apply(x))).callAll(a).get(0);
            withinFloat32SumBound(s, ref, abs, s.size() == 0 ? 0 : a.size() / s.size(), red.name + " " + name);
        } else Parity.near(s, ref, ref.dtype() == DType.FLOAT32 ? 1e-6 : rtol64, red.name + " " + name);
    }

    /**
     * A float32 sum (or mean) against the reference's float64 one: the simd result is within gamma_6(2^-24) * sum|x|
     * of the exact value before its rounding to float32 ({@link dev.theon.simd.reduce.FloatRuns}), the reference
     * within gamma_n(2^-53) * sum|x|; each is then rounded to float32 (half an ulp each). {@code abs} holds sum|x| (or
     * its mean) per output; {@code count} is how many elements each output folds.
     */
    static void withinFloat32SumBound(NDArray got, NDArray ref, NDArray abs, long count, String what) {
        assertEquals(ref.dtype(), got.dtype(), what + ": dtype");
        assertArrayEquals(ref.shape(), got.shape(), what + ": shape");
        int k = dev.theon.simd.reduce.FloatRuns.ROUNDINGS;
        double gamma32 = k * 0x1p-24 / (1 - k * 0x1p-24), gamma64 = (count + 1) * 0x1p-53 / (1 - (count + 1) * 0x1p-53);
        for (long i = 0; i < ref.size(); i++) {
            double g = got.flatDouble(i), w = ref.flatDouble(i);
            if (Double.isNaN(w) && Double.isNaN(g) || g == w) continue;
            double bound = (gamma32 + 2 * gamma64) * abs.flatDouble(i) + Math.ulp((float) w);
            if (!(Math.abs(g - w) <= bound))
                fail(what + ": at flat " + i + " got " + g + " want " + w + " (error " + Math.abs(g - w) + ", bound " + bound + ")");
        }
    }

    static long[] unknown(int rank) { long[] s = new long[rank]; Arrays.fill(s, -1); return s; }

    @Test void largeReductionsSplitAmongThreads() {
        Random r = new Random(11);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            for (long[] shape : new long[][]{{300001}, {700, 450}, {3, 90000}}) {
                for (Lay lay : new Lay[]{Lay.CONTIGUOUS, Lay.TRANSPOSED}) {
                    NDArray a = Parity.random(r, dt, shape, -1, 1, lay);
                    for (int[] axes : new int[][]{null, {0}, {shape.length - 1}}) {
                        for (R red : List.of(sum(axes, false), new R("max", x -> T.max(x, axes, false)),
                                mean(axes, false), new R("var", x -> T.var(x, axes, false)), new R("argmax", x -> T.argmax(x, axes, false))))
                            check(red, a, Arrays.toString(shape) + " " + Arrays.toString(axes) + " " + dt + " " + lay, 1e-10);
                    }
                }
            }
        }
    }

    @Test void fullFloat32SumAgainstAFloat64Loop() {
        int n = 1 << 20;
        NDArray a = NDArray.zeros(DType.FLOAT32, n);
        double exact = 0, abs = 0;
        Random r = new Random(3);
        for (int i = 0; i < n; i++) { float v = (float) r.nextGaussian(); a.writeDouble(i, v); exact += v; abs += Math.abs(v); }
        Variable x = T.fvector("x");
        NDArray s = Parity.simd(List.of(x), List.of(T.sum(x))).callAll(a).get(0);
        // at most 6 float32 roundings per element, then float64 (FloatSumBoundTest derives the bound)
        double bound = 6 * 0x1p-24 / (1 - 6 * 0x1p-24) * abs + 2 * (n + 1) * 0x1p-53 * abs + Math.ulp((float) exact);
        assertEquals(exact, s.toDouble(), bound, "float32 trees into float64, rounded once");
    }

    @Test void emptyInputsFollowTheReference() {
        Variable x = T.dmatrix("x");
        NDArray e = NDArray.zeros(DType.FLOAT64, 0, 3);
        assertArrayEquals(new double[]{0, 0, 0}, Parity.simd(List.of(x), List.of(T.sum(x, 0))).callAll(e).get(0).toDoubleArray());
        assertTrue(Double.isNaN(Parity.simd(List.of(x), List.of(T.mean(x))).callAll(e).get(0).toDouble()));
        Function<Variable, Variable> max = v -> T.max(v, 0);
        Variable y = T.dmatrix("y");
        var f = Parity.simd(List.of(y), List.of(max.apply(y)));
        assertThrows(TheonException.ShapeError.class, () -> f.callAll(e));
    }

    @Test void describeNamesTheKernels() {
        Variable x = T.fmatrix("x"), i = T.imatrix("i");
        assertTrue(Parity.simd(List.of(x), List.of(T.sum(x, 1))).describe().contains("sum reduction (float32 trees into float64"));
        assertTrue(Parity.simd(List.of(x), List.of(T.max(x, 1))).describe().contains("max reduction (float32 lanes"));
        assertTrue(Parity.simd(List.of(x), List.of(T.prod(x, 1))).describe().contains("prod reduction (float64 accumulation"));
        assertTrue(Parity.simd(List.of(i), List.of(T.sum(i, 1))).describe().contains("exact int64"));
    }
}
