package dev.theon.rewrite;

import dev.theon.graph.Constant;
import dev.theon.graph.Variable;
import dev.theon.ops.Alloc;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;
import dev.theon.ops.ShapeI;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.graph.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * Small constructors for replacement graphs. Rewrites run after floatX is bound, so every constant they make has a
 * concrete dtype (a Java literal meeting an integer tensor would otherwise become a floatX constant).
 */
final class Build {
    private Build() {}

    static Variable elem(ScalarOp op, Variable... in) { return new Elemwise(op).apply(in); }

    static Variable neg(Variable x) { return elem(ScalarOp.NEG, x); }

    /** The size of axis {@code d} of {@code x}: a constant when the static type knows it. */
    static Variable dim(Variable x, int d) {
        long s = x.type().dim(d);
        return s >= 0 ? new Constant(TensorType.of(DType.INT64), NDArray.scalarLong(DType.INT64, s), null) : new ShapeI(d).apply(x);
    }

    /** A tensor of {@code like}'s shape (read from {@code shapeOf} at run time where unknown) filled with {@code value} of {@code dtype}. */
    static Variable filled(Variable shapeOf, DType dtype, double value) {
        List<Variable> in = new ArrayList<>();
        in.add(Consts.scalar(dtype, value));
        for (int d = 0; d < shapeOf.ndim(); d++) in.add(dim(shapeOf, d));
        return new Alloc().make(in).out();
    }
}
