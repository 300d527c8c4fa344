package dev.theon.rewrite;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random differentiable expressions and their gradients, built before rewriting as users build them: with every
 * rewrite the values agree with the unrewritten graph wherever the unrewritten graph is finite.
 */
class GradientGraphsTest {

    @Test void randomGradientsAgreeWithTheUnrewrittenGraph() {
        Random rnd = new Random(23);
        for (int trial = 0; trial < Integer.getInteger("trials", 100); trial++) {
            Variable m = T.dmatrix("m"), v = T.dvector("v"), s = T.dscalar("s");
            List<Variable> pool = new ArrayList<>(List.of(m, v, s));
            for (int step = 0; step < 8; step++) {
                Variable a = pool.get(rnd.nextInt(pool.size())), b = pool.get(rnd.nextInt(pool.size()));
                Variable r = switch (rnd.nextInt(19)) {
                    case 14 -> T.maximum(a, b);
                    case 15 -> T.switch_(T.gt(a, 0.0), a, T.mul(b, 0.5));
                    case 16 -> T.log(T.sub(1.0, T.sigmoid(a)));
                    case 17 -> T.sqrt(T.add(T.sqr(a), 1.0));
                    case 18 -> T.div(T.exp(a), T.add(T.exp(a), 2.0));
                    case 0 -> T.add(a, b);
                    case 1 -> T.mul(a, b);
                    case 2 -> T.sub(a, b);
                    case 3 -> T.tanh(a);
                    case 4 -> T.sigmoid(a);
                    case 5 -> T.log(T.sigmoid(a));
                    case 6 -> T.log(T.add(1.0, T.exp(a)));
                    case 7 -> T.div(a, T.add(T.exp(b), 1.0));
                    case 8 -> T.pow(a, 2.0);
                    case 9 -> a.ndim() == 2 ? T.softmax(a) : T.exp(a);
                    case 10 -> a.ndim() == 2 ? T.log(T.softmax(a)) : T.neg(a);
                    case 11 -> a.ndim() >= 1 ? T.sum(a, new int[]{a.ndim() - 1}, rnd.nextBoolean()) : T.mul(a, 3.0);
                    case 12 -> a.ndim() == 2 && b.ndim() == 2 ? T.add(T.dot(a, T.transpose(b)), 1.0) : T.sub(1.0, a);
                    default -> T.mean(a);
                };
                pool.add(r);
            }
            Variable cost = T.sum(pool.get(pool.size() - 1));
            List<Variable> wrt = List.of(m, v, s);
            List<Variable> outs = new ArrayList<>(List.of(cost));
            outs.addAll(T.grad(cost, wrt, dev.theon.grad.Grad.options().disconnectedInputs("ignore")));
            Function fast = Theon.function(wrt, outs, Theon.options().onUnusedInput("ignore"));
            Function plain = Theon.function(wrt, outs, Graphs.unrewritten().onUnusedInput("ignore"));
            // two calls: the second one computes into the buffers the first one left
            for (int call = 0; call < 2; call++) {
                double[][] mv = new double[3][3];
                for (double[] row : mv) for (int j = 0; j < 3; j++) row[j] = rnd.nextGaussian();
                double[] vv = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
                double sv = rnd.nextGaussian();
                List<NDArray> a = fast.callAll(mv, vv, sv), b = plain.callAll(mv, vv, sv);
                for (int k = 0; k < a.size(); k++) {
                    double[] x = a.get(k).toDoubleArray(), y = b.get(k).toDoubleArray();
                    assertArrayEquals(b.get(k).shape(), a.get(k).shape(), "trial " + trial + " output " + k);
                    for (int i = 0; i < x.length; i++) {
                        if (!Double.isFinite(y[i])) continue;
                        assertEquals(y[i], x[i], 1e-9 * Math.max(1, Math.abs(y[i])), "trial " + trial + " call " + call + " output " + k + " element " + i + "\n" + fast.describe());
                    }
                }
            }
            assertFalse(fast.rewrites().contains("did not settle"), fast.rewrites());
        }
    }
}
