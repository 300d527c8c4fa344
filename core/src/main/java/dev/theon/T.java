package dev.theon;

import dev.theon.graph.Constant;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

/**
 * Tensor algebra, like {@code theano.tensor}: typed constructors and every op as a static function.
 * <p>
 * Every operand may be a {@link Variable}, an {@link NDArray}, a Java array, or a Java number. A Java number is a
 * "weak" literal as in NumPy 2: it takes the dtype of the tensor it meets ({@code T.mul(fvector, 2.0)} stays float32;
 * a float literal meeting an integer tensor becomes floatX), so literals never widen a computation by themselves.
 */
public final class T {
    private T() {}

    // ==== section: constructors ====

    public static Variable tensor(DType dtype, long[] shape, String name) { return new Variable(TensorType.of(dtype, shape), name); }
    public static Variable tensor(DType dtype, int rank, String name) { return new Variable(TensorType.ofRank(dtype, rank), name); }

    public static Variable scalar(String n) { return tensor(DType.FLOATX, 0, n); }
    public static Variable vector(String n) { return tensor(DType.FLOATX, 1, n); }
    public static Variable matrix(String n) { return tensor(DType.FLOATX, 2, n); }
    public static Variable tensor3(String n) { return tensor(DType.FLOATX, 3, n); }
    public static Variable tensor4(String n) { return tensor(DType.FLOATX, 4, n); }
    public static Variable dscalar(String n) { return tensor(DType.FLOAT64, 0, n); }
    public static Variable dvector(String n) { return tensor(DType.FLOAT64, 1, n); }
    public static Variable dmatrix(String n) { return tensor(DType.FLOAT64, 2, n); }
    public static Variable dtensor3(String n) { return tensor(DType.FLOAT64, 3, n); }
    public static Variable dtensor4(String n) { return tensor(DType.FLOAT64, 4, n); }
    public static Variable fscalar(String n) { return tensor(DType.FLOAT32, 0, n); }
    public static Variable fvector(String n) { return tensor(DType.FLOAT32, 1, n); }
    public static Variable fmatrix(String n) { return tensor(DType.FLOAT32, 2, n); }
    public static Variable ftensor3(String n) { return tensor(DType.FLOAT32, 3, n); }
    public static Variable ftensor4(String n) { return tensor(DType.FLOAT32, 4, n); }
    public static Variable lscalar(String n) { return tensor(DType.INT64, 0, n); }
    public static Variable lvector(String n) { return tensor(DType.INT64, 1, n); }
    public static Variable lmatrix(String n) { return tensor(DType.INT64, 2, n); }
    public static Variable ltensor3(String n) { return tensor(DType.INT64, 3, n); }
    public static Variable ltensor4(String n) { return tensor(DType.INT64, 4, n); }
    public static Variable iscalar(String n) { return tensor(DType.INT32, 0, n); }
    public static Variable ivector(String n) { return tensor(DType.INT32, 1, n); }
    public static Variable imatrix(String n) { return tensor(DType.INT32, 2, n); }
    public static Variable itensor3(String n) { return tensor(DType.INT32, 3, n); }
    public static Variable itensor4(String n) { return tensor(DType.INT32, 4, n); }
    public static Variable wscalar(String n) { return tensor(DType.INT16, 0, n); }
    public static Variable wvector(String n) { return tensor(DType.INT16, 1, n); }
    public static Variable wmatrix(String n) { return tensor(DType.INT16, 2, n); }
    public static Variable wtensor3(String n) { return tensor(DType.INT16, 3, n); }
    public static Variable wtensor4(String n) { return tensor(DType.INT16, 4, n); }
    public static Variable bscalar(String n) { return tensor(DType.INT8, 0, n); }
    public static Variable bvector(String n) { return tensor(DType.INT8, 1, n); }
    public static Variable bmatrix(String n) { return tensor(DType.INT8, 2, n); }
    public static Variable btensor3(String n) { return tensor(DType.INT8, 3, n); }
    public static Variable btensor4(String n) { return tensor(DType.INT8, 4, n); }

    // ==== section: constants and literals ====

    /** A constant from an NDArray, a Java array or a Java number (a Java double becomes floatX, an int int64). */
    public static Variable constant(Object value) { return asVariable(value, null); }

    /**
     * The variable an operand stands for. Variables are themselves; NDArrays and Java arrays become constants of their
     * own dtype; Java numbers are weak literals that take {@code partner}'s dtype when it is of the same kind or wider
     * (see the class doc).
     */
    public static Variable asVariable(Object o, Variable partner) {
        if (o instanceof Variable v) return v;
        if (o == null) throw new TheonException.TypeError("an operand is null; expected a Variable, an NDArray, a Java array or a number");
        if (o instanceof NDArray a) return Constant.of(a);
        if (o instanceof Boolean b) return Constant.scalar(DType.BOOL, b ? 1 : 0);
        if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            DType dt = partner != null && partner.dtype().isFloat() ? partner.dtype() : o instanceof Float ? DType.FLOAT32 : DType.FLOATX;
            return Constant.scalar(dt, d);
        }
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            long l = ((Number) o).longValue();
            DType dt = partner != null && !partner.dtype().isBool() ? partner.dtype() : DType.INT64;
            if (dt.isInteger() && !fits(l, dt))
                throw new TheonException.TypeError("the integer literal " + l + " does not fit " + dt + " (the dtype of " + partner.describe()
                        + "); cast the tensor first (T.cast(x, DType.INT64))");
            return dt.isFloat() ? Constant.scalar(dt, l) : new Constant(TensorType.of(dt), NDArray.scalarLong(dt, l), null);
        }
        if (o.getClass().isArray()) return Constant.of(NDArray.fromJava(o));
        throw new TheonException.TypeError("cannot use a " + o.getClass().getSimpleName() + " as a tensor; expected a Variable, an NDArray, a Java array or a number");
    }

    private static boolean fits(long v, DType dt) {
        return switch (dt) {
            case INT8 -> v == (byte) v; case INT16 -> v == (short) v; case INT32 -> v == (int) v; default -> true;
        };
    }

    /** Both operands as variables; a literal takes the other operand's dtype. */
    private static Variable[] pair(Object a, Object b) {
        Variable va = a instanceof Variable v ? v : null, vb = b instanceof Variable v ? v : null;
        if (va == null && vb == null) { va = asVariable(a, null); vb = asVariable(b, va); }
        else if (va == null) va = asVariable(a, vb);
        else if (vb == null) vb = asVariable(b, va);
        return new Variable[]{va, vb};
    }

    // ==== section: elementwise ====

    static Variable elem(ScalarOp op, Object... xs) {
        Variable[] vs = new Variable[xs.length];
        Variable partner = null;
        for (Object x : xs) if (x instanceof Variable v && partner == null) partner = v;
        for (int i = 0; i < xs.length; i++) vs[i] = asVariable(xs[i], partner);
        return new Elemwise(op).apply(vs);
    }

    private static Variable bin(ScalarOp op, Object a, Object b) { return new Elemwise(op).apply(pair(a, b)); }

    public static Variable add(Object a, Object b) { return bin(ScalarOp.ADD, a, b); }
    public static Variable sub(Object a, Object b) { return bin(ScalarOp.SUB, a, b); }
    public static Variable mul(Object a, Object b) { return bin(ScalarOp.MUL, a, b); }
    /** True division: integers divide to floats. */
    public static Variable div(Object a, Object b) { return bin(ScalarOp.TRUE_DIV, a, b); }
    public static Variable trueDiv(Object a, Object b) { return div(a, b); }
    /** Floor division, as Python's {@code //}. */
    public static Variable intDiv(Object a, Object b) { return bin(ScalarOp.INT_DIV, a, b); }
    /** Modulo with the divisor's sign, as Python's {@code %}. */
    public static Variable mod(Object a, Object b) { return bin(ScalarOp.MOD, a, b); }
    public static Variable pow(Object a, Object b) { return bin(ScalarOp.POW, a, b); }
    public static Variable maximum(Object a, Object b) { return bin(ScalarOp.MAXIMUM, a, b); }
    public static Variable minimum(Object a, Object b) { return bin(ScalarOp.MINIMUM, a, b); }
    public static Variable neg(Object a) { return elem(ScalarOp.NEG, a); }
    public static Variable abs(Object a) { return elem(ScalarOp.ABS, a); }
    public static Variable sgn(Object a) { return elem(ScalarOp.SGN, a); }
    public static Variable inv(Object a) { return elem(ScalarOp.INV, a); }
    public static Variable sqr(Object a) { return elem(ScalarOp.SQR, a); }
    public static Variable sqrt(Object a) { return elem(ScalarOp.SQRT, a); }
    public static Variable exp(Object a) { return elem(ScalarOp.EXP, a); }
    public static Variable expm1(Object a) { return elem(ScalarOp.EXPM1, a); }
    public static Variable log(Object a) { return elem(ScalarOp.LOG, a); }
    public static Variable log1p(Object a) { return elem(ScalarOp.LOG1P, a); }
    public static Variable log2(Object a) { return elem(ScalarOp.LOG2, a); }
    public static Variable log10(Object a) { return elem(ScalarOp.LOG10, a); }
    public static Variable sin(Object a) { return elem(ScalarOp.SIN, a); }
    public static Variable cos(Object a) { return elem(ScalarOp.COS, a); }
    public static Variable tan(Object a) { return elem(ScalarOp.TAN, a); }
    public static Variable arcsin(Object a) { return elem(ScalarOp.ARCSIN, a); }
    public static Variable arccos(Object a) { return elem(ScalarOp.ARCCOS, a); }
    public static Variable arctan(Object a) { return elem(ScalarOp.ARCTAN, a); }
    public static Variable sinh(Object a) { return elem(ScalarOp.SINH, a); }
    public static Variable cosh(Object a) { return elem(ScalarOp.COSH, a); }
    public static Variable tanh(Object a) { return elem(ScalarOp.TANH, a); }
    public static Variable sigmoid(Object a) { return elem(ScalarOp.SIGMOID, a); }
    public static Variable softplus(Object a) { return elem(ScalarOp.SOFTPLUS, a); }
    public static Variable erf(Object a) { return elem(ScalarOp.ERF, a); }
    public static Variable erfc(Object a) { return elem(ScalarOp.ERFC, a); }
    public static Variable floor(Object a) { return elem(ScalarOp.FLOOR, a); }
    public static Variable ceil(Object a) { return elem(ScalarOp.CEIL, a); }
    /** Round half to even, as NumPy. */
    public static Variable round(Object a) { return elem(ScalarOp.ROUND, a); }
    public static Variable clip(Object x, Object lo, Object hi) { return elem(ScalarOp.CLIP, x, lo, hi); }
    /** Elementwise {@code cond ? a : b}. */
    public static Variable switch_(Object cond, Object a, Object b) {
        Variable[] ab = pair(a, b);
        return new Elemwise(ScalarOp.SWITCH).apply(asVariable(cond, null), ab[0], ab[1]);
    }
    public static Variable where(Object cond, Object a, Object b) { return switch_(cond, a, b); }
    public static Variable lt(Object a, Object b) { return bin(ScalarOp.LT, a, b); }
    public static Variable gt(Object a, Object b) { return bin(ScalarOp.GT, a, b); }
    public static Variable le(Object a, Object b) { return bin(ScalarOp.LE, a, b); }
    public static Variable ge(Object a, Object b) { return bin(ScalarOp.GE, a, b); }
    public static Variable eq(Object a, Object b) { return bin(ScalarOp.EQ, a, b); }
    public static Variable neq(Object a, Object b) { return bin(ScalarOp.NEQ, a, b); }
    public static Variable and(Object a, Object b) { return bin(ScalarOp.AND, a, b); }
    public static Variable or(Object a, Object b) { return bin(ScalarOp.OR, a, b); }
    public static Variable xor(Object a, Object b) { return bin(ScalarOp.XOR, a, b); }
    public static Variable not(Object a) { return elem(ScalarOp.NOT, a); }
    public static Variable isnan(Object a) { return elem(ScalarOp.ISNAN, a); }
    public static Variable isinf(Object a) { return elem(ScalarOp.ISINF, a); }
    public static Variable cast(Object a, DType to) {
        Variable v = asVariable(a, null);
        return v.dtype() == to ? v : Elemwise.cast(to).apply(v);
    }

    // ==== section: reductions ====

    /** Sum over all axes. */
    public static Variable sum(Object x) { Variable v = asVariable(x, null); return dev.theon.ops.Reduce.of(dev.theon.ops.Reduce.Kind.SUM, v.ndim(), null, false).apply(v); }
    /** Sum over the given axes (negative axes count from the end). */
    public static Variable sum(Object x, int... axes) { return sum(x, axes, false); }
    public static Variable sum(Object x, int[] axes, boolean keepdims) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.Reduce.of(dev.theon.ops.Reduce.Kind.SUM, v.ndim(), axes, keepdims).apply(v);
    }

    // ==== section: blas ====

    // ==== section: shape ====

    // ==== section: creation ====

    // ==== section: indexing ====

    /**
     * {@code x[indices]}, NumPy's indexing. Each index is a Java integer (drops the axis; negative counts from the
     * end), an {@link dev.theon.ops.Index} ({@code Index.slice(start, stop, step)}, {@code Index.all()}, {@code Index.newAxis()},
     * {@code Index.ellipsis()}), an integer scalar Variable, or an integer tensor Variable / NDArray / Java integer
     * array (advanced indexing). Fewer indices than the rank leave the trailing axes whole. Basic indexing gives a
     * view; an out-of-range integer is a ShapeError naming the axis, the index and the size.
     */
    public static Variable get(Object x, Object... indices) { return dev.theon.ops.Indexing.get(asVariable(x, null), indices); }

    /** {@code x[:, ..., start:stop]}: a slice along one axis (negative axis and bounds count from the end). */
    public static Variable slice(Object x, int axis, long start, long stop) { return dev.theon.ops.Indexing.slice(asVariable(x, null), axis, start, stop); }

    /** NumPy's {@code take}: elements at integer {@code indices} (any rank) along {@code axis}; the indices' shape replaces the axis. */
    public static Variable take(Object x, Object indices, int axis) { return dev.theon.ops.Indexing.take(asVariable(x, null), indices, axis); }

    /**
     * Theano's {@code set_subtensor}: given an indexing expression {@code x.get(...)} (basic or advanced), a new tensor
     * equal to {@code x} with that region set to {@code y} (broadcast to the region). With repeated advanced indices the
     * last write wins. {@code x} itself is not modified.
     */
    public static Variable setSubtensor(Object subtensor, Object y) { return setOrIncSubtensor(subtensor, y, true, "setSubtensor"); }

    /**
     * Theano's {@code inc_subtensor}: as {@link #setSubtensor} but adds {@code y} to the region; with repeated advanced
     * indices the increments accumulate ({@code np.add.at}).
     */
    public static Variable incSubtensor(Object subtensor, Object y) { return setOrIncSubtensor(subtensor, y, false, "incSubtensor"); }

    private static Variable setOrIncSubtensor(Object subtensor, Object y, boolean set, String caller) {
        dev.theon.ops.Indexing.entriesOf(subtensor, caller);
        Variable sub = (Variable) subtensor;
        return dev.theon.ops.Indexing.setOrInc(sub, asVariable(y, sub), set, caller);
    }

    // ==== section: nnet ====

    // ==== section: gradients ====

    static String shapeStr(long[] s) { return Shapes.str(s); }
}
