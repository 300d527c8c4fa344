package dev.theon.simd;

import dev.theon.T;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * tensordot on the simd GEMM against float64 sums computed here and against the reference backend: several pairings
 * (summed axes in and out of order, none at all, every axis), contiguous, transposed and strided operands, empty
 * dims, float32, float64 and an integer operand beside a float one; integer results fall back visibly.
 */
class TensorDotParityTest {

    /** A case: shapes of a and b, and the paired axes. */
    record Case(long[] a, long[] b, int[] axesA, int[] axesB) {
        @Override public String toString() {
            return Arrays.toString(a) + " . " + Arrays.toString(b) + " over " + Arrays.toString(axesA) + "/" + Arrays.toString(axesB);
        }
    }

    static final List<Case> CASES = List.of(
            new Case(new long[]{3, 4, 5}, new long[]{4, 5, 6}, new int[]{1, 2}, new int[]{0, 1}),
            new Case(new long[]{2, 3, 4}, new long[]{4, 3, 5}, new int[]{1, 2}, new int[]{1, 0}),
            new Case(new long[]{6, 3, 7}, new long[]{7, 2, 6}, new int[]{0, 2}, new int[]{2, 0}),
            new Case(new long[]{3, 4}, new long[]{5}, new int[]{}, new int[]{}),
            new Case(new long[]{4, 3, 2}, new long[]{2, 3, 4}, new int[]{0, 1, 2}, new int[]{2, 1, 0}),
            new Case(new long[]{33, 17, 9}, new long[]{9, 17, 41}, new int[]{2, 1}, new int[]{0, 1}),
            new Case(new long[]{0, 4, 2}, new long[]{4, 2, 3}, new int[]{1, 2}, new int[]{0, 1}),
            new Case(new long[]{3, 0, 2}, new long[]{0, 2, 3}, new int[]{1, 2}, new int[]{0, 1}),
            new Case(new long[]{5, 1, 3}, new long[]{3, 1, 4}, new int[]{2, 1}, new int[]{0, 1}));

    /** The product with float64 sums over the paired axes, and the sum of |terms| (the scale of rounding errors). */
    static double[][] expected(NDArray a, NDArray b, Case c, long[] outShape) {
        long[] kShape = new long[c.axesA.length];
        for (int i = 0; i < kShape.length; i++) kShape[i] = a.shape(c.axesA[i]);
        long outSize = Shapes.size(outShape), kSize = Shapes.size(kShape);
        double[][] r = new double[2][(int) outSize];
        long[] oi = new long[outShape.length];
        for (int f = 0; f < outSize; f++) {
            long rest = f;
            for (int d = outShape.length - 1; d >= 0; d--) { oi[d] = rest % outShape[d]; rest /= outShape[d]; }
            for (long kf = 0; kf < kSize; kf++) {
                long[] ki = new long[kShape.length];
                long kr = kf;
                for (int d = kShape.length - 1; d >= 0; d--) { ki[d] = kr % kShape[d]; kr /= kShape[d]; }
                long[] ai = new long[a.ndim()], bi = new long[b.ndim()];
                int free = 0;
                for (int d = 0; d < a.ndim(); d++) if (indexOf(c.axesA, d) < 0) ai[d] = oi[free++];
                for (int d = 0; d < b.ndim(); d++) if (indexOf(c.axesB, d) < 0) bi[d] = oi[free++];
                for (int p = 0; p < kShape.length; p++) { ai[c.axesA[p]] = ki[p]; bi[c.axesB[p]] = ki[p]; }
                double t = a.getDouble(ai) * b.getDouble(bi);
                r[0][f] += t;
                r[1][f] += Math.abs(t);
            }
        }
        return r;
    }

    static int indexOf(int[] xs, int x) {
        for (int i = 0; i < xs.length; i++) if (xs[i] == x) return i;
        return -1;
    }

    @Test void pairingsLayoutsAndDtypesAgainstFloat64Sums() {
        Random r = new Random(31);
        DType[][] dtypes = {{DType.FLOAT32, DType.FLOAT32}, {DType.FLOAT64, DType.FLOAT64}, {DType.INT32, DType.FLOAT64}, {DType.FLOAT32, DType.INT16}};
        for (Case c : CASES) {
            for (DType[] dt : dtypes) {
                for (Lay la : Lay.values()) {
                    Lay lb = la == Lay.STRIDED ? Lay.TRANSPOSED : la == Lay.TRANSPOSED ? Lay.CONTIGUOUS : Lay.STRIDED;
                    String what = "tensordot " + c + " " + dt[0] + "/" + dt[1] + " " + la + "/" + lb;
                    NDArray av = Parity.random(r, dt[0], c.a, -1, 1, la), bv = Parity.random(r, dt[1], c.b, -1, 1, lb);
                    Variable a = T.tensor(dt[0], c.a.length, "a"), b = T.tensor(dt[1], c.b.length, "b");
                    Variable out = T.tensordot(a, b, c.axesA, c.axesB);
                    Function f = Parity.simd(List.of(a, b), List.of(out));
                    assertTrue(f.describe().contains("tensordot as one gemm"), what + "\n" + f.describe());
                    NDArray got = f.callAll(av, bv).get(0);
                    DType rt = DType.promote(dt[0], dt[1]);
                    assertEquals(rt, got.dtype(), what);
                    double[][] want = expected(av, bv, c, got.shape());
                    double tol = rt == DType.FLOAT32 ? 2e-5 : 1e-14;
                    for (int i = 0; i < want[0].length; i++) {
                        double g = got.flatDouble(i);
                        if (!(Math.abs(g - want[0][i]) <= tol * want[1][i] + 1e-300))
                            fail(what + ": at flat " + i + " got " + g + " want " + want[0][i] + " (scale " + want[1][i] + ")");
                    }
                    Parity.near(got, Parity.reference(List.of(a, b), List.of(out)).callAll(av, bv).get(0), rt == DType.FLOAT32 ? 1e-5 : 1e-13, what);
                }
            }
        }
    }

    @Test void largeProductsRunOnTheThreadedGemm() {
        Random r = new Random(32);
        long[] sa = {40, 30, 20}, sb = {20, 30, 50};
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            NDArray av = Parity.random(r, dt, sa, -1, 1, Lay.TRANSPOSED), bv = Parity.random(r, dt, sb, -1, 1, Lay.CONTIGUOUS);
            Variable a = T.tensor(dt, 3, "a"), b = T.tensor(dt, 3, "b");
            Case c = new Case(sa, sb, new int[]{1, 2}, new int[]{1, 0});
            Variable out = T.tensordot(a, b, c.axesA, c.axesB);
            NDArray got = Parity.simd(List.of(a, b), List.of(out)).callAll(av, bv).get(0);
            double[][] want = expected(av, bv, c, got.shape());
            for (int i = 0; i < want[0].length; i++)
                assertEquals(want[0][i], got.flatDouble(i), (dt == DType.FLOAT32 ? 2e-5 : 1e-14) * want[1][i] + 1e-300, "flat " + i);
        }
    }

    @Test void integerResultsFallBackVisiblyAndErrorsAreTheReferences() {
        Variable a = T.ltensor3("a"), b = T.lmatrix("b");
        Variable out = T.tensordot(a, b, new int[]{2, 1}, new int[]{0, 1});
        Function f = Parity.simd(List.of(a, b), List.of(out));
        assertTrue(f.describe().contains("FALLBACK") && f.describe().contains("tensordot of int64"), f.describe());
        NDArray av = Parity.random(new Random(3), DType.INT64, new long[]{2, 3, 4}, 0, 0, Lay.CONTIGUOUS), bv = Parity.random(new Random(4), DType.INT64, new long[]{4, 3}, 0, 0, Lay.CONTIGUOUS);
        NDArray got = Parity.both(List.of(a, b), List.of(out), new Object[]{av, bv}, 0, "integer tensordot").get(0);
        for (int i = 0; i < 2; i++) {
            long s = 0;
            for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) s += av.getLong(i, j, k) * bv.getLong(k, j);
            assertEquals(s, got.getLong(i));
        }
        Variable x = T.dtensor3("x"), y = T.dtensor3("y");
        Variable td = T.tensordot(x, y, new int[]{1, 2}, new int[]{0, 1});
        List<Variable> in = new ArrayList<>(List.of(x, y));
        CreationParityTest.sameError(Parity.simd(in, List.of(td)), Parity.reference(in, List.of(td)), NDArray.zeros(DType.FLOAT64, 2, 3, 4), NDArray.zeros(DType.FLOAT64, 3, 5, 6));
    }
}
