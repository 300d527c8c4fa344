package dev.theon.ops;

import dev.theon.T;
import dev.theon.graph.Variable;

import java.util.Arrays;
import java.util.List;

/**
 * The last step of many ops' gradients: turning a gradient computed at some convenient type into the gradient of
 * one particular input, which must have that input's dtype and rank; discrete inputs (indices, shapes) get none.
 */
final class InputGrads {
    private InputGrads() {}

    /** {@code g} as the gradient of {@code x}: null (disconnected) when x is bool or integer, else cast to x's dtype. */
    static Variable of(Variable g, Variable x) {
        if (x.dtype().isDiscrete()) return null;
        return T.cast(g, x.dtype());
    }

    /**
     * {@code g}, which holds x's elements in C order under another shape, given x's shape back: a fixed reshape when
     * x's static shape is fully known (so the gradient keeps x's static type), else one to x's run-time shape.
     */
    static Variable reshapedLike(Variable g, Variable x) {
        if (x.dtype().isDiscrete()) return null;
        Variable r;
        if (g.ndim() == 1 && x.ndim() == 1) r = g;
        else if (x.type().fullyKnown()) r = Reshape.to(x.type().shape()).apply(g);
        else r = Reshape.symbolic(x.ndim()).apply(g, T.shape(x));
        return of(r, x);
    }

    /** {@code n} disconnected gradients, for ops whose inputs or outputs are all discrete. */
    static List<Variable> none(int n) { return Arrays.asList(new Variable[n]); }
}
