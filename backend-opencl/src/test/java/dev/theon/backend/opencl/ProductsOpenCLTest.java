package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dot and matmul on OpenCL (tiled GEMM, GEMV, scalar products) against the reference backend. */
class ProductsOpenCLTest {
    @BeforeAll static void device() { OpenCLAvailable.require(); }

    /**
     * float32 sums over K are rounded at each step on the device, once on the reference: the error scales with the
     * terms (K of them, each up to 9 here), not with a result that cancellation made small.
     */
    static final double F32 = 2e-5, F32_ABS = 2e-4;

    @Test void dotOfEveryRankPair() {
        Random rnd = new Random(1);
        Variable s = T.fscalar("s"), v = T.fvector("v"), m = T.fmatrix("m"), w = T.fvector("w"), n = T.fmatrix("n"), t = T.tensor(DType.FLOAT32, 3, "t");
        NDArray vs = NDArray.of(1.5f), vv = Both.random(DType.FLOAT32, rnd, false, 37), vm = Both.random(DType.FLOAT32, rnd, false, 70, 37);
        NDArray vw = Both.random(DType.FLOAT32, rnd, false, 70), vn = Both.random(DType.FLOAT32, rnd, false, 37, 45);
        NDArray vt = Both.random(DType.FLOAT32, rnd, false, 3, 5, 37);
        Both.check(List.of(s, v, m, w, n, t), List.of(
                T.dot(s, m), T.dot(v, s), T.dot(v, v),       // scalar, vector . vector
                T.dot(m, v), T.dot(w, m), T.dot(m, n),        // matrix . vector, vector . matrix, matrix . matrix
                T.dot(t, n), T.dot(t, v), T.dot(m.T(), m)),   // a 3-tensor's leading axes as rows; a transposed operand
                new Object[]{vs, vv, vm, vw, vn, vt}, F32, F32_ABS);
    }

    @Test void gemmEdgesAndLayouts() {
        Random rnd = new Random(2);
        Variable a = T.fmatrix("a"), b = T.fmatrix("b");
        for (long[] mkn : new long[][]{{1, 1, 1}, {65, 17, 129}, {130, 257, 3}, {7, 0, 5}, {33, 1100, 20}}) {
            NDArray va = Both.random(DType.FLOAT32, rnd, false, mkn[0], mkn[1]), vb = Both.random(DType.FLOAT32, rnd, false, mkn[2], mkn[1]).transpose();
            Both.check(List.of(a, b), List.of(T.dot(a, b), T.dot(b.T(), a.T())), new Object[]{va, vb}, F32, F32_ABS);
        }
        // a strided slice whose rows do not merge: copied contiguous first
        Variable t = T.tensor(DType.FLOAT32, 3, "t");
        NDArray vt = Both.random(DType.FLOAT32, rnd, false, 4, 6, 9).slice(1, 0, 6, 2);
        Both.check(List.of(t, b), List.of(T.dot(t, b)), new Object[]{vt, Both.random(DType.FLOAT32, rnd, false, 9, 11)}, F32, F32_ABS);
    }

    @Test void float64AndIntegerProducts() {
        Random rnd = new Random(3);
        Variable a = T.dmatrix("a"), b = T.dmatrix("b"), i = T.imatrix("i"), j = T.imatrix("j"), f = T.fmatrix("f");
        Both.check(List.of(a, b, i, j, f), List.of(T.dot(a, b), T.dot(i, j), T.dot(i, f), T.dot(a, j)),
                new Object[]{Both.random(DType.FLOAT64, rnd, false, 33, 20), Both.random(DType.FLOAT64, rnd, false, 20, 40),
                        Both.random(DType.INT32, rnd, false, 33, 20), Both.random(DType.INT32, rnd, false, 20, 40),
                        Both.random(DType.FLOAT32, rnd, false, 20, 40)}, 1e-12, 1e-12);
    }

    @Test void matmulWithBatchesBroadcastsAndVectors() {
        Random rnd = new Random(4);
        Variable a = T.tensor(DType.FLOAT32, 3, "a"), b = T.tensor(DType.FLOAT32, new long[]{1, -1, -1}, "b"), m = T.fmatrix("m"),
                v = T.fvector("v"), c = T.tensor(DType.FLOAT32, 4, "c");
        NDArray va = Both.random(DType.FLOAT32, rnd, false, 5, 6, 7), vb = Both.random(DType.FLOAT32, rnd, false, 1, 7, 3);
        NDArray vm = Both.random(DType.FLOAT32, rnd, false, 7, 4), vv = Both.random(DType.FLOAT32, rnd, false, 7);
        NDArray vc = Both.random(DType.FLOAT32, rnd, false, 5, 3, 4, 6).transpose(1, 0, 2, 3);  // (3, 5, 4, 6): batch axes that do not merge
        Both.check(List.of(a, b, m, v, c), List.of(T.matmul(a, b), T.matmul(a, m), T.matmul(a, v), T.matmul(v, m), T.matmul(v, v),
                T.matmul(c, a), T.matmul(c, a.dimshuffle(0, 2, 1).dimshuffle(0, 2, 1))), new Object[]{va, vb, vm, vv, vc}, F32, F32_ABS);
    }

    @Test void tensordotAndOuter() {
        Random rnd = new Random(5);
        Variable a = T.tensor(DType.FLOAT32, 3, "a"), b = T.tensor(DType.FLOAT32, 3, "b"), v = T.fvector("v"), w = T.fmatrix("w");
        NDArray va = Both.random(DType.FLOAT32, rnd, false, 4, 5, 6), vb = Both.random(DType.FLOAT32, rnd, false, 6, 3, 5).transpose(2, 0, 1);  // (5, 6, 3)
        NDArray vv = Both.random(DType.FLOAT32, rnd, false, 7), vw = Both.random(DType.FLOAT32, rnd, false, 3, 4).transpose();
        Both.check(List.of(a, b, v, w), List.of(
                T.tensordot(a, b, new int[]{1, 2}, new int[]{0, 1}), T.tensordot(a, b, new int[]{2, 1}, new int[]{1, 0}),
                T.tensordot(a, b, 0), T.tensordot(a, w, new int[]{0}, new int[]{0}), T.outer(v, w), T.outer(w, v)),
                new Object[]{va, vb, vv, vw}, F32, F32_ABS);
    }

    @Test void blasGemmAndGemv() {
        Random rnd = new Random(6);
        Variable a = T.fmatrix("a"), b = T.fmatrix("b"), c = T.fmatrix("c"), bias = T.fvector("bias"), v = T.fvector("v"), y = T.fvector("y");
        Variable alpha = T.fscalar("alpha"), beta = T.fscalar("beta");
        NDArray va = Both.random(DType.FLOAT32, rnd, false, 30, 20), vb = Both.random(DType.FLOAT32, rnd, false, 20, 25),
                vc = Both.random(DType.FLOAT32, rnd, false, 30, 25), vbias = Both.random(DType.FLOAT32, rnd, false, 25),
                vv = Both.random(DType.FLOAT32, rnd, false, 20), vy = Both.random(DType.FLOAT32, rnd, false, 30);
        List<Variable> outs = List.of(
                new dev.theon.ops.Gemm().make(c, alpha, a, b, beta).out(),     // C of the product's shape
                new dev.theon.ops.Gemm().make(bias, alpha, a, b, beta).out(),  // a bias row broadcast to every row
                new dev.theon.ops.Gemm().make(y, alpha, a, v, beta).out(),     // gemv
                T.add(T.dot(a, b), bias));                                     // the specialize phase makes a gemm of it
        Function f = Both.check(List.of(a, b, c, bias, v, y, alpha, beta), outs,
                new Object[]{va, vb, vc, vbias, vv, vy, NDArray.of(0.5f), NDArray.of(-2f)}, F32, F32_ABS);
        assertTrue(f.describe().contains("(beta * C + alpha * product)"), f.describe());
    }

    @Test void misalignedShapesAreShapeErrors() {
        Variable a = T.fmatrix("a"), b = T.fmatrix("b");
        Function f = Theon.function(List.of(a, b), T.dot(a, b), Theon.options().backend("opencl"));
        var e = assertThrows(TheonException.ShapeError.class, () -> f.call(NDArray.zeros(DType.FLOAT32, 2, 3), NDArray.zeros(DType.FLOAT32, 4, 5)));
        assertTrue(e.getMessage().contains("not aligned: 3 (dim 1) != 4 (dim 0)") && e.getMessage().contains("in node dot"), e.getMessage());
    }

    @Test void tunedTilesAreShown() {
        Variable a = T.fmatrix("a"), b = T.fmatrix("b");
        String d = Theon.function(List.of(a, b), T.dot(a, b), Theon.options().backend("opencl")).describe();
        assertTrue(d.contains("kernel gemm_f32f32_") && d.contains("per work-item") && (d.contains("tuned") || d.contains("candidate")), d);
    }
}
