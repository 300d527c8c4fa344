package dev.theon.rewrite;

import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Elemwise;

import java.util.Arrays;

/**
 * Fitting a replacement to the type of the variable it replaces. A rewrite must keep the output's dtype and static
 * type, broadcastable dims included, because the readers of the old variable were typed against it. A replacement of
 * another dtype is cast; one of lower rank gets leading broadcastable axes where the old type has them; anything else
 * is refused and the rewrite does not fire.
 */
public final class Types {
    private Types() {}

    /** {@code rep} fitted to {@code old}'s type, or null when it cannot be done without changing values or shapes. */
    public static Variable conform(Variable old, Variable rep) {
        TensorType ot = old.type();
        if (rep.ndim() > ot.ndim()) return null;
        Variable r = rep;
        if (r.ndim() < ot.ndim()) {
            int lead = ot.ndim() - r.ndim();
            for (int d = 0; d < lead; d++) if (ot.dim(d) != 1) return null;
            int[] pattern = new int[ot.ndim()];
            Arrays.fill(pattern, 0, lead, DimShuffle.NEW_AXIS);
            for (int d = 0; d < r.ndim(); d++) pattern[lead + d] = d;
            r = r instanceof Constant c
                    ? new Constant(TensorType.of(c.dtype(), withLead(c.type().shape(), lead)), c.value().reshape(withLead(c.value().shape(), lead)), null)
                    : new DimShuffle(r.ndim(), pattern).apply(r);
        }
        if (r.dtype() != ot.dtype()) {
            r = r instanceof Constant c
                    ? new Constant(c.type().withDType(ot.dtype()), c.value().astype(ot.dtype()), null)
                    : Elemwise.cast(ot.dtype()).apply(r);
        }
        if (FunctionGraph.incompatibility(ot, r.type()) != null) return null;
        // a computed value that claims a broadcastable dim where the old one did not would broadcast where the old
        // value had a size of its own (a constant's exact shape is its value's, so it may)
        if (!(r instanceof Constant))
            for (int d = 0; d < ot.ndim(); d++) if (ot.dim(d) != 1 && r.type().dim(d) == 1) return null;
        return r;
    }

    private static long[] withLead(long[] s, int lead) {
        long[] r = new long[s.length + lead];
        Arrays.fill(r, 0, lead, 1);
        System.arraycopy(s, 0, r, lead, s.length);
        return r;
    }
}
