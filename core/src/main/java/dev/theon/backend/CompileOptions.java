package dev.theon.backend;

import dev.theon.compile.Mode;
import dev.theon.graph.SharedVariable;
import dev.theon.tensor.DType;

import java.util.List;
import java.util.Set;

/**
 * What a backend needs to know about how a function was asked to be compiled. {@code updates} names the shared
 * variable that each of the graph's last {@code updates.size()} outputs is the new value of, in order: a backend
 * that keeps shared values on a device uses it to keep the updated values there for the next call.
 * <p>
 * {@code borrowOutputs}: the function's outputs (not the update values) may be arrays the executable keeps and
 * overwrites on a later call, as Theano's {@code Out(borrow=True)}: see {@link #borrowed}. With {@code profile}, the
 * executable times each node into its {@link Executable#profile()}.
 */
public record CompileOptions(String backend, DType floatX, Mode mode, boolean nanGuard, String device,
                             Set<String> including, Set<String> excluding, List<SharedVariable> updates, boolean borrowOutputs,
                             boolean profile) {
    public CompileOptions {
        updates = List.copyOf(updates);
    }

    /** Options for a function whose outputs are the caller's own arrays, not profiled. */
    public CompileOptions(String backend, DType floatX, Mode mode, boolean nanGuard, String device,
                          Set<String> including, Set<String> excluding, List<SharedVariable> updates) {
        this(backend, floatX, mode, nanGuard, device, including, excluding, updates, false, false);
    }

    /** Options for a function without updates. */
    public CompileOptions(String backend, DType floatX, Mode mode, boolean nanGuard, String device,
                          Set<String> including, Set<String> excluding) {
        this(backend, floatX, mode, nanGuard, device, including, excluding, List.of(), false, false);
    }

    /**
     * Whether output {@code i} of a graph with {@code outputs} outputs is lent to the caller rather than given: with
     * borrowOutputs, every output but the update values (which become shared variables' values, read by later calls).
     */
    public boolean borrowed(int i, int outputs) { return borrowOutputs && i < outputs - updates.size(); }

    /** The results that become the caller's own (all but the {@link #borrowed} ones), in order. */
    public dev.theon.tensor.NDArray[] givenToCaller(dev.theon.tensor.NDArray[] results) {
        int given = 0;
        dev.theon.tensor.NDArray[] mine = new dev.theon.tensor.NDArray[results.length];
        for (int i = 0; i < results.length; i++) if (!borrowed(i, results.length)) mine[given++] = results[i];
        return java.util.Arrays.copyOf(mine, given);
    }

    /** NaN/Inf checking of every intermediate: on in DEBUG mode or with nan_guard. */
    public boolean checkNaN() { return nanGuard || mode == Mode.DEBUG; }
}
