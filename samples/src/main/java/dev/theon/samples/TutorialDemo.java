package dev.theon.samples;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The Theano tutorial, end to end, from Java: algebra, the logistic function, several outputs, default values,
 * shared state, givens, printing and debug mode. {@code ./theon demo} runs it.
 */
public final class TutorialDemo {
    private final PrintStream out;

    public TutorialDemo(PrintStream out) { this.out = out; }

    public static void main(String[] args) { new TutorialDemo(System.out).run(); }

    public void run() {
        out.println(Theon.config());
        addingScalars();
        logistic();
        severalOutputsAndDefaults();
        sharedState();
        printing();
        gradients();
        mlpWithMomentum(20);
        debugMode();
    }

    void section(String title) { out.println("\n== " + title + " =="); }

    /** x + y on scalars and matrices. */
    public NDArray addingScalars() {
        section("Baby steps: algebra");
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Function f = Theon.function(List.of(x, y), T.add(x, y));
        NDArray r = f.call(2.0, 3.0);
        out.println("f(2, 3) = " + r);
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        Function g = Theon.function(List.of(a, b), a.add(b));
        out.println("[[1, 2], [3, 4]] + [[10, 20], [30, 40]] =\n" + g.call(new double[][]{{1, 2}, {3, 4}}, new double[][]{{10, 20}, {30, 40}}));
        return r;
    }

    /** The logistic function applied elementwise to a matrix. */
    public NDArray logistic() {
        section("The logistic function");
        Variable x = T.dmatrix("x");
        Variable s = T.div(1.0, T.add(1.0, T.exp(T.neg(x))));
        Function logistic = Theon.function(List.of(x), s);
        NDArray r = logistic.call(new double[][]{{0, 1}, {-1, -2}});
        out.println("logistic([[0, 1], [-1, -2]]) =\n" + r);
        return r;
    }

    /** linear_mix with and without its default {@code b}; returns {with b, without b} outputs. */
    public List<NDArray> severalOutputsAndDefaults() {
        section("Several outputs, default values");
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        Variable diff = a.sub(b);
        Function f = Theon.function(List.of(a, b), List.of(diff, T.abs(diff), diff.mul(diff)));
        List<NDArray> r = f.callAll(new double[][]{{1, 1}, {1, 1}}, new double[][]{{0, 1}, {2, 3}});
        out.println("diff, abs_diff, diff_squared =\n" + r.get(0) + "\n" + r.get(1) + "\n" + r.get(2));

        // linear_mix(A, x, b=[0, 0]) = (dot(A, x) + b, sum(A ** 2))
        Variable m = T.dmatrix("A"), v = T.dvector("x"), c = T.dvector("b");
        Variable mixed = T.add(T.dot(m, v), c);
        Variable total = T.sum(T.pow(m, 2));
        Function linearMix = Theon.function(List.of(m, v, Theon.in(c, NDArray.of(0.0, 0.0))), List.of(mixed, total));
        double[][] mv = {{1, 2, 3}, {4, 5, 6}};
        double[] vv = {1, 2, 3};
        List<NDArray> withB = linearMix.callAll(mv, vv, new double[]{4, 5});
        List<NDArray> withoutB = linearMix.callAll(mv, vv);
        out.println("linear_mix(A, x, b=[4, 5]) = " + withB.get(0) + ", " + withB.get(1));
        out.println("linear_mix(A, x)           = " + withoutB.get(0) + ", " + withoutB.get(1));
        return List.of(withB.get(0), withB.get(1), withoutB.get(0), withoutB.get(1));
    }

    /** A shared accumulator, a decrementor sharing the state, and givens replacing the state. */
    public long sharedState() {
        section("Shared variables");
        SharedVariable state = Theon.shared(NDArray.of(0L), "state");
        Variable inc = T.lscalar("inc");
        Function accumulator = Theon.function(List.of(inc), state, Theon.options().updates(Map.of(state, state.add(inc))));
        Function decrementor = Theon.function(List.of(inc), state, Theon.options().updates(Map.of(state, state.sub(inc))));
        accumulator.call(1);
        accumulator.call(300);
        out.println("after accumulator(1), accumulator(300): state = " + state.get());
        decrementor.call(2);
        out.println("after decrementor(2): state = " + state.get());
        Variable fooIn = T.lscalar("foo");
        Function skipShared = Theon.function(List.of(inc, fooIn), state.mul(2).add(inc), Theon.options().givens(Map.of(state, fooIn)));
        out.println("state * 2 + inc with state given as foo=3, inc=1: " + skipShared.call(1, 3) + " (state still " + state.get() + ")");
        SharedVariable w = Theon.shared(NDArray.of(new double[][]{{1, 2}, {3, 4}}), "w");
        Function square = Theon.function(List.of(), w.pow(2));
        out.println("w ** 2 =\n" + square.call());
        return state.get().toLong();
    }

    public String printing() {
        section("Printing");
        Variable x = T.dscalar("x");
        Variable y = T.pow(x, 2);
        String pp = Theon.pp(y);
        out.println("pp(x ** 2) = " + pp);
        out.println("debugprint:\n" + Theon.debugprint(y));
        return pp;
    }

    /** Derivatives: d(x**2)/dx at 4 and 10, the jacobian of dot(A, x) + b, the hessian of sum(x**3); returns {8, 20}. */
    public double[] gradients() {
        section("Derivatives");
        Variable x = T.dscalar("x");
        Variable gy = T.grad(T.pow(x, 2), x);
        out.println("pp(grad(x ** 2)) = " + Theon.pp(gy));
        Function f = Theon.function(List.of(x), gy);
        double at4 = f.call(4.0).toDouble(), at10 = f.call(10.0).toDouble();
        out.println("d(x**2)/dx at 4 = " + at4 + ", at 10 = " + at10);
        Variable A = T.dmatrix("A"), v = T.dvector("x"), b = T.dvector("b");
        Variable J = Theon.jacobian(T.add(T.dot(A, v), b), v);
        Function jf = Theon.function(List.of(A, v, b), J);
        out.println("jacobian of dot(A, x) + b wrt x at A = [[9, 8, 7], [4, 5, 6]]:\n"
                + jf.call(new double[][]{{9, 8, 7}, {4, 5, 6}}, new double[]{1, 2, 3}, new double[]{0, 0}));
        Variable H = Theon.hessian(T.sum(T.pow(v, 3)), v);
        out.println("hessian of sum(x ** 3) at x = [1, 2, 3]:\n" + H.eval(Map.of(v, new double[]{1, 2, 3})));
        return new double[]{at4, at10};
    }

    /**
     * The tutorial's 2-4-1 sigmoid network on two Gaussian clusters, trained by full-batch gradient descent with
     * momentum (learning rate 0.01, momentum 0.9); the momentum buffers are shared variables updated in the same call
     * as the parameters. Returns {first cost, last cost, accuracy}.
     */
    public double[] mlpWithMomentum(int iterations) {
        section("A 2-4-1 network with momentum");
        int n = 1000;
        java.util.Random rnd = new java.util.Random(1234);
        double[][] data = new double[n][2];
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            int cls = i % 2;
            double mean = cls == 0 ? -1 : 1;
            data[i][0] = mean + 0.5 * rnd.nextGaussian();
            data[i][1] = mean + 0.5 * rnd.nextGaussian();
            labels[i] = cls;
        }
        double[][] w1v = new double[2][4];
        for (double[] row : w1v) for (int k = 0; k < 4; k++) row[k] = rnd.nextGaussian();
        double[] w2v = new double[4];
        for (int k = 0; k < 4; k++) w2v[k] = rnd.nextGaussian();
        SharedVariable w1 = Theon.shared(w1v, "W1"), b1 = Theon.shared(new double[]{1, 1, 1, 1}, "b1");
        SharedVariable w2 = Theon.shared(w2v, "w2"), b2 = Theon.shared(1.0, "b2");
        List<SharedVariable> params = List.of(w1, b1, w2, b2);
        Variable x = T.dmatrix("x"), y = T.dvector("y");
        Variable hidden = T.sigmoid(T.add(T.dot(x, w1), b1));
        Variable output = T.sigmoid(T.add(T.dot(hidden, w2), b2));
        Variable cost = T.sum(T.sqr(T.sub(output, y)));
        List<Variable> grads = T.grad(cost, List.<Variable>copyOf(params));
        Map<Variable, Object> updates = new java.util.LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            SharedVariable p = params.get(i);
            SharedVariable m = Theon.shared(NDArray.zeros(p.dtype(), p.get().shape()), "m_" + p.name());
            Variable step = T.sub(T.mul(m, 0.9), T.mul(grads.get(i), 0.01));
            updates.put(m, step);
            updates.put(p, T.add(p, step));
        }
        Function train = Theon.function(List.of(x, y), cost, Theon.options().updates(updates).name("train"));
        Function predict = Theon.function(List.of(x), T.gt(output, 0.5), Theon.options().name("predict"));
        double first = 0, last = 0, accuracy = 0;
        for (int it = 0; it < iterations; it++) {
            double c = train.call(data, labels).toDouble();
            if (it == 0) first = c;
            last = c;
            boolean[] guess = predict.call((Object) data).toBooleanArray();
            int right = 0;
            for (int i = 0; i < n; i++) if (guess[i] == (labels[i] == 1)) right++;
            accuracy = right / (double) n;
            out.printf(java.util.Locale.ROOT, "iteration %2d  cost %9.4f  accuracy %.3f%n", it + 1, c, accuracy);
        }
        return new double[]{first, last, accuracy};
    }

    /** divide(0, 0) is NaN in FAST_RUN and an error naming the node in DEBUG mode. */
    public String debugMode() {
        section("Debug mode");
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable q = T.div(x, y);
        out.println("FAST_RUN: 0 / 0 = " + Theon.function(List.of(x, y), q).call(0.0, 0.0));
        try {
            Theon.function(List.of(x, y), q, Theon.options().mode("DEBUG")).call(0.0, 0.0);
            out.println("DEBUG: no error (unexpected)");
            return null;
        } catch (TheonException.NanError e) {
            out.println("DEBUG: " + e.getMessage());
            return e.getMessage();
        }
    }
}
