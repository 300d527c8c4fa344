package dev.theon.backend;

import dev.theon.graph.FunctionGraph;
import dev.theon.tensor.NDArray;

/**
 * A compiled graph. {@link #run} may be called from many threads at once; each call has its own intermediates.
 * Returned arrays belong to the caller: they never alias the inputs, each other, or storage the executable reuses;
 * except with {@link CompileOptions#borrowOutputs}, where outputs other than update values are lent: the executable
 * may write into them again on a later call from the same thread (never from another thread's call), but they still
 * never alias the inputs, constants or each other.
 */
public interface Executable {
    /** Computes the graph's outputs from values for its inputs (explicit inputs, then shared values), in graph order. */
    NDArray[] run(NDArray[] inputs);

    /** Which kernel runs each node, on which backend and device, and which nodes fell back and why. */
    String describe();

    FunctionGraph graph();

    /** The node times of a function compiled with profiling, or null when it was not (or this backend cannot time nodes). */
    default Profile profile() { return null; }
}
