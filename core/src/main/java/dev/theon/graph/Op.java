package dev.theon.graph;

import dev.theon.TheonException;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.Arrays;
import java.util.List;

/**
 * An operation: everything about it declared side by side in one place.
 * <ul>
 *   <li>{@link #outputTypes} — the type rule: checks dtypes, ranks and static shapes of the inputs when the graph is
 *       built, and throws a {@link TheonException.TypeError} naming the op and the operands when they do not fit;</li>
 *   <li>{@link #perform} — the reference implementation on NDArrays, the oracle for every backend;</li>
 *   <li>{@link #grad} — the symbolic gradient (L_op): output gradients to input gradients;</li>
 *   <li>{@link #pp} and {@link #precedence} — how it prints.</li>
 * </ul>
 * Ops are immutable values with value equality (most are records), so equal subgraphs are found by hashing.
 */
public interface Op {

    /** Short name used in printing and messages: "add", "sum{axis=0}", "dot". */
    String name();

    /** The type rule. Throws {@link TheonException.TypeError} naming this op and the operands' types on bad input. */
    List<TensorType> outputTypes(List<Variable> inputs);

    /**
     * Computes the outputs from the inputs. On entry {@code outputs[i]} holds this node's result from an earlier call
     * (or null); the op may write into it when its dtype and shape fit (see {@link #reuse}) or store a new array.
     * An output may be a view of an input. {@code node} is the Apply being run (its types tell, e.g., which dims
     * were declared broadcastable).
     */
    void perform(Apply node, NDArray[] inputs, NDArray[] outputs);

    /**
     * The symbolic gradient: given the inputs and the gradients of the cost with respect to each output
     * (null where an output does not influence the cost), returns one gradient per input: a variable, or
     * {@code null} for "disconnected" (the input does not influence the outputs). The default says clearly that
     * this op has no gradient.
     */
    default List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> outputGrads) {
        throw new TheonException.GradientError("op " + name() + " has no gradient defined; it cannot be differentiated through"
                + " (wrap its input in T.disconnectedGrad(...) or T.zeroGrad(...) if no gradient is wanted)");
    }

    /** This op with FLOATX in its parameters bound to {@code floatX}; ops without dtype parameters return themselves. */
    default Op bind(DType floatX) { return this; }

    /** Printing: how to show this op applied to already-printed arguments. */
    default String pp(List<String> args) { return name() + "(" + String.join(", ", args) + ")"; }

    /** Printing precedence: higher binds tighter. Function-call style is atomic. */
    default int precedence() { return Precedence.ATOM; }

    /** Builds the node: checks the inputs with the type rule and creates the outputs. */
    default Apply make(List<Variable> inputs) {
        for (int i = 0; i < inputs.size(); i++)
            if (inputs.get(i) == null) throw new TheonException.TypeError(name() + ": input " + i + " is null");
        return new Apply(this, inputs, outputTypes(inputs));
    }

    default Apply make(Variable... inputs) { return make(Arrays.asList(inputs)); }

    /** Builds the node and returns its single output. */
    default Variable apply(Variable... inputs) { return make(inputs).out(); }

    /** The array to write output {@code i} into: the previous one when it fits exactly and is contiguous, else a new one. */
    static NDArray reuse(NDArray[] outputs, int i, DType dtype, long[] shape) {
        NDArray prev = outputs[i];
        if (prev != null && prev.dtype() == dtype && Arrays.equals(prev.shape(), shape) && prev.isContiguous() && prev.offset() == 0) return prev;
        NDArray a = NDArray.zeros(dtype, shape);
        outputs[i] = a;
        return a;
    }

    /** A TypeError naming this op and the operand types. */
    default TheonException.TypeError typeError(List<Variable> inputs, String what) {
        StringBuilder b = new StringBuilder(name()).append(": ").append(what).append("; operands: ");
        for (int i = 0; i < inputs.size(); i++) {
            if (i > 0) b.append(", ");
            Variable v = inputs.get(i);
            b.append(v.describe()).append(" : ").append(v.type()).append(v.whereCreated());
        }
        return new TheonException.TypeError(b.toString());
    }

    /** Printing precedences, as in Python. */
    final class Precedence {
        private Precedence() {}
        public static final int OR = 10, XOR = 11, AND = 12, COMPARE = 20, ADD = 30, MUL = 40, UNARY = 50, POW = 60, ATOM = 100;
    }
}
