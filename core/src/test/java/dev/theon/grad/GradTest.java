package dev.theon.grad;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** The gradient machinery, the tutorial's values, and verifyGrad on every differentiable elementwise op. */
class GradTest {

    static NDArray m(double[][] v) { return NDArray.of(v); }

    @Test void tutorialDerivativeOfSquare() {
        Variable x = T.dscalar("x");
        Variable gy = T.grad(T.pow(x, 2), x);
        assertEquals(20.0, gy.eval(Map.of(x, 10.0)).toDouble(), 1e-12);
        assertEquals(8.0, gy.eval(Map.of(x, 4.0)).toDouble(), 1e-12);
    }

    @Test void tutorialLogisticGradient() {
        Variable x = T.dmatrix("x");
        Variable s = T.sum(T.div(1.0, T.add(1.0, T.exp(T.neg(x)))));
        Variable gs = T.grad(s, x);
        double[][] xs = {{0, 1}, {-1, -2}};
        double[][] out = gs.eval(Map.of(x, xs)).toDoubleMatrix();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) {
            double sig = 1 / (1 + Math.exp(-xs[i][j]));
            assertEquals(sig * (1 - sig), out[i][j], 1e-12);
        }
    }

    /** Inputs in each op's domain, shaped to exercise broadcasting: (2,3) against (1,3) and a scalar. */
    static List<NDArray> pointsFor(ScalarOp op) {
        if (op == ScalarOp.MOD)  // away from the jumps of a % b (a / b an integer)
            return List.of(m(new double[][]{{0.37, 0.61, 0.47}, {0.23, 0.71, 0.53}}), m(new double[][]{{0.4, 0.17, 0.8}}));
        NDArray a = m(new double[][]{{0.3, 0.6, 0.45}, {0.2, 0.7, 0.55}});
        NDArray b = m(new double[][]{{0.4, 0.15, 0.8}});
        return switch (op.arity()) {
            case 1 -> List.of(a);
            case 2 -> List.of(a, b);
            default -> List.of(a, b, NDArray.of(0.5));
        };
    }

    @ParameterizedTest
    @EnumSource(value = ScalarOp.class, names = {"ADD", "SUB", "MUL", "TRUE_DIV", "POW", "MAXIMUM", "MINIMUM", "NEG", "ABS", "INV",
            "SQR", "SQRT", "EXP", "EXPM1", "LOG", "LOG1P", "LOG2", "LOG10", "SIN", "COS", "TAN", "ARCSIN", "ARCCOS", "ARCTAN",
            "SINH", "COSH", "TANH", "SIGMOID", "SOFTPLUS", "ERF", "ERFC", "MOD"})
    void everyDifferentiableElementwiseOp(ScalarOp op) {
        Theon.verifyGrad(ins -> new dev.theon.ops.Elemwise(op).make(ins).out(), pointsFor(op));
    }

    @Test void clipAndSwitchGradients() {
        NDArray x = m(new double[][]{{-2, 0.5, 3}, {0.1, -0.3, 1.7}});
        Theon.verifyGrad(in -> T.clip(in.get(0), -1.0, 1.0), List.of(x));
        Theon.verifyGrad(in -> T.switch_(T.gt(in.get(0), 0.0), T.mul(in.get(0), in.get(1)), T.exp(in.get(1))),
                List.of(x, m(new double[][]{{0.3, 0.2, 0.1}})));
        // clip with symbolic bounds: the bound gets the gradient where x is outside
        Theon.verifyGrad(in -> T.clip(in.get(0), in.get(1), in.get(2)), List.of(x, NDArray.of(-1.0), NDArray.of(1.0)));
    }

    @Test void castGradient() {
        // to float32 and back: linear, so finite differences are exact up to float32 rounding (hence the larger eps)
        Theon.verifyGrad(in -> T.mul(T.cast(T.mul(in.get(0), 3.0), DType.FLOAT32), 2.0f), List.of(NDArray.of(0.5, -1.25, 2.0)),
                dev.theon.grad.VerifyGrad.options().eps(1e-2).relTol(1e-5));
        Variable x = T.fvector("x");
        Variable g = T.grad(T.sum(T.mul(T.cast(x, DType.FLOAT64), 3.0)), x);
        assertEquals(DType.FLOAT32, g.dtype());
        assertArrayEquals(new float[]{3, 3}, g.eval(Map.of(x, new float[]{1, 2})).toFloatArray());
        // a cast to an integer type cuts the gradient (Theano: no gradient through discrete values)
        Variable d = T.dvector("d");
        Variable c = T.sum(T.mul(T.cast(T.cast(d, DType.INT32), DType.FLOAT64), d));
        assertArrayEquals(new double[]{1, 2}, T.grad(c, d).eval(Map.of(d, new double[]{1.5, 2.5})).toDoubleArray());
    }

    @Test void piecewiseConstantOpsHaveZeroGradient() {
        Variable x = T.dvector("x");
        for (Function<Variable, Variable> f : List.<Function<Variable, Variable>>of(T::sgn, T::floor, T::ceil, T::round)) {
            Variable g = T.grad(T.sum(f.apply(x)), x);
            assertArrayEquals(new double[]{0, 0, 0}, g.eval(Map.of(x, new double[]{-1.5, 0.2, 3.7})).toDoubleArray());
        }
    }

    @Test void broadcastInputsGetSummedGradients() {
        Variable a = T.dmatrix("a");
        Variable b = T.tensor(DType.FLOAT64, new long[]{1, -1}, "b");
        Variable g = T.grad(T.sum(T.mul(a, b)), b);
        assertEquals(2, g.ndim());
        NDArray r = g.eval(Map.of(a, new double[][]{{1, 2}, {3, 4}}, b, new double[][]{{5, 6}}));
        assertArrayEquals(new double[][]{{4, 6}}, r.toDoubleMatrix());
        // a scalar broadcast against a matrix gets the total
        Variable s = T.dscalar("s");
        assertEquals(10.0, T.grad(T.sum(T.mul(a, s)), s).eval(Map.of(a, new double[][]{{1, 2}, {3, 4}}, s, 1.0)).toDouble());
    }

    @Test void costMustBeScalar() {
        Variable x = T.dvector("x");
        var e = assertThrows(TheonException.GradientError.class, () -> T.grad(T.exp(x), x));
        assertTrue(e.getMessage().contains("must be a scalar"), e.getMessage());
    }

    @Test void disconnectedInputs() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable cost = T.mul(x, 2.0);
        var e = assertThrows(TheonException.GradientError.class, () -> T.grad(cost, y));
        assertTrue(e.getMessage().contains("'y'"), e.getMessage());
        List<Variable> g = T.grad(cost, List.of(x, y), Grad.options().disconnectedInputs("ignore"));
        assertEquals(0.0, g.get(1).eval(Map.of(y, 3.0)).toDouble());
        assertNull(T.grad(cost, List.of(y), Grad.options().disconnectedInputs("ignore").returnDisconnected("none")).get(0));
    }

    @Test void considerConstantAndKnownGrads() {
        Variable x = T.dscalar("x");
        Variable y = T.mul(x, x);
        Variable cost = T.mul(y, x);   // x^3: d/dx = 3x^2, with y constant: y = x^2
        assertEquals(12.0, T.grad(cost, List.of(x)).get(0).eval(Map.of(x, 2.0)).toDouble(), 1e-12);
        assertEquals(4.0, T.grad(cost, List.of(x), Grad.options().considerConstant(y)).get(0).eval(Map.of(x, 2.0)).toDouble(), 1e-12);
        // known_grads: dC/dy given as 5 -> dC/dx = 5 * 2x = 20 at x = 2
        Variable gx = T.grad(null, List.of(x), Grad.options().knownGrads(Map.of(y, T.constant(5.0)))).get(0);
        assertEquals(20.0, gx.eval(Map.of(x, 2.0)).toDouble(), 1e-12);
    }

    @Test void gradientControls() {
        Variable x = T.dscalar("x");
        assertEquals(0.0, T.grad(T.mul(T.zeroGrad(T.mul(x, x)), 3.0), x).eval(Map.of(x, 2.0)).toDouble());
        assertEquals(4.0, T.grad(T.add(T.mul(x, x), T.disconnectedGrad(T.mul(x, 7.0))), x).eval(Map.of(x, 2.0)).toDouble());
        assertThrows(TheonException.GradientError.class, () -> T.grad(T.disconnectedGrad(T.mul(x, 7.0)), x));
        assertEquals(1.0, T.grad(T.mul(T.gradClip(x, -1, 1), 10.0), x).eval(Map.of(x, 2.0)).toDouble());
        assertEquals(2.5, T.grad(T.gradScale(T.mul(x, 5.0), 0.5), x).eval(Map.of(x, 2.0)).toDouble());
        // forward values are untouched
        assertEquals(4.0, T.zeroGrad(T.mul(x, x)).eval(Map.of(x, 2.0)).toDouble());
        var e = assertThrows(TheonException.GradientError.class, () -> T.grad(T.undefinedGrad(T.exp(x)), x));
        assertTrue(e.getMessage().contains("undefined"), e.getMessage());
        assertNull(T.grad(T.undefinedGrad(T.exp(x)), List.of(x), Grad.options().nullGradients("return_none")).get(0));
    }

    @Test void sgnAutoencoderHasZeroEncoderGradient() {
        // f(sgn(g(X))): the encoder g gets zero gradient through sgn; zeroGrad does the same to any expression
        Variable X = T.dvector("X"), w = T.dscalar("w"), v = T.dscalar("v");
        Variable code = T.sgn(T.mul(X, w));
        Variable cost = T.sum(T.sqr(T.sub(T.mul(code, v), X)));
        List<Variable> g = T.grad(cost, List.of(w, v));
        Map<Variable, Object> at = Map.of(X, new double[]{0.5, -1, 2}, w, 0.7, v, 1.3);
        assertEquals(0.0, g.get(0).eval(at).toDouble());
        assertNotEquals(0.0, g.get(1).eval(at).toDouble());
        Variable cost2 = T.sum(T.sqr(T.sub(T.mul(T.zeroGrad(T.tanh(T.mul(X, w))), v), X)));
        assertEquals(0.0, T.grad(cost2, w).eval(at).toDouble());
    }

    @Test void opWithoutGradientRaisesNamingTheOp() {
        Op noGrad = new NoGradIdentity();
        Variable x = T.dscalar("x");
        var e = assertThrows(TheonException.GradientError.class, () -> T.grad(T.mul(noGrad.apply(x), 2.0), x));
        assertTrue(e.getMessage().contains("no_grad_identity"), e.getMessage());
        // not on the path: no error
        Variable y = T.dscalar("y");
        assertEquals(2.0, T.grad(T.add(T.mul(y, 2.0), noGrad.apply(x)), y).eval(Map.of(y, 1.0, x, 1.0)).toDouble());
    }

    @Test void wrongGradientIsCaughtByVerifyGrad() {
        var e = assertThrows(TheonException.GradientError.class, () -> Theon.verifyGrad(new WrongGradSquare(), List.of(NDArray.of(1.5, -0.5, 2.0))));
        assertTrue(e.getMessage().contains("finite differences"), e.getMessage());
        Theon.verifyGrad(in -> T.sqr(in.get(0)), List.of(NDArray.of(1.5, -0.5, 2.0)));
    }

    @Test void integerInputsAreDisconnected() {
        Variable i = T.ivector("i"), x = T.dvector("x");
        Variable cost = T.sum(T.mul(x, i));
        assertThrows(TheonException.GradientError.class, () -> T.grad(cost, i));
        assertArrayEquals(new double[]{1, 2}, T.grad(cost, x).eval(Map.of(x, new double[]{5, 6}, i, new int[]{1, 2})).toDoubleArray());
    }

    @Test void float32GradientStaysFloat32() {
        Variable x = T.fvector("x");
        Variable g = T.grad(T.sum(T.mul(T.exp(x), 2.0)), x);
        assertEquals(DType.FLOAT32, g.dtype());
        assertArrayEquals(new float[]{2f, (float) (2 * Math.E)}, g.eval(Map.of(x, new float[]{0, 1})).toFloatArray(), 1e-6f);
    }

    /** A test-only op with a deliberately wrong gradient: x^2 whose gradient claims 3x. */
    record WrongGradSquare() implements Op {
        @Override public String name() { return "wrong_grad_square"; }
        @Override public List<TensorType> outputTypes(List<Variable> in) { return List.of(in.get(0).type()); }
        @Override public void perform(Apply node, NDArray[] in, NDArray[] out) {
            NDArray r = in[0].copy();
            for (long k = 0; k < r.size(); k++) r.setFlatDouble(k, r.flatDouble(k) * r.flatDouble(k));
            out[0] = r;
        }
        @Override public List<Variable> grad(List<Variable> in, List<Variable> out, List<Variable> gz) {
            return List.of(T.mul(gz.get(0), T.mul(in.get(0), 3.0)));
        }
    }

    /** A test-only op that declares no gradient. */
    record NoGradIdentity() implements Op {
        @Override public String name() { return "no_grad_identity"; }
        @Override public List<TensorType> outputTypes(List<Variable> in) { return List.of(in.get(0).type()); }
        @Override public void perform(Apply node, NDArray[] in, NDArray[] out) { out[0] = in[0]; }
    }
}
