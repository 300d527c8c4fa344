package dev.theon.grad;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Theano tutorial's multilayer perceptron trained with momentum, through the public API only: a 2-4-1 network of
 * sigmoid units, the summed squared error {@code sum((output - y)^2)} as cost (as in the tutorial), learning rate
 * 0.01 and momentum 0.9, on 1000 points from two Gaussian clusters (means (-1, -1) and (1, 1), std 0.5, labels 0
 * and 1). Training is full-batch gradient descent: each call of the compiled function is one epoch over all 1000
 * points, so the cost it returns is the cost of the whole data set before that step.
 * <p>
 * Momentum buffers are shared variables updated in the same call as the parameters, Theano style: for a parameter p
 * with buffer m, {@code m <- 0.9 m - 0.01 grad} and {@code p <- p + (0.9 m - 0.01 grad)}, both written from the old
 * m (updates are computed from one state and committed together).
 */
class TutorialMlpTest {

    static final int N = 1000, IN = 2, HIDDEN = 4;
    static final double LEARNING_RATE = 0.01, MOMENTUM = 0.9;
    static final long SEED = 1234;

    // ---------------------------------------------------------------- data and initial weights

    /** The two clusters, alternating: even rows class 0 around (-1, -1), odd rows class 1 around (1, 1). */
    record Data(double[][] x, double[] y) {
        static Data clusters(long seed) {
            Random rnd = new Random(seed);
            double[][] x = new double[N][IN];
            double[] y = new double[N];
            for (int i = 0; i < N; i++) {
                y[i] = i % 2;
                double mean = y[i] == 0 ? -1 : 1;
                for (int j = 0; j < IN; j++) x[i][j] = mean + 0.5 * rnd.nextGaussian();
            }
            return new Data(x, y);
        }
    }

    /** Parameters in float64: W1 (2, 4), b1 (4), w2 (4), b2. Weights N(0, 1) and biases 1, as the tutorial's. */
    record Params(double[][] w1, double[] b1, double[] w2, double b2) {
        static Params initial(long seed) {
            Random rnd = new Random(seed);
            double[][] w1 = new double[IN][HIDDEN];
            for (double[] row : w1) for (int k = 0; k < HIDDEN; k++) row[k] = rnd.nextGaussian();
            double[] w2 = new double[HIDDEN];
            for (int k = 0; k < HIDDEN; k++) w2[k] = rnd.nextGaussian();
            double[] b1 = new double[HIDDEN];
            java.util.Arrays.fill(b1, 1.0);
            return new Params(w1, b1, w2, 1.0);
        }
    }

    // ---------------------------------------------------------------- the network, symbolically

    /** The compiled network: the training step (returns the cost before the step) and the prediction. */
    static final class Mlp {
        final SharedVariable w1, b1, w2, b2;
        final List<SharedVariable> params, velocities = new ArrayList<>();
        final Function train, predict;

        Mlp(Params init, double learningRate, double momentum) {
            w1 = Theon.shared(init.w1(), "W1");
            b1 = Theon.shared(init.b1(), "b1");
            w2 = Theon.shared(init.w2(), "w2");
            b2 = Theon.shared(NDArray.of(init.b2()), "b2");
            params = List.of(w1, b1, w2, b2);
            Variable x = T.dmatrix("x"), y = T.dvector("y");
            Variable hidden = T.sigmoid(T.add(T.dot(x, w1), b1));        // (N, 4)
            Variable output = T.sigmoid(T.add(T.dot(hidden, w2), b2));   // (N,)
            Variable cost = T.sum(T.sqr(T.sub(output, y)));
            List<Variable> grads = T.grad(cost, new ArrayList<>(params));
            Map<Variable, Variable> updates = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                SharedVariable p = params.get(i);
                SharedVariable m = Theon.shared(NDArray.zeros(DType.FLOAT64, p.get().shape()), "m_" + p.name());
                velocities.add(m);
                Variable step = T.sub(T.mul(m, momentum), T.mul(grads.get(i), learningRate));
                updates.put(m, step);
                updates.put(p, T.add(p, step));
            }
            train = Theon.function(List.of(x, y), cost, Theon.options().updates(updates));
            predict = Theon.function(List.of(x), output);
        }

        double accuracy(Data d) {
            double[] out = predict.call(d.x()).toDoubleArray();
            int right = 0;
            for (int i = 0; i < N; i++) if ((out[i] > 0.5) == (d.y()[i] == 1)) right++;
            return right / (double) N;
        }
    }

    // ---------------------------------------------------------------- the same network by hand, in float64

    /** Cost and gradients of {@code sum((sigmoid(sigmoid(x W1 + b1) w2 + b2) - y)^2)}, by backpropagation written out. */
    record HandGrad(double cost, double[][] w1, double[] b1, double[] w2, double b2) {
        static HandGrad of(Params p, Data d) {
            double cost = 0, gb2 = 0;
            double[][] gw1 = new double[IN][HIDDEN];
            double[] gb1 = new double[HIDDEN], gw2 = new double[HIDDEN];
            for (int i = 0; i < N; i++) {
                double[] h = new double[HIDDEN];
                double a2 = p.b2();
                for (int k = 0; k < HIDDEN; k++) {
                    double a1 = p.b1()[k];
                    for (int j = 0; j < IN; j++) a1 += d.x()[i][j] * p.w1()[j][k];
                    h[k] = 1 / (1 + Math.exp(-a1));
                    a2 += h[k] * p.w2()[k];
                }
                double o = 1 / (1 + Math.exp(-a2));
                double err = o - d.y()[i];
                cost += err * err;
                double d2 = 2 * err * o * (1 - o);              // dcost / da2
                gb2 += d2;
                for (int k = 0; k < HIDDEN; k++) {
                    gw2[k] += d2 * h[k];
                    double d1 = d2 * p.w2()[k] * h[k] * (1 - h[k]);   // dcost / da1_k
                    gb1[k] += d1;
                    for (int j = 0; j < IN; j++) gw1[j][k] += d1 * d.x()[i][j];
                }
            }
            return new HandGrad(cost, gw1, gb1, gw2, gb2);
        }
    }

    /** One momentum step by hand: v' = mu v - lr g, p' = p + v'. Velocities are in the parameters' layout. */
    static Params handStep(Params p, Params v, HandGrad g, double lr, double mu, Params[] newVelocity) {
        double[][] vw1 = new double[IN][HIDDEN], w1 = new double[IN][HIDDEN];
        double[] vb1 = new double[HIDDEN], b1 = new double[HIDDEN], vw2 = new double[HIDDEN], w2 = new double[HIDDEN];
        for (int j = 0; j < IN; j++)
            for (int k = 0; k < HIDDEN; k++) {
                vw1[j][k] = mu * v.w1()[j][k] - lr * g.w1()[j][k];
                w1[j][k] = p.w1()[j][k] + vw1[j][k];
            }
        for (int k = 0; k < HIDDEN; k++) {
            vb1[k] = mu * v.b1()[k] - lr * g.b1()[k];
            b1[k] = p.b1()[k] + vb1[k];
            vw2[k] = mu * v.w2()[k] - lr * g.w2()[k];
            w2[k] = p.w2()[k] + vw2[k];
        }
        double vb2 = mu * v.b2() - lr * g.b2();
        newVelocity[0] = new Params(vw1, vb1, vw2, vb2);
        return new Params(w1, b1, w2, p.b2() + vb2);
    }

    static Params zeros() { return new Params(new double[IN][HIDDEN], new double[HIDDEN], new double[HIDDEN], 0); }

    static void assertState(Params want, List<SharedVariable> vars, String what) {
        assertArrayEquals(flat(want), flatShared(vars), 1e-12, what);
    }

    static double[] flat(Params p) {
        double[] r = new double[IN * HIDDEN + 2 * HIDDEN + 1];
        int n = 0;
        for (double[] row : p.w1()) for (double v : row) r[n++] = v;
        for (double v : p.b1()) r[n++] = v;
        for (double v : p.w2()) r[n++] = v;
        r[n] = p.b2();
        return r;
    }

    static double[] flatShared(List<SharedVariable> vars) {
        List<Double> r = new ArrayList<>();
        for (SharedVariable s : vars) {
            NDArray a = s.get();
            for (long k = 0; k < a.size(); k++) r.add(a.flatDouble(k));
        }
        return r.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---------------------------------------------------------------- the tests

    @Test void twentyEpochsOfMomentumLowerTheCostAndSeparateTheClusters() {
        Data data = Data.clusters(SEED);
        Mlp mlp = new Mlp(Params.initial(SEED + 1), LEARNING_RATE, MOMENTUM);
        double before = mlp.accuracy(data);
        double[] costs = new double[20];
        for (int it = 0; it < costs.length; it++) costs[it] = mlp.train.call(data.x(), data.y()).toDouble();
        double finalCost = HandGrad.of(paramsOf(mlp), data).cost();
        double after = mlp.accuracy(data);
        System.out.printf(java.util.Locale.ROOT, "MLP, 20 full-batch epochs: cost %.4f -> %.4f, accuracy %.3f -> %.3f%n",
                costs[0], finalCost, before, after);
        for (int it = 1; it < 5; it++)
            assertTrue(costs[it] < costs[it - 1], "cost rose at step " + it + ": " + java.util.Arrays.toString(costs));
        assertTrue(finalCost < costs[0], "final cost " + finalCost + " is not below the initial " + costs[0]);
        assertTrue(after > 0.9, "accuracy after 20 epochs: " + after);
    }

    @Test void firstTwoStepsMatchHandWrittenBackpropagation() {
        Data data = Data.clusters(SEED);
        Params p0 = Params.initial(SEED + 1);
        Mlp mlp = new Mlp(p0, LEARNING_RATE, MOMENTUM);

        // step 1: the buffers start at zero, so the parameter change is -lr * grad
        HandGrad g0 = HandGrad.of(p0, data);
        Params[] v1 = new Params[1];
        Params p1 = handStep(p0, zeros(), g0, LEARNING_RATE, MOMENTUM, v1);
        assertEquals(g0.cost(), mlp.train.call(data.x(), data.y()).toDouble(), 1e-9 * g0.cost(), "cost before step 1");
        assertState(p1, mlp.params, "parameters after step 1");
        assertState(v1[0], mlp.velocities, "momentum buffers after step 1");
        // the gradient itself, recovered from the parameter change
        double[] recovered = flatShared(mlp.params), start = flat(p0), hand = flat(new Params(g0.w1(), g0.b1(), g0.w2(), g0.b2()));
        for (int k = 0; k < recovered.length; k++)
            assertEquals(hand[k], (start[k] - recovered[k]) / LEARNING_RATE, 1e-8 * Math.max(1, Math.abs(hand[k])), "gradient " + k);

        // step 2: the old buffer enters both updates
        HandGrad g1 = HandGrad.of(p1, data);
        Params[] v2 = new Params[1];
        Params p2 = handStep(p1, v1[0], g1, LEARNING_RATE, MOMENTUM, v2);
        assertEquals(g1.cost(), mlp.train.call(data.x(), data.y()).toDouble(), 1e-9 * g1.cost(), "cost before step 2");
        assertState(p2, mlp.params, "parameters after step 2");
        assertState(v2[0], mlp.velocities, "momentum buffers after step 2");
    }

    static Params paramsOf(Mlp mlp) {
        return new Params(mlp.w1.get().toDoubleMatrix(), mlp.b1.get().toDoubleArray(), mlp.w2.get().toDoubleArray(), mlp.b2.get().toDouble());
    }
}
