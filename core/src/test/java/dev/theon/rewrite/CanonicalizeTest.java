package dev.theon.rewrite;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Constant;
import dev.theon.graph.Variable;
import dev.theon.grad.GradControl;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Reshape;
import dev.theon.ops.ScalarOp;
import dev.theon.ops.Shape;
import dev.theon.ops.ShapeI;
import dev.theon.ops.Subtensor;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.theon.rewrite.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Canonicalization, merge, constant folding and shapes: each fires where it should, and not where it must not. */
class CanonicalizeTest {

    @Test void differenceOfEqualPowersIsZerosWithoutPow() {
        Variable x = T.dmatrix("x");
        Variable y = T.pow(x, 2);
        Function f = Theon.function(List.of(x), T.sub(y, T.pow(x, 2)));
        assertEquals(0, countScalar(f, ScalarOp.POW), ops(f));
        NDArray r = f.call((Object) new double[][]{{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new long[]{2, 3}, r.shape());
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[6], r.toDoubleArray());
        // float32 with a broadcastable dim: the zeros keep the dtype and the static type
        Variable z = T.tensor(DType.FLOAT32, new long[]{1, -1}, "z");
        Variable d = T.sub(T.pow(z, 2), T.pow(z, 2));
        Function g = Theon.function(List.of(z), d);
        assertEquals(0, countScalar(g, ScalarOp.POW), ops(g));
        assertEquals(d.type().dtype(), g.graph().output(0).dtype());
        assertEquals(1, g.graph().output(0).type().dim(0), "the broadcastable dim stays broadcastable");
        NDArray rz = g.call((Object) new float[][]{{1, 2, 3, 4}});
        assertArrayEquals(new long[]{1, 4}, rz.shape());
        assertArrayEquals(new float[4], rz.toFloatArray());
    }

    @Test void neutralElementsLeaveNoNodes() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.sub(T.div(T.pow(T.add(T.mul(x, 1.0), 0.0), 1.0), 1.0), 0.0));
        assertTrue(nodes(f).isEmpty(), ops(f));
        assertArrayEquals(new double[]{1.5, -2}, f.call(new double[]{1.5, -2}).toDoubleArray());
        Variable y = T.fvector("y");
        Function g = Theon.function(List.of(y), T.mul(T.constant(1.0f), y));
        assertTrue(nodes(g).isEmpty(), ops(g));
        assertEquals(DType.FLOAT32, g.call(new float[]{3}).dtype());
    }

    @Test void neutralElementsKeepDtypeAndShape() {
        // int32 * 1.0 is float64: the rewrite leaves a cast, not the int32 input
        Variable i = T.ivector("i");
        Function f = Theon.function(List.of(i), T.mul(i, 1.0));
        NDArray r = f.call(new int[]{1, 2});
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[]{1, 2}, r.toDoubleArray());
        assertEquals(0, countScalar(f, ScalarOp.MUL), ops(f));
        // a scalar times a vector of ones is a vector: x * ones does not become x
        Variable s = T.dscalar("s");
        Function g = Theon.function(List.of(s), T.mul(s, T.constant(new double[]{1, 1, 1})));
        assertArrayEquals(new double[]{2, 2, 2}, g.call(2.0).toDoubleArray());
        assertEquals(1, countScalar(g, ScalarOp.MUL), ops(g));
    }

    @Test void doubleNegation() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.neg(T.neg(x)));
        assertTrue(nodes(f).isEmpty(), ops(f));
        assertArrayEquals(new double[]{-1, 2}, f.call(new double[]{-1, 2}).toDoubleArray());
    }

    @Test void signsCombine() {
        Variable x = T.dvector("x"), y = T.dvector("y");
        Function f = Theon.function(List.of(x, y), List.of(T.add(x, T.neg(y)), T.sub(x, T.neg(y)), T.neg(T.sub(x, y))),
                Theon.options().excluding("fusion"));
        assertEquals(0, countScalar(f, ScalarOp.NEG), ops(f));
        List<NDArray> r = f.callAll(new double[]{5, 1}, new double[]{2, 3});
        assertArrayEquals(new double[]{3, -2}, r.get(0).toDoubleArray());
        assertArrayEquals(new double[]{7, 4}, r.get(1).toDoubleArray());
        assertArrayEquals(new double[]{-3, 2}, r.get(2).toDoubleArray());
    }

    @Test void divisionOfAValueByItselfIsNotOneByDefault() {
        Variable x = T.dvector("x");
        Variable q = T.div(x, x);
        Function f = Theon.function(List.of(x), q);
        assertEquals(1, countScalar(f, ScalarOp.TRUE_DIV), "x / x stays a division: x may be 0, inf or NaN; " + ops(f));
        NDArray r = f.call(new double[]{0, 2, Double.POSITIVE_INFINITY});
        assertTrue(Double.isNaN(r.flatDouble(0)) && Double.isNaN(r.flatDouble(2)));
        assertEquals(1.0, r.flatDouble(1));
        // allowed by name: the caller vouches that x is finite and nonzero
        Function g = Theon.function(List.of(x), q, Theon.options().including("div_self"));
        assertEquals(0, countScalar(g, ScalarOp.TRUE_DIV), ops(g));
        assertArrayEquals(new double[]{1, 1}, g.call(new double[]{3, -2}).toDoubleArray());
        assertTrue(g.rewrites().contains("div_self"), g.rewrites());
        // a phase tag does not turn it on
        assertEquals(1, countScalar(Theon.function(List.of(x), q, Theon.options().including("canonicalize")), ScalarOp.TRUE_DIV));
    }

    @Test void differenceOfAValueWithItselfIsZero() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.sub(T.exp(x), T.exp(x)));
        assertEquals(0, countScalar(f, ScalarOp.EXP), ops(f));
        assertArrayEquals(new double[]{0, 0, 0}, f.call(new double[]{1, 2, 3}).toDoubleArray());
        Variable n = T.ivector("n");
        NDArray r = Theon.function(List.of(n), T.sub(n, n)).call(new int[]{7, 8});
        assertEquals(DType.INT32, r.dtype());
        assertArrayEquals(new int[]{0, 0}, r.toIntArray());
    }

    @Test void constantsGather() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.add(T.add(x, 2.0), 3.0), Theon.options().excluding("fusion"));
        assertEquals(1, nodes(f).size(), ops(f));
        assertTrue(nodes(f).get(0).inputs().stream().anyMatch(v -> v instanceof Constant c && c.isScalarValue(5.0)), ops(f));
        assertArrayEquals(new double[]{6, 5}, f.call(new double[]{1, 0}).toDoubleArray());
        Function g = Theon.function(List.of(x), T.mul(T.mul(x, 2.0), 4.0), Theon.options().excluding("fusion"));
        assertEquals(1, nodes(g).size(), ops(g));
        assertArrayEquals(new double[]{8, -16}, g.call(new double[]{1, -2}).toDoubleArray());
        // x - 2 - 3: subtraction of constants is addition of their negation, gathered into x + (-5)
        Function h = Theon.function(List.of(x), T.sub(T.sub(x, 2.0), 3.0), Theon.options().excluding("fusion"));
        assertEquals(1, nodes(h).size(), ops(h));
        assertArrayEquals(new double[]{-4}, h.call(new double[]{1}).toDoubleArray());
        // mixed dtypes are left alone: float32 + float64 constants would change the rounding
        Variable y = T.fvector("y");
        Function k = Theon.function(List.of(y), T.add(T.add(y, T.constant(NDArray.of(0.1))), 0.2), Theon.options().excluding("fusion"));
        assertEquals(2, nodes(k).size(), ops(k));
    }

    @Test void divisionByAPowerOfTwoIsAMultiplication() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.div(x, 4.0));
        assertEquals(0, countScalar(f, ScalarOp.TRUE_DIV), ops(f));
        assertArrayEquals(new double[]{0.25, -0.75}, f.call(new double[]{1, -3}).toDoubleArray());
        Function g = Theon.function(List.of(x), T.div(x, 3.0));
        assertEquals(1, countScalar(g, ScalarOp.TRUE_DIV), "1/3 is not exact; " + ops(g));
        assertEquals(1.0 / 3.0, g.call(new double[]{1}).flatDouble(0));
    }

    @Test void chainsOfViewsCollapse() {
        Variable x = T.dmatrix("x");
        Function tt = Theon.function(List.of(x), T.transpose(T.transpose(x)));
        assertTrue(nodes(tt).isEmpty(), ops(tt));
        double[][] v = {{1, 2, 3}, {4, 5, 6}};
        assertArrayEquals(NDArray.of(v).toDoubleArray(), tt.call((Object) v).toDoubleArray());
        Variable y = T.dvector("y");
        Function d = Theon.function(List.of(y), T.transpose(T.dimshuffle(y, 0, "x")));
        assertEquals(1, count(d, DimShuffle.class), ops(d));
        assertArrayEquals(new long[]{1, 2}, d.call(new double[]{1, 2}).shape());
        Function r = Theon.function(List.of(x), T.reshape(T.reshape(x, 6), 3, 2));
        assertEquals(1, count(r, Reshape.class), ops(r));
        assertArrayEquals(new long[]{3, 2}, r.call((Object) v).shape());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, r.call((Object) v).toDoubleArray());
    }

    @Test void gradientControlIsTheIdentityGoingForward() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.mul(T.zeroGrad(T.gradClip(x, -1, 1)), 2.0));
        assertEquals(0, count(f, GradControl.class), ops(f));
        assertArrayEquals(new double[]{4}, f.call(new double[]{2}).toDoubleArray());
    }

    @Test void uselessCastsGo() {
        Variable x = T.fvector("x");
        Function f = Theon.function(List.of(x), T.cast(T.cast(x, DType.FLOAT64), DType.FLOAT32));
        assertTrue(nodes(f).isEmpty(), ops(f));
        // a narrowing cast in between is kept: float64 -> int32 -> float64 truncates
        Variable y = T.dvector("y");
        Function g = Theon.function(List.of(y), T.cast(T.cast(y, DType.INT32), DType.FLOAT64));
        assertArrayEquals(new double[]{1, -2}, g.call(new double[]{1.7, -2.5}).toDoubleArray());
    }

    @Test void mergeComputesEqualSubexpressionsOnce() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.add(T.exp(T.mul(x, 2.0)), T.exp(T.mul(x, 2.0))), Theon.options().mode("FAST_COMPILE"));
        assertEquals(1, countScalar(f, ScalarOp.EXP), ops(f));
        assertEquals(1, countScalar(f, ScalarOp.MUL), ops(f));
        assertEquals(2 * Math.exp(2), f.call(new double[]{1}).flatDouble(0), 1e-12);
        assertTrue(f.rewrites().contains("merge"), f.rewrites());
    }

    @Test void constantFolding() {
        Variable x = T.dvector("x");
        Variable k = T.exp(T.add(T.constant(NDArray.of(1.0, 2.0)), 1.0));
        Function f = Theon.function(List.of(x), T.mul(x, k), Theon.options().mode("FAST_COMPILE"));
        assertEquals(1, nodes(f).size(), ops(f));
        assertArrayEquals(new double[]{Math.exp(2), 2 * Math.exp(3)}, f.call(new double[]{1, 2}).toDoubleArray(), 1e-12);
        // a large fill stays a node: folding it would keep a big constant in the function
        Function big = Theon.function(List.of(x), T.add(x, T.sum(T.zeros(DType.FLOAT64, 1000, 1000))), Theon.options().mode("FAST_COMPILE"));
        assertTrue(ops(big).contains("alloc"), ops(big));
        assertArrayEquals(new double[]{1}, big.call(new double[]{1}).toDoubleArray());
        // a node that fails at compile time is left to fail when called, with the usual error
        Variable bad = T.take(T.constant(new double[]{1, 2}), T.constant(new long[]{5}), 0);
        Function late = Theon.function(List.of(x), T.add(x, bad), Theon.options().mode("FAST_COMPILE"));
        assertFalse(nodes(late).isEmpty());
        assertThrows(RuntimeException.class, () -> late.call(new double[]{1}));
    }

    @Test void shapesKnownStaticallyAreConstants() {
        Variable x = T.tensor(DType.FLOAT64, new long[]{3, 4}, "x");
        Function f = Theon.function(List.of(x), T.shape(x), Theon.options().onUnusedInput("ignore"));
        assertTrue(nodes(f).isEmpty(), ops(f));
        assertArrayEquals(new long[]{3, 4}, f.call((Object) new double[3][4]).toLongArray());
        // the size of an intermediate is read from the operand it comes from
        Variable y = T.dmatrix("y");
        Function g = Theon.function(List.of(y), T.shape(T.exp(T.mul(y, 2.0)), 1));
        assertEquals(0, countScalar(g, ScalarOp.EXP), ops(g));
        assertEquals(1, count(g, ShapeI.class), ops(g));
        assertEquals(5L, g.call((Object) new double[2][5]).toLong());
        Function h = Theon.function(List.of(y), T.shape(T.tanh(y)));
        assertEquals(1, count(h, Shape.class), ops(h));
        assertEquals(0, count(h, Elemwise.class), ops(h));
        assertArrayEquals(new long[]{2, 5}, h.call((Object) new double[2][5]).toLongArray());
    }

    @Test void anEntryOfTheShapeVectorIsASize() {
        // x.shape[k], Theano's way to write a size, is shape_i{k}(x), and follows it up the graph
        Variable y = T.dmatrix("y");
        for (int k : new int[]{1, -1}) {
            Function f = Theon.function(List.of(y), T.get(T.shape(T.exp(y)), k));
            assertEquals(1, count(f, ShapeI.class), ops(f));
            assertEquals(0, count(f, Shape.class) + count(f, Subtensor.class) + countScalar(f, ScalarOp.EXP), ops(f));
            assertEquals(5L, f.call((Object) new double[2][5]).toLong());
        }
        Function rows = Theon.function(List.of(y), T.get(T.shape(y), 0));
        assertEquals(2L, rows.call((Object) new double[2][5]).toLong());
        // a slice of the shape vector stays a slice
        Function s = Theon.function(List.of(y), T.get(T.shape(y), dev.theon.ops.Index.slice(0L, 1L, null)));
        assertEquals(1, count(s, Subtensor.class), ops(s));
        assertArrayEquals(new long[]{2}, s.call((Object) new double[2][5]).toLongArray());
    }

    @Test void rewritesCanBeExcludedByName() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.neg(T.neg(x)), Theon.options().excluding("double_neg"));
        assertEquals(2, countScalar(f, ScalarOp.NEG), ops(f));
        assertArrayEquals(new double[]{3}, f.call(new double[]{3}).toDoubleArray());
    }
}
