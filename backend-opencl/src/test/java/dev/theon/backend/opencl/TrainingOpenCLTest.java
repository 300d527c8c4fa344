package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole training steps on OpenCL give the reference backend's results at float32 precision: the tutorial's 2-4-1
 * sigmoid network with momentum, and one step of a 784-1024-1024-10 softmax classifier (a small batch here; the
 * benchmark runs the full one).
 */
class TrainingOpenCLTest {
    @BeforeAll static void device() { OpenCLAvailable.require(); }

    /** The tutorial network, float32: hidden = sigmoid(x W1 + b1), out = sigmoid(hidden w2 + b2), cost = sum((out - y)^2). */
    static final class Mlp {
        final List<SharedVariable> params = new ArrayList<>(), velocities = new ArrayList<>();
        final Function train;

        Mlp(String backend, long seed, double lr, double mu) {
            Random rnd = new Random(seed);
            float[][] w1 = new float[2][4];
            for (float[] row : w1) for (int k = 0; k < 4; k++) row[k] = (float) rnd.nextGaussian();
            float[] w2 = new float[4];
            for (int k = 0; k < 4; k++) w2[k] = (float) rnd.nextGaussian();
            SharedVariable sw1 = Theon.shared(w1, "W1"), sb1 = Theon.shared(new float[]{1, 1, 1, 1}, "b1"),
                    sw2 = Theon.shared(w2, "w2"), sb2 = Theon.shared(NDArray.of(1f), "b2");
            params.addAll(List.of(sw1, sb1, sw2, sb2));
            Variable x = T.fmatrix("x"), y = T.fvector("y");
            Variable hidden = T.sigmoid(T.add(T.dot(x, sw1), sb1));
            Variable out = T.sigmoid(T.add(T.dot(hidden, sw2), sb2));
            Variable cost = T.sum(T.sqr(T.sub(out, y)));
            List<Variable> grads = T.grad(cost, new ArrayList<>(params));
            Map<Variable, Variable> updates = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                SharedVariable p = params.get(i);
                SharedVariable m = Theon.shared(NDArray.zeros(DType.FLOAT32, p.get().shape()), "m_" + p.name());
                velocities.add(m);
                Variable step = T.sub(T.mul(m, (float) mu), T.mul(grads.get(i), (float) lr));
                updates.put(m, step);
                updates.put(p, T.add(p, step));
            }
            train = Theon.function(List.of(x, y), cost, Theon.options().backend(backend).floatX(DType.FLOAT32).updates(updates));
        }
    }

    /** Two Gaussian clusters around (-1, -1) and (1, 1), alternating labels 0 and 1. */
    static NDArray[] clusters(int n, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 2; j++) x[i][j] = (float) ((y[i] == 0 ? -1 : 1) + 0.5 * rnd.nextGaussian());
        }
        return new NDArray[]{NDArray.of(x), NDArray.of(y)};
    }

    @Test void tutorialMlpWithMomentumMatchesTheReference() {
        NDArray[] data = clusters(1000, 1234);
        Mlp cl = new Mlp("opencl", 42, 0.01, 0.9), ref = new Mlp("reference", 42, 0.01, 0.9);
        double first = 0, last = 0;
        for (int epoch = 0; epoch < 40; epoch++) {
            double c = cl.train.call(data[0], data[1]).toDouble(), r = ref.train.call(data[0], data[1]).toDouble();
            assertTrue(Math.abs(c - r) <= 1e-4 * Math.abs(r) + 1e-3, "epoch " + epoch + ": cost " + c + " on OpenCL, " + r + " on the reference");
            if (epoch == 0) first = c;
            last = c;
        }
        assertTrue(last < first / 2, "training reduces the cost: " + first + " -> " + last);
        for (int i = 0; i < 4; i++) {
            Both.assertClose(ref.params.get(i).get(), cl.params.get(i).get(), 1e-3, 1e-4, "parameter " + ref.params.get(i).name());
            Both.assertClose(ref.velocities.get(i).get(), cl.velocities.get(i).get(), 1e-3, 1e-4, "velocity of " + ref.params.get(i).name());
        }
        String d = cl.train.describe();
        assertFalse(d.contains("FALLBACK"), d);
        assertTrue(d.contains("shared W1: kept on the device between calls"), d);
    }

    /** A 784-1024-1024-10 classifier: relu hidden layers, softmax, cross-entropy against one-hot targets, plain SGD. */
    static final class Classifier {
        final List<SharedVariable> params = new ArrayList<>();
        final Function train;

        Classifier(String backend, long seed, int[] sizes, double lr) {
            Random rnd = new Random(seed);
            Variable x = T.fmatrix("x"), t = T.fmatrix("t"), h = x;
            for (int l = 0; l + 1 < sizes.length; l++) {
                float[][] w = new float[sizes[l]][sizes[l + 1]];
                double scale = Math.sqrt(2.0 / sizes[l]);
                for (float[] row : w) for (int j = 0; j < row.length; j++) row[j] = (float) (scale * rnd.nextGaussian());
                SharedVariable sw = Theon.shared(w, "W" + (l + 1)), sb = Theon.shared(new float[sizes[l + 1]], "b" + (l + 1));
                params.add(sw);
                params.add(sb);
                Variable a = T.add(T.dot(h, sw), sb);
                h = l + 2 < sizes.length ? T.relu(a) : T.softmax(a);
            }
            Variable cost = T.mean(T.categoricalCrossentropy(h, t));
            List<Variable> grads = T.grad(cost, new ArrayList<>(params));
            Map<Variable, Variable> updates = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) updates.put(params.get(i), T.sub(params.get(i), T.mul(grads.get(i), (float) lr)));
            train = Theon.function(List.of(x, t), cost, Theon.options().backend(backend).floatX(DType.FLOAT32).updates(updates));
        }
    }

    static NDArray[] batch(int n, int in, int classes, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][in], t = new float[n][classes];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < in; j++) x[i][j] = rnd.nextFloat();
            t[i][rnd.nextInt(classes)] = 1;
        }
        return new NDArray[]{NDArray.of(x), NDArray.of(t)};
    }

    @Test void classifierTrainingStepsMatchTheReference() {
        int[] sizes = {784, 1024, 1024, 10};
        NDArray[] b = batch(16, 784, 10, 7);
        Classifier cl = new Classifier("opencl", 3, sizes, 0.1), ref = new Classifier("reference", 3, sizes, 0.1);
        for (int step = 0; step < 2; step++) {
            double c = cl.train.call(b[0], b[1]).toDouble(), r = ref.train.call(b[0], b[1]).toDouble();
            assertTrue(Math.abs(c - r) <= 1e-4 * Math.abs(r), "step " + step + ": loss " + c + " on OpenCL, " + r + " on the reference");
        }
        for (int i = 0; i < cl.params.size(); i++)
            Both.assertClose(ref.params.get(i).get(), cl.params.get(i).get(), 1e-4, 1e-5, "parameter " + ref.params.get(i).name());
        String d = cl.train.describe();
        assertFalse(d.contains("FALLBACK"), d);
    }
}
