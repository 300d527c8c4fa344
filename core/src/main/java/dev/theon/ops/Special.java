package dev.theon.ops;

/** Scalar special functions the JDK lacks, to double precision. */
public final class Special {
    private Special() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    /** erf(x): a positive-term series below |x| = 2 (no cancellation), the erfc continued fraction above. */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax < 2.0) return erfSeries(x);
        return Math.copySign(1.0 - erfcLarge(ax), x);
    }

    /** erfc(x) = 1 - erf(x), accurate in the tail (no cancellation for large x). */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x < 2.0) {
            if (x > -2.0) return 1.0 - erfSeries(x);
            return 2.0 - erfcLarge(-x);
        }
        return erfcLarge(x);
    }

    // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n x^(2n+1) 2^n / (1*3*...*(2n+1)); all terms have the sign of x
    private static double erfSeries(double x) {
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    // erfc(x) for x >= 2: continued fraction exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), modified Lentz
    private static double erfcLarge(double x) {
        if (x > 27.3) return 0.0;
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n * 0.5;
            d = x + a * d;
            if (d == 0) d = tiny;
            c = x + a / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return ONE_OVER_SQRT_PI * Math.exp(-x * x) / f;
    }

    /** Numerically stable logistic function. */
    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** log(1 + exp(x)) without overflow or loss of precision. */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Python's floor division on longs; division by zero gives 0 as NumPy does. */
    public static long floorDiv(long a, long b) { return b == 0 ? 0 : Math.floorDiv(a, b); }

    /** Python's modulo on longs (sign of the divisor); modulo zero gives 0 as NumPy does. */
    public static long floorMod(long a, long b) { return b == 0 ? 0 : Math.floorMod(a, b); }

    /**
     * Python's (and NumPy's) float floor division. {@code floor(a / b)} is not it: {@code 1.0 // 0.1} is 9.0 in Python
     * because 0.1 is slightly above 1/10, while the rounded quotient 1.0 / 0.1 is exactly 10. Like NumPy's
     * {@code npy_divmod}, derive the quotient from the exact remainder. Division by zero gives a / b (inf or NaN).
     */
    public static double floorDiv(double a, double b) {
        if (b == 0) return a / b;
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1.0;
        if (div == 0) return Math.copySign(0.0, a / b);
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1.0 : floor;
    }

    /** Python's float modulo: the result has the sign of the divisor (a zero result too, as in NumPy). */
    public static double floorMod(double a, double b) {
        double r = a % b;
        if (r == 0) return b == 0 ? r : Math.copySign(0.0, b);
        if ((r < 0) != (b < 0)) r += b;
        return r;
    }

    private static final double LN2 = 0.6931471805599453;

    /**
     * log2(x), exact for powers of two: {@code Math.log(x) / Math.log(2)} gives 29.000000000000004 for 2^29.
     * Splits x = m * 2^e with m in [sqrt(1/2), sqrt(2)) so only log(m), which is small, is divided by ln 2.
     */
    public static double log2(double x) {
        if (!(x > 0) || Double.isInfinite(x)) return Math.log(x);  // NaN, -inf for 0, NaN for negatives, +inf
        if (Math.getExponent(x) < Double.MIN_EXPONENT) return log2(x * 0x1p54) - 54;  // subnormal
        int e = Math.getExponent(x);
        double m = x / Math.scalb(1.0, e);  // exact, in [1, 2)
        if (m == 1.0) return e;
        if (m > 1.4142135623730951) { m /= 2; e++; }
        return e + Math.log(m) / LN2;
    }

    /** Integer power as NumPy computes it for integer dtypes (negative exponents give 0 except for bases 1 and -1). */
    public static long ipow(long base, long exp) {
        if (exp < 0) return base == 1 ? 1 : base == -1 ? (exp % 2 == 0 ? 1 : -1) : 0;
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) == 1) r *= base;
            base *= base;
            exp >>= 1;
        }
        return r;
    }
}
