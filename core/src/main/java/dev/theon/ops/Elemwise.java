package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scalar op from the {@link ScalarOp} table applied elementwise with NumPy broadcasting.
 * {@code outDType} overrides the table's dtype rule (that is how casts are expressed); null follows the rule.
 */
public record Elemwise(ScalarOp scalar, DType outDType) implements Op {

    public Elemwise(ScalarOp scalar) { this(scalar, null); }

    public static Elemwise cast(DType to) { return new Elemwise(ScalarOp.IDENTITY, to); }

    public boolean isCast() { return scalar == ScalarOp.IDENTITY && outDType != null; }

    @Override public String name() {
        return isCast() ? "cast{" + outDType + "}" : scalar.fname();
    }

    @Override public Op bind(DType floatX) {
        return outDType == DType.FLOATX ? new Elemwise(scalar, floatX) : this;
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != scalar.arity())
            throw typeError(in, "expects " + scalar.arity() + " operand(s), got " + in.size());
        DType[] dts = new DType[in.size()];
        long[][] shapes = new long[in.size()][];
        for (int i = 0; i < dts.length; i++) { dts[i] = in.get(i).dtype(); shapes[i] = in.get(i).type().shape(); }
        long[] out = staticBroadcast(shapes);
        if (out == null) throw typeError(in, "shapes " + shapeList(shapes) + " cannot be broadcast together");
        DType dt = outDType != null ? outDType : scalar.outputDType(dts);
        // NumPy refuses these too: on bools, "-" would silently mean xor / not
        if (dt == DType.BOOL && scalar == ScalarOp.SUB) throw typeError(in, "subtracting bools is not supported; use T.xor (or cast to an integer dtype first)");
        if (dt == DType.BOOL && scalar == ScalarOp.NEG) throw typeError(in, "negating a bool is not supported; use T.not (or cast to an integer dtype first)");
        return List.of(TensorType.of(dt, out));
    }

    /**
     * Static broadcasting: a dim of static size 1 broadcasts; known sizes above 1 must agree; otherwise the result
     * is unknown. Returns null when two known sizes conflict.
     */
    public static long[] staticBroadcast(long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) rank = Math.max(rank, s.length);
        long[] out = new long[rank];
        for (int d = 0; d < rank; d++) {
            long known = 1;
            boolean unknown = false;
            for (long[] s : shapes) {
                int k = d - (rank - s.length);
                if (k < 0) continue;
                long v = s[k];
                if (v < 0) unknown = true;
                else if (v != 1) {
                    if (known != 1 && known != v) return null;
                    known = v;
                }
            }
            out[d] = known != 1 ? known : unknown ? Shapes.UNKNOWN : 1;
        }
        return out;
    }

    private static String shapeList(long[][] shapes) {
        List<String> s = new ArrayList<>();
        for (long[] x : shapes) s.add(Shapes.str(x));
        return String.join(" and ", s);
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        long[] shape = runtimeBroadcast(node, in);
        DType[] dts = new DType[in.length];
        for (int i = 0; i < in.length; i++) dts[i] = in[i].dtype();
        DType dt = outDType != null ? outDType : scalar.outputDType(dts);
        evaluate(scalar, in, Op.reuse(outs, 0, dt, shape));
    }

    /**
     * Runtime broadcasting with the static rule: an input dim that is unknown statically may not turn out to be 1
     * against a larger dim, because the gradient graph was built assuming it does not broadcast.
     */
    public static long[] runtimeBroadcast(Op op, List<TensorType> types, NDArray[] in) {
        return runtimeBroadcast(op, types, null, in);
    }

    /** {@link #runtimeBroadcast(Op, List, NDArray[])} for a node, whose input variables the error can name. */
    public static long[] runtimeBroadcast(Apply node, NDArray[] in) {
        List<TensorType> types = new ArrayList<>(in.length);
        List<String> names = new ArrayList<>(in.length);
        for (Variable v : node.inputs()) { types.add(v.type()); names.add(v.describe()); }
        return runtimeBroadcast(node.op(), types, names, in);
    }

    private static long[] runtimeBroadcast(Op op, List<TensorType> types, List<String> names, NDArray[] in) {
        int rank = 0;
        for (NDArray a : in) rank = Math.max(rank, a.ndim());
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (NDArray a : in) {
            long[] s = a.shape();
            for (int k = 0; k < s.length; k++) {
                int d = k + rank - s.length;
                if (s[k] != 1) {
                    if (out[d] != 1 && out[d] != s[k]) throw shapeError(op, in, "sizes " + out[d] + " and " + s[k] + " on axis " + d + " do not match");
                    out[d] = s[k];
                }
            }
        }
        for (int i = 0; i < in.length; i++) {
            long[] s = in[i].shape();
            long[] st = types.get(i).shape();
            for (int k = 0; k < s.length; k++) {
                int d = k + rank - s.length;
                if (s[k] == 1 && out[d] != 1 && st[k] != 1)
                    throw shapeError(op, in, "input " + i + (names != null ? " (" + names.get(i) + ")" : "") + " has size 1 on axis " + k + " where the others have " + out[d]
                            + ", but its type " + types.get(i) + " does not declare that axis broadcastable; declare it with static size 1"
                            + " (e.g. T.tensor(dtype, new long[]{..., 1, ...}, name), or dimshuffle/expandDims it) so the broadcast is known when the graph is built");
            }
        }
        return out;
    }

    private static TheonException.ShapeError shapeError(Op op, NDArray[] in, String what) {
        StringBuilder b = new StringBuilder(op.name()).append(": cannot broadcast input shapes ");
        for (int i = 0; i < in.length; i++) b.append(i == 0 ? "" : ", ").append(Shapes.str(in[i].shape()));
        return new TheonException.ShapeError(b.append(": ").append(what).toString());
    }

    /** Computes {@code scalar} over the (broadcastable) inputs into {@code out}. Exact in int64 when all inputs read are integral. */
    public static void evaluate(ScalarOp scalar, NDArray[] in, NDArray out) {
        long[] shape = out.shape();
        int n = in.length;
        NDArray[] v = new NDArray[n];
        for (int i = 0; i < n; i++) v[i] = in[i].broadcastTo(shape);
        // switch only tests its condition for nonzero: as a bool it joins the exact path of integer branches
        if (scalar == ScalarOp.SWITCH && !v[0].dtype().isDiscrete()) v[0] = in[0].astype(DType.BOOL).broadcastTo(shape);
        boolean integral = scalar.longFn() != null && out.dtype().isDiscrete();
        // second(a, b) never reads a's values: a float a must not send int64 values of b through doubles
        for (int i = 0; i < n; i++) integral &= v[i].dtype().isDiscrete() || scalar == ScalarOp.SECOND && i == 0;
        long size = Shapes.size(shape);
        if (size == 0) return;
        Odometer it = new Odometer(shape, v, out);
        long[] p = it.pos;
        if (integral) {
            ScalarOp.LongFn f = scalar.longFn();
            for (long k = 0; k < size; k++) {
                long a = v[0].readLong(p[0]);
                long b = n > 1 ? v[1].readLong(p[1]) : 0;
                long c = n > 2 ? v[2].readLong(p[2]) : 0;
                out.writeLong(p[n], f.apply(a, b, c));
                it.next();
            }
        } else {
            ScalarOp.DoubleFn f = scalar.doubleFn();
            for (long k = 0; k < size; k++) {
                double a = v[0].readDouble(p[0]);
                double b = n > 1 ? v[1].readDouble(p[1]) : 0;
                double c = n > 2 ? v[2].readDouble(p[2]) : 0;
                out.writeDouble(p[n], f.apply(a, b, c));
                it.next();
            }
        }
    }

    /**
     * The table's derivative rule for each input, summed over the axes the input was broadcast along and cast to
     * the input's dtype. Integer and bool inputs are disconnected (no gradient flows into discrete values).
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> outputGrads) {
        Variable gz = outputGrads.get(0);
        List<Variable> rules = isCast() ? List.of(gz) : ScalarGrad.rules(scalar, inputs, outputs.get(0), gz);
        List<Variable> result = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Variable x = inputs.get(i), g = rules.get(i);
            if (g == null || x.dtype().isDiscrete()) result.add(null);
            else if (g == ScalarGrad.ZERO) result.add(ScalarGrad.zeros(x));
            else result.add(dev.theon.grad.Grad.sumToType(g, x.type()));
        }
        return result;
    }

    @Override public int precedence() { return isCast() ? Precedence.ATOM : scalar.precedence(); }

    @Override public String pp(List<String> args) {
        String sym = scalar.symbol();
        if (isCast()) return "cast(" + args.get(0) + ", " + outDType + ")";
        if (sym == null) return scalar.fname() + "(" + String.join(", ", args) + ")";
        if (args.size() == 1) return sym + args.get(0);
        return args.get(0) + " " + sym + " " + args.get(1);
    }
}
