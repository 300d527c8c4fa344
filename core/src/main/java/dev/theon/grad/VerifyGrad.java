package dev.theon.grad;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.compile.Compiler;
import dev.theon.compile.Function;
import dev.theon.graph.Op;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Theano's {@code verify_grad}: checks a symbolic gradient against central finite differences in float64.
 * <p>
 * The expression is projected onto a random tensor ({@code cost = sum(f(x) * r)}) so that every output element
 * contributes; the symbolic gradient of that cost with respect to each float input is compared, element by element,
 * with {@code (cost(x + eps) - cost(x - eps)) / 2 eps}. Integer inputs (labels, indices) are held fixed.
 * Inputs get static size 1 where the point has size 1, so broadcasting gradients are checked too.
 */
public final class VerifyGrad {
    private VerifyGrad() {}

    /** Tolerances and repetitions. */
    public static final class Options {
        double eps = 1e-6, relTol = 1e-5, absTol = 1e-7;
        int nTests = 2;
        long seed = 42;
        String mode = "FAST_RUN";
        public Options eps(double e) { eps = e; return this; }
        public Options relTol(double t) { relTol = t; return this; }
        public Options absTol(double t) { absTol = t; return this; }
        public Options nTests(int n) { nTests = n; return this; }
        public Options seed(long s) { seed = s; return this; }
        public Options mode(String m) { mode = m; return this; }
    }

    public static Options options() { return new Options(); }

    /** Checks the gradient of {@code op} applied to inputs holding {@code points}. */
    public static void verify(Op op, List<?> points) { verify(ins -> op.make(ins).out(), points, options()); }

    public static void verify(java.util.function.Function<List<Variable>, Variable> fn, List<?> points) { verify(fn, points, options()); }

    public static void verify(java.util.function.Function<List<Variable>, Variable> fn, List<?> points, Options o) {
        List<NDArray> pts = new ArrayList<>();
        for (Object p : points) {
            NDArray a = NDArray.fromJava(p);
            pts.add(a.dtype().isFloat() ? a.astype(DType.FLOAT64) : a);
        }
        List<Variable> ins = new ArrayList<>();
        List<Variable> wrt = new ArrayList<>();
        for (int i = 0; i < pts.size(); i++) {
            NDArray a = pts.get(i);
            long[] st = a.shape();
            for (int d = 0; d < st.length; d++) if (st[d] != 1) st[d] = -1;
            Variable v = T.tensor(a.dtype(), st, "input" + i);
            ins.add(v);
            if (a.dtype().isFloat()) wrt.add(v);
        }
        if (wrt.isEmpty()) throw new TheonException.GradientError("verifyGrad: no float input to differentiate");
        Variable out = fn.apply(ins);
        Options64 opts = new Options64(o.mode);
        NDArray outValue = Compiler.compile(ins, List.of(out), opts.get()).call(pts.toArray());
        Random rng = new Random(o.seed);
        for (int test = 0; test < o.nTests; test++) {
            NDArray proj = NDArray.zeros(DType.FLOAT64, outValue.shape());
            for (long k = 0; k < proj.size(); k++) proj.setFlatDouble(k, rng.nextDouble() * 2 - 1 + (rng.nextBoolean() ? 0.5 : -0.5));
            Variable cost = T.sum(T.mul(T.cast(out, DType.FLOAT64), T.constant(proj)));
            Function fCost = Compiler.compile(ins, List.of(cost), opts.get());
            List<Variable> grads = Grad.grad(cost, wrt, Grad.options().disconnectedInputs("ignore"));
            Function fGrad = Compiler.compile(ins, grads, opts.get());
            List<NDArray> symbolic = fGrad.callAll(pts.toArray());
            int w = 0;
            for (int i = 0; i < pts.size(); i++) {
                if (!pts.get(i).dtype().isFloat()) continue;
                NDArray sym = symbolic.get(w++);
                NDArray x = pts.get(i);
                if (!Arrays.equals(sym.shape(), x.shape()))
                    throw new TheonException.GradientError("verifyGrad: the gradient wrt input " + i + " has shape " + Shapes.str(sym.shape())
                            + " but the input has shape " + Shapes.str(x.shape()));
                for (long k = 0; k < x.size(); k++) {
                    Object[] args = pts.toArray();
                    NDArray plus = x.copy(), minus = x.copy();
                    plus.setFlatDouble(k, x.flatDouble(k) + o.eps);
                    minus.setFlatDouble(k, x.flatDouble(k) - o.eps);
                    args[i] = plus;
                    double cp = fCost.call(args).toDouble();
                    args[i] = minus;
                    double cm = fCost.call(args).toDouble();
                    double numeric = (cp - cm) / (2 * o.eps);
                    double analytic = sym.flatDouble(k);
                    double err = Math.abs(numeric - analytic);
                    // rounding in the cost limits what finite differences can resolve: allow for it
                    double roundoff = 1e-15 * Math.max(Math.abs(cp), Math.abs(cm)) / o.eps;
                    if (!(err <= o.absTol + roundoff + o.relTol * Math.max(Math.abs(numeric), Math.abs(analytic)))) {
                        throw new TheonException.GradientError(String.format(java.util.Locale.ROOT,
                                "verifyGrad: the gradient of %s wrt input %d (shape %s) is wrong at flat index %d: symbolic %.10g,"
                                        + " finite differences %.10g (abs error %.3g, rel tol %.1g, eps %.1g, test %d)",
                                dev.theon.print.Pretty.pp(out), i, Shapes.str(x.shape()), k,
                                analytic, numeric, err, o.relTol, o.eps, test));
                    }
                }
            }
        }
    }

    /** Compile options for the checks: float64, the requested mode, unused inputs allowed. */
    private record Options64(String mode) {
        dev.theon.compile.Options get() {
            return new dev.theon.compile.Options().floatX(DType.FLOAT64).mode(mode).onUnusedInput(dev.theon.compile.Options.OnUnused.IGNORE);
        }
    }
}
