package dev.theon.bench;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.compile.Options;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compile time of training functions: the 784-1024-1024-10 softmax MLP with SGD updates and the tutorial's 2-4-1
 * sigmoid MLP with momentum. Cold is the first compile of that function in this JVM (the first row is the first
 * compile of anything); warm is the median of 20 compiles after 100 more to warm up (the JIT compiler has then compiled the rewriter), as wall-clock time and as the
 * compiling thread's CPU time (which other processes on a busy machine do not inflate). The graphs (gradients
 * included) are built once, outside the timing: a compile is cloning, rewriting and building the executable.
 */
public final class CompileBench {
    private CompileBench() {}

    static final int WARMUP = 100, RUNS = 20;

    /** The function to compile, as a recipe (inputs, outputs, options). */
    record Recipe(String name, String mode, List<Variable> inputs, Variable output, Options options, int nodesBefore) {
        Function compile() { return Theon.function(inputs, output, options); }
    }

    public static void main(String[] args) {
        List<Supplier<Recipe>> recipes = List.of(
                () -> softmaxMlp("mlp 784-1024-1024-10, SGD", "FAST_RUN"),
                () -> momentumMlp("tutorial 2-4-1, momentum", "FAST_RUN"),
                () -> softmaxMlp("mlp 784-1024-1024-10, SGD", "FAST_COMPILE"),
                () -> momentumMlp("tutorial 2-4-1, momentum", "FAST_COMPILE"));
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.printf("%-28s %-13s %7s %7s %10s %10s %13s%n", "function", "mode", "nodes", "after", "cold ms", "warm ms", "warm cpu ms");
        for (Supplier<Recipe> s : recipes) {
            Recipe r = s.get();
            long t0 = System.nanoTime();
            Function f = r.compile();
            double cold = (System.nanoTime() - t0) / 1e6;
            for (int i = 0; i < WARMUP; i++) r.compile();
            double[] t = new double[RUNS], cpu = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long a = System.nanoTime(), c = mx.getCurrentThreadCpuTime();
                r.compile();
                t[i] = (System.nanoTime() - a) / 1e6;
                cpu[i] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
            }
            System.out.printf("%-28s %-13s %7d %7d %10.1f %10.2f %13.2f%n", r.name(), r.mode(), r.nodesBefore(),
                    f.graph().nodes().size(), cold, median(t), median(cpu));
        }
        System.out.printf("targets: warm <= 20 ms, cold <= 1500 ms (%d cores, load average %.1f)%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static int nodes(List<Variable> outs) { return FunctionGraph.toposort(outs, Set.of()).size(); }

    /** 784-1024-1024-10 with tanh hidden units, softmax output, mean cross-entropy against int labels, SGD at 0.01. */
    static Recipe softmaxMlp(String name, String mode) {
        int[] sizes = {784, 1024, 1024, 10};
        Variable x = T.dmatrix("x"), y = T.lvector("y");
        List<SharedVariable> params = new ArrayList<>();
        Variable h = x;
        for (int l = 0; l < 3; l++) {
            SharedVariable w = Theon.shared(NDArray.zeros(DType.FLOAT64, sizes[l], sizes[l + 1]), "W" + l);
            SharedVariable b = Theon.shared(NDArray.zeros(DType.FLOAT64, sizes[l + 1]), "b" + l);
            params.add(w);
            params.add(b);
            Variable z = T.add(T.dot(h, w), b);
            h = l < 2 ? T.tanh(z) : T.softmax(z);
        }
        Variable cost = T.mean(T.categoricalCrossentropy(h, y));
        List<Variable> grads = T.grad(cost, new ArrayList<>(params));
        Map<Variable, Variable> updates = new LinkedHashMap<>();
        List<Variable> all = new ArrayList<>(List.of(cost));
        for (int i = 0; i < params.size(); i++) {
            Variable u = T.sub(params.get(i), T.mul(grads.get(i), 0.01));
            updates.put(params.get(i), u);
            all.add(u);
        }
        return new Recipe(name, mode, List.of(x, y), cost, Theon.options().updates(updates).mode(mode), nodes(all));
    }

    /** The tutorial's 2-4-1 sigmoid network, squared error, learning rate 0.01 and momentum 0.9. */
    static Recipe momentumMlp(String name, String mode) {
        SharedVariable w1 = Theon.shared(NDArray.zeros(DType.FLOAT64, 2, 4), "W1"), b1 = Theon.shared(NDArray.zeros(DType.FLOAT64, 4), "b1");
        SharedVariable w2 = Theon.shared(NDArray.zeros(DType.FLOAT64, 4), "w2"), b2 = Theon.shared(NDArray.of(0.0), "b2");
        List<SharedVariable> params = List.of(w1, b1, w2, b2);
        Variable x = T.dmatrix("x"), y = T.dvector("y");
        Variable hidden = T.sigmoid(T.add(T.dot(x, w1), b1));
        Variable output = T.sigmoid(T.add(T.dot(hidden, w2), b2));
        Variable cost = T.sum(T.sqr(T.sub(output, y)));
        List<Variable> grads = T.grad(cost, new ArrayList<>(params));
        Map<Variable, Variable> updates = new LinkedHashMap<>();
        List<Variable> all = new ArrayList<>(List.of(cost));
        for (int i = 0; i < params.size(); i++) {
            SharedVariable p = params.get(i);
            SharedVariable m = Theon.shared(NDArray.zeros(DType.FLOAT64, p.get().shape()), "m_" + p.name());
            Variable step = T.sub(T.mul(m, 0.9), T.mul(grads.get(i), 0.01));
            updates.put(m, step);
            updates.put(p, T.add(p, step));
            all.add(step);
            all.add(T.add(p, step));
        }
        return new Recipe(name, mode, List.of(x, y), cost, Theon.options().updates(updates).mode(mode), nodes(all));
    }
}
