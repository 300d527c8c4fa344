package dev.theon.ops;

import dev.theon.graph.Op.Precedence;
import dev.theon.tensor.DType;

/**
 * The one table of scalar operations. Elementwise ops ({@link Elemwise}), fused kernels, printing, gradients and
 * every backend's code generation read it, so adding an entry here makes the operation available everywhere.
 * <p>
 * Each entry gives its arity, its output dtype rule, a double implementation, an exact long implementation where
 * the operation is closed over integers (used when every input is bool or integer, so int64 stays exact), and how
 * it prints (an infix symbol with its precedence, or a function name).
 */
public enum ScalarOp {
    // arithmetic
    ADD(2, Out.PROMOTE, "+", Precedence.ADD, (a, b, c) -> a + b, (a, b, c) -> a + b),
    SUB(2, Out.PROMOTE, "-", Precedence.ADD, (a, b, c) -> a - b, (a, b, c) -> a - b),
    MUL(2, Out.PROMOTE, "*", Precedence.MUL, (a, b, c) -> a * b, (a, b, c) -> a * b),
    TRUE_DIV(2, Out.FLOAT, "/", Precedence.MUL, (a, b, c) -> a / b, null),
    INT_DIV(2, Out.PROMOTE, "//", Precedence.MUL, (a, b, c) -> Special.floorDiv(a, b), (a, b, c) -> Special.floorDiv(a, b)),
    MOD(2, Out.PROMOTE, "%", Precedence.MUL, (a, b, c) -> Special.floorMod(a, b), (a, b, c) -> Special.floorMod(a, b)),
    POW(2, Out.PROMOTE, "**", Precedence.POW, (a, b, c) -> Math.pow(a, b), (a, b, c) -> Special.ipow(a, b)),
    MAXIMUM(2, Out.PROMOTE, null, 0, (a, b, c) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b), (a, b, c) -> Math.max(a, b)),
    MINIMUM(2, Out.PROMOTE, null, 0, (a, b, c) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b), (a, b, c) -> Math.min(a, b)),
    NEG(1, Out.PROMOTE, "-", Precedence.UNARY, (a, b, c) -> -a, (a, b, c) -> -a),
    ABS(1, Out.PROMOTE, null, 0, (a, b, c) -> Math.abs(a), (a, b, c) -> Math.abs(a)),
    SGN(1, Out.PROMOTE, null, 0, (a, b, c) -> Double.isNaN(a) ? a : Math.signum(a), (a, b, c) -> Long.signum(a)),
    INV(1, Out.FLOAT, null, 0, (a, b, c) -> 1.0 / a, null),
    SQR(1, Out.PROMOTE, null, 0, (a, b, c) -> a * a, (a, b, c) -> a * a),
    SQRT(1, Out.FLOAT, null, 0, (a, b, c) -> Math.sqrt(a), null),
    // exponentials and logarithms
    EXP(1, Out.FLOAT, null, 0, (a, b, c) -> Math.exp(a), null),
    EXPM1(1, Out.FLOAT, null, 0, (a, b, c) -> Math.expm1(a), null),
    LOG(1, Out.FLOAT, null, 0, (a, b, c) -> Math.log(a), null),
    LOG1P(1, Out.FLOAT, null, 0, (a, b, c) -> Math.log1p(a), null),
    LOG2(1, Out.FLOAT, null, 0, (a, b, c) -> Special.log2(a), null),
    LOG10(1, Out.FLOAT, null, 0, (a, b, c) -> Math.log10(a), null),
    // trigonometric and hyperbolic
    SIN(1, Out.FLOAT, null, 0, (a, b, c) -> Math.sin(a), null),
    COS(1, Out.FLOAT, null, 0, (a, b, c) -> Math.cos(a), null),
    TAN(1, Out.FLOAT, null, 0, (a, b, c) -> Math.tan(a), null),
    ARCSIN(1, Out.FLOAT, null, 0, (a, b, c) -> Math.asin(a), null),
    ARCCOS(1, Out.FLOAT, null, 0, (a, b, c) -> Math.acos(a), null),
    ARCTAN(1, Out.FLOAT, null, 0, (a, b, c) -> Math.atan(a), null),
    SINH(1, Out.FLOAT, null, 0, (a, b, c) -> Math.sinh(a), null),
    COSH(1, Out.FLOAT, null, 0, (a, b, c) -> Math.cosh(a), null),
    TANH(1, Out.FLOAT, null, 0, (a, b, c) -> Math.tanh(a), null),
    // neural-network and special functions
    SIGMOID(1, Out.FLOAT, null, 0, (a, b, c) -> Special.sigmoid(a), null),
    SOFTPLUS(1, Out.FLOAT, null, 0, (a, b, c) -> Special.softplus(a), null),
    ERF(1, Out.FLOAT, null, 0, (a, b, c) -> Special.erf(a), null),
    ERFC(1, Out.FLOAT, null, 0, (a, b, c) -> Special.erfc(a), null),
    // rounding (NumPy: float results; round is half-to-even)
    FLOOR(1, Out.FLOAT, null, 0, (a, b, c) -> Math.floor(a), null),
    CEIL(1, Out.FLOAT, null, 0, (a, b, c) -> Math.ceil(a), null),
    ROUND(1, Out.FLOAT, null, 0, (a, b, c) -> Math.rint(a), null),
    // comparisons
    LT(2, Out.BOOL, "<", Precedence.COMPARE, (a, b, c) -> a < b ? 1 : 0, (a, b, c) -> a < b ? 1 : 0),
    GT(2, Out.BOOL, ">", Precedence.COMPARE, (a, b, c) -> a > b ? 1 : 0, (a, b, c) -> a > b ? 1 : 0),
    LE(2, Out.BOOL, "<=", Precedence.COMPARE, (a, b, c) -> a <= b ? 1 : 0, (a, b, c) -> a <= b ? 1 : 0),
    GE(2, Out.BOOL, ">=", Precedence.COMPARE, (a, b, c) -> a >= b ? 1 : 0, (a, b, c) -> a >= b ? 1 : 0),
    EQ(2, Out.BOOL, "==", Precedence.COMPARE, (a, b, c) -> a == b ? 1 : 0, (a, b, c) -> a == b ? 1 : 0),
    NEQ(2, Out.BOOL, "!=", Precedence.COMPARE, (a, b, c) -> a != b ? 1 : 0, (a, b, c) -> a != b ? 1 : 0),
    // logic (any dtype: nonzero is true)
    AND(2, Out.BOOL, "&", Precedence.AND, (a, b, c) -> a != 0 && b != 0 ? 1 : 0, (a, b, c) -> a != 0 && b != 0 ? 1 : 0),
    OR(2, Out.BOOL, "|", Precedence.OR, (a, b, c) -> a != 0 || b != 0 ? 1 : 0, (a, b, c) -> a != 0 || b != 0 ? 1 : 0),
    XOR(2, Out.BOOL, "^", Precedence.XOR, (a, b, c) -> (a != 0) != (b != 0) ? 1 : 0, (a, b, c) -> (a != 0) != (b != 0) ? 1 : 0),
    NOT(1, Out.BOOL, "~", Precedence.UNARY, (a, b, c) -> a == 0 ? 1 : 0, (a, b, c) -> a == 0 ? 1 : 0),
    ISNAN(1, Out.BOOL, null, 0, (a, b, c) -> Double.isNaN(a) ? 1 : 0, (a, b, c) -> 0),
    ISINF(1, Out.BOOL, null, 0, (a, b, c) -> Double.isInfinite(a) ? 1 : 0, (a, b, c) -> 0),
    // selection
    SWITCH(3, Out.SWITCH, null, 0, (a, b, c) -> a != 0 ? b : c, (a, b, c) -> a != 0 ? b : c),
    CLIP(3, Out.PROMOTE, null, 0, (a, b, c) -> Double.isNaN(a) ? a : Math.min(Math.max(a, b), c), (a, b, c) -> Math.min(Math.max(a, b), c)),
    /** Identity; with an explicit output dtype on {@link Elemwise} it is the cast. */
    IDENTITY(1, Out.PROMOTE, null, 0, (a, b, c) -> a, (a, b, c) -> a),
    /** Theano's {@code second}/fill: the value of b broadcast to the shape of a and b together (a's values unused). */
    SECOND(2, Out.SECOND, null, 0, (a, b, c) -> b, (a, b, c) -> b);

    /** How the output dtype follows from the inputs' dtypes. */
    public enum Out {
        /** NumPy promotion of all inputs. */
        PROMOTE,
        /** Promotion, then the float type NumPy gives (int -> float64, int8/16 and bool -> float32). */
        FLOAT,
        /** Always bool. */
        BOOL,
        /** Promotion of inputs 1 and 2 (input 0 is the condition). */
        SWITCH,
        /** The dtype of input 1. */
        SECOND
    }

    @FunctionalInterface public interface DoubleFn { double apply(double a, double b, double c); }
    @FunctionalInterface public interface LongFn { long apply(long a, long b, long c); }

    private final int arity;
    private final Out out;
    private final String symbol;
    private final int precedence;
    private final DoubleFn fd;
    private final LongFn fl;

    ScalarOp(int arity, Out out, String symbol, int precedence, DoubleFn fd, LongFn fl) {
        this.arity = arity;
        this.out = out;
        this.symbol = symbol;
        this.precedence = precedence;
        this.fd = fd;
        this.fl = fl;
    }

    public int arity() { return arity; }
    public Out outRule() { return out; }
    /** The infix/prefix symbol, or null for function-style printing. */
    public String symbol() { return symbol; }
    public int precedence() { return symbol == null ? Precedence.ATOM : precedence; }
    /** Lower-case name: "add", "true_div", "log1p". */
    public String fname() { return name().toLowerCase(java.util.Locale.ROOT); }

    public double apply(double a, double b, double c) { return fd.apply(a, b, c); }
    /** The exact integer implementation, or null when the op is not closed over integers. */
    public LongFn longFn() { return fl; }
    public DoubleFn doubleFn() { return fd; }

    /** The output dtype for these input dtypes. */
    public DType outputDType(DType... in) {
        return switch (out) {
            case PROMOTE -> DType.promote(in);
            case FLOAT -> DType.promote(in).toFloat();
            case BOOL -> DType.BOOL;
            case SWITCH -> DType.promote(in[1], in[2]);
            case SECOND -> in[1];
        };
    }
}
