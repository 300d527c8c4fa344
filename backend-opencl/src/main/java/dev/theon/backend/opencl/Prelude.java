package dev.theon.backend.opencl;

/**
 * Helper functions every generated program starts with: the scalar operations of the table that OpenCL C has no
 * built-in for, written to match the reference implementations in {@code dev.theon.ops.Special} and
 * {@code ScalarOp} (Java's pow, which is NaN for 1 ** NaN and 1 ** inf where C's is 1; Python's floor division and modulo, NaN-propagating maximum and minimum, the stable sigmoid
 * and softplus, NumPy's integer power), in float, in long, and in double when the device has it.
 */
final class Prelude {
    private Prelude() {}

    static String source(boolean fp64) {
        StringBuilder b = new StringBuilder();
        if (fp64) b.append("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n");
        b.append(LONG);
        b.append(floating("float", "f", "f"));
        if (fp64) b.append(floating("double", "d", ""));
        return b.toString();
    }

    private static final String LONG = """
            long th_floordiv_l(long a, long b) {
              if (b == 0) return 0;
              if (b == -1) return -a;
              long q = a / b;
              if (a % b != 0 && ((a < 0) != (b < 0))) q--;
              return q;
            }
            long th_floormod_l(long a, long b) {
              if (b == 0 || b == -1) return 0;
              long r = a % b;
              if (r != 0 && ((r < 0) != (b < 0))) r += b;
              return r;
            }
            long th_ipow_l(long base, long e) {
              if (e < 0) return base == 1 ? 1 : base == -1 ? ((e & 1) == 0 ? 1 : -1) : 0;
              long r = 1;
              while (e > 0) { if (e & 1) r *= base; base *= base; e >>= 1; }
              return r;
            }
            """;

    /** The float helpers for type T with suffix s (f/d) and literal suffix L. */
    private static String floating(String t, String s, String l) {
        return """
                T th_floordiv_S(T a, T b) {
                  if (b == 0) return a / b;
                  T m = fmod(a, b);
                  T d = (a - m) / b;
                  if (m != 0 && ((b < 0) != (m < 0))) d -= 1.0L;
                  if (d == 0) return copysign((T) 0, a / b);
                  T fl = floor(d);
                  return d - fl > 0.5L ? fl + 1.0L : fl;
                }
                T th_floormod_S(T a, T b) {
                  T r = fmod(a, b);
                  if (r == 0) return b == 0 ? r : copysign((T) 0, b);
                  if ((r < 0) != (b < 0)) r += b;
                  return r;
                }
                T th_max_S(T a, T b) { return isnan(a) || isnan(b) ? a + b : fmax(a, b); }
                T th_min_S(T a, T b) { return isnan(a) || isnan(b) ? a + b : fmin(a, b); }
                T th_sgn_S(T a) { return isnan(a) ? a : a > 0 ? (T) 1 : a < 0 ? (T) -1 : a; }
                T th_sigmoid_S(T x) {
                  if (x >= 0) return 1.0L / (1.0L + exp(-x));
                  T e = exp(x);
                  return e / (1.0L + e);
                }
                T th_softplus_S(T x) { return (isnan(x) ? x : fmax(x, (T) 0)) + log1p(exp(-fabs(x))); }
                T th_pow_S(T a, T b) { return isnan(b) || (fabs(a) == 1 && isinf(b)) ? (T) NAN : pow(a, b); }
                T th_clip_S(T a, T lo, T hi) { return isnan(a) ? a : th_min_S(th_max_S(a, lo), hi); }
                """.replace("T ", t + " ").replace("(T)", "(" + t + ")").replace("_S", "_" + s).replace(".0L", ".0" + l).replace(".5L", ".5" + l);
    }
}
