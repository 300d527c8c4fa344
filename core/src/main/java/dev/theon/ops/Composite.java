package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fused group of elementwise operations: one node that computes a scalar expression (a small DAG over the
 * {@link ScalarOp} table) at every position of its broadcast inputs, with one or more outputs. Fusion creates it
 * from chains of {@link Elemwise} nodes; every backend compiles it into one kernel (one pass over memory).
 * <p>
 * The body is a list of {@link Instr}uctions in evaluation order. An argument index below {@code nInputs} names an
 * input; index {@code nInputs + k} names the result of instruction k. {@code outputs} lists the instructions whose
 * results leave the node. Dtypes follow the table's rules from the inputs' dtypes, instruction by instruction, so an
 * intermediate of dtype float32 is rounded to float32 exactly as the unfused graph would round it.
 */
public record Composite(int nInputs, List<Instr> body, int[] outputs) implements Op {

    /** One scalar operation: {@code op(args...)}, cast to {@code castTo} when that is not null. */
    public record Instr(ScalarOp op, int[] args, DType castTo) {
        public Instr {
            if (args.length != op.arity()) throw new IllegalArgumentException(op.fname() + " takes " + op.arity() + " arguments, got " + args.length);
            args = args.clone();
        }
        @Override public int[] args() { return args.clone(); }
        public int arg(int i) { return args[i]; }
        @Override public boolean equals(Object o) {
            return o instanceof Instr i && i.op == op && Arrays.equals(i.args, args) && i.castTo == castTo;
        }
        @Override public int hashCode() { return op.hashCode() * 31 + Arrays.hashCode(args) * 7 + (castTo == null ? 0 : castTo.hashCode()); }
    }

    public Composite {
        body = List.copyOf(body);
        outputs = outputs.clone();
        for (int k = 0; k < body.size(); k++)
            for (int a : body.get(k).args) if (a < 0 || a >= nInputs + k) throw new IllegalArgumentException("instruction " + k + " reads " + a + " before it exists");
        for (int o : outputs) if (o < 0 || o >= body.size()) throw new IllegalArgumentException("output " + o + " is not an instruction");
    }

    @Override public int[] outputs() { return outputs.clone(); }

    @Override public Op bind(DType floatX) {
        boolean any = false;
        List<Instr> b = new ArrayList<>();
        for (Instr i : body) {
            any |= i.castTo == DType.FLOATX;
            b.add(i.castTo == DType.FLOATX ? new Instr(i.op, i.args, floatX) : i);
        }
        return any ? new Composite(nInputs, b, outputs) : this;
    }

    /** The dtype of every value (inputs first, then each instruction) for these input dtypes. */
    public DType[] dtypes(DType[] in) {
        DType[] d = Arrays.copyOf(in, nInputs + body.size());
        for (int k = 0; k < body.size(); k++) {
            Instr i = body.get(k);
            DType[] a = new DType[i.args.length];
            for (int j = 0; j < a.length; j++) a[j] = d[i.args[j]];
            d[nInputs + k] = i.castTo != null ? i.castTo : i.op.outputDType(a);
        }
        return d;
    }

    @Override public String name() { return "composite{" + expression() + "}"; }

    /** The fused expression as text, e.g. {@code tanh(i0 * i1 + i2)}; several outputs are separated by commas. */
    public String expression() {
        String[] text = new String[nInputs + body.size()];
        for (int i = 0; i < nInputs; i++) text[i] = "i" + i;
        for (int k = 0; k < body.size(); k++) {
            Instr in = body.get(k);
            List<String> args = new ArrayList<>();
            for (int a : in.args) args.add(text[a]);
            String s = in.castTo != null && in.op == ScalarOp.IDENTITY ? "cast(" + args.get(0) + ", " + in.castTo + ")" : new Elemwise(in.op).pp(args);
            text[nInputs + k] = in.op.symbol() != null ? "(" + s + ")" : s;
        }
        List<String> outs = new ArrayList<>();
        for (int o : outputs) outs.add(text[nInputs + o]);
        return String.join(", ", outs);
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != nInputs) throw typeError(in, "expects " + nInputs + " operands, got " + in.size());
        long[][] shapes = new long[in.size()][];
        DType[] dts = new DType[in.size()];
        for (int i = 0; i < dts.length; i++) { shapes[i] = in.get(i).type().shape(); dts[i] = in.get(i).dtype(); }
        long[] shape = Elemwise.staticBroadcast(shapes);
        if (shape == null) throw typeError(in, "input shapes cannot be broadcast together");
        DType[] all = dtypes(dts);
        List<TensorType> r = new ArrayList<>();
        for (int o : outputs) r.add(TensorType.of(all[nInputs + o], shape));
        return r;
    }

    /** Reference evaluation: element by element, each instruction in its own dtype (exact in int64 where integral). */
    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        List<TensorType> types = new ArrayList<>();
        for (Variable v : node.inputs()) types.add(v.type());
        long[] shape = Elemwise.runtimeBroadcast(this, types, in);
        DType[] inD = new DType[in.length];
        for (int i = 0; i < in.length; i++) inD[i] = in[i].dtype();
        DType[] d = dtypes(inD);
        NDArray[] views = new NDArray[in.length];
        for (int i = 0; i < in.length; i++) views[i] = in[i].broadcastTo(shape);
        NDArray[] out = new NDArray[outputs.length];
        for (int j = 0; j < outputs.length; j++) out[j] = Op.reuse(outs, j, d[nInputs + outputs[j]], shape);
        NDArray[] all = Arrays.copyOf(views, views.length + out.length);
        System.arraycopy(out, 0, all, views.length, out.length);
        long size = dev.theon.tensor.Shapes.size(shape);
        if (size == 0) return;
        Odometer it = new Odometer(shape, all);
        double[] dv = new double[nInputs + body.size()];
        long[] lv = new long[nInputs + body.size()];
        for (long e = 0; e < size; e++) {
            for (int i = 0; i < nInputs; i++) {
                if (d[i].isDiscrete()) { lv[i] = views[i].readLong(it.pos[i]); dv[i] = lv[i]; }
                else dv[i] = views[i].readDouble(it.pos[i]);
            }
            for (int k = 0; k < body.size(); k++) {
                Instr ins = body.get(k);
                int r = nInputs + k;
                DType rd = d[r];
                boolean integral = rd.isDiscrete() && ins.op.longFn() != null;
                for (int a : ins.args) integral &= d[a].isDiscrete();
                int a0 = ins.args[0], a1 = ins.args.length > 1 ? ins.args[1] : a0, a2 = ins.args.length > 2 ? ins.args[2] : a0;
                if (integral) {
                    lv[r] = wrap(rd, ins.op.longFn().apply(lv[a0], lv[a1], lv[a2]));
                    dv[r] = lv[r];
                } else {
                    double v = ins.op.apply(dv[a0], dv[a1], dv[a2]);
                    if (rd.isDiscrete()) { lv[r] = wrap(rd, rd.isBool() ? (v != 0 ? 1 : 0) : (long) v); dv[r] = lv[r]; }
                    else dv[r] = rd == DType.FLOAT32 ? (float) v : v;
                }
            }
            for (int j = 0; j < outputs.length; j++) {
                int r = nInputs + outputs[j];
                if (d[r].isDiscrete()) out[j].writeLong(it.pos[in.length + j], lv[r]);
                else out[j].writeDouble(it.pos[in.length + j], dv[r]);
            }
            it.next();
        }
    }

    /** A long narrowed to a dtype's width the way storing it would narrow it. */
    static long wrap(DType d, long v) {
        return switch (d) {
            case BOOL -> v != 0 ? 1 : 0;
            case INT8 -> (byte) v;
            case INT16 -> (short) v;
            case INT32 -> (int) v;
            default -> v;
        };
    }

    /** The unfused graph of this node on {@code inputs}: one Elemwise node per instruction. */
    public List<Variable> expand(List<Variable> inputs) {
        List<Variable> vals = new ArrayList<>(inputs);
        for (Instr i : body) {
            Variable[] args = new Variable[i.args.length];
            for (int j = 0; j < args.length; j++) args[j] = vals.get(i.args[j]);
            vals.add(new Elemwise(i.op, i.castTo).apply(args));
        }
        List<Variable> r = new ArrayList<>();
        for (int o : outputs) r.add(vals.get(nInputs + o));
        return r;
    }

    /** The gradient of the unfused expression (fusion normally runs after gradients are built, so this is rare). */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outs, List<Variable> gz) {
        List<Variable> expanded = expand(inputs);
        java.util.Map<Variable, Variable> known = new java.util.IdentityHashMap<>();
        for (int j = 0; j < expanded.size(); j++) if (gz.get(j) != null) known.put(expanded.get(j), gz.get(j));
        List<Variable> wrt = new ArrayList<>();
        for (Variable v : inputs) wrt.add(v);
        List<Variable> g = dev.theon.grad.Grad.grad(null, wrt, dev.theon.grad.Grad.options().knownGrads(known)
                .disconnectedInputs("ignore").returnDisconnected("none"));
        List<Variable> r = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) r.add(inputs.get(i).dtype().isDiscrete() ? null : g.get(i));
        return r;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Composite c && c.nInputs == nInputs && c.body.equals(body) && Arrays.equals(c.outputs, outputs);
    }

    @Override public int hashCode() { return nInputs * 31 + body.hashCode() * 7 + Arrays.hashCode(outputs); }

    @Override public String toString() { return name(); }
}
