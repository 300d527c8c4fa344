package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.ops.Composite;
import dev.theon.ops.Composite.Instr;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One kernel per {@link Elemwise} or {@link Composite} node, generated from the scalar table: each work-item reads
 * its element of every input through strides (stride 0 along broadcast axes, so broadcasting needs no copies),
 * evaluates the expression instruction by instruction in each instruction's dtype, and writes every output.
 * <p>
 * Three variants are generated: a unit-stride one (every operand read at {@code offset + i}, scalars at their
 * offset: plain vector code), a flat one ({@code offset + i * stride} per input) and, for outputs of rank 2 or more,
 * one that splits the flat index over the output's axes. At run time the axes along which every operand is laid out
 * contiguously are merged first, so contiguous operands and scalars take the unit variant, whole-array broadcasts
 * the flat one, and only true strided or broadcast layouts pay for index arithmetic.
 * <p>
 * Computation types follow the reference: where the reference folds in exact int64 ({@link ScalarOp#longFn()} on
 * integer inputs) the kernel computes in {@code long} and wraps to the result's width; otherwise it computes in
 * {@code float} for float32 results of narrow inputs and in {@code double} where a float64 value is involved (or
 * an int32/int64 input would lose digits in float, when the device has doubles).
 */
final class ElementwiseKernel {
    private final Composite op;
    private final DType[] inD, outD;
    private final int rank;
    private final KernelSource unit, flat, ranked;
    private final boolean[] scalar;  // inputs of rank 0: read at their offset in every variant
    private ClKernel kUnit, kFlat, kRanked;

    ElementwiseKernel(Composite op, DType[] inD, DType[] outD, int rank, boolean deviceFp64) {
        this(op, inD, new boolean[inD.length], outD, rank, deviceFp64);
    }

    /** {@code scalarInputs[i]}: input i has rank 0 (its offset is its only element). */
    ElementwiseKernel(Composite op, DType[] inD, boolean[] scalarInputs, DType[] outD, int rank, boolean deviceFp64) {
        this.op = op;
        this.inD = inD.clone();
        this.outD = outD.clone();
        this.rank = rank;
        DType[] all = op.dtypes(inD);
        boolean uses64 = false;
        for (DType d : all) uses64 |= d == DType.FLOAT64;
        String body = body(all, deviceFp64);
        uses64 |= body.contains("double");
        this.scalar = scalarInputs.clone();
        this.unit = KernelSource.of("ew0", source(0, body), uses64);
        this.flat = KernelSource.of("ew1", source(1, body), uses64);
        this.ranked = rank >= 2 ? KernelSource.of("ew" + rank, source(rank, body), uses64) : null;
    }

    /** The one-instruction composite of an Elemwise node (its explicit output dtype becomes the instruction's cast). */
    static Composite asComposite(Elemwise e) {
        int n = e.scalar().arity();
        int[] args = new int[n];
        for (int i = 0; i < n; i++) args[i] = i;
        return new Composite(n, List.of(new Instr(e.scalar(), args, e.outDType())), new int[]{0});
    }

    /** A copy kernel: identity from {@code d} to {@code d}, for making strided tensors contiguous. */
    static ElementwiseKernel copy(DType d, int rank, boolean deviceFp64) {
        Composite id = new Composite(1, List.of(new Instr(ScalarOp.IDENTITY, new int[]{0}, null)), new int[]{0});
        return new ElementwiseKernel(id, new DType[]{d}, new DType[]{d}, rank, deviceFp64);
    }

    List<KernelSource> sources() { return ranked == null ? List.of(unit, flat) : List.of(unit, flat, ranked); }

    void bind(Map<String, ClKernel> built) {
        kUnit = built.get(unit.name());
        kFlat = built.get(flat.name());
        if (ranked != null) kRanked = built.get(ranked.name());
    }

    String describe() { return unit.name() + " / " + flat.name() + (ranked == null ? "" : " / " + ranked.name()); }

    // ---------------------------------------------------------------- generation

    private String body(DType[] d, boolean deviceFp64) {
        int n = op.nInputs();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append("    const ").append(CTypes.of(d[i])).append(" v").append(i).append(" = x").append(i).append("[i").append(i).append("];\n");
        List<Instr> body = op.body();
        for (int k = 0; k < body.size(); k++) {
            Instr ins = body.get(k);
            int r = n + k;
            DType rd = d[r];
            int[] a = ins.args();
            ScalarOp s = ins.op();
            boolean integral = rd.isDiscrete() && ScalarCode.hasIntegral(s);
            // floor division and modulo of floats round away from the reference's double result near integers: double where possible
            boolean wide = rd == DType.FLOAT64 || s == ScalarOp.INT_DIV || s == ScalarOp.MOD, has64 = rd == DType.FLOAT64;
            for (int j = 0; j < a.length; j++) {
                if (exempt(s, j)) continue;
                DType ad = d[a[j]];
                integral &= ad.isDiscrete();
                wide |= ad == DType.FLOAT64 || ad == DType.INT32 || ad == DType.INT64;
                has64 |= ad == DType.FLOAT64;
            }
            String ct = integral ? "long" : has64 || (wide && deviceFp64) ? "double" : "float";
            String[] args = new String[3];
            for (int j = 0; j < 3; j++) {
                if (j >= a.length) { args[j] = "0"; continue; }
                String v = "v" + a[j];
                if (s == ScalarOp.SWITCH && j == 0) args[j] = "(" + v + " != 0)";
                else if (s == ScalarOp.SECOND && j == 0) args[j] = "0";
                else args[j] = CTypes.of(d[a[j]]).equals(ct) ? v : "((" + ct + ") " + v + ")";
            }
            String e = ScalarCode.expr(s, ct, args[0], args[1], args[2]);
            b.append("    const ").append(CTypes.of(rd)).append(" v").append(r).append(" = ").append(CTypes.convert(e, ct, rd)).append(";\n");
        }
        int[] outs = op.outputs();
        for (int j = 0; j < outs.length; j++) {
            DType vd = d[n + outs[j]];
            String v = "v" + (n + outs[j]);
            b.append("    y").append(j).append("[g] = ").append(vd == outD[j] ? v : CTypes.convert(v, CTypes.of(vd), outD[j])).append(";\n");
        }
        return b.toString();
    }

    /** Arguments whose values the op does not compute with: second's first operand, switch's condition (tested apart). */
    private static boolean exempt(ScalarOp s, int j) { return j == 0 && (s == ScalarOp.SECOND || s == ScalarOp.SWITCH); }

    private String source(int r, String body) {
        int n = op.nInputs();
        StringBuilder b = new StringBuilder("__kernel void $NAME(const long n");
        for (int i = 0; i < n; i++) {
            b.append(",\n    __global const ").append(CTypes.of(inD[i])).append("* x").append(i).append(", const long o").append(i);
            for (int d = 0; d < Math.max(r, 1); d++) b.append(", const long s").append(i).append('_').append(d);
        }
        for (int j = 0; j < outD.length; j++) b.append(",\n    __global ").append(CTypes.of(outD[j])).append("* y").append(j);
        for (int d = 1; d < r; d++) b.append(", const long d").append(d);
        // one element per work-item: CPU implementations vectorize across work-items, GPUs need no loop at these sizes
        b.append(") {\n  const long g = get_global_id(0);\n  if (g < n) {\n");
        if (r <= 1) {
            for (int i = 0; i < n; i++) {
                b.append("    const long i").append(i).append(" = o").append(i);
                if (!scalar[i]) b.append(r == 0 ? " + g" : " + g * s" + i + "_0");
                b.append(";\n");
            }
        } else {
            for (int i = 0; i < n; i++) b.append("    long i").append(i).append(" = o").append(i).append(";\n");
            b.append("    long r = g;\n");
            for (int d = r - 1; d >= 1; d--) {
                b.append("    { const long c = r % d").append(d).append("; r /= d").append(d).append(";");
                for (int i = 0; i < n; i++) b.append(" i").append(i).append(" += c * s").append(i).append('_').append(d).append(';');
                b.append(" }\n");
            }
            for (int i = 0; i < n; i++) b.append("    i").append(i).append(" += r * s").append(i).append("_0;\n");
        }
        b.append(body).append("  }\n}\n");
        return b.toString();
    }

    // ---------------------------------------------------------------- launch

    /**
     * Computes into {@code out} (fresh contiguous tensors of {@code shape}) from {@code in}, each already viewed with
     * {@code shape} (stride 0 along broadcast axes).
     */
    void run(ClCall c, DeviceTensor[] in, DeviceTensor[] out, long[] shape) {
        long n = dev.theon.tensor.Shapes.size(shape);
        if (n == 0) return;
        int m = in.length;
        long[][] st = new long[m + out.length][];
        for (int i = 0; i < m; i++) st[i] = in[i].strides();
        for (int j = 0; j < out.length; j++) st[m + j] = out[j].strides();
        Merged g = Merged.of(shape, st);
        List<Object> args = new ArrayList<>();
        args.add(n);
        if (g.shape.length <= 1 || kRanked == null) {
            boolean unitStrides = true;
            for (int i = 0; i < m; i++) {
                long st1 = g.shape.length == 0 ? 0L : g.strides[i][0];
                unitStrides &= scalar[i] || st1 == 1 || n == 1;
                args.add(in[i].buffer());
                args.add(in[i].offset());
                args.add(st1);
            }
            for (DeviceTensor o : out) args.add(o.buffer());
            c.launch1d(unitStrides ? kUnit : kFlat, n, args);
            return;
        }
        // pad the merged axes on the left to the kernel's rank
        int pad = rank - g.shape.length;
        for (int i = 0; i < m; i++) {
            args.add(in[i].buffer());
            args.add(in[i].offset());
            for (int d = 0; d < rank; d++) args.add(d < pad ? 0L : g.strides[i][d - pad]);
        }
        for (DeviceTensor o : out) args.add(o.buffer());
        for (int d = 1; d < rank; d++) args.add(d < pad ? 1L : g.shape[d - pad]);
        c.launch1d(kRanked, n, args);
    }

    /** A shape with its size-1 axes dropped and neighbouring axes merged where every operand allows it. */
    record Merged(long[] shape, long[][] strides) {
        static Merged of(long[] shape, long[][] st) {
            List<Long> s = new ArrayList<>();
            List<long[]> cols = new ArrayList<>();  // per kept axis: every operand's stride
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 1) continue;
                long[] col = new long[st.length];
                for (int i = 0; i < st.length; i++) col[i] = st[i][d];
                if (!s.isEmpty()) {
                    long[] prev = cols.getLast();
                    long size = shape[d];
                    boolean mergeable = true;
                    for (int i = 0; i < st.length; i++) mergeable &= prev[i] == col[i] * size;
                    if (mergeable) {
                        s.set(s.size() - 1, s.getLast() * size);
                        cols.set(cols.size() - 1, col);
                        continue;
                    }
                }
                s.add(shape[d]);
                cols.add(col);
            }
            long[] ms = new long[s.size()];
            long[][] mst = new long[st.length][s.size()];
            for (int d = 0; d < ms.length; d++) {
                ms[d] = s.get(d);
                for (int i = 0; i < st.length; i++) mst[i][d] = cols.get(d)[i];
            }
            return new Merged(ms, mst);
        }
    }
}
