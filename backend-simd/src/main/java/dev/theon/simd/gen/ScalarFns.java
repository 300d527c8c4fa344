package dev.theon.simd.gen;

import dev.theon.ops.ScalarOp;
import dev.theon.ops.Special;

/**
 * The scalar forms that generated scalar kernels call, one static method per entry of {@link ScalarOp} and
 * representation: {@code d} methods compute in double (floats, and integers the table computes in double), {@code l}
 * methods are the table's exact int64 implementations. Each one is the table's own formula (the same JDK or
 * {@link Special} function), so a scalar kernel computes exactly what the reference perform computes; being small
 * static methods they are inlined into the generated loop. Comparisons and logic return 0 or 1.
 */
public final class ScalarFns {
    private ScalarFns() {}

    /** The double implementation's method name for {@code op}: "d_add", "d_exp"... */
    static String dname(ScalarOp op) { return "d_" + op.fname(); }
    static String lname(ScalarOp op) { return "l_" + op.fname(); }

    // ---------------------------------------------------------------- double
    public static double d_add(double a, double b) { return a + b; }
    public static double d_sub(double a, double b) { return a - b; }
    public static double d_mul(double a, double b) { return a * b; }
    public static double d_true_div(double a, double b) { return a / b; }
    public static double d_int_div(double a, double b) { return Special.floorDiv(a, b); }
    public static double d_mod(double a, double b) { return Special.floorMod(a, b); }
    public static double d_pow(double a, double b) { return Math.pow(a, b); }
    public static double d_maximum(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b); }
    public static double d_minimum(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b); }
    public static double d_neg(double a) { return -a; }
    public static double d_abs(double a) { return Math.abs(a); }
    public static double d_sgn(double a) { return Double.isNaN(a) ? a : Math.signum(a); }
    public static double d_inv(double a) { return 1.0 / a; }
    public static double d_sqr(double a) { return a * a; }
    public static double d_sqrt(double a) { return Math.sqrt(a); }
    public static double d_exp(double a) { return Math.exp(a); }
    public static double d_expm1(double a) { return Math.expm1(a); }
    public static double d_log(double a) { return Math.log(a); }
    public static double d_log1p(double a) { return Math.log1p(a); }
    public static double d_log2(double a) { return Special.log2(a); }
    public static double d_log10(double a) { return Math.log10(a); }
    public static double d_sin(double a) { return Math.sin(a); }
    public static double d_cos(double a) { return Math.cos(a); }
    public static double d_tan(double a) { return Math.tan(a); }
    public static double d_arcsin(double a) { return Math.asin(a); }
    public static double d_arccos(double a) { return Math.acos(a); }
    public static double d_arctan(double a) { return Math.atan(a); }
    public static double d_sinh(double a) { return Math.sinh(a); }
    public static double d_cosh(double a) { return Math.cosh(a); }
    public static double d_tanh(double a) { return Math.tanh(a); }
    public static double d_sigmoid(double a) { return Special.sigmoid(a); }
    public static double d_softplus(double a) { return Special.softplus(a); }
    public static double d_erf(double a) { return Special.erf(a); }
    public static double d_erfc(double a) { return Special.erfc(a); }
    public static double d_floor(double a) { return Math.floor(a); }
    public static double d_ceil(double a) { return Math.ceil(a); }
    public static double d_round(double a) { return Math.rint(a); }
    public static double d_lt(double a, double b) { return a < b ? 1 : 0; }
    public static double d_gt(double a, double b) { return a > b ? 1 : 0; }
    public static double d_le(double a, double b) { return a <= b ? 1 : 0; }
    public static double d_ge(double a, double b) { return a >= b ? 1 : 0; }
    public static double d_eq(double a, double b) { return a == b ? 1 : 0; }
    public static double d_neq(double a, double b) { return a != b ? 1 : 0; }
    public static double d_and(double a, double b) { return a != 0 && b != 0 ? 1 : 0; }
    public static double d_or(double a, double b) { return a != 0 || b != 0 ? 1 : 0; }
    public static double d_xor(double a, double b) { return (a != 0) != (b != 0) ? 1 : 0; }
    public static double d_not(double a) { return a == 0 ? 1 : 0; }
    public static double d_isnan(double a) { return Double.isNaN(a) ? 1 : 0; }
    public static double d_isinf(double a) { return Double.isInfinite(a) ? 1 : 0; }
    public static double d_clip(double a, double b, double c) { return Double.isNaN(a) ? a : Math.min(Math.max(a, b), c); }

    // ---------------------------------------------------------------- exact int64
    public static long l_add(long a, long b) { return a + b; }
    public static long l_sub(long a, long b) { return a - b; }
    public static long l_mul(long a, long b) { return a * b; }
    public static long l_int_div(long a, long b) { return Special.floorDiv(a, b); }
    public static long l_mod(long a, long b) { return Special.floorMod(a, b); }
    public static long l_pow(long a, long b) { return Special.ipow(a, b); }
    public static long l_maximum(long a, long b) { return Math.max(a, b); }
    public static long l_minimum(long a, long b) { return Math.min(a, b); }
    public static long l_neg(long a) { return -a; }
    public static long l_abs(long a) { return Math.abs(a); }
    public static long l_sgn(long a) { return Long.signum(a); }
    public static long l_sqr(long a) { return a * a; }
    public static long l_lt(long a, long b) { return a < b ? 1 : 0; }
    public static long l_gt(long a, long b) { return a > b ? 1 : 0; }
    public static long l_le(long a, long b) { return a <= b ? 1 : 0; }
    public static long l_ge(long a, long b) { return a >= b ? 1 : 0; }
    public static long l_eq(long a, long b) { return a == b ? 1 : 0; }
    public static long l_neq(long a, long b) { return a != b ? 1 : 0; }
    public static long l_and(long a, long b) { return a != 0 && b != 0 ? 1 : 0; }
    public static long l_or(long a, long b) { return a != 0 || b != 0 ? 1 : 0; }
    public static long l_xor(long a, long b) { return (a != 0) != (b != 0) ? 1 : 0; }
    public static long l_not(long a) { return a == 0 ? 1 : 0; }
    public static long l_isnan(long a) { return 0; }
    public static long l_isinf(long a) { return 0; }
    public static long l_clip(long a, long b, long c) { return Math.min(Math.max(a, b), c); }

    /** Any table entry without a dedicated method above (one added to the table later): the table's own function. */
    public static double d_table(ScalarOp op, double a, double b, double c) { return op.apply(a, b, c); }
    public static long l_table(ScalarOp op, long a, long b, long c) { return op.longFn().apply(a, b, c); }

    // ---------------------------------------------------------------- conversions between representations
    public static double l2d(long a) { return a; }
    /** Truth of a value: nonzero (NaN included) is true. */
    public static boolean truthD(double a) { return a != 0; }
    public static boolean truthL(long a) { return a != 0; }
    public static double selectD(boolean c, double a, double b) { return c ? a : b; }
    public static long selectL(boolean c, long a, long b) { return c ? a : b; }
    /** A double stored into a bool: nonzero is true. */
    public static long toBool(double a) { return a != 0 ? 1 : 0; }
    /** A double stored into an integer: truncated toward zero, as a C cast (and NumPy's astype). */
    public static long toLong(double a) { return (long) a; }
    /** A long narrowed to a dtype's width, as storing it narrows it. */
    public static long wrapBool(long a) { return a != 0 ? 1 : 0; }
    public static long wrapInt8(long a) { return (byte) a; }
    public static long wrapInt16(long a) { return (short) a; }
    public static long wrapInt32(long a) { return (int) a; }
    /** A double rounded to float32, as storing it in a float32 intermediate rounds it. */
    public static double roundF32(double a) { return (float) a; }
}
