package dev.theon.backend;

import dev.theon.compile.Mode;
import dev.theon.graph.SharedVariable;
import dev.theon.tensor.DType;

import java.util.List;
import java.util.Set;

/**
 * What a backend needs to know about how a function was asked to be compiled. {@code updates} names the shared
 * variable that each of the graph's last {@code updates.size()} outputs is the new value of, in order: a backend
 * that keeps shared values on a device uses it to keep the updated values there for the next call. With
 * {@code profile}, the executable times each node into its {@link Executable#profile()}.
 */
public record CompileOptions(String backend, DType floatX, Mode mode, boolean nanGuard, String device,
                             Set<String> including, Set<String> excluding, List<SharedVariable> updates, boolean profile) {
    public CompileOptions {
        updates = List.copyOf(updates);
    }

    /** Options for a function that is not profiled. */
    public CompileOptions(String backend, DType floatX, Mode mode, boolean nanGuard, String device,
                          Set<String> including, Set<String> excluding, List<SharedVariable> updates) {
        this(backend, floatX, mode, nanGuard, device, including, excluding, updates, false);
    }

    /** Options for a function without updates. */
    public CompileOptions(String backend, DType floatX, Mode mode, boolean nanGuard, String device,
                          Set<String> including, Set<String> excluding) {
        this(backend, floatX, mode, nanGuard, device, including, excluding, List.of(), false);
    }

    /** NaN/Inf checking of every intermediate: on in DEBUG mode or with nan_guard. */
    public boolean checkNaN() { return nanGuard || mode == Mode.DEBUG; }
}
