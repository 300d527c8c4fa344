package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.ops.Reduce;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reductions, softmax and log-softmax on OpenCL against the reference backend. */
class ReductionsOpenCLTest {
    @BeforeAll static void device() { OpenCLAvailable.require(); }

    private static final int[][] AXES = {null, {0}, {1}, {2}, {0, 2}, {1, 2}, {0, 1, 2}};

    private static void everyKindAndAxis(DType d, NDArray value, double rtol) {
        Variable x = T.tensor(d, 3, "x");
        List<Variable> outs = new ArrayList<>();
        for (Reduce.Kind k : Reduce.Kind.values())
            for (int[] axes : AXES)
                for (boolean keep : new boolean[]{false, true}) {
                    if (axes != null && axes.length == 2 && keep && k != Reduce.Kind.SUM) continue;  // keepdims once per shape is enough
                    outs.add(Reduce.of(k, x, axes, keep).apply(x));
                }
        Both.check(List.of(x), outs, new Object[]{value}, rtol, 1e-6);
    }

    @Test void float32EveryKindAxisAndKeepdims() {
        // (3, 4, 5) stored transposed: every reduction reads through strides; some need the packing copy
        NDArray v = Both.random(DType.FLOAT32, new Random(1), false, 5, 4, 3).transpose();
        everyKindAndAxis(DType.FLOAT32, v, 1e-6);
    }

    @Test void float64WithNaNAndInfinities() {
        everyKindAndAxis(DType.FLOAT64, Both.random(DType.FLOAT64, new Random(2), true, 3, 4, 5), 1e-13);
    }

    @Test void integersAndBoolAreExact() {
        everyKindAndAxis(DType.INT32, Both.random(DType.INT32, new Random(3), false, 3, 4, 5), 1e-13);
        everyKindAndAxis(DType.BOOL, Both.random(DType.BOOL, new Random(4), false, 3, 4, 5), 0);
    }

    @Test void int64SumBeyondDoublesIsExact() {
        Variable x = T.lvector("x");
        NDArray v = NDArray.of((1L << 60) + 1, 1L, 1L, -(1L << 59));
        Both.check(List.of(x), List.of(T.sum(x), T.prod(x), T.max(x)), new Object[]{v}, 0, 0);
    }

    /** Long rows take the two-pass path (several work-groups per row, then a pass over their partial results). */
    @Test void largeReductionsTakeTwoPasses() {
        Variable x = T.fvector("x"), m = T.fmatrix("m");
        Random rnd = new Random(5);
        NDArray big = Both.random(DType.FLOAT32, rnd, false, 1 << 20);
        NDArray tall = Both.random(DType.FLOAT32, rnd, false, 2, 300_000);
        Both.check(List.of(x, m), List.of(T.sum(x), T.mean(x), T.max(x), T.sum(m, 1), T.min(m, 1), T.sum(m, 0)), new Object[]{big, tall}, 1e-6, 1e-6);
    }

    @Test void columnSumsOfAWideMatrixUseOneWorkItemPerColumn() {
        Variable m = T.fmatrix("m");
        NDArray v = Both.random(DType.FLOAT32, new Random(6), false, 300, 2000);
        Both.check(List.of(m), List.of(T.sum(m, 0), T.mean(m, 0), T.sum(m.T(), 1)), new Object[]{v}, 1e-6, 1e-6);
    }

    @Test void emptyAxes() {
        Variable x = T.fmatrix("x");
        NDArray empty = NDArray.zeros(DType.FLOAT32, 0, 3);
        Both.check(List.of(x), List.of(T.sum(x, 0), T.prod(x, 0), T.mean(x, 0), T.sum(x, 1), T.max(x, 1)), new Object[]{empty}, 0, 0);
        Function f = Theon.function(List.of(x), T.max(x, 0), Theon.options().backend("opencl"));
        var e = assertThrows(TheonException.ShapeError.class, () -> f.call(empty));
        assertTrue(e.getMessage().contains("has no identity") && e.getMessage().contains("max"), e.getMessage());
    }

    @Test void softmaxAndLogSoftmaxAlongEveryAxis() {
        Variable x = T.tensor(DType.FLOAT32, 3, "x"), y = T.dmatrix("y");
        NDArray vx = Both.random(DType.FLOAT32, new Random(7), false, 4, 3, 5).transpose(1, 2, 0);  // (3, 5, 4), strided
        NDArray vy = Both.random(DType.FLOAT64, new Random(8), true, 6, 300);
        vy.setDouble(1000, 0, 0);  // a large value: exp overflows without the max subtracted
        List<Variable> outs = new ArrayList<>();
        for (int axis = -1; axis < 3; axis++) {
            outs.add(T.softmax(x, axis));
            outs.add(T.logSoftmax(x, axis));
        }
        Both.check(List.of(x), outs, new Object[]{vx}, 2e-6, 1e-7);
        Both.check(List.of(y), List.of(T.softmax(y), T.logSoftmax(y), T.softmax(y, 0)), new Object[]{vy}, 1e-13, 1e-15);
    }

    @Test void describeNamesTheKernels() {
        Variable x = T.fmatrix("x");
        Function f = Theon.function(List.of(x), List.of(T.sum(x, 1), T.softmax(x)), Theon.options().backend("opencl"));
        String d = f.describe();
        assertTrue(d.contains("kernel reduce_") && d.contains("_sum_f32_f32") && d.contains("softmax_f32"), d);
        assertEquals(2, d.lines().filter(l -> l.contains("transfer to host: output")).count(), d);
    }
}
