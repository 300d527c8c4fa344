package dev.theon.ops;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.theon.tensor.DType.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every entry of the scalar-op table, applied elementwise through compiled functions, against values computed here
 * in plain Java (float64, or exact longs for integer results) with NumPy's dtype rules written out independently.
 */
class ElemwiseTest {

    // ------------------------------------------------------------------ the reference: what each op should compute

    /** How the output dtype follows from the (promoted) input dtype. */
    enum Rule { SAME, FLOAT, BOOL }

    record Unary(UnaryOperator<Object> t, DoubleUnaryOperator ref, LongUnaryOperator exact, Rule rule, double tol) {}

    record Binary(BiFunction<Object, Object, Variable> t, DoubleBinaryOperator ref, LongBinaryOperator exact, Rule rule) {}

    static final Map<ScalarOp, Unary> UNARY = new LinkedHashMap<>();
    static final Map<ScalarOp, Binary> BINARY = new LinkedHashMap<>();

    static Unary u(UnaryOperator<Object> t, DoubleUnaryOperator ref, LongUnaryOperator exact, Rule rule, double tol) {
        return new Unary(t, ref, exact, rule, tol);
    }

    static {
        double E = 1e-15;
        UNARY.put(ScalarOp.NEG, u(T::neg, x -> -x, x -> -x, Rule.SAME, 0));
        UNARY.put(ScalarOp.ABS, u(T::abs, x -> x < 0 ? -x : x, x -> x < 0 ? -x : x, Rule.SAME, 0));
        UNARY.put(ScalarOp.SGN, u(T::sgn, x -> x > 0 ? 1 : x < 0 ? -1 : x, x -> x > 0 ? 1 : x < 0 ? -1 : 0, Rule.SAME, 0));
        UNARY.put(ScalarOp.SQR, u(T::sqr, x -> x * x, x -> x * x, Rule.SAME, 0));
        UNARY.put(ScalarOp.INV, u(T::inv, x -> 1 / x, null, Rule.FLOAT, 0));
        UNARY.put(ScalarOp.SQRT, u(T::sqrt, Math::sqrt, null, Rule.FLOAT, 0));
        UNARY.put(ScalarOp.EXP, u(T::exp, Math::exp, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.EXPM1, u(T::expm1, Math::expm1, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.LOG, u(T::log, Math::log, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.LOG1P, u(T::log1p, Math::log1p, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.LOG2, u(T::log2, x -> Math.log(x) / Math.log(2), null, Rule.FLOAT, 1e-15));
        UNARY.put(ScalarOp.LOG10, u(T::log10, Math::log10, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.SIN, u(T::sin, Math::sin, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.COS, u(T::cos, Math::cos, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.TAN, u(T::tan, x -> Math.sin(x) / Math.cos(x), null, Rule.FLOAT, 1e-14));
        UNARY.put(ScalarOp.ARCSIN, u(T::arcsin, Math::asin, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.ARCCOS, u(T::arccos, Math::acos, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.ARCTAN, u(T::arctan, Math::atan, null, Rule.FLOAT, E));
        UNARY.put(ScalarOp.SINH, u(T::sinh, x -> (Math.exp(x) - Math.exp(-x)) / 2, null, Rule.FLOAT, 1e-14));
        UNARY.put(ScalarOp.COSH, u(T::cosh, x -> (Math.exp(x) + Math.exp(-x)) / 2, null, Rule.FLOAT, 1e-14));
        UNARY.put(ScalarOp.TANH, u(T::tanh, x -> (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1), null, Rule.FLOAT, 1e-14));
        UNARY.put(ScalarOp.SIGMOID, u(T::sigmoid, x -> 1 / (1 + Math.exp(-x)), null, Rule.FLOAT, 1e-15));
        UNARY.put(ScalarOp.SOFTPLUS, u(T::softplus, x -> Math.log1p(Math.exp(x)), null, Rule.FLOAT, 1e-15));
        UNARY.put(ScalarOp.ERF, u(T::erf, ElemwiseTest::erfBySimpson, null, Rule.FLOAT, 1e-13));
        UNARY.put(ScalarOp.ERFC, u(T::erfc, ElemwiseTest::erfcBySimpson, null, Rule.FLOAT, 1e-12));
        UNARY.put(ScalarOp.FLOOR, u(T::floor, Math::floor, null, Rule.FLOAT, 0));
        UNARY.put(ScalarOp.CEIL, u(T::ceil, Math::ceil, null, Rule.FLOAT, 0));
        UNARY.put(ScalarOp.ROUND, u(T::round, ElemwiseTest::roundHalfEven, null, Rule.FLOAT, 0));
        UNARY.put(ScalarOp.NOT, u(T::not, x -> x == 0 ? 1 : 0, x -> x == 0 ? 1 : 0, Rule.BOOL, 0));
        UNARY.put(ScalarOp.ISNAN, u(T::isnan, x -> Double.isNaN(x) ? 1 : 0, x -> 0, Rule.BOOL, 0));
        UNARY.put(ScalarOp.ISINF, u(T::isinf, x -> Double.isInfinite(x) ? 1 : 0, x -> 0, Rule.BOOL, 0));

        BINARY.put(ScalarOp.ADD, new Binary(T::add, (a, b) -> a + b, (a, b) -> a + b, Rule.SAME));
        BINARY.put(ScalarOp.SUB, new Binary(T::sub, (a, b) -> a - b, (a, b) -> a - b, Rule.SAME));
        BINARY.put(ScalarOp.MUL, new Binary(T::mul, (a, b) -> a * b, (a, b) -> a * b, Rule.SAME));
        BINARY.put(ScalarOp.TRUE_DIV, new Binary(T::div, (a, b) -> a / b, null, Rule.FLOAT));
        BINARY.put(ScalarOp.INT_DIV, new Binary(T::intDiv, (a, b) -> Math.floor(a / b), (a, b) -> b == 0 ? 0 : Math.floorDiv(a, b), Rule.SAME));
        BINARY.put(ScalarOp.MOD, new Binary(T::mod, (a, b) -> b == 0 ? Double.NaN : a - b * Math.floor(a / b),
                (a, b) -> b == 0 ? 0 : Math.floorMod(a, b), Rule.SAME));
        BINARY.put(ScalarOp.POW, new Binary(T::pow, Math::pow, (a, b) -> { long r = 1; for (long i = 0; i < b; i++) r *= a; return r; }, Rule.SAME));
        BINARY.put(ScalarOp.MAXIMUM, new Binary(T::maximum, Math::max, Math::max, Rule.SAME));
        BINARY.put(ScalarOp.MINIMUM, new Binary(T::minimum, Math::min, Math::min, Rule.SAME));
        BINARY.put(ScalarOp.LT, new Binary(T::lt, (a, b) -> a < b ? 1 : 0, (a, b) -> a < b ? 1 : 0, Rule.BOOL));
        BINARY.put(ScalarOp.GT, new Binary(T::gt, (a, b) -> a > b ? 1 : 0, (a, b) -> a > b ? 1 : 0, Rule.BOOL));
        BINARY.put(ScalarOp.LE, new Binary(T::le, (a, b) -> a <= b ? 1 : 0, (a, b) -> a <= b ? 1 : 0, Rule.BOOL));
        BINARY.put(ScalarOp.GE, new Binary(T::ge, (a, b) -> a >= b ? 1 : 0, (a, b) -> a >= b ? 1 : 0, Rule.BOOL));
        BINARY.put(ScalarOp.EQ, new Binary(T::eq, (a, b) -> a == b ? 1 : 0, (a, b) -> a == b ? 1 : 0, Rule.BOOL));
        BINARY.put(ScalarOp.NEQ, new Binary(T::neq, (a, b) -> a != b ? 1 : 0, (a, b) -> a != b ? 1 : 0, Rule.BOOL));
        BINARY.put(ScalarOp.AND, new Binary(T::and, (a, b) -> a != 0 && b != 0 ? 1 : 0, (a, b) -> a != 0 && b != 0 ? 1 : 0, Rule.BOOL));
        BINARY.put(ScalarOp.OR, new Binary(T::or, (a, b) -> a != 0 || b != 0 ? 1 : 0, (a, b) -> a != 0 || b != 0 ? 1 : 0, Rule.BOOL));
        BINARY.put(ScalarOp.XOR, new Binary(T::xor, (a, b) -> (a != 0) != (b != 0) ? 1 : 0, (a, b) -> (a != 0) != (b != 0) ? 1 : 0, Rule.BOOL));
    }

    /** erf by composite Simpson integration of 2/sqrt(pi) exp(-t^2): independent of the series/continued fraction used. */
    static double erfBySimpson(double x) {
        int n = 4000;
        double h = x / n, s = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) s += (i % 2 == 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    /** erfc as the tail integral from x (no cancellation against 1), for x >= 0; 2 - erfc(-x) below. */
    static double erfcBySimpson(double x) {
        if (x < 0) return 2 - erfcBySimpson(-x);
        int n = 40000;
        double w = Math.min(12, 40 / (2 * x + 1));  // past x + w the integrand is below e^-40 of its value at x
        double h = w / n, s = Math.exp(-x * x) + Math.exp(-(x + w) * (x + w));
        for (int i = 1; i < n; i++) { double t = x + i * h; s += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t); }
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    static double roundHalfEven(double x) {
        double f = Math.floor(x), d = x - f;
        if (d > 0.5) return f + 1;
        if (d < 0.5) return f;
        return f % 2 == 0 ? f : f + 1;
    }

    // NumPy's promotion table for the pairs tested (written out, not computed)
    static final Object[][] PAIRS = {
            {BOOL, BOOL, BOOL}, {INT8, INT8, INT8}, {INT16, INT16, INT16}, {INT32, INT32, INT32}, {INT64, INT64, INT64},
            {FLOAT32, FLOAT32, FLOAT32}, {FLOAT64, FLOAT64, FLOAT64},
            {INT32, FLOAT32, FLOAT64}, {INT8, INT16, INT16}, {BOOL, INT8, INT8}, {INT64, FLOAT64, FLOAT64},
            {FLOAT32, FLOAT64, FLOAT64}, {INT16, FLOAT32, FLOAT32}, {BOOL, FLOAT32, FLOAT32}, {INT64, INT32, INT64},
            {INT8, FLOAT32, FLOAT32}, {INT64, FLOAT32, FLOAT64}, {INT16, INT64, INT64},
    };

    /** Theano's upgrade_to_float: what an integer becomes in a float-valued op. */
    static DType floatOf(DType d) {
        return switch (d) {
            case BOOL, INT8, INT16 -> FLOAT32;
            case INT32, INT64 -> FLOAT64;
            default -> d;
        };
    }

    static DType outType(Rule r, DType promoted) {
        return switch (r) { case SAME -> promoted; case FLOAT -> floatOf(promoted); case BOOL -> BOOL; };
    }

    static final double[] FLOAT_A = {-2.5, -0.75, -0.5, 0, 0.25, 0.5, 1.5, 3};
    static final double[] FLOAT_B = {0.75, -2, 3, 0.5, -0.25, 0, 1.5, -1};
    static final double[] INT_A = {-9, -3, -1, 0, 1, 2, 5, 12};
    static final double[] INT_B = {2, -2, 3, 5, -4, 0, 1, -1};
    static final double[] INT_EXPONENTS = {2, 0, 3, 1, 2, 0, 1, 3};
    static final double[] BOOL_A = {1, 0, 1, 1, 0, 0, 1, 0};
    static final double[] BOOL_B = {1, 1, 0, 1, 0, 1, 0, 0};

    static double[] valuesA(DType d) { return d.isFloat() ? FLOAT_A : d.isBool() ? BOOL_A : INT_A; }
    static double[] valuesB(DType d, ScalarOp op) {
        if (d.isFloat()) return FLOAT_B;
        if (d.isBool()) return BOOL_B;
        return op == ScalarOp.POW ? INT_EXPONENTS : INT_B;
    }

    /** A C-style store of an exact integer into {@code d}: wraps like NumPy's fixed-width integers. */
    static long wrap(DType d, long v) {
        return switch (d) {
            case BOOL -> v != 0 ? 1 : 0;
            case INT8 -> (byte) v;
            case INT16 -> (short) v;
            case INT32 -> (int) v;
            default -> v;
        };
    }

    static double store(DType d, double v) {
        return switch (d) {
            case FLOAT32 -> (float) v;
            case FLOAT64 -> v;
            case BOOL -> v != 0 ? 1 : 0;
            default -> wrap(d, (long) v);
        };
    }

    static void assertClose(DType out, double expected, double actual, double relTol, String what) {
        if (Double.isNaN(expected)) { assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual); return; }
        if (Double.isInfinite(expected)) { assertEquals(expected, actual, what); return; }
        double tol = out == FLOAT32 ? Math.max(2 * Math.ulp((float) expected), 1e-37) : Math.max(relTol * Math.abs(expected), relTol > 0 ? 1e-300 : 0);
        assertEquals(expected, actual, tol, what);
    }

    static NDArray call(Variable out, List<Variable> ins, Object... args) { return Theon.function(ins, out).call(args); }

    // ------------------------------------------------------------------ every entry of the table is covered

    @Test void everyScalarOpIsTested() {
        Set<ScalarOp> covered = EnumSet.noneOf(ScalarOp.class);
        covered.addAll(UNARY.keySet());
        covered.addAll(BINARY.keySet());
        covered.addAll(List.of(ScalarOp.CLIP, ScalarOp.SWITCH, ScalarOp.IDENTITY, ScalarOp.SECOND));  // own tests below
        assertEquals(EnumSet.allOf(ScalarOp.class), covered);
    }

    // ------------------------------------------------------------------ unary ops x dtypes

    static Stream<Arguments> unaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (ScalarOp op : UNARY.keySet())
            for (DType d : List.of(BOOL, INT8, INT16, INT32, INT64, FLOAT32, FLOAT64))
                if (!(op == ScalarOp.NEG && d == BOOL)) cases.add(Arguments.of(op, d));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("unaryCases")
    void unary(ScalarOp op, DType dt) {
        Unary spec = UNARY.get(op);
        DType out = outType(spec.rule(), dt);
        Variable x = T.tensor(dt, 1, "x");
        Variable y = (Variable) spec.t().apply(x);
        assertEquals(out, y.dtype(), "static dtype");
        double[] xs = valuesA(dt);
        NDArray r = call(y, List.of(x), NDArray.fromDoubles(dt, xs, xs.length));
        assertEquals(out, r.dtype());
        assertArrayEquals(new long[]{xs.length}, r.shape());
        for (int i = 0; i < xs.length; i++) {
            String what = op.fname() + "(" + xs[i] + ") in " + dt;
            if (out.isDiscrete() && dt.isDiscrete() && spec.exact() != null) {
                assertEquals(wrap(out, spec.exact().applyAsLong((long) xs[i])), r.flatLong(i), what);
            } else {
                double in = dt.isFloat() ? store(dt, xs[i]) : xs[i];
                assertClose(out, store(out, spec.ref().applyAsDouble(in)), r.flatDouble(i), spec.tol(), what);
            }
        }
    }

    // ------------------------------------------------------------------ binary ops x dtype pairs (NumPy promotion)

    static Stream<Arguments> binaryCases() {
        List<Arguments> cases = new ArrayList<>();
        for (ScalarOp op : BINARY.keySet())
            for (Object[] p : PAIRS)
                if (!(op == ScalarOp.SUB && p[2] == BOOL)) cases.add(Arguments.of(op, p[0], p[1], p[2]));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}({1}, {2}) promotes to {3}")
    @MethodSource("binaryCases")
    void binary(ScalarOp op, DType da, DType db, DType promoted) {
        Binary spec = BINARY.get(op);
        DType out = outType(spec.rule(), promoted);
        Variable a = T.tensor(da, 1, "a"), b = T.tensor(db, 1, "b");
        Variable z = spec.t().apply(a, b);
        assertEquals(out, z.dtype(), "static dtype");
        double[] as = valuesA(da), bs = valuesB(db, op);
        NDArray r = call(z, List.of(a, b), NDArray.fromDoubles(da, as, as.length), NDArray.fromDoubles(db, bs, bs.length));
        assertEquals(out, r.dtype());
        boolean exact = da.isDiscrete() && db.isDiscrete() && spec.exact() != null;
        for (int i = 0; i < as.length; i++) {
            String what = op.fname() + "(" + as[i] + ", " + bs[i] + ") in " + da + ", " + db;
            if (exact) {
                long ea = wrap(da, (long) as[i]), eb = wrap(db, (long) bs[i]);
                assertEquals(wrap(out, spec.exact().applyAsLong(ea, eb)), r.flatLong(i), what);
            } else {
                double ea = store(da, as[i]), eb = store(db, bs[i]);
                assertClose(out, store(out, spec.ref().applyAsDouble(ea, eb)), r.flatDouble(i), 1e-15, what);
            }
        }
    }

    // ------------------------------------------------------------------ ternaries and casts

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT8", "INT16", "INT32", "INT64", "FLOAT32", "FLOAT64"})
    void clipKeepsTheDTypeAndBounds(DType dt) {
        Variable x = T.tensor(dt, 1, "x");
        Variable y = T.clip(x, -1, 2);
        assertEquals(dt, y.dtype());
        double[] xs = valuesA(dt);
        NDArray r = call(y, List.of(x), NDArray.fromDoubles(dt, xs, xs.length));
        for (int i = 0; i < xs.length; i++) assertEquals(Math.min(Math.max(xs[i], -1), 2), r.flatDouble(i), 0.0);
    }

    @Test void clipWithTensorBoundsBroadcasts() {
        Variable x = T.dmatrix("x"), lo = T.dvector("lo");
        NDArray r = call(T.clip(x, lo, 1.5), List.of(x, lo), new double[][]{{-3, 0, 3}, {1, 2, -1}}, new double[]{-1, 0.5, 0});
        assertArrayEquals(new double[][]{{-1, 0.5, 1.5}, {1, 1.5, 0}}, r.toDoubleMatrix());
    }

    @Test void switchSelectsAndPromotesBranches() {
        Variable c = T.tensor(BOOL, 1, "c"), a = T.ivector("a"), b = T.fvector("b");
        Variable s = T.switch_(c, a, b);
        assertEquals(FLOAT64, s.dtype());  // int32 with float32 -> float64
        NDArray r = call(s, List.of(c, a, b), new boolean[]{true, false, true}, new int[]{1, 2, 3}, new float[]{0.5f, 0.25f, 0.125f});
        assertArrayEquals(new double[]{1, 0.25, 3}, r.toDoubleArray());
        // any dtype is a condition: nonzero (NaN too) is true, like NumPy's where
        Variable fc = T.dvector("fc");
        NDArray r2 = call(T.switch_(fc, 1.0, -1.0), List.of(fc), new double[]{0, 0.5, -2, Double.NaN, -0.0});
        assertArrayEquals(new double[]{-1, 1, 1, 1, -1}, r2.toDoubleArray());
    }

    @Test void switchOnAFloatConditionKeepsInt64BranchesExact() {
        long big = (1L << 62) + 1;
        Variable c = T.dvector("c"), a = T.lvector("a"), b = T.lvector("b");
        NDArray r = call(T.switch_(c, a, b), List.of(c, a, b), new double[]{0.5, 0}, new long[]{big, big + 2}, new long[]{big + 4, big + 6});
        assertArrayEquals(new long[]{big, big + 6}, r.toLongArray());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BOOL", "INT8", "INT32", "INT64", "FLOAT32", "FLOAT64"})
    void secondBroadcastsItsSecondOperandToBothShapes(DType dt) {
        // Theano's second(a, b): b's values and dtype, in the broadcast shape of a and b; a's values are not read
        Variable a = T.dmatrix("a"), b = T.tensor(dt, new long[]{1, -1}, "b");
        Variable s = new Elemwise(ScalarOp.SECOND).apply(a, b);
        assertEquals(dt, s.dtype());
        long big = (1L << 62) + 1;
        double[] bs = dt.isBool() ? new double[]{1, 0, 1} : new double[]{-2, 0, 3};
        NDArray bv = dt == INT64 ? NDArray.of(new long[][]{{big, -big, 7}}) : NDArray.fromDoubles(dt, bs, 1, 3);
        NDArray av = NDArray.of(new double[][]{{9, 9}, {Double.NaN, 9}, {9, 9}}).transpose();  // (2, 3), not contiguous
        NDArray r = call(s, List.of(a, b), av, bv);
        assertEquals(dt, r.dtype());
        assertArrayEquals(new long[]{2, 3}, r.shape());
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            if (dt == INT64) assertEquals(bv.getLong(0, j), r.getLong(i, j));
            else assertEquals(store(dt, bs[j]), r.getDouble(i, j));
        }
        assertEquals(0, call(s, List.of(a, b), NDArray.zeros(FLOAT64, 0, 3), bv).size());
    }

    static Stream<Arguments> castCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DType from : List.of(BOOL, INT8, INT16, INT32, INT64, FLOAT32, FLOAT64))
            for (DType to : List.of(BOOL, INT8, INT16, INT32, INT64, FLOAT32, FLOAT64)) cases.add(Arguments.of(from, to));
        return cases.stream();
    }

    @ParameterizedTest(name = "cast {0} -> {1}")
    @MethodSource("castCases")
    void castBetweenEveryPairOfDTypes(DType from, DType to) {
        Variable x = T.tensor(from, 1, "x");
        Variable y = T.cast(x, to);
        assertEquals(to, y.dtype());
        double[] xs = valuesA(from);
        NDArray r = call(y, List.of(x), NDArray.fromDoubles(from, xs, xs.length));
        assertEquals(to, r.dtype());
        for (int i = 0; i < xs.length; i++) {
            double v = store(from, xs[i]);
            // C casts: floats truncate toward zero into integers; anything nonzero is true
            double expect = to.isFloat() ? store(to, v) : to == BOOL ? (v != 0 ? 1 : 0) : wrap(to, (long) v);
            assertEquals(expect, r.flatDouble(i), 0.0, "cast " + v + " from " + from + " to " + to);
        }
    }

    @Test void castWrapsIntegersAndRoundsToFloat32() {
        Variable w = T.wvector("w");
        assertArrayEquals(new long[]{44, -56, 127}, call(T.cast(w, INT8), List.of(w), NDArray.of(new short[]{300, 200, 127})).toLongArray());
        Variable d = T.dvector("d");
        NDArray f = call(T.cast(d, FLOAT32), List.of(d), new double[]{0.1, 1e40});
        assertEquals(0.1f, f.toFloatArray()[0]);
        assertEquals(Float.POSITIVE_INFINITY, f.toFloatArray()[1]);
        Variable l = T.lvector("l");
        long big = (1L << 62) + 1;
        assertArrayEquals(new long[]{(int) big}, call(T.cast(l, INT32), List.of(l), new long[]{big}).toLongArray());
        assertSame(l, T.cast(l, INT64), "casting to the same dtype is the variable itself");
        assertEquals("cast{int32}", ((Elemwise) T.cast(l, INT32).owner().op()).name());
    }

    // ------------------------------------------------------------------ type promotion and weak literals

    @Test void numpyPromotion() {
        assertEquals(FLOAT64, T.add(T.ivector("a"), T.fvector("b")).dtype());
        assertEquals(INT16, T.add(T.bvector("a"), T.wvector("b")).dtype());
        assertEquals(INT8, T.add(T.tensor(BOOL, 1, "a"), T.bvector("b")).dtype());
        assertEquals(FLOAT32, T.mul(T.wvector("a"), T.fvector("b")).dtype());
        assertEquals(FLOAT64, T.mul(T.lvector("a"), T.fvector("b")).dtype());
        assertEquals(FLOAT64, T.sub(T.fvector("a"), T.dvector("b")).dtype());
        assertEquals(INT64, T.add(T.ivector("a"), T.lvector("b")).dtype());
        assertEquals(BOOL, T.add(T.tensor(BOOL, 1, "a"), T.tensor(BOOL, 1, "b")).dtype());
        // float-valued ops on integers: small ints to float32, wide ints to float64
        assertEquals(FLOAT32, T.exp(T.bvector("a")).dtype());
        assertEquals(FLOAT64, T.exp(T.ivector("a")).dtype());
        assertEquals(FLOAT64, T.div(T.lvector("a"), T.lvector("b")).dtype());
    }

    @Test void javaLiteralsAreWeak() {
        Variable f = T.fvector("f");
        assertEquals(FLOAT32, T.add(f, 2.0).dtype());
        assertEquals(FLOAT32, T.mul(2.0, f).dtype());
        assertEquals(FLOAT32, T.add(f, 3).dtype());
        assertEquals(FLOAT32, f.pow(2).dtype());
        assertEquals(INT8, T.add(T.bvector("b"), 100).dtype());
        assertEquals(INT32, T.add(T.ivector("i"), 2).dtype());
        assertEquals(DType.FLOATX, T.add(T.ivector("i"), 2.5).dtype(), "a float literal meeting integers is floatX");
        NDArray r = Theon.function(List.of(f), T.add(f, 0.1)).call(new float[]{1f});
        assertEquals(FLOAT32, r.dtype());
        assertEquals(1f + 0.1f, r.toFloatArray()[0]);
        TheonException.TypeError e = assertThrows(TheonException.TypeError.class, () -> T.add(T.bvector("b"), 300));
        assertTrue(e.getMessage().contains("300") && e.getMessage().contains("int8"), e.getMessage());
    }

    @Test void floatXBindsPerFunction() {
        Variable i = T.ivector("i");
        Variable y = T.add(i, 0.5);
        assertEquals(FLOAT32, Theon.function(List.of(i), y, Theon.options().floatX(FLOAT32)).call(new int[]{1}).dtype());
        NDArray r64 = Theon.function(List.of(i), y, Theon.options().floatX(FLOAT64)).call(new int[]{1});
        assertEquals(FLOAT64, r64.dtype());
        assertEquals(1.5, r64.toDouble());
    }

    @Test void boolSubtractAndNegateAreRefusedLikeNumPy() {
        Variable a = T.tensor(BOOL, 1, "a"), b = T.tensor(BOOL, 1, "b");
        TheonException.TypeError e = assertThrows(TheonException.TypeError.class, () -> T.sub(a, b));
        assertTrue(e.getMessage().contains("sub") && e.getMessage().contains("xor"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.neg(a));
        assertTrue(e.getMessage().contains("neg") && e.getMessage().contains("not"), e.getMessage());
    }

    // ------------------------------------------------------------------ broadcasting

    @Test void broadcastsStaticSizeOneDims() {
        Variable row = T.tensor(FLOAT64, new long[]{1, -1}, "row"), m = T.dmatrix("m");
        Variable z = T.add(row, m);
        assertArrayEquals(new long[]{-1, -1}, z.type().shape());
        NDArray r = call(z, List.of(row, m), new double[][]{{10, 20, 30}}, new double[][]{{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new double[][]{{11, 22, 33}, {14, 25, 36}}, r.toDoubleMatrix());
        Variable col = T.tensor(FLOAT64, new long[]{-1, 1}, "col");
        NDArray outer = call(T.mul(col, row), List.of(col, row), new double[][]{{1}, {2}}, new double[][]{{3, 4, 5}});
        assertArrayEquals(new double[][]{{3, 4, 5}, {6, 8, 10}}, outer.toDoubleMatrix());
    }

    @Test void broadcastsAcrossRanks() {
        Variable v = T.dvector("v"), m = T.dmatrix("m"), s = T.dscalar("s"), t3 = T.dtensor3("t");
        assertArrayEquals(new double[][]{{11, 22}, {13, 24}},
                call(T.add(m, v), List.of(m, v), new double[][]{{1, 2}, {3, 4}}, new double[]{10, 20}).toDoubleMatrix());
        assertArrayEquals(new double[][]{{2, 4}, {6, 8}},
                call(T.mul(s, m), List.of(s, m), 2.0, new double[][]{{1, 2}, {3, 4}}).toDoubleMatrix());
        NDArray r = call(T.sub(t3, v), List.of(t3, v), new double[][][]{{{1, 2}}, {{3, 4}}}, new double[]{1, 1});
        assertArrayEquals(new long[]{2, 1, 2}, r.shape());
        assertArrayEquals(new double[]{0, 1, 2, 3}, r.toDoubleArray());
    }

    @Test void staticShapesThatCannotBroadcastAreATypeError() {
        Variable a = T.tensor(FLOAT64, new long[]{2, 3}, "a"), b = T.tensor(FLOAT64, new long[]{4, 3}, "b");
        TheonException.TypeError e = assertThrows(TheonException.TypeError.class, () -> T.add(a, b));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4, 3)") && e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test void anUnknownDimThatTurnsOutToBeOneIsAnErrorThatSaysHowToDeclareIt() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        Function f = Theon.function(List.of(a, b), T.add(a, b));
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class,
                () -> f.call(new double[][]{{1, 2, 3}}, new double[][]{{1, 2, 3}, {4, 5, 6}}));
        String m = e.getMessage();
        assertTrue(m.contains("(1, 3)") && m.contains("(2, 3)"), m);
        assertTrue(m.contains("broadcastable") && m.contains("static size 1") && m.contains("new long[]"), m);
        assertTrue(m.contains("add") && m.contains("input 0 ('a')"), m);
        // mismatched sizes are an error too
        TheonException.ShapeError e2 = assertThrows(TheonException.ShapeError.class,
                () -> f.call(new double[][]{{1, 2}}, new double[][]{{1, 2, 3}, {4, 5, 6}}));
        assertTrue(e2.getMessage().contains("do not match"), e2.getMessage());
    }

    // ------------------------------------------------------------------ layouts and sizes

    @Test void nonContiguousViewsAsArguments() {
        double[][] m = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
        NDArray base = NDArray.of(m);
        Variable x = T.dmatrix("x"), y = T.dmatrix("y");
        Function f = Theon.function(List.of(x, y), T.sub(T.mul(x, 10.0), y));
        // transposed (4, 3) against a column-reversed, row-strided slice (2, 4) transposed to (4, 2)? use two (4, 3) views
        NDArray t = base.transpose();                                 // t[i][j] = m[j][i]
        NDArray rev = base.slice(1, Long.MIN_VALUE, Long.MAX_VALUE, -1).transpose();  // rev[i][j] = m[j][3 - i]
        NDArray r = f.call(t, rev);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) assertEquals(m[j][i] * 10 - m[j][3 - i], r.getDouble(i, j));
        // a strided slice with a broadcast row
        Variable v = T.dvector("v");
        NDArray every2 = base.slice(1, 0, Long.MAX_VALUE, 2);         // columns 0 and 2
        NDArray r2 = Theon.function(List.of(x, v), T.add(x, v)).call(every2, base.index(0, 2).slice(0, 1, 3, 1));
        assertArrayEquals(new double[][]{{1 + 10, 3 + 11}, {5 + 10, 7 + 11}, {9 + 10, 11 + 11}}, r2.toDoubleMatrix());
        // int64 views stay exact
        long big = 1L << 62;
        NDArray longs = NDArray.of(new long[][]{{big, big + 1}, {big + 2, big + 3}});
        Variable l = T.lmatrix("l");
        NDArray r3 = Theon.function(List.of(l), T.add(l, 1)).call(longs.transpose());
        assertArrayEquals(new long[][]{{big + 1, big + 3}, {big + 2, big + 4}}, r3.toLongMatrix());
    }

    @Test void emptyArrays() {
        Variable x = T.dmatrix("x"), v = T.dvector("v");
        NDArray r = Theon.function(List.of(x, v), T.exp(T.add(x, v))).call(NDArray.zeros(FLOAT64, 0, 3), new double[]{1, 2, 3});
        assertArrayEquals(new long[]{0, 3}, r.shape());
        assertEquals(FLOAT64, r.dtype());
        Variable i = T.ivector("i");
        NDArray c = Theon.function(List.of(i), T.lt(i, 3)).call(new int[0]);
        assertArrayEquals(new long[]{0}, c.shape());
        assertEquals(BOOL, c.dtype());
        NDArray w = Theon.function(List.of(i), T.intDiv(i, 0)).call(new int[0]);
        assertEquals(0, w.size());
    }

    // ------------------------------------------------------------------ integer semantics

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"INT8", "INT16", "INT32", "INT64"})
    void pythonFloorDivisionAndModuloOnNegativeIntegers(DType dt) {
        Variable a = T.tensor(dt, 1, "a"), b = T.tensor(dt, 1, "b");
        Function f = Theon.function(List.of(a, b), List.of(T.intDiv(a, b), T.mod(a, b)));
        double[] as = {-7, 7, -7, 7, -1, 0, -8};
        double[] bs = {2, -2, -2, 2, 3, -3, 4};
        List<NDArray> r = f.callAll(NDArray.fromDoubles(dt, as, 7), NDArray.fromDoubles(dt, bs, 7));
        // Python: -7 // 2 == -4, -7 % 2 == 1, 7 // -2 == -4, 7 % -2 == -1, -7 // -2 == 3, -7 % -2 == -1
        assertArrayEquals(new long[]{-4, -4, 3, 3, -1, 0, -2}, r.get(0).toLongArray());
        assertArrayEquals(new long[]{1, -1, -1, 1, 2, 0, 0}, r.get(1).toLongArray());
        assertEquals(dt, r.get(0).dtype());
    }

    @Test void pythonFloorDivisionAndModuloOnFloats() {
        Variable a = T.dvector("a"), b = T.dvector("b");
        List<NDArray> r = Theon.function(List.of(a, b), List.of(T.intDiv(a, b), T.mod(a, b)))
                .callAll(new double[]{-7.5, 7.5, 1.0, -4.0, 4.0}, new double[]{2, -2, 0.1, 2, -2});
        double[] q = r.get(0).toDoubleArray(), m = r.get(1).toDoubleArray();
        assertArrayEquals(new double[]{-4, -4, 9, -2, -2}, q, 0.0);       // Python: 1.0 // 0.1 == 9.0
        assertEquals(0.5, m[0]);
        assertEquals(-0.5, m[1]);
        assertEquals(0.09999999999999995, m[2]);                        // Python: 1.0 % 0.1
        assertEquals(0.0, m[3]);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(m[4]), "a zero remainder has the divisor's sign");
    }

    @Test void int64StaysExactNear2To62() {
        long big = (1L << 62) + 1;  // not representable in float64: big, big + 1 and big - 1 all round to 2^62
        Variable a = T.lvector("a"), b = T.lvector("b");
        Function f = Theon.function(List.of(a, b), List.of(T.add(a, b), T.sub(a, b), T.mul(a, 1), T.intDiv(a, b), T.mod(a, b),
                T.maximum(a, b), T.minimum(a, b), T.gt(a, T.sub(a, 1)), T.eq(a, T.add(a, 1)), T.neg(a), T.abs(T.neg(a)),
                T.clip(a, b, big + 1), T.add(a, 2L)));
        List<NDArray> r = f.callAll(new long[]{big, big + 2}, new long[]{2, 3});
        assertArrayEquals(new long[]{big + 2, big + 5}, r.get(0).toLongArray());
        assertArrayEquals(new long[]{big - 2, big - 1}, r.get(1).toLongArray());
        assertArrayEquals(new long[]{big, big + 2}, r.get(2).toLongArray());
        assertArrayEquals(new long[]{Math.floorDiv(big, 2), Math.floorDiv(big + 2, 3)}, r.get(3).toLongArray());
        assertArrayEquals(new long[]{Math.floorMod(big, 2), Math.floorMod(big + 2, 3)}, r.get(4).toLongArray());
        assertArrayEquals(new long[]{big, big + 2}, r.get(5).toLongArray());
        assertArrayEquals(new long[]{2, 3}, r.get(6).toLongArray());
        assertArrayEquals(new boolean[]{true, true}, r.get(7).toBooleanArray());
        assertArrayEquals(new boolean[]{false, false}, r.get(8).toBooleanArray());
        assertArrayEquals(new long[]{-big, -big - 2}, r.get(9).toLongArray());
        assertArrayEquals(new long[]{big, big + 2}, r.get(10).toLongArray());
        assertArrayEquals(new long[]{big, big + 1}, r.get(11).toLongArray());
        assertArrayEquals(new long[]{big + 2, big + 4}, r.get(12).toLongArray());
        // a Java long literal near 2^62 reaches an lscalar input exactly
        Variable s = T.lscalar("s");
        assertEquals(big + 1, Theon.function(List.of(s), T.add(s, 1)).call(big).toLong());
    }

    @Test void divisionByZero() {
        Variable a = T.dvector("a"), b = T.dvector("b");
        NDArray q = Theon.function(List.of(a, b), T.div(a, b)).call(new double[]{1, -1, 0}, new double[]{0, 0, 0});
        assertArrayEquals(new double[]{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}, q.toDoubleArray());
        List<NDArray> fl = Theon.function(List.of(a, b), List.of(T.intDiv(a, b), T.mod(a, b))).callAll(new double[]{1, -1, 0}, new double[]{0, 0, 0});
        assertArrayEquals(new double[]{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}, fl.get(0).toDoubleArray());
        assertArrayEquals(new double[]{Double.NaN, Double.NaN, Double.NaN}, fl.get(1).toDoubleArray());
        // integers: // and % by zero give 0 as in NumPy; true division gives floats
        Variable i = T.ivector("i"), j = T.ivector("j");
        List<NDArray> r = Theon.function(List.of(i, j), List.of(T.intDiv(i, j), T.mod(i, j), T.div(i, j)))
                .callAll(new int[]{5, -5, 0}, new int[]{0, 0, 0});
        assertArrayEquals(new long[]{0, 0, 0}, r.get(0).toLongArray());
        assertArrayEquals(new long[]{0, 0, 0}, r.get(1).toLongArray());
        assertArrayEquals(new double[]{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}, r.get(2).toDoubleArray());
        assertEquals(FLOAT64, r.get(2).dtype());
    }

    @Test void integerOverflowWrapsLikeNumPy() {
        Variable b = T.bvector("b");
        List<NDArray> r = Theon.function(List.of(b), List.of(T.add(b, 1), T.mul(b, 2), T.abs(b)))
                .callAll(NDArray.of(new byte[]{127, 100, -128}));
        assertArrayEquals(new long[]{-128, 101, -127}, r.get(0).toLongArray());
        assertArrayEquals(new long[]{-2, -56, 0}, r.get(1).toLongArray());
        assertArrayEquals(new long[]{127, 100, -128}, r.get(2).toLongArray());
        assertEquals(INT8, r.get(0).dtype());
    }

    // ------------------------------------------------------------------ special values

    @Test void roundHalfToEven() {
        Variable x = T.dvector("x");
        NDArray r = Theon.function(List.of(x), T.round(x)).call(new double[]{0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 3.7});
        assertArrayEquals(new double[]{0, 2, 2, -0.0, -2, -2, 0, 4}, r.toDoubleArray(), 0.0);
        Variable f = T.fvector("f");
        assertArrayEquals(new float[]{2, 4}, Theon.function(List.of(f), T.round(f)).call(new float[]{2.5f, 3.5f}).toFloatArray());
    }

    @Test void erfAndErfcKnownValues() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), List.of(T.erf(x), T.erfc(x)));
        List<NDArray> r = f.callAll(new double[]{0.5, 3, 10, 0, -1, 1, 2, 5, 27, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        double[] erf = r.get(0).toDoubleArray(), erfc = r.get(1).toDoubleArray();
        assertRel(0.5204998778130465, erf[0], 1e-15);
        assertRel(2.209049699858544e-05, erfc[1], 1e-13);
        assertRel(2.088487583762545e-45, erfc[2], 1e-13);
        assertEquals(0.0, erf[3]);
        assertEquals(1.0, erfc[3]);
        assertRel(-0.8427007929497149, erf[4], 1e-15);
        assertRel(1.8427007929497148, erfc[4], 1e-15);
        assertRel(0.15729920705028513, erfc[5], 1e-14);
        assertRel(0.004677734981047266, erfc[6], 1e-13);
        assertRel(0.9953222650189527, erf[6], 1e-15);
        assertRel(1.5374597944280349e-12, erfc[7], 1e-13);
        assertTrue(erfc[8] >= 0 && erfc[8] < 1e-300, "erfc(27) underflows gracefully: " + erfc[8]);
        assertEquals(1.0, erf[9]);
        assertEquals(0.0, erfc[9]);
        assertEquals(-1.0, erf[10]);
        assertEquals(2.0, erfc[10]);
    }

    static void assertRel(double expected, double actual, double rel) {
        assertEquals(expected, actual, Math.abs(expected) * rel, "expected " + expected + " got " + actual);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void sigmoidAndSoftplusStayFiniteFarOut(DType dt) {
        Variable x = T.tensor(dt, 1, "x");
        List<NDArray> r = Theon.function(List.of(x), List.of(T.sigmoid(x), T.softplus(x))).callAll(NDArray.fromDoubles(dt, new double[]{-800, 800, 0}, 3));
        double[] s = r.get(0).toDoubleArray(), sp = r.get(1).toDoubleArray();
        assertEquals(0.0, s[0]);
        assertEquals(1.0, s[1]);
        assertEquals(0.5, s[2]);
        assertEquals(0.0, sp[0], 1e-300);
        assertEquals(800.0, sp[1]);
        assertEquals(Math.log(2), sp[2], dt == FLOAT32 ? 1e-7 : 1e-16);
        for (double v : sp) assertTrue(Double.isFinite(v));
        assertEquals(dt, r.get(0).dtype());
    }

    @Test void log2IsExactOnPowersOfTwo() {
        Variable x = T.dvector("x");
        NDArray r = Theon.function(List.of(x), T.log2(x)).call(new double[]{1 << 29, 0x1p-1074, 0x1p1023, 1, 0, -1});
        assertArrayEquals(new double[]{29, -1074, 1023, 0, Double.NEGATIVE_INFINITY, Double.NaN}, r.toDoubleArray(), 0.0);
    }

    @Test void nanAndInfinityHandling() {
        Variable x = T.dvector("x");
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        List<NDArray> r = Theon.function(List.of(x), List.of(T.isnan(x), T.isinf(x), T.maximum(x, 0.0), T.minimum(x, 0.0), T.sgn(x)))
                .callAll(new double[]{nan, inf, -inf, 1});
        assertArrayEquals(new boolean[]{true, false, false, false}, r.get(0).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true, true, false}, r.get(1).toBooleanArray());
        assertArrayEquals(new double[]{nan, inf, 0, 1}, r.get(2).toDoubleArray());   // NaN propagates as in NumPy
        assertArrayEquals(new double[]{nan, 0, -inf, 0}, r.get(3).toDoubleArray());
        assertArrayEquals(new double[]{nan, 1, -1, 1}, r.get(4).toDoubleArray());
        Variable i = T.ivector("i");
        assertArrayEquals(new boolean[]{false, false}, Theon.function(List.of(i), T.isnan(i)).call(new int[]{1, 2}).toBooleanArray());
    }

    @Test void operatorNamesAndPrinting() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        assertEquals("((x // y) % 2)", Theon.pp(T.mod(T.intDiv(x, y), 2)));
        assertEquals("erfc(x)", Theon.pp(T.erfc(x)));
        assertEquals("clip(x, 0, 1)", Theon.pp(T.clip(x, 0, 1)));
        assertEquals("((x < y) & (~(x == y)))", Theon.pp(T.and(T.lt(x, y), T.not(T.eq(x, y)))));
    }
}
