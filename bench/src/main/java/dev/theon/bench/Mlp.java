package dev.theon.bench;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmarks' training step: a 784-1024-1024-10 ReLU classifier, float32, softmax with categorical crossentropy
 * against one-hot targets, mean over the batch, plain SGD (learning rate 0.01) as updates of shared weights. The
 * peers in {@code bench/simd_peers.py} build the same network.
 */
public final class Mlp {
    private Mlp() {}

    public static final int[] SIZES = {784, 1024, 1024, 10};

    /** Floating-point operations of one step: forward and the two backward GEMMs per layer. */
    public static double flops(int batch) {
        double macs = 0;
        for (int l = 0; l + 1 < SIZES.length; l++) macs += (double) SIZES[l] * SIZES[l + 1];
        return 6.0 * batch * macs;
    }

    /** A batch of inputs in [0, 1) and one-hot targets: {x, t}. */
    public static NDArray[] batch(int batch) {
        Random rnd = new Random(3);
        float[][] x = new float[batch][SIZES[0]], t = new float[batch][SIZES[SIZES.length - 1]];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < x[i].length; j++) x[i][j] = rnd.nextFloat();
            t[i][rnd.nextInt(t[i].length)] = 1;
        }
        return new NDArray[]{NDArray.of(x), NDArray.of(t)};
    }

    /** The compiled step {@code (x, t) -> cost}, updating the weights, on {@code backend}. */
    public static Function step(String backend) {
        Random rnd = new Random(5);
        Variable x = T.fmatrix("x"), t = T.fmatrix("t"), h = x;
        List<SharedVariable> params = new ArrayList<>();
        for (int l = 0; l + 1 < SIZES.length; l++) {
            float[][] w = new float[SIZES[l]][SIZES[l + 1]];
            double scale = Math.sqrt(2.0 / SIZES[l]);
            for (float[] row : w) for (int j = 0; j < row.length; j++) row[j] = (float) (scale * rnd.nextGaussian());
            SharedVariable sw = Theon.shared(w, "W" + (l + 1)), sb = Theon.shared(new float[SIZES[l + 1]], "b" + (l + 1));
            params.add(sw);
            params.add(sb);
            Variable a = T.add(T.dot(h, sw), sb);
            h = l + 2 < SIZES.length ? T.relu(a) : T.softmax(a);
        }
        Variable cost = T.mean(T.categoricalCrossentropy(h, t));
        List<Variable> grads = T.grad(cost, new ArrayList<>(params));
        Map<Variable, Variable> updates = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) updates.put(params.get(i), T.sub(params.get(i), T.mul(grads.get(i), 0.01f)));
        return Theon.function(List.of(x, t), cost, Theon.options().backend(backend).floatX(DType.FLOAT32).updates(updates));
    }
}
