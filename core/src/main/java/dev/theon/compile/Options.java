package dev.theon.compile;

import dev.theon.TheonException;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How to compile a function: givens, updates, name, backend, floatX, mode, input checking. Values not set here come
 * from the configuration ({@code Theon.config()}). Mutable builder; each setter returns this.
 */
public final class Options {
    /** What to do with an input the outputs do not depend on. */
    public enum OnUnused { RAISE, WARN, IGNORE }

    final Map<Variable, Object> givens = new LinkedHashMap<>();
    final Map<SharedVariable, Object> updates = new LinkedHashMap<>();
    String name;
    OnUnused onUnusedInput = OnUnused.RAISE;
    boolean allowInputDowncast;
    String mode;
    String backend;
    DType floatX;
    Boolean nanGuard;
    Boolean profile;
    String device;
    boolean borrowOutputs;
    final Set<String> including = new LinkedHashSet<>();
    final Set<String> excluding = new LinkedHashSet<>();

    /** Substitutes variables before compiling: each key is replaced by its value (a variable, or a constant value). */
    public Options givens(Map<? extends Variable, ?> g) { givens.putAll(g); return this; }
    public Options given(Variable v, Object replacement) { givens.put(v, replacement); return this; }

    /** New values for shared variables, all computed from the same state and committed together after the call. */
    public Options updates(Map<? extends Variable, ?> u) {
        for (Map.Entry<? extends Variable, ?> e : u.entrySet()) update(e.getKey(), e.getValue());
        return this;
    }

    public Options update(Variable shared, Object newValue) {
        if (!(shared instanceof SharedVariable s))
            throw new TheonException.CompileError("updates: " + shared.describe() + " is not a shared variable; only shared variables can be updated");
        if (updates.containsKey(s)) throw new TheonException.CompileError("updates: shared variable " + s.describe() + " is updated twice");
        updates.put(s, newValue);
        return this;
    }

    public Options name(String n) { name = n; return this; }
    /** "raise" (the default), "warn" or "ignore". */
    public Options onUnusedInput(String s) {
        try {
            onUnusedInput = OnUnused.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("onUnusedInput: unknown value '" + s + "'; expected raise, warn or ignore");
        }
        return this;
    }
    public Options onUnusedInput(OnUnused s) { onUnusedInput = s; return this; }
    public Options allowInputDowncast(boolean b) { allowInputDowncast = b; return this; }
    public Options mode(String m) { Mode.parse(m); mode = m; return this; }
    public Options mode(Mode m) { mode = m.name(); return this; }
    public Options backend(String b) { backend = b; return this; }
    public Options device(String d) { device = d; return this; }
    public Options floatX(DType d) {
        if (d != DType.FLOAT32 && d != DType.FLOAT64) throw new IllegalArgumentException("floatX must be FLOAT32 or FLOAT64, got " + d);
        floatX = d; return this;
    }
    public Options nanGuard(boolean b) { nanGuard = b; return this; }
    /** Times every call and every node; read the figures with {@code f.profile()}, as Theano's {@code profile=True}. */
    public Options profile(boolean b) { profile = b; return this; }

    /**
     * Borrowed outputs, as Theano's {@code Out(borrow=True)}: each call returns arrays that the function keeps and
     * overwrites on the next call from the same thread (when the shapes are the same), so in steady state a call
     * allocates nothing. A result stays valid until the calling thread calls the function again: copy it
     * ({@code NDArray.copy()}) to keep it longer. Other threads' calls never touch it, and two calls never return the
     * same array. Outputs that are an input, a constant, a shared value or another output (or views of one) are still
     * copied, and update values are never borrowed. Passing a borrowed result back as an argument is safe: the call
     * then computes into new arrays. Not supported by the opencl backend (compiling fails). Off by default.
     */
    public Options borrowOutputs(boolean b) { borrowOutputs = b; return this; }
    /** Turns on the rewrites with this tag. */
    public Options including(String... tags) { for (String t : tags) { including.add(t); excluding.remove(t); } return this; }
    /** Turns off the rewrites with this tag. */
    public Options excluding(String... tags) { for (String t : tags) { excluding.add(t); including.remove(t); } return this; }

    public Map<Variable, Object> givens() { return givens; }
    public Map<SharedVariable, Object> updates() { return updates; }
    public String name() { return name; }
    public boolean borrowOutputs() { return borrowOutputs; }
}
