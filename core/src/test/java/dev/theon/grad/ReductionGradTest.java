package dev.theon.grad;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gradients of the reductions against finite differences over every kind of axis selection, prod's exact gradient
 * at zeros against hand-computed values, and the reductions with discrete results (argmax, all, any) disconnected.
 */
class ReductionGradTest {

    /** A (2, 3, 4) point with distinct values (no ties for max and min), none zero. */
    static NDArray point() {
        double[] v = new double[24];
        for (int i = 0; i < v.length; i++) v[i] = ((i * 7) % 24 + 1) * 0.1 * (i % 3 == 0 ? -1 : 1);
        return NDArray.fromDoubles(DType.FLOAT64, v, 2, 3, 4);
    }

    record Kind(String name, BiFunction<Variable, Object[], Variable> fn) {
        @Override public String toString() { return name; }
    }

    /** Each reduction as (x, {axes, keepdims}) -> result. */
    static final List<Kind> KINDS = List.of(
            new Kind("sum", (x, a) -> T.sum(x, (int[]) a[0], (boolean) a[1])),
            new Kind("mean", (x, a) -> T.mean(x, (int[]) a[0], (boolean) a[1])),
            new Kind("prod", (x, a) -> T.prod(x, (int[]) a[0], (boolean) a[1])),
            new Kind("max", (x, a) -> T.max(x, (int[]) a[0], (boolean) a[1])),
            new Kind("min", (x, a) -> T.min(x, (int[]) a[0], (boolean) a[1])),
            new Kind("var", (x, a) -> T.var(x, (int[]) a[0], (boolean) a[1], 0)),
            new Kind("var ddof=1", (x, a) -> T.var(x, (int[]) a[0], (boolean) a[1], 1)),
            new Kind("std", (x, a) -> T.std(x, (int[]) a[0], (boolean) a[1], 0)),
            new Kind("std ddof=1", (x, a) -> T.std(x, (int[]) a[0], (boolean) a[1], 1)));

    static final int[][] AXES = {null, {0}, {1}, {2}, {-1}, {-2}, {0, 2}, {-1, 0}, {0, 1, 2}};

    static Stream<Arguments> cases() {
        List<Arguments> r = new ArrayList<>();
        for (Kind k : KINDS)
            for (int[] axes : AXES)
                for (boolean keep : new boolean[]{false, true})
                    r.add(Arguments.of(k, axes == null ? "all" : Arrays.toString(axes), axes, keep));
        return r.stream();
    }

    @ParameterizedTest(name = "{0} over {1}, keepdims={3}")
    @MethodSource("cases")
    void everyReductionOverEveryAxisSelection(Kind kind, String label, int[] axes, boolean keepdims) {
        Theon.verifyGrad(in -> kind.fn().apply(in.get(0), new Object[]{axes, keepdims}), List.of(point()));
    }

    @Test void reductionsOfVectorsAndBroadcastableAxes() {
        NDArray v = NDArray.of(0.3, -1.2, 0.8, 2.1);
        for (Kind k : KINDS) Theon.verifyGrad(in -> k.fn().apply(in.get(0), new Object[]{null, false}), List.of(v));
        // an axis of static size 1 reduces to itself
        NDArray row = NDArray.fromDoubles(DType.FLOAT64, new double[]{0.3, -1.2, 0.8}, 1, 3);
        for (Kind k : List.of(KINDS.get(0), KINDS.get(1), KINDS.get(2), KINDS.get(3)))
            Theon.verifyGrad(in -> k.fn().apply(in.get(0), new Object[]{new int[]{0}, false}), List.of(row));
    }

    @Test void keepdimsResultBroadcastsBack() {
        // x - mean(x) and x / max(x) along an axis: the reduced gradient flows back through the broadcast
        Theon.verifyGrad(in -> T.sub(in.get(0), T.mean(in.get(0), new int[]{1}, true)), List.of(point()));
        Theon.verifyGrad(in -> T.div(in.get(0), T.max(in.get(0), new int[]{-1}, true)), List.of(point()));
        Theon.verifyGrad(in -> T.mul(in.get(0), T.std(in.get(0), new int[]{0, 2}, true)), List.of(point()));
    }

    @Test void gradientsKeepTheInputDtype() {
        Variable x = T.ftensor3("x");
        for (Kind k : KINDS) {
            Variable g = T.grad(T.sum(k.fn().apply(x, new Object[]{new int[]{1}, false})), x);
            assertEquals(DType.FLOAT32, g.dtype(), k.name());
            assertEquals(3, g.ndim(), k.name());
        }
    }

    @Test void simpleValues() {
        Variable x = T.dmatrix("x");
        double[][] xv = {{1, 5, 3}, {4, 2, 6}};
        Map<Variable, Object> at = Map.of(x, xv);
        assertArrayEquals(new double[][]{{1, 1, 1}, {1, 1, 1}}, T.grad(T.sum(x), x).eval(at).toDoubleMatrix());
        double s = 1.0 / 3;
        assertArrayEquals(new double[][]{{s, s, s}, {s, s, s}}, T.grad(T.sum(T.mean(x, 1)), x).eval(at).toDoubleMatrix());
        assertArrayEquals(new double[][]{{0, 1, 0}, {0, 0, 1}}, T.grad(T.sum(T.max(x, 1)), x).eval(at).toDoubleMatrix());
        assertArrayEquals(new double[][]{{1, 0, 0}, {0, 1, 0}}, T.grad(T.sum(T.min(x, -1)), x).eval(at).toDoubleMatrix());
        assertArrayEquals(new double[][]{{0, 1, 0}, {1, 0, 1}}, T.grad(T.sum(T.max(x, 0)), x).eval(at).toDoubleMatrix());
        // var over axis 0 of each column (a, b): d/da = 2 (a - m) / (n - ddof) = (a - b) / (2 - ddof)
        double[][] g0 = T.grad(T.sum(T.var(x, new int[]{0}, false, 0)), x).eval(at).toDoubleMatrix();
        double[][] g1 = T.grad(T.sum(T.var(x, new int[]{0}, false, 1)), x).eval(at).toDoubleMatrix();
        for (int j = 0; j < 3; j++) {
            assertEquals((xv[0][j] - xv[1][j]) / 2, g0[0][j], 1e-12);
            assertEquals((xv[0][j] - xv[1][j]), g1[0][j], 1e-12);
            assertEquals((xv[1][j] - xv[0][j]), g1[1][j], 1e-12);
        }
    }

    // ---------------------------------------------------------------- prod at zeros

    @Test void prodWithZerosMatchesHandComputedValues() {
        Variable x = T.dmatrix("x");
        // row 0 has one zero (it gets the product of the rest), row 1 two zeros (everything is 0), row 2 none
        double[][] xv = {{2, 0, 3, 5}, {0, 4, 0, 7}, {1, 2, 3, 4}};
        double[][] expected = {{0, 30, 0, 0}, {0, 0, 0, 0}, {24, 12, 8, 6}};
        double[][] got = T.grad(T.sum(T.prod(x, 1)), x).eval(Map.of(x, xv)).toDoubleMatrix();
        for (int i = 0; i < 3; i++) assertArrayEquals(expected[i], got[i], 1e-12);
        // down the columns: the first three have one zero each, the last none
        double[][] col = T.grad(T.sum(T.prod(x, new int[]{0}, true)), x).eval(Map.of(x, xv)).toDoubleMatrix();
        double[][] colExpected = {{0, 8, 0, 28}, {2, 0, 9, 20}, {0, 0, 0, 35}};
        for (int i = 0; i < 3; i++) assertArrayEquals(colExpected[i], col[i], 1e-12);
        // over everything: three zeros in the group, so all 0; with a single zero, only it gets the rest's product
        assertArrayEquals(new double[]{0, 0, 0, 0}, T.grad(T.prod(x), x).eval(Map.of(x, xv)).toDoubleMatrix()[0], 0);
        Variable v = T.dvector("v");
        assertArrayEquals(new double[]{0, 0, -6, 0}, T.grad(T.prod(v), v).eval(Map.of(v, new double[]{1, 2, 0, -3})).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{0, 0, 0, 0}, T.grad(T.prod(v), v).eval(Map.of(v, new double[]{1, 0, 0, -3})).toDoubleArray(), 0);
    }

    @Test void prodWithZerosAgreesWithFiniteDifferences() {
        // prod is a polynomial, so central differences are exact enough at zeros too
        NDArray one = NDArray.of(new double[][]{{2, 0, 3, 5}, {1.5, 2, -1, 0.5}});
        NDArray two = NDArray.of(new double[][]{{0, 4, 0, 7}, {0, 0.5, 0, 1.5}});
        for (NDArray p : List.of(one, two)) {
            Theon.verifyGrad(in -> T.prod(in.get(0), 1), List.of(p));
            Theon.verifyGrad(in -> T.prod(in.get(0), new int[]{-1}, true), List.of(p));
            Theon.verifyGrad(in -> T.prod(in.get(0), 0), List.of(p));
            Theon.verifyGrad(in -> T.prod(in.get(0)), List.of(p));
        }
    }

    // ---------------------------------------------------------------- discrete results

    @Test void argmaxAllAnyAreDisconnected() {
        Variable x = T.dmatrix("x");
        double[][] xv = {{1, 5, 3}, {6, 2, 4}};
        Map<Variable, Object> at = Map.of(x, xv);
        // cost = sum(x * argmax(x, 1)): the argmax is a constant factor per row (1 and 0)
        Variable am = T.cast(T.argmax(x, new int[]{1}, true), DType.FLOAT64);
        assertArrayEquals(new double[][]{{1, 1, 1}, {0, 0, 0}}, T.grad(T.sum(T.mul(x, am)), x).eval(at).toDoubleMatrix());
        Variable amin = T.argmin(x);  // 0: the flat index of the 1
        assertArrayEquals(new double[][]{{1, 1, 1}, {1, 1, 1}}, T.grad(T.sum(T.mul(x, T.cast(T.eq(amin, 0), DType.FLOAT64))), x)
                .eval(at).toDoubleMatrix());
        Variable all = T.cast(T.all(T.gt(x, 1.5), new int[]{1}, true), DType.FLOAT64);
        Variable any = T.cast(T.any(x, new int[]{0}, true), DType.FLOAT64);
        assertArrayEquals(new double[][]{{0, 0, 0}, {1, 1, 1}}, T.grad(T.sum(T.mul(x, all)), x).eval(at).toDoubleMatrix());
        assertArrayEquals(new double[][]{{1, 1, 1}, {1, 1, 1}}, T.grad(T.sum(T.mul(x, any)), x).eval(at).toDoubleMatrix());
        // the ops themselves answer "disconnected", even for a float operand
        for (Variable y : List.of(T.argmax(x, 1), T.argmin(x), T.all(x, 0), T.any(x))) {
            List<Variable> g = y.owner().op().grad(y.owner().inputs(), y.owner().outputs(), List.of(T.onesLike(y)));
            assertNull(g.get(0), y.owner().op().name());
        }
        // a cost that only reads argmax does not depend on x
        var e = assertThrows(dev.theon.TheonException.GradientError.class,
                () -> T.grad(T.sum(T.cast(T.argmax(x, 1), DType.FLOAT64)), x));
        assertTrue(e.getMessage().contains("does not depend"), e.getMessage());
        Theon.verifyGrad(in -> T.mul(in.get(0), T.cast(T.argmax(in.get(0), new int[]{0}, true), DType.FLOAT64)), List.of(point()));
        Theon.verifyGrad(in -> T.mul(in.get(0), T.cast(T.any(T.gt(in.get(0), 0.0), new int[]{-1}, true), DType.FLOAT64)), List.of(point()));
    }
}
