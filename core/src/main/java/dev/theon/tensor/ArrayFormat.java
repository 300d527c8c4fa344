package dev.theon.tensor;

import java.math.BigDecimal;
import java.util.Locale;

/** NumPy-style text for arrays: {@code [[1. 2.]\n [3. 4.]]}, with "..." past 1000 elements (3 at each edge). */
final class ArrayFormat {
    private ArrayFormat() {}

    static final int THRESHOLD = 1000;
    static final int EDGE = 3;

    static String format(NDArray a) {
        boolean summarise = a.size() > THRESHOLD;
        long[] shape = a.shape();
        // format every element that will be shown, then pad to a common width like NumPy
        String[] cells = new String[(int) Math.min(a.size(), 100_000)];
        Formatter f = new Formatter(a, summarise);
        int width = 0;
        for (long i = 0; i < a.size() && i < cells.length; i++) {
            if (summarise && !shown(shape, i)) continue;
            cells[(int) i] = f.format(i);
            width = Math.max(width, cells[(int) i].length());
        }
        if (shape.length == 0) return f.format(0);
        StringBuilder b = new StringBuilder();
        render(b, a, cells, width, 0, 0, summarise, 1);
        return b.toString();
    }

    private static boolean shown(long[] shape, long flat) {
        for (int d = shape.length - 1; d >= 0; d--) {
            long i = flat % shape[d];
            flat /= shape[d];
            if (shape[d] > 2 * EDGE && i >= EDGE && i < shape[d] - EDGE) return false;
        }
        return true;
    }

    private static void render(StringBuilder b, NDArray a, String[] cells, int width, int dim, long base, boolean summarise, int indent) {
        long[] shape = a.shape();
        long n = shape[dim];
        long inner = 1;
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        b.append('[');
        for (long i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                b.append(dim == shape.length - 1 ? "..." : "...");
                if (dim == shape.length - 1) b.append(' ');
                else b.append('\n').append("\n".repeat(Math.max(0, shape.length - dim - 2))).append(" ".repeat(indent));
                i = n - EDGE - 1;
                continue;
            }
            if (dim == shape.length - 1) {
                String c = cells[(int) (base + i)];
                b.append(" ".repeat(width - c.length())).append(c);
                if (i < n - 1) b.append(' ');
            } else {
                render(b, a, cells, width, dim + 1, base + i * inner, summarise, indent + 1);
                if (i < n - 1) b.append('\n').append("\n".repeat(shape.length - dim - 2)).append(" ".repeat(indent));
            }
        }
        b.append(']');
    }

    /** Chooses NumPy's float style for the whole array: "1." for integral values, else up to 8 significant digits. */
    private static final class Formatter {
        final NDArray a;
        final boolean allIntegral;
        final boolean scientific;

        Formatter(NDArray a, boolean summarise) {
            this.a = a;
            boolean integral = true;
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            if (a.dtype().isFloat()) {
                long n = a.size();
                for (long i = 0; i < n; i++) {
                    double v = a.flatDouble(i);
                    if (!Double.isFinite(v)) continue;
                    if (v != Math.rint(v)) integral = false;
                    double av = Math.abs(v);
                    maxAbs = Math.max(maxAbs, av);
                    if (av > 0) minAbs = Math.min(minAbs, av);
                }
            }
            allIntegral = integral;
            scientific = maxAbs >= 1e16 || (minAbs < 1e-4 && minAbs != Double.MAX_VALUE) || (maxAbs / minAbs > 1e3 && minAbs < 1e-4);
        }

        String format(long flat) {
            DType dt = a.dtype();
            if (dt == DType.BOOL) return a.flatLong(flat) != 0 ? "True" : "False";
            if (dt.isInteger()) return Long.toString(a.flatLong(flat));
            double v = a.flatDouble(flat);
            if (Double.isNaN(v)) return "nan";
            if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
            if (scientific) {
                String s = String.format(Locale.ROOT, "%.8e", v);
                String[] parts = s.split("e");
                String mant = parts[0].replaceAll("0+$", "");
                int exp = Integer.parseInt(parts[1]);
                return mant + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
            }
            if (allIntegral) return new BigDecimal(v).toPlainString() + ".";
            double r = dt == DType.FLOAT32 ? Float.parseFloat(Float.toString((float) v)) : v;
            String s = new BigDecimal(r).round(new java.math.MathContext(8)).stripTrailingZeros().toPlainString();
            if (!s.contains(".")) s = s + ".";
            return s;
        }
    }
}
