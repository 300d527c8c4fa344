package dev.theon.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * NumPy's {@code str()} of an array, following {@code numpy.array2string} with its default options: lines wrap at
 * 75 characters, arrays above 1000 elements are summarised with "..." (3 items at each edge of every axis), floats
 * print their shortest round-trip digits with at most 8 decimals (scientific notation when the magnitudes call for
 * it), padded so the decimal points line up: {@code [[1. 2.]\n [3. 4.]]}, {@code [0.5  0.25]}, {@code [ True False]}.
 * A 0-d array prints its bare value the way NumPy prints a scalar ({@code 1.0}, {@code 1e+20}, {@code True}).
 */
final class ArrayFormat {
    private ArrayFormat() {}

    static final int THRESHOLD = 1000;
    static final int EDGE = 3;
    static final int LINE_WIDTH = 75;
    private static final int PRECISION = 8;

    static String format(NDArray a) {
        if (a.ndim() == 0) return scalar(a);
        if (a.size() == 0) return "[]";
        boolean summarise = a.size() > THRESHOLD;
        Element fmt = elementFormat(a, summarise);
        return new Renderer(a, fmt, summarise).recurse(new long[0], " ", LINE_WIDTH);
    }

    /** Formats the element at a full multi-index. */
    private interface Element { String format(long[] idx); }

    // ---------------------------------------------------------------- layout (numpy's _formatArray)

    private record Renderer(NDArray a, Element fmt, boolean summarise) {
        String recurse(long[] idx, String hanging, int width) {
            int axis = idx.length;
            int axesLeft = a.ndim() - axis;
            if (axesLeft == 0) return fmt.format(idx);
            String nextHanging = hanging + " ";
            int nextWidth = width - 1;  // room for the closing ']'
            long n = a.shape(axis);
            boolean showSummary = summarise && n > 2L * EDGE;
            long leading = showSummary ? EDGE : 0, trailing = showSummary ? EDGE : n;
            StringBuilder s = new StringBuilder();
            if (axesLeft == 1) {
                int elemWidth = width - 1;
                StringBuilder line = new StringBuilder(hanging);
                for (long i = 0; i < leading; i++) {
                    extend(s, line, recurse(append(idx, i), nextHanging, nextWidth), elemWidth, hanging);
                    line.append(' ');
                }
                if (showSummary) { extend(s, line, "...", elemWidth, hanging); line.append(' '); }
                for (long i = trailing; i > 1; i--) {
                    extend(s, line, recurse(append(idx, n - i), nextHanging, nextWidth), elemWidth, hanging);
                    line.append(' ');
                }
                extend(s, line, recurse(append(idx, n - 1), nextHanging, nextWidth), elemWidth, hanging);
                s.append(line);
            } else {
                String lineSep = "\n".repeat(axesLeft - 1);  // a blank line between blocks of rank 3 and up
                for (long i = 0; i < leading; i++) s.append(hanging).append(recurse(append(idx, i), nextHanging, nextWidth)).append(lineSep);
                if (showSummary) s.append(hanging).append("...").append(lineSep);
                for (long i = trailing; i > 1; i--) s.append(hanging).append(recurse(append(idx, n - i), nextHanging, nextWidth)).append(lineSep);
                s.append(hanging).append(recurse(append(idx, n - 1), nextHanging, nextWidth));
            }
            return "[" + s.substring(hanging.length()) + "]";
        }

        /** Appends a word to the current line, first wrapping to a new line when it would pass the width. */
        private static void extend(StringBuilder s, StringBuilder line, String word, int width, String nextLinePrefix) {
            boolean wrap = line.length() + word.length() > width && line.length() > nextLinePrefix.length();
            if (wrap) {
                s.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append(nextLinePrefix);
            }
            line.append(word);
        }

        private static long[] append(long[] idx, long i) {
            long[] r = java.util.Arrays.copyOf(idx, idx.length + 1);
            r[idx.length] = i;
            return r;
        }
    }

    // ---------------------------------------------------------------- element formats (numpy's FloatingFormat etc.)

    /** The values that will be shown: all of them, or only the edges of every axis when summarising. */
    private static List<long[]> shownIndices(NDArray a, boolean summarise) {
        List<long[]> out = new ArrayList<>();
        collect(a, summarise, new long[a.ndim()], 0, out);
        return out;
    }

    private static void collect(NDArray a, boolean summarise, long[] idx, int axis, List<long[]> out) {
        if (axis == idx.length) { out.add(idx.clone()); return; }
        long n = a.shape(axis);
        for (long i = 0; i < n; i++) {
            if (summarise && n > 2L * EDGE && i == EDGE) i = n - EDGE;
            idx[axis] = i;
            collect(a, summarise, idx, axis + 1, out);
        }
    }

    private static Element elementFormat(NDArray a, boolean summarise) {
        DType dt = a.dtype();
        if (dt == DType.BOOL) return idx -> a.getLong(idx) != 0 ? " True" : "False";
        List<long[]> shown = shownIndices(a, summarise);
        if (dt.isInteger()) {
            int width = 0;
            for (long[] idx : shown) width = Math.max(width, Long.toString(a.getLong(idx)).length());
            int w = width;
            return idx -> pad(Long.toString(a.getLong(idx)), w);
        }
        double[] values = new double[shown.size()];
        for (int i = 0; i < values.length; i++) values[i] = a.getDouble(shown.get(i));
        FloatFormat f = new FloatFormat(values, dt == DType.FLOAT32);
        return idx -> f.format(a.getDouble(idx));
    }

    private static String pad(String s, int width) { return s.length() >= width ? s : " ".repeat(width - s.length()) + s; }

    /** numpy's FloatingFormat with floatmode 'maxprec', precision 8, sign '-'. */
    private static final class FloatFormat {
        final boolean f32;
        boolean exp;
        int padLeft, padRight, precision, expSize;

        FloatFormat(double[] values, boolean f32) {
            this.f32 = f32;
            List<Double> finite = new ArrayList<>();
            boolean anyNonFinite = false, negInf = false;
            double max = 0, min = Double.POSITIVE_INFINITY;
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    anyNonFinite = true;
                    negInf |= v == Double.NEGATIVE_INFINITY;
                    continue;
                }
                finite.add(v);
                double av = Math.abs(v);
                if (av != 0) { max = Math.max(max, av); min = Math.min(min, av); }
            }
            exp = min != Double.POSITIVE_INFINITY && (max >= 1e8 || min < 1e-4 || max / min > 1000);
            if (exp) {
                int maxFrac = 0, maxExp = 0;
                for (double v : finite) {
                    Sci s = scientific(v, f32);
                    maxFrac = Math.max(maxFrac, s.frac.length());
                    maxExp = Math.max(maxExp, Integer.toString(Math.abs(s.exponent)).length());
                    padLeft = Math.max(padLeft, s.intPart().length());
                }
                precision = maxFrac;
                expSize = Math.max(2, maxExp);
                padRight = expSize + 2 + precision;
            } else {
                for (double v : finite) {
                    String[] p = positional(v, f32);
                    padLeft = Math.max(padLeft, p[0].length());
                    padRight = Math.max(padRight, p[1].length());
                }
            }
            if (anyNonFinite) {
                int offset = padRight + 1;
                padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
            }
        }

        String format(double v) {
            if (!Double.isFinite(v)) {
                String r = Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
                return pad(r, padLeft + padRight + 1);
            }
            if (exp) {
                Sci s = scientific(v, f32);
                String frac = s.frac + "0".repeat(precision - s.frac.length());
                String e = Integer.toString(Math.abs(s.exponent));
                e = "0".repeat(Math.max(0, expSize - e.length())) + e;
                return pad(s.intPart(), padLeft) + "." + frac + "e" + (s.exponent < 0 ? "-" : "+") + e;
            }
            String[] p = positional(v, f32);
            return pad(p[0], padLeft) + "." + p[1] + " ".repeat(padRight - p[1].length());
        }
    }

    // ---------------------------------------------------------------- digits (numpy's dragon4, unique mode)

    /** The shortest decimal that reads back as {@code v} (in float32 when {@code f32}), without its sign. */
    private static BigDecimal shortest(double v, boolean f32) {
        double av = Math.abs(v);
        return new BigDecimal(f32 ? Float.toString((float) av) : Double.toString(av));
    }

    private static String sign(double v) { return (Double.doubleToRawLongBits(v) < 0) ? "-" : ""; }

    /** {sign + integer digits, fraction digits}: shortest digits, rounded (half to even, on the exact value) to 8 decimals. */
    private static String[] positional(double v, boolean f32) {
        BigDecimal d = shortest(v, f32);
        if (d.scale() > PRECISION) d = new BigDecimal(Math.abs(f32 ? (double) (float) v : v)).setScale(PRECISION, RoundingMode.HALF_EVEN);
        String plain = d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        int dot = plain.indexOf('.');
        String ip = dot < 0 ? plain : plain.substring(0, dot), fp = dot < 0 ? "" : plain.substring(dot + 1);
        return new String[]{sign(v) + ip, fp};
    }

    private record Sci(String sign, char lead, String frac, int exponent) {
        String intPart() { return sign + lead; }
    }

    /** Scientific digits: d.ddd (at most 8 decimals, trailing zeros dropped) and the exponent. */
    private static Sci scientific(double v, boolean f32) {
        BigDecimal d = shortest(v, f32);
        if (d.signum() == 0) return new Sci(sign(v), '0', "", 0);
        if (d.precision() > PRECISION + 1)
            d = new BigDecimal(Math.abs(f32 ? (double) (float) v : v)).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
        d = d.stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = d.precision() - d.scale() - 1;
        return new Sci(sign(v), digits.charAt(0), digits.substring(1), exponent);
    }

    /** A 0-d array as NumPy prints a scalar: Python's repr for floats (positional from 1e-4 up to 1e16). */
    private static String scalar(NDArray a) {
        DType dt = a.dtype();
        if (dt == DType.BOOL) return a.toLong() != 0 ? "True" : "False";
        if (dt.isInteger()) return Long.toString(a.toLong());
        double v = a.toDouble();
        boolean f32 = dt == DType.FLOAT32;
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        double av = Math.abs(v);
        if (av == 0 || (av >= 1e-4 && av < 1e16)) {
            BigDecimal d = shortest(v, f32);
            String plain = d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
            return sign(v) + (plain.contains(".") ? plain : plain + ".0");
        }
        BigDecimal d = shortest(v, f32).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = d.precision() - d.scale() - 1;
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = Integer.toString(Math.abs(exponent));
        return sign(v) + mant + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }
}
