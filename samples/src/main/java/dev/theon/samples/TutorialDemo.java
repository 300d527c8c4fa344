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
        Variable mixed = T.add(T.sum(m.mul(v), 1), c);
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
