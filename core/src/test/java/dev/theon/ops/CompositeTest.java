package dev.theon.ops;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The fused elementwise node evaluates its expression like the unfused graph would. */
class CompositeTest {
    // tanh(a*x + b) * c + exp(-x*x): inputs x=0, a=1, b=2, c=3
    static Composite chain() {
        return new Composite(4, List.of(
                new Composite.Instr(ScalarOp.MUL, new int[]{1, 0}, null),   // 4: a*x
                new Composite.Instr(ScalarOp.ADD, new int[]{4, 2}, null),   // 5: +b
                new Composite.Instr(ScalarOp.TANH, new int[]{5}, null),     // 6
                new Composite.Instr(ScalarOp.MUL, new int[]{6, 3}, null),   // 7: *c
                new Composite.Instr(ScalarOp.MUL, new int[]{0, 0}, null),   // 8: x*x
                new Composite.Instr(ScalarOp.NEG, new int[]{8}, null),      // 9
                new Composite.Instr(ScalarOp.EXP, new int[]{9}, null),      // 10
                new Composite.Instr(ScalarOp.ADD, new int[]{7, 10}, null)), // 11
                new int[]{7});
    }

    @Test void evaluatesTheChainWithBroadcasting() {
        Variable x = T.dmatrix("x"), a = T.dscalar("a"), b = T.dvector("b"), c = T.dscalar("c");
        Composite op = chain();
        Composite full = new Composite(op.nInputs(), op.body(), new int[]{op.body().size() - 1});
        Variable out = full.apply(x, a, b, c);
        double[][] xs = {{0.5, -1, 2}, {0, 0.25, -3}};
        double[] bs = {0.1, 0.2, 0.3};
        double[][] r = Theon.function(List.of(x, a, b, c), out).call(xs, 1.5, bs, -2.0).toDoubleMatrix();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            double v = xs[i][j];
            assertEquals(Math.tanh(1.5 * v + bs[j]) * -2.0 + Math.exp(-v * v), r[i][j], 1e-15);
        }
        assertTrue(full.name().contains("tanh"), full.name());
    }

    @Test void severalOutputsAndIntermediateRounding() {
        Composite op = new Composite(2, List.of(
                new Composite.Instr(ScalarOp.ADD, new int[]{0, 1}, null),
                new Composite.Instr(ScalarOp.MUL, new int[]{2, 2}, null)), new int[]{0, 1});
        Variable x = T.fvector("x"), y = T.fvector("y");
        var node = op.make(x, y);
        assertEquals(DType.FLOAT32, node.output(1).dtype());
        List<NDArray> r = Theon.function(List.of(x, y), node.outputs()).callAll(new float[]{0.1f, 3}, new float[]{0.2f, 4});
        float s = 0.1f + 0.2f;
        assertArrayEquals(new float[]{s, 7}, r.get(0).toFloatArray());
        assertArrayEquals(new float[]{s * s, 49}, r.get(1).toFloatArray());
    }

    @Test void integerInstructionsStayExact() {
        Composite op = new Composite(2, List.of(
                new Composite.Instr(ScalarOp.MUL, new int[]{0, 1}, null),
                new Composite.Instr(ScalarOp.INT_DIV, new int[]{2, 1}, null)), new int[]{1});
        Variable x = T.lvector("x"), y = T.lvector("y");
        long big = (1L << 60) + 7;
        NDArray r = op.apply(x, y).eval(Map.of(x, new long[]{big, -7}, y, new long[]{1, 2}));
        assertArrayEquals(new long[]{big, -7}, r.toLongArray());
    }

    @Test void gradientMatchesTheUnfusedExpression() {
        Composite op = chain();
        Theon.verifyGrad(ins -> op.make(ins).output(0),
                List.of(NDArray.of(new double[][]{{0.5, -1}, {0.2, 0.3}}), NDArray.of(1.5), NDArray.of(0.1, 0.2), NDArray.of(-2.0)));
    }

    @Test void rejectsMalformedBodies() {
        assertThrows(IllegalArgumentException.class, () -> new Composite(1, List.of(new Composite.Instr(ScalarOp.ADD, new int[]{0, 1}, null)), new int[]{0}));
        assertThrows(IllegalArgumentException.class, () -> new Composite.Instr(ScalarOp.ADD, new int[]{0}, null));
    }
}
