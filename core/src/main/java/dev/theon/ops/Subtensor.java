package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.Arrays;
import java.util.List;

/**
 * Basic indexing {@code x[i, a:b:c, newaxis]} (NumPy's rules: an integer drops its axis, a slice keeps it, axes
 * left over are taken whole). The result is a view of {@code x}. Inputs: {@code x}, then the symbolic positions
 * ({@link Index#INPUT}) in entry order.
 */
public record Subtensor(List<Index> entries) implements Op {

    public Subtensor {
        entries = List.copyOf(entries);
        if (IndexTypes.isAdvanced(entries))
            throw new dev.theon.TheonException.TypeError("subtensor takes basic entries only; integer-array entries need AdvancedSubtensor");
    }

    @Override public String name() { return "subtensor" + Indexing.brackets(entries, List.of(), "{", "}"); }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.isEmpty()) throw typeError(in, "expects the tensor to index");
        return List.of(TensorType.of(in.get(0).dtype(), IndexTypes.regionShape(this, entries, in, 1)));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] out) {
        out[0] = Region.of(this, entries, in[0], Arrays.copyOfRange(in, 1, in.length)).view();
    }

    /** Gradient: zeros like {@code x} with the output gradient written into the region; the positions are disconnected. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        return Indexing.readGrad(entries, inputs, gz.get(0));
    }

    @Override public String pp(List<String> args) { return args.get(0) + Indexing.brackets(entries, args.subList(1, args.size()), "[", "]"); }

    @Override public String toString() { return name(); }
}
