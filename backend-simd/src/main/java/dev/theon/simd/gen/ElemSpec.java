package dev.theon.simd.gen;

import dev.theon.graph.Apply;
import dev.theon.ops.Composite;
import dev.theon.ops.Elemwise;
import dev.theon.tensor.DType;

import java.util.Arrays;
import java.util.List;

/**
 * The work of an elementwise node: a fused expression ({@link Composite}; a plain {@link Elemwise} is the composite
 * of one instruction) and the dtypes of its inputs, from which the dtype of every intermediate follows.
 */
public record ElemSpec(Composite expr, DType[] inputs) {

    public ElemSpec {
        inputs = inputs.clone();
    }

    /** The spec of an Elemwise or Composite node, with its (bound) input dtypes; null for other ops. */
    public static ElemSpec of(Apply node) {
        DType[] in = new DType[node.inputs().size()];
        for (int i = 0; i < in.length; i++) in[i] = node.input(i).dtype();
        return switch (node.op()) {
            case Composite c -> new ElemSpec(c, in);
            case Elemwise e -> new ElemSpec(asComposite(e), in);
            default -> null;
        };
    }

    /** One Elemwise op as a composite of one instruction over its operands. */
    public static Composite asComposite(Elemwise e) {
        int n = e.scalar().arity();
        int[] args = new int[n];
        for (int i = 0; i < n; i++) args[i] = i;
        return new Composite(n, List.of(new Composite.Instr(e.scalar(), args, e.outDType())), new int[]{0});
    }

    @Override public DType[] inputs() { return inputs.clone(); }

    public int nInputs() { return expr.nInputs(); }
    public int nOutputs() { return expr.outputs().length; }

    /** The dtype of every value: the inputs, then each instruction's result. */
    public DType[] values() { return expr.dtypes(inputs); }

    /** The dtype of output {@code j}. */
    public DType output(int j) { return values()[expr.nInputs() + expr.outputs()[j]]; }

    @Override public boolean equals(Object o) {
        return o instanceof ElemSpec s && s.expr.equals(expr) && Arrays.equals(s.inputs, inputs);
    }

    @Override public int hashCode() { return expr.hashCode() * 31 + Arrays.hashCode(inputs); }

    @Override public String toString() { return expr.expression() + " over " + Arrays.toString(inputs); }
}
