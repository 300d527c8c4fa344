package dev.theon.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One node of the graph: an op applied to input variables, producing output variables. Seen from outside it is
 * immutable; only the {@link FunctionGraph} that owns a node (a compiled function's private clone) may re-point one of
 * its inputs, when a rewrite replaces a variable by another of a compatible type (see {@link FunctionGraph#replace}).
 */
public final class Apply {
    private final Op op;
    private final Variable[] in;
    private final List<Variable> inputs;
    private final List<Variable> outputs;

    Apply(Op op, List<Variable> inputs, List<TensorType> outputTypes) {
        this.op = op;
        this.in = inputs.toArray(new Variable[0]);
        this.inputs = Collections.unmodifiableList(Arrays.asList(in));
        List<Variable> outs = new ArrayList<>(outputTypes.size());
        for (int i = 0; i < outputTypes.size(); i++) outs.add(new Variable(outputTypes.get(i), this, i, null));
        this.outputs = Collections.unmodifiableList(outs);
    }

    public Op op() { return op; }
    public List<Variable> inputs() { return inputs; }
    public Variable input(int i) { return inputs.get(i); }
    public List<Variable> outputs() { return outputs; }
    public Variable output(int i) { return outputs.get(i); }
    /** The single output (most ops have one). */
    public Variable out() {
        if (outputs.size() != 1) throw new IllegalStateException(op.name() + " has " + outputs.size() + " outputs");
        return outputs.get(0);
    }

    /** Re-points input {@code i}; only {@link FunctionGraph} does this, on nodes it owns. */
    void setInput(int i, Variable v) { in[i] = v; }

    /** The same op applied to other inputs (types are inferred again). */
    public Apply withInputs(List<Variable> newInputs) { return op.make(newInputs); }

    @Override public String toString() { return op.name() + inputs.stream().map(Variable::describe).toList(); }
}
