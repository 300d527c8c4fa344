package dev.theon.backend;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.function.IntFunction;

/**
 * How every backend names a node in {@code describe()} and in error messages:
 * {@code op(input shape, ...) -> 'name' created at File.java:12}.
 */
public final class NodeText {
    private NodeText() {}

    /** The node with its inputs; {@code inputShape} gives input i's run-time shape, or null where it is not known. */
    public static String of(Apply node, IntFunction<long[]> inputShape) {
        StringBuilder b = new StringBuilder(node.op().name()).append('(');
        for (int i = 0; i < node.inputs().size(); i++) {
            Variable v = node.input(i);
            if (i > 0) b.append(", ");
            b.append(v.name() != null ? v.name() : v instanceof Constant c && c.value().size() == 1 ? String.valueOf(c.value().flatDouble(0)) : "<" + v.type().dtype() + ">");
            long[] shape = inputShape == null ? null : inputShape.apply(i);
            if (shape != null) b.append(' ').append(Shapes.str(shape));
        }
        b.append(')');
        Variable out = node.outputs().get(0);
        if (out.name() != null) b.append(" -> '").append(out.name()).append('\'');
        if (out.createdAt() != null) b.append(" created at ").append(out.createdAt());
        return b.toString();
    }

    /** The node with the shapes of the arrays it ran on ({@code in} or any element of it may be null). */
    public static String of(Apply node, NDArray[] in) {
        return of(node, in == null ? null : i -> in[i] == null ? null : in[i].shape());
    }

    /** The node without shapes, for compile-time listings. */
    public static String of(Apply node) { return of(node, (IntFunction<long[]>) null); }
}
