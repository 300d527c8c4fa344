package dev.theon.simd;

import dev.theon.T;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.ops.ARange;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** arange, eye and alloc on the simd backend against values computed here and against the reference backend. */
class CreationParityTest {
    // small arrays take the multi-threaded paths too (in production a thread must get ~a millisecond of work)
    @BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }

    static final DType[] ALL = {DType.BOOL, DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64};

    /** Storage of a long in a dtype, as a C cast: integers wrap, bool is "nonzero". */
    static long wrap(DType dt, long v) {
        return switch (dt) {
            case BOOL -> v != 0 ? 1 : 0;
            case INT8 -> (byte) v;
            case INT16 -> (short) v;
            case INT32 -> (int) v;
            default -> v;
        };
    }

    static void assertNoFallback(Function f) { assertFalse(f.describe().contains("FALLBACK"), f.describe()); }

    /** Both backends raise the same error (class and message) for these arguments. */
    static void sameError(Function simd, Function ref, Object... args) {
        Exception s = assertThrows(RuntimeException.class, () -> simd.callAll(args));
        Exception r = assertThrows(RuntimeException.class, () -> ref.callAll(args));
        assertEquals(r.getClass(), s.getClass(), s.toString());
        assertEquals(r.getMessage(), s.getMessage());
    }

    @Test void integerRangesOfEveryDtypeWrapLikeTheReference() {
        long[][] cases = {{0, 10, 1}, {-5, 300, 3}, {10, -7, -2}, {5, 5, 1}, {5, 0, 1}, {0, 100_003, 1}, {-70_000, 70_000, 1},
                {Long.MAX_VALUE - 100, Long.MAX_VALUE, 7}, {3, 200_000, 1_000_003}, {1, 2, -1}};
        for (DType dt : new DType[]{DType.BOOL, DType.INT8, DType.INT16, DType.INT32, DType.INT64}) {
            Variable start = T.lscalar("start"), stop = T.lscalar("stop"), step = T.lscalar("step");
            Variable r = new ARange(dt).apply(start, stop, step);
            Function s = Parity.simd(List.of(start, stop, step), List.of(r)), ref = Parity.reference(List.of(start, stop, step), List.of(r));
            assertNoFallback(s);
            for (long[] c : cases) {
                String what = "arange " + dt + " " + c[0] + ", " + c[1] + ", " + c[2];
                NDArray got = s.call(c[0], c[1], c[2]);
                long n = Math.max(0, Math.ceilDiv(c[1] - c[0], c[2]));
                assertEquals(dt, got.dtype(), what);
                assertArrayEquals(new long[]{n}, got.shape(), what);
                for (long i = 0; i < n; i++)
                    if (got.flatLong(i) != wrap(dt, c[0] + i * c[2])) fail(what + ": at " + i + " got " + got.flatLong(i) + " want " + wrap(dt, c[0] + i * c[2]));
                Parity.close(got, ref.call(c[0], c[1], c[2]), 0, what);
            }
            sameError(s, ref, 0L, 5L, 0L);
            sameError(s, ref, Long.MIN_VALUE, Long.MAX_VALUE, 1L);
        }
    }

    @Test void floatRangesAreStartPlusIndexTimesStepRoundedOnce() {
        double[][] cases = {{0, 1, 0.1}, {1, -0.6, -0.5}, {0.5, 1e5, 0.75}, {3, 3, 1}, {-2.5, 7.3, 1.0 / 3}, {1e8, 1e8 + 1000, 0.1}, {0, 40_000, 1e-3 * 3}};
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Variable start = T.dscalar("start"), stop = T.dscalar("stop"), step = T.dscalar("step");
            Variable r = new ARange(dt).apply(start, stop, step);
            Function s = Parity.simd(List.of(start, stop, step), List.of(r)), ref = Parity.reference(List.of(start, stop, step), List.of(r));
            assertNoFallback(s);
            for (double[] c : cases) {
                String what = "arange " + dt + " " + c[0] + ", " + c[1] + ", " + c[2];
                NDArray got = s.call(c[0], c[1], c[2]);
                long n = Math.max(0, (long) Math.ceil((c[1] - c[0]) / c[2]));
                assertArrayEquals(new long[]{n}, got.shape(), what);
                for (long i = 0; i < n; i++) {
                    double v = c[0] + i * c[2];
                    double want = dt == DType.FLOAT32 ? (float) v : v;
                    if (got.flatDouble(i) != want) fail(what + ": at " + i + " got " + got.flatDouble(i) + " want " + want);
                }
                Parity.close(got, ref.call(c[0], c[1], c[2]), 0, what);
            }
            sameError(s, ref, 0.0, 1.0, 0.0);
            sameError(s, ref, 0.0, Double.NaN, 1.0);
            sameError(s, ref, 0.0, Double.POSITIVE_INFINITY, 1.0);
        }
    }

    @Test void eyeOfEveryDtypeAndDiagonal() {
        long[][] cases = {{4, 4, 0}, {3, 5, 1}, {5, 3, -2}, {3, 3, 5}, {3, 3, -3}, {0, 3, 0}, {3, 0, 0}, {1, 1, 0}, {300, 200, -7}, {129, 257, 100}};
        for (DType dt : ALL) {
            Variable n = T.lscalar("n"), m = T.lscalar("m"), k = T.lscalar("k");
            Variable e = T.eye(n, m, k, dt);
            Function s = Parity.simd(List.of(n, m, k), List.of(e)), ref = Parity.reference(List.of(n, m, k), List.of(e));
            assertNoFallback(s);
            for (long[] c : cases) {
                String what = "eye " + dt + " " + c[0] + ", " + c[1] + ", " + c[2];
                NDArray got = s.call(c[0], c[1], c[2]);
                assertArrayEquals(new long[]{c[0], c[1]}, got.shape(), what);
                for (long i = 0; i < c[0]; i++) for (long j = 0; j < c[1]; j++)
                    if (got.getDouble(i, j) != (j - i == c[2] ? 1 : 0)) fail(what + ": at (" + i + ", " + j + ") got " + got.getDouble(i, j));
                Parity.close(got, ref.call(c[0], c[1], c[2]), 0, what);
            }
            // as an intermediate the eye's array is kept for the next call, which must clear the last diagonal
            Variable rowSums = T.sum(T.cast(e, DType.INT64), 1);
            Function sums = Parity.simd(List.of(n, m, k), List.of(rowSums));
            for (long diag : new long[]{0, 2, -1, 7, 0}) {
                long[] got = sums.call(6L, 6L, diag).toLongArray();
                for (int i = 0; i < 6; i++) assertEquals(i + diag >= 0 && i + diag < 6 ? 1 : 0, got[i], "eye " + dt + " k " + diag + " row " + i);
            }
            sameError(s, ref, -1L, 3L, 0L);
        }
    }

    @Test void allocBroadcastsScalarsRowsAndColumnsOfEveryDtype() {
        Random rnd = new Random(5);
        for (DType dt : ALL) {
            for (Lay lay : Lay.values()) {
                Variable n = T.lscalar("n"), m = T.lscalar("m");
                Variable scalar = T.tensor(dt, new long[]{}, "v"), row = T.tensor(dt, new long[]{-1}, "row"), col = T.tensor(dt, new long[]{-1, 1}, "col");
                Variable mat = T.tensor(dt, new long[]{-1, -1}, "mat");
                NDArray sv = Parity.random(rnd, dt, new long[]{}, -9, 9, lay), rv = Parity.random(rnd, dt, new long[]{67}, -9, 9, lay);
                NDArray cv = Parity.random(rnd, dt, new long[]{45, 1}, -9, 9, lay), mv = Parity.random(rnd, dt, new long[]{45, 67}, -9, 9, lay);
                Object[][] runs = {{scalar, sv}, {row, rv}, {col, cv}, {mat, mv}};
                for (Object[] run : runs) {
                    Variable v = (Variable) run[0];
                    NDArray value = (NDArray) run[1];
                    for (Variable a : List.of(T.alloc(v, n, m), T.alloc(v, 3, n, m))) {
                        String what = "alloc " + dt + " " + lay + " of " + v.name() + " to rank " + a.ndim();
                        Function s = Parity.simd(List.of(v, n, m), List.of(a)), ref = Parity.reference(List.of(v, n, m), List.of(a));
                        assertNoFallback(s);
                        NDArray got = s.call(value, 45L, 67L);
                        long[] vs = value.shape();
                        assertEquals(a.ndim() == 2 ? 45 * 67 : 3 * 45 * 67, got.size(), what);
                        for (long t = 0; t < got.size() / (45 * 67); t++) for (long i = 0; i < 45; i++) for (long j = 0; j < 67; j++) {
                            long[] at = a.ndim() == 2 ? new long[]{i, j} : new long[]{t, i, j};
                            long[] from = vs.length == 0 ? new long[0] : vs.length == 1 ? new long[]{j} : new long[]{vs[0] == 1 ? 0 : i, vs[1] == 1 ? 0 : j};
                            boolean same = dt.isDiscrete() ? got.getLong(at) == value.getLong(from) : got.getDouble(at) == value.getDouble(from);
                            if (!same) fail(what + ": at " + java.util.Arrays.toString(at) + " got " + got.getDouble(at) + " want " + value.getDouble(from));
                        }
                        Parity.close(got, ref.call(value, 45L, 67L), 0, what);
                        if (v == scalar || v == col) {
                            long rows = v == scalar ? 0 : 45, cols = v == scalar ? 67 : 0;
                            Parity.close(s.call(value, rows, cols), ref.call(value, rows, cols), 0, what + " with a zero dim");
                        }
                    }
                }
            }
        }
    }

    @Test void allocErrorsAreTheReferences() {
        Variable n = T.lscalar("n"), m = T.lscalar("m");
        Variable undeclared = T.dmatrix("v");  // a column of size 1 whose type does not say so
        Variable a = T.alloc(undeclared, n, m);
        Function s = Parity.simd(List.of(undeclared, n, m), List.of(a)), ref = Parity.reference(List.of(undeclared, n, m), List.of(a));
        NDArray column = NDArray.of(new double[][]{{1}, {2}});
        sameError(s, ref, column, 2L, 3L);
        sameError(s, ref, column, 3L, 1L);
        sameError(s, ref, column, -2L, 1L);
        Parity.close(s.call(column, 2L, 1L), ref.call(column, 2L, 1L), 0, "alloc to the value's own shape");
    }
}
