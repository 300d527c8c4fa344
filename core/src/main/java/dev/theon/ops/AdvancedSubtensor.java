package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.Arrays;
import java.util.List;

/**
 * Advanced (integer array) indexing {@code x[idx, 1:3, idx2]} with NumPy's rules: the index arrays (and integers
 * beside them) broadcast together; their shape replaces the indexed axes in place when the advanced entries are
 * adjacent, and goes first otherwise. The result is a new array. Inputs: {@code x}, then the symbolic positions
 * and index arrays ({@link Index#INPUT}) in entry order.
 */
public record AdvancedSubtensor(List<Index> entries) implements Op {

    public AdvancedSubtensor { entries = List.copyOf(entries); }

    @Override public String name() { return "advanced_subtensor" + Indexing.brackets(entries, List.of(), "{", "}"); }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.isEmpty()) throw typeError(in, "expects the tensor to index");
        return List.of(TensorType.of(in.get(0).dtype(), IndexTypes.regionShape(this, entries, in, 1)));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] out) {
        NDArray x = in[0];
        Region region = Region.of(this, entries, x, Arrays.copyOfRange(in, 1, in.length));
        NDArray result = Op.reuse(out, 0, x.dtype(), region.shape());
        region.forEach(result, NDArray::copyInto);
    }

    /**
     * Gradient: zeros like {@code x} with the output gradient added into the region; where an index repeats, the
     * contributions accumulate ({@code np.add.at}), since x's element was read once per repetition. The index inputs
     * are disconnected.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        return Indexing.readGrad(entries, inputs, gz.get(0));
    }

    @Override public String pp(List<String> args) { return args.get(0) + Indexing.brackets(entries, args.subList(1, args.size()), "[", "]"); }

    @Override public String toString() { return name(); }
}
