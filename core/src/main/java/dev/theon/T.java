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
    // Every reduction takes optional axes (none or null = all axes; negative axes count from the end) and keepdims
    // (reduced axes kept as size 1, so the result broadcasts against the operand), as NumPy and Theano.

    private static Variable reduction(dev.theon.ops.Reduce.Kind kind, Object x, int[] axes, boolean keepdims) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.Reduce.of(kind, v, axes, keepdims).apply(v);
    }

    /** Sum over all axes. Bool and integers sum exactly in int64; floats keep their dtype. The sum of nothing is 0. */
    public static Variable sum(Object x) { return reduction(dev.theon.ops.Reduce.Kind.SUM, x, null, false); }
    /** Sum over the given axes (negative axes count from the end). */
    public static Variable sum(Object x, int... axes) { return sum(x, axes, false); }
    public static Variable sum(Object x, int[] axes, boolean keepdims) { return reduction(dev.theon.ops.Reduce.Kind.SUM, x, axes, keepdims); }

    /** Product over all axes. Bool and integers multiply exactly in int64; floats keep their dtype. The product of nothing is 1. */
    public static Variable prod(Object x) { return prod(x, null, false); }
    public static Variable prod(Object x, int... axes) { return prod(x, axes, false); }
    public static Variable prod(Object x, int[] axes, boolean keepdims) { return reduction(dev.theon.ops.Reduce.Kind.PROD, x, axes, keepdims); }

    /** Mean over all axes: float64 for bool and integers, the float dtype otherwise. The mean of nothing is NaN. */
    public static Variable mean(Object x) { return mean(x, null, false); }
    public static Variable mean(Object x, int... axes) { return mean(x, axes, false); }
    public static Variable mean(Object x, int[] axes, boolean keepdims) { return reduction(dev.theon.ops.Reduce.Kind.MEAN, x, axes, keepdims); }

    /** Maximum over all axes, in the operand's dtype. NaN propagates; an empty axis is an error (max has no identity). */
    public static Variable max(Object x) { return max(x, null, false); }
    public static Variable max(Object x, int... axes) { return max(x, axes, false); }
    public static Variable max(Object x, int[] axes, boolean keepdims) { return reduction(dev.theon.ops.Reduce.Kind.MAX, x, axes, keepdims); }

    /** Minimum over all axes, in the operand's dtype. NaN propagates; an empty axis is an error (min has no identity). */
    public static Variable min(Object x) { return min(x, null, false); }
    public static Variable min(Object x, int... axes) { return min(x, axes, false); }
    public static Variable min(Object x, int[] axes, boolean keepdims) { return reduction(dev.theon.ops.Reduce.Kind.MIN, x, axes, keepdims); }

    /** Whether every element is non-zero (bool result; true for nothing). */
    public static Variable all(Object x) { return all(x, null, false); }
    public static Variable all(Object x, int... axes) { return all(x, axes, false); }
    public static Variable all(Object x, int[] axes, boolean keepdims) { return reduction(dev.theon.ops.Reduce.Kind.ALL, x, axes, keepdims); }

    /** Whether some element is non-zero (bool result; false for nothing). */
    public static Variable any(Object x) { return any(x, null, false); }
    public static Variable any(Object x, int... axes) { return any(x, axes, false); }
    public static Variable any(Object x, int[] axes, boolean keepdims) { return reduction(dev.theon.ops.Reduce.Kind.ANY, x, axes, keepdims); }

    private static Variable argReduction(dev.theon.ops.ArgReduce.Kind kind, Object x, int[] axes, boolean keepdims) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.ArgReduce.of(kind, v, axes, keepdims).apply(v);
    }

    /**
     * Index (int64) of the maximum: over all axes, the index into the flattened operand; over one axis, the index
     * along it (over several axes, the C-order index into the block they span). Ties give the first; NaN wins.
     */
    public static Variable argmax(Object x) { return argmax(x, null, false); }
    public static Variable argmax(Object x, int... axes) { return argmax(x, axes, false); }
    public static Variable argmax(Object x, int[] axes, boolean keepdims) { return argReduction(dev.theon.ops.ArgReduce.Kind.ARGMAX, x, axes, keepdims); }

    /** Index (int64) of the minimum, as {@link #argmax(Object)}. */
    public static Variable argmin(Object x) { return argmin(x, null, false); }
    public static Variable argmin(Object x, int... axes) { return argmin(x, axes, false); }
    public static Variable argmin(Object x, int[] axes, boolean keepdims) { return argReduction(dev.theon.ops.ArgReduce.Kind.ARGMIN, x, axes, keepdims); }

    /**
     * Variance {@code sum((x - mean)^2) / (n - ddof)}: the population variance by default ({@code ddof = 0}), as NumPy;
     * float64 for bool and integers, the float dtype otherwise.
     */
    public static Variable var(Object x) { return var(x, null, false, 0); }
    public static Variable var(Object x, int... axes) { return var(x, axes, false, 0); }
    public static Variable var(Object x, int[] axes, boolean keepdims) { return var(x, axes, keepdims, 0); }
    public static Variable var(Object x, int[] axes, boolean keepdims, int ddof) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.Variance.of(v, axes, keepdims, ddof, false).apply(v);
    }

    /** Standard deviation: the square root of {@link #var(Object, int[], boolean, int)}. */
    public static Variable std(Object x) { return std(x, null, false, 0); }
    public static Variable std(Object x, int... axes) { return std(x, axes, false, 0); }
    public static Variable std(Object x, int[] axes, boolean keepdims) { return std(x, axes, keepdims, 0); }
    public static Variable std(Object x, int[] axes, boolean keepdims, int ddof) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.Variance.of(v, axes, keepdims, ddof, true).apply(v);
    }

    // ==== section: blas ====

    /**
     * NumPy's {@code dot}: a scalar operand multiplies elementwise; vector·vector is a scalar; otherwise the last axis
     * of {@code a} is summed against the only axis of a vector {@code b}, or against b's second-to-last axis, and the
     * result has a's other axes followed by b's. A size mismatch is a TypeError when both sizes are known while the
     * graph is built, else a ShapeError when it runs.
     */
    public static Variable dot(Object a, Object b) { Variable[] ab = pair(a, b); return new dev.theon.ops.Dot().apply(ab[0], ab[1]); }

    /**
     * NumPy's {@code matmul} ({@code a @ b}): matrix products over broadcast leading batch axes; a vector operand is
     * read as a row (first) or a column (second) and that axis is removed from the result. Scalars are rejected.
     */
    public static Variable matmul(Object a, Object b) { Variable[] ab = pair(a, b); return new dev.theon.ops.MatMul().apply(ab[0], ab[1]); }

    /** NumPy's {@code outer}: {@code out[i, j] = a[i] * b[j]}; operands of other ranks are flattened first. */
    public static Variable outer(Object a, Object b) { Variable[] ab = pair(a, b); return new dev.theon.ops.Outer().apply(ab[0], ab[1]); }

    /** NumPy's {@code tensordot(a, b, axes)}: sums over the last {@code axes} axes of a and the first {@code axes} of b. */
    public static Variable tensordot(Object a, Object b, int axes) {
        Variable[] ab = pair(a, b);
        return dev.theon.ops.TensorDot.ofCount(ab[0].ndim(), ab[1].ndim(), axes).apply(ab[0], ab[1]);
    }

    /** NumPy's {@code tensordot(a, b, (axesA, axesB))}: sums over axis {@code axesA[i]} of a paired with {@code axesB[i]} of b. */
    public static Variable tensordot(Object a, Object b, int[] axesA, int[] axesB) {
        Variable[] ab = pair(a, b);
        return dev.theon.ops.TensorDot.of(ab[0].ndim(), ab[1].ndim(), axesA, axesB).apply(ab[0], ab[1]);
    }

    // ==== section: shape ====

    /**
     * Theano's dimshuffle: output axis i is input axis {@code pattern[i]} (negative numbers count from the end), or a
     * new axis of static size 1 where the entry is the String "x". Input axes left out must have static size 1.
     * The result is a view: {@code T.dimshuffle(v, "x", 0)} makes a row out of a vector, ready to broadcast.
     */
    public static Variable dimshuffle(Object x, Object... pattern) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.DimShuffle.parse(v, pattern).apply(v);
    }

    /** The axes in reverse order (a matrix's transpose); a view. */
    public static Variable transpose(Object x) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.DimShuffle.reverse(v.ndim()).apply(v);
    }

    /** The axes permuted: output axis i is input axis {@code perm[i]}; no permutation reverses them. */
    public static Variable transpose(Object x, int... perm) {
        Variable v = asVariable(x, null);
        if (perm.length == 0) return transpose(v);
        if (perm.length != v.ndim())
            throw new TheonException.TypeError("transpose: the permutation " + java.util.Arrays.toString(perm) + " names " + perm.length
                    + " axes but " + v.describe() + " : " + v.type() + " has rank " + v.ndim() + "; name every axis exactly once");
        return dimshuffle(v, java.util.Arrays.stream(perm).boxed().toArray());
    }

    /**
     * The same elements in C order with a new shape; one size may be -1 (inferred). When the input's size is known
     * statically a mismatch is a TypeError, else a ShapeError at run time. A view of contiguous data, else a copy.
     */
    public static Variable reshape(Object x, long... shape) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.Reshape.to(shape).apply(v);
    }

    /**
     * Reshape to a symbolic shape: an integer vector whose static length (the output's rank) is known, such as
     * {@code T.stack(List.of(n, 3L))}. A constant vector gives the fixed form, with its static shape.
     */
    public static Variable reshape(Object x, Variable shape) {
        Variable v = asVariable(x, null);
        if (shape == null) throw new TheonException.TypeError("reshape: the target shape is null; expected an integer vector or sizes");
        TensorType st = shape.type();
        if (!st.dtype().isInteger() || st.ndim() != 1 || st.dim(0) < 0)
            throw new TheonException.TypeError("reshape: the target shape " + shape.describe() + " : " + st + " must be an integer vector"
                    + " of known static length (its length is the output's rank); declare it with T.tensor(DType.INT64, new long[]{n}, name)"
                    + " or build it with T.stack");
        if (shape instanceof Constant c) return reshape(v, c.value().toLongArray());
        return dev.theon.ops.Reshape.symbolic((int) st.dim(0)).apply(v, shape);
    }

    /** All elements in C order as a vector. */
    public static Variable flatten(Object x) { return flatten(x, 1); }

    /** Theano's flatten: keeps the first {@code ndim - 1} axes and merges the rest into the last, giving rank {@code ndim}. */
    public static Variable flatten(Object x, int ndim) {
        Variable v = asVariable(x, null);
        return new dev.theon.ops.Flatten(ndim).apply(v);
    }

    /** Joins tensors of equal rank along an existing axis (negative counts from the end); dtype is their promotion. */
    public static Variable concatenate(java.util.List<?> xs, int axis) {
        Variable[] vs = shapeOperands("concatenate", xs);
        int rank = vs[0].ndim();
        if (rank == 0)
            throw new TheonException.TypeError("concatenate: " + vs[0].describe() + " : " + vs[0].type() + " is a scalar; scalars have no axis"
                    + " to join along, use T.stack to make a vector of them");
        return new dev.theon.ops.Join(shapeAxis("concatenate", axis, rank, vs[0])).apply(vs);
    }

    public static Variable concatenate(java.util.List<?> xs) { return concatenate(xs, 0); }

    /** Joins along axis 0. */
    public static Variable concatenate(Object... xs) { return concatenate(java.util.Arrays.asList(xs), 0); }

    /** Joins tensors of the same shape along a new axis (negative counts from the end of the result's axes). */
    public static Variable stack(java.util.List<?> xs, int axis) {
        Variable[] vs = shapeOperands("stack", xs);
        TensorType t0 = vs[0].type();
        for (int i = 1; i < vs.length; i++) {
            TensorType t = vs[i].type();
            boolean same = t.ndim() == t0.ndim();
            for (int d = 0; same && d < t.ndim(); d++) same = t.dim(d) < 0 || t0.dim(d) < 0 || t.dim(d) == t0.dim(d);
            if (!same)
                throw new TheonException.TypeError("stack: all inputs must have the same shape; input 0 " + vs[0].describe() + " is " + t0
                        + " but input " + i + " " + vs[i].describe() + " is " + t);
        }
        int a = shapeAxis("stack", axis, t0.ndim() + 1, vs[0]);
        Variable[] expanded = new Variable[vs.length];
        for (int i = 0; i < vs.length; i++) expanded[i] = expandDims(vs[i], a);
        return new dev.theon.ops.Join(a).apply(expanded);
    }

    public static Variable stack(java.util.List<?> xs) { return stack(xs, 0); }

    /** Stacks along a new first axis. */
    public static Variable stack(Object... xs) { return stack(java.util.Arrays.asList(xs), 0); }

    /** Cuts {@code x} along {@code axis} into consecutive pieces of the given sizes (they must add up to that axis's size); views. */
    public static java.util.List<Variable> split(Object x, long[] sizes, int axis) {
        Variable v = asVariable(x, null);
        return new dev.theon.ops.Split(sizes, shapeAxis("split", axis, v.ndim(), v)).make(v).outputs();
    }

    /** Drops every axis of static size 1 (the broadcastable ones). */
    public static Variable squeeze(Object x) {
        Variable v = asVariable(x, null);
        java.util.List<Object> keep = new java.util.ArrayList<>();
        for (int d = 0; d < v.ndim(); d++) if (v.type().dim(d) != 1) keep.add(d);
        return keep.size() == v.ndim() ? v : dimshuffle(v, keep.toArray());
    }

    /**
     * Drops the given axes, which must have size 1: statically (a view by dimshuffle) or, for axes whose static size
     * is unknown, checked at run time.
     */
    public static Variable squeeze(Object x, int... axes) {
        Variable v = asVariable(x, null);
        dev.theon.ops.Squeeze q = dev.theon.ops.Squeeze.of(v, axes);
        boolean allStatic = true;
        for (int a : q.axes()) allStatic &= v.type().dim(a) == 1;
        if (!allStatic) return q.apply(v);
        java.util.List<Object> keep = new java.util.ArrayList<>();
        for (int d = 0, k = 0; d < v.ndim(); d++) {
            if (k < q.axes().length && q.axes()[k] == d) k++;
            else keep.add(d);
        }
        return dimshuffle(v, keep.toArray());
    }

    /** Inserts an axis of static size 1 at {@code axis} (negative counts from the end of the result's axes). */
    public static Variable expandDims(Object x, int axis) {
        Variable v = asVariable(x, null);
        int a = shapeAxis("expandDims", axis, v.ndim() + 1, v);
        Object[] p = new Object[v.ndim() + 1];
        for (int i = 0, k = 0; i < p.length; i++) p[i] = i == a ? "x" : k++;
        return dimshuffle(v, p);
    }

    private static Variable[] shapeOperands(String fn, java.util.List<?> xs) {
        if (xs == null || xs.isEmpty()) throw new TheonException.TypeError(fn + ": needs at least one tensor");
        Variable partner = null;
        for (Object o : xs) if (o instanceof Variable v) { partner = v; break; }
        Variable[] vs = new Variable[xs.size()];
        for (int i = 0; i < vs.length; i++) vs[i] = asVariable(xs.get(i), partner);
        return vs;
    }

    private static int shapeAxis(String fn, int axis, int rank, Variable v) {
        if (axis < -rank || axis >= rank)
            throw new TheonException.TypeError(fn + ": axis " + axis + " is out of range for " + v.describe() + " : " + v.type()
                    + "; expected an axis in [" + -rank + ", " + (rank - 1) + "]");
        return axis < 0 ? axis + rank : axis;
    }

    // ==== section: creation ====

    /** The run-time shape of {@code x} as an int64 vector (Theano's {@code x.shape}). */
    public static Variable shape(Object x) { return new dev.theon.ops.Shape().apply(asVariable(x, null)); }

    /** The run-time size of axis {@code axis} of {@code x} (negative counts from the end) as an int64 scalar. */
    public static Variable shape(Object x, int axis) {
        Variable v = asVariable(x, null);
        int a = axis < 0 ? axis + v.ndim() : axis;
        if (a < 0 || a >= v.ndim())
            throw new TheonException.TypeError("shape: axis " + axis + " is out of range for " + v.describe() + " of type " + v.type()
                    + "; expected an axis in [" + -v.ndim() + ", " + v.ndim() + ")");
        return new dev.theon.ops.ShapeI(a).apply(v);
    }

    /**
     * Theano's {@code alloc}: a new tensor of shape {@code dims} filled with {@code value} (a scalar, or a tensor that
     * broadcasts to that shape). Each dim is a Java integer or an integer scalar variable such as {@code T.shape(x, 0)};
     * a {@code long[]}/{@code int[]}, or the vector {@code T.shape(x)}, stands for several dims.
     */
    public static Variable alloc(Object value, Object... dims) {
        java.util.List<Variable> in = new java.util.ArrayList<>();
        in.add(asVariable(value, null));
        in.addAll(dims(dims));
        return new dev.theon.ops.Alloc().make(in).out();
    }

    /** A tensor of {@code dtype} and shape {@code dims} filled with 0 (dims as in {@link #alloc}). */
    public static Variable zeros(DType dtype, Object... dims) { return alloc(Constant.scalar(dtype, 0), dims); }

    /** A tensor of {@code dtype} and shape {@code dims} filled with 1 (dims as in {@link #alloc}). */
    public static Variable ones(DType dtype, Object... dims) { return alloc(Constant.scalar(dtype, 1), dims); }

    /** Zeros of {@code x}'s dtype and run-time shape. */
    public static Variable zerosLike(Object x) { Variable v = asVariable(x, null); return fill(v, Constant.scalar(v.dtype(), 0)); }

    /** Ones of {@code x}'s dtype and run-time shape. */
    public static Variable onesLike(Object x) { Variable v = asVariable(x, null); return fill(v, Constant.scalar(v.dtype(), 1)); }

    /**
     * Theano's {@code fill(like, value)}: a tensor shaped like {@code like} (at run time) holding {@code value}
     * broadcast to it, of value's dtype (a Java number takes like's dtype).
     */
    public static Variable fill(Object like, Object value) {
        Variable l = asVariable(like, null);
        Object[] dims = new Object[l.ndim()];
        for (int d = 0; d < dims.length; d++) dims[d] = shape(l, d);
        return alloc(asVariable(value, l), dims);
    }

    /** {@code arange(0, stop, 1)}. */
    public static Variable arange(Object stop) { return arange(0, stop, 1); }

    /** {@code arange(start, stop, 1)}. */
    public static Variable arange(Object start, Object stop) { return arange(start, stop, 1); }

    /**
     * NumPy's {@code arange} as a vector: {@code start, start + step, ...} while below {@code stop} (above, for a
     * negative step). The arguments are Java numbers or scalar variables. The dtype is int64 when all are integers,
     * else floatX (float64 when a float64 variable is among them, so its precision is kept).
     */
    public static Variable arange(Object start, Object stop, Object step) {
        Variable[] v = {asVariable(start, null), asVariable(stop, null), asVariable(step, null)};
        DType dt = DType.INT64;
        for (Variable x : v) if (x.dtype().isFloat()) dt = DType.promote(dt.isFloat() ? dt : DType.FLOATX, x.dtype());
        return new dev.theon.ops.ARange(dt).apply(v);
    }

    /** The floatX identity matrix of size n. */
    public static Variable eye(Object n) { return eye(n, null, 0, DType.FLOATX); }

    /**
     * NumPy's {@code eye(n, m, k, dtype)}: an (n, m) matrix with ones on diagonal k (positive above the main one,
     * negative below). {@code m} null means n. Sizes and k are Java integers or integer scalar variables.
     */
    public static Variable eye(Object n, Object m, Object k, DType dtype) {
        Variable vn = dim(n, "n");
        return new dev.theon.ops.Eye(dtype).apply(vn, m == null ? vn : dim(m, "m"), dim(k, "k"));
    }

    /** Creation ops' dims as integer scalar variables; arrays and the vector {@code T.shape(x)} stand for several. */
    private static java.util.List<Variable> dims(Object[] dims) {
        java.util.List<Variable> out = new java.util.ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            Object d = dims[i];
            if (d instanceof long[] ls) { for (long l : ls) out.add(dim(l, "dim " + out.size())); }
            else if (d instanceof int[] is) { for (int l : is) out.add(dim(l, "dim " + out.size())); }
            else if (d instanceof Variable v && v.ndim() == 1 && v.owner() != null && v.owner().op() instanceof dev.theon.ops.Shape) {
                Variable of = v.owner().input(0);
                for (int a = 0; a < of.ndim(); a++) out.add(shape(of, a));
            } else out.add(dim(d, "dim " + out.size()));
        }
        return out;
    }

    /** A size or offset: a Java integer becomes an int64 constant; a variable must be an integer scalar. */
    private static Variable dim(Object d, String what) {
        if (d instanceof Integer || d instanceof Long || d instanceof Short || d instanceof Byte)
            return new Constant(TensorType.of(DType.INT64), NDArray.scalarLong(DType.INT64, ((Number) d).longValue()), null);
        if (d instanceof Variable v) {
            if (v.ndim() != 0 || !v.dtype().isInteger())
                throw new TheonException.TypeError(what + " (" + v.describe() + ") is a " + v.type() + "; expected an integer scalar");
            return v;
        }
        throw new TheonException.TypeError(what + " is " + (d == null ? "null" : "a " + d.getClass().getSimpleName() + " (" + d + ")")
                + "; expected a Java integer or an integer scalar variable");
    }

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

    /** Softmax along the last axis: {@code exp(x - max) / sum(exp(x - max))}, stable for large inputs; a float result. */
    public static Variable softmax(Object x) { return softmax(x, -1); }

    /** Softmax along {@code axis} (negative axes count from the end); any rank >= 1. */
    public static Variable softmax(Object x, int axis) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.Softmax.of(axis, v.ndim()).apply(v);
    }

    /** log(softmax(x)) along the last axis, computed stably as {@code x - max - log(sum(exp(x - max)))}. */
    public static Variable logSoftmax(Object x) { return logSoftmax(x, -1); }

    public static Variable logSoftmax(Object x, int axis) {
        Variable v = asVariable(x, null);
        return dev.theon.ops.LogSoftmax.of(axis, v.ndim()).apply(v);
    }

    /** Rectifier {@code max(x, 0)}, keeping x's dtype. */
    public static Variable relu(Object x) { return relu(x, 0.0); }

    /** Leaky rectifier (Theano's {@code relu(x, alpha)}): {@code x > 0 ? x : alpha * x}. */
    public static Variable relu(Object x, double alpha) { return dev.theon.ops.Activations.relu(asVariable(x, null), alpha); }

    /** Exponential linear unit: {@code x > 0 ? x : alpha * (exp(x) - 1)}. */
    public static Variable elu(Object x, double alpha) { return dev.theon.ops.Activations.elu(asVariable(x, null), alpha); }

    public static Variable elu(Object x) { return elu(x, 1.0); }

    /**
     * Theano's {@code categorical_crossentropy}: {@code coding} is a float matrix of predicted probabilities (rows sum
     * to 1); {@code target} is an integer vector of class labels (result {@code -log(coding[i, label[i]])}) or a
     * one-hot / probability matrix of the coding's shape (result {@code -sum(target * log(coding), axis=1)}).
     * One loss per row.
     */
    public static Variable categoricalCrossentropy(Object coding, Object target) {
        Variable c = asVariable(coding, null);
        return dev.theon.ops.Crossentropy.categorical(c, asVariable(target, c));
    }

    /** Elementwise {@code -(target * log(output) + (1 - target) * log(1 - output))}, broadcasting like elementwise ops. */
    public static Variable binaryCrossentropy(Object output, Object target) {
        Variable o = asVariable(output, null);
        return dev.theon.ops.Crossentropy.binary(o, asVariable(target, o));
    }

    /** {@code binaryCrossentropy(sigmoid(logits), target)} computed stably from the logits as {@code softplus(x) - target * x}. */
    public static Variable sigmoidBinaryCrossentropy(Object logits, Object target) {
        Variable x = asVariable(logits, null);
        return dev.theon.ops.Crossentropy.sigmoidBinary(x, asVariable(target, x));
    }

    // ==== section: gradients ====

    /** The symbolic gradient of a scalar cost with respect to {@code wrt}. */
    public static Variable grad(Variable cost, Variable wrt) { return dev.theon.grad.Grad.grad(cost, wrt); }
    /** Gradients with respect to several variables, in order. */
    public static java.util.List<Variable> grad(Variable cost, java.util.List<Variable> wrt) { return dev.theon.grad.Grad.grad(cost, wrt); }
    /** With Theano's options: consider_constant, disconnected_inputs, known_grads, return_disconnected, null_gradients. */
    public static java.util.List<Variable> grad(Variable cost, java.util.List<Variable> wrt, dev.theon.grad.Grad.Options options) {
        return dev.theon.grad.Grad.grad(cost, wrt, options);
    }
    /** Identity forward; its gradient is zero. */
    public static Variable zeroGrad(Object x) { return control(dev.theon.grad.GradControl.Kind.ZERO_GRAD, x, 0, 0); }
    /** Identity forward; no gradient flows through it (the input is disconnected). */
    public static Variable disconnectedGrad(Object x) { return control(dev.theon.grad.GradControl.Kind.DISCONNECTED_GRAD, x, 0, 0); }
    /** Identity forward; the gradient flowing back is clipped to [lo, hi]. */
    public static Variable gradClip(Object x, double lo, double hi) { return control(dev.theon.grad.GradControl.Kind.GRAD_CLIP, x, lo, hi); }
    /** Identity forward; the gradient flowing back is multiplied by k. */
    public static Variable gradScale(Object x, double k) { return control(dev.theon.grad.GradControl.Kind.GRAD_SCALE, x, k, 0); }
    /** Identity forward; asking for a gradient through it is an error. */
    public static Variable undefinedGrad(Object x) { return control(dev.theon.grad.GradControl.Kind.UNDEFINED_GRAD, x, 0, 0); }

    private static Variable control(dev.theon.grad.GradControl.Kind k, Object x, double a, double b) {
        return new dev.theon.grad.GradControl(k, a, b).apply(asVariable(x, null));
    }

    static String shapeStr(long[] s) { return Shapes.str(s); }
}
