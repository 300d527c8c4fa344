package dev.theon;

import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The Java part of the public API contract (shared/API.md), written as users write it, with its documented values. */
class ApiContractTest {

    @Test void contract() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable A = T.dmatrix("A"), v = T.dvector("v");
        Variable m = T.matrix("m");
        Variable t = T.tensor(DType.FLOAT32, new long[]{-1, 3}, "t");
        assertEquals(DType.FLOATX, m.dtype());
        assertEquals(3, t.type().dim(1));

        Variable logistic = T.div(1.0, T.add(1.0, T.exp(T.neg(x))));
        assertEquals(0.5, logistic.eval(Map.of(x, 0.0)).toDouble(), 1e-15);
        Variable z = T.add(x, y);
        assertEquals(z.type(), x.add(y).type());
        Variable s = T.sum(T.pow(A, 2));
        assertEquals(s.type(), A.pow(2).sum().type());
        assertEquals(1, T.sum(A, 0).ndim());
        Variable lin = T.add(T.dot(A, v), v);
        assertEquals(lin.type(), A.dot(v).add(v).type());
        assertEquals(T.transpose(A).type(), A.T().type());
        for (Variable e : List.of(T.log1p(A), T.expm1(A), T.sqr(A), T.sgn(A), T.softplus(A), T.maximum(A, 0.0), T.minimum(A, 1.0),
                T.clip(A, 0.0, 1.0), T.switch_(T.lt(A, 0.0), A, T.neg(A)), T.gt(A, 1.0), T.le(A, 1.0), T.ge(A, 1.0), T.eq(A, 1.0), T.neq(A, 1.0),
                T.mean(A), T.max(A, 1), T.min(A), T.prod(A), T.argmax(A, 0), T.var(A), T.std(A, 1),
                T.reshape(A, -1), T.flatten(A), T.dimshuffle(A, 1, "x", 0), T.concatenate(List.of(A, A), 0), T.stack(List.of(A, A), 0),
                T.softmax(A), T.logSoftmax(A), T.relu(A)))
            assertNotNull(e.type());
        Variable labels = T.ivector("labels");
        assertEquals(1, T.categoricalCrossentropy(T.softmax(A), labels).ndim());
        assertEquals(2, T.binaryCrossentropy(T.sigmoid(A), A).ndim());

        Function f = Theon.function(List.of(x, y), z);
        NDArray r = f.call(2.0, 3.0);
        assertEquals(5.0, r.toDouble());
        Function g = Theon.function(List.of(A, v), List.of(lin, s));
        NDArray a = NDArray.of(new double[][]{{1, 2}, {3, 4}}), b = NDArray.of(1.0, 1.0);
        List<NDArray> outs = g.callAll(a, b);
        assertArrayEquals(new double[]{4, 8}, outs.get(0).toDoubleArray());
        assertEquals(30.0, outs.get(1).toDouble());
        Variable bb = T.dvector("b");
        Variable linB = T.add(T.dot(A, v), bb);
        Function h = Theon.function(List.of(A, v, Theon.in(bb, NDArray.of(0.0, 0.0))), linB);
        assertArrayEquals(new double[]{3, 7}, h.call(a, b).toDoubleArray());

        SharedVariable shared = Theon.shared(NDArray.of(0.0), "acc");
        Function k = Theon.function(List.of(x), z, Theon.options()
                .givens(Map.of(y, T.mul(x, 2.0)))
                .updates(Map.of(shared, T.sub(shared, x)))
                .backend("reference")
                .floatX(DType.FLOAT32)
                .mode("FAST_RUN"));
        assertEquals(6.0, k.call(2.0).toDouble());
        assertEquals(-2.0, shared.get().toDouble());
        String plan = k.describe();
        assertTrue(plan.contains("reference"), plan);
        Variable zx = T.mul(x, 3.0);
        Function fb = Theon.function(List.of(x), zx, Theon.options().borrowOutputs(true));
        NDArray first = fb.call(1.0);
        assertEquals(3.0, first.toDouble());
        NDArray second = fb.call(2.0);
        assertSame(first, second, "a borrowed result is the function's own buffer, reused");
        assertEquals(6.0, second.toDouble());
        Function fp = Theon.function(List.of(x), zx, Theon.options().profile(true));
        fp.call(1.0);
        String report = fp.profile().summary();
        assertTrue(report.startsWith("profile: 1 call(s)"), report);
        assertTrue(dev.theon.tensor.NativeMemory.heldBytes() >= 0 && dev.theon.tensor.NativeMemory.limit() > 0);

        var w = Theon.shared(NDArray.of(new double[][]{{1, 2}, {3, 4}}), "w");
        assertArrayEquals(new double[][]{{1, 2}, {3, 4}}, w.get().toDoubleMatrix());
        assertNotNull(w.get(true));
        w.set(NDArray.of(new double[][]{{5, 6}, {7, 8}}));
        w.set(NDArray.of(new double[][]{{5, 6}, {7, 9}}), true);
        assertEquals(9.0, w.get().toDoubleMatrix()[1][1]);

        Variable gx = T.grad(T.pow(x, 2), x);
        Variable cost = T.sum(T.pow(lin, 2));
        List<Variable> gs = T.grad(cost, List.of(A, v));
        assertEquals(2, gs.size());
        Variable J = Theon.jacobian(lin, v);
        Variable H = Theon.hessian(cost, v);
        assertEquals(2, J.ndim());
        assertEquals(2, H.ndim());
        Variable e = T.mul(x, x);
        assertNotNull(T.zeroGrad(e));
        assertNotNull(T.disconnectedGrad(e));

        double d = gx.eval(Map.of(x, 10.0)).toDouble();
        assertEquals(20.0, d, 1e-12);
        assertEquals("(x ** 2)", Theon.pp(T.pow(x, 2)));
        assertTrue(Theon.debugprint(z).contains("x"));
        assertTrue(Theon.toDot(z).startsWith("digraph"));
        assertTrue(Theon.config().toString().contains("floatX"));

        NDArray arr = NDArray.of(new double[][]{{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new long[]{2, 3}, arr.shape());
        assertEquals(DType.FLOAT64, arr.dtype());
        assertEquals(7.0, NDArray.of(7.0).toDouble());
        assertEquals(6, arr.toDoubleArray().length);
        assertEquals(3, arr.toDoubleMatrix()[0][2]);
        assertEquals(6, arr.toFloatArray().length);
        assertEquals(DType.FLOAT32, NDArray.of(new float[][]{{1}}).dtype());
        assertEquals(DType.INT32, NDArray.of(new int[]{1}).dtype());
        assertEquals(DType.INT64, NDArray.of(new long[]{1}).dtype());
    }

    @Test void failingCallThrowsTheonExceptionAndKeepsState() {
        Variable x = T.dvector("x");
        SharedVariable s = Theon.shared(NDArray.of(1.0, 2.0), "s");
        Function f = Theon.function(List.of(x), T.sum(x), Theon.options().updates(Map.of(s, T.add(s, x))));
        TheonException ex = assertThrows(TheonException.class, () -> f.call((Object) new double[]{1, 2, 3}));
        assertTrue(ex.getMessage().contains("x") || ex.getMessage().contains("s"), ex.getMessage());
        assertArrayEquals(new double[]{1, 2}, s.get().toDoubleArray());
    }
}
