package dev.theon.compile;

import dev.theon.TheonException;
import dev.theon.backend.Executable;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A compiled function. Calling it checks and converts the arguments, reads the shared variables' current values,
 * runs the executable, and then commits every update together. A call that fails writes no update.
 * Calls may run from many threads at once: each has its own intermediates, and the updates of one call are
 * committed atomically with respect to the others (and to the reads of shared values by other calls).
 * <p>
 * Returned arrays are the caller's, unless the function was compiled with {@link Options#borrowOutputs}: then they are
 * the function's own buffers, overwritten by the next call from the same thread (copy one to keep it longer).
 * <p>
 * A call with updates is a read-compute-write transaction: it holds the lock of every shared variable it reads or
 * updates (taken in id order, so two calls never wait on each other in a cycle) from reading their values until its
 * updates are committed. So 8 threads each calling {@code state += 1} 1000 times leave exactly 8000, and calls
 * touching disjoint shared variables still run in parallel. Calls without updates take no such lock: they read a
 * consistent snapshot of the shared values under {@link #STATE}'s read lock.
 */
public final class Function {
    /** Guards shared values: calls read them under the read lock and commit updates under the write lock. */
    static final ReentrantReadWriteLock STATE = new ReentrantReadWriteLock();

    private final String name;
    private final List<Variable> userInputs;   // as given by the user
    private final List<NDArray> defaults;      // per explicit input, null when none
    private final List<Boolean> declaredX;
    private final FunctionGraph graph;
    private final int nOutputs;                // user outputs; the update values follow them in the graph
    private final List<SharedVariable> updated;
    private final List<SharedVariable> sharedInputs;
    private final List<ReentrantLock> callLocks;  // for calls with updates: every shared variable read or written, by id
    private final Executable executable;
    private final Options options;
    private final String backendName;
    private final DType floatX;
    private final Mode mode;
    private final String rewrites;
    private final dev.theon.backend.Profile profile;  // null unless compiled with profiling

    Function(String name, List<Variable> userInputs, List<NDArray> defaults, FunctionGraph graph, int nOutputs,
             List<SharedVariable> updated, Executable executable, Options options, String backendName, DType floatX, Mode mode,
             String rewrites) {
        this.name = name;
        this.userInputs = List.copyOf(userInputs);
        this.defaults = new ArrayList<>(defaults);
        this.graph = graph;
        this.nOutputs = nOutputs;
        this.updated = List.copyOf(updated);
        this.executable = executable;
        this.options = options;
        this.backendName = backendName;
        this.floatX = floatX;
        this.mode = mode;
        this.rewrites = rewrites;
        this.profile = executable.profile();
        List<Boolean> x = new ArrayList<>();
        for (Variable v : userInputs) x.add(v.dtype() == DType.FLOATX);
        this.declaredX = x;
        List<SharedVariable> sh = new ArrayList<>();
        for (Variable v : graph.inputs().subList(userInputs.size(), graph.inputs().size())) sh.add((SharedVariable) v);
        this.sharedInputs = sh;
        List<ReentrantLock> locks = new ArrayList<>();
        if (!updated.isEmpty()) {
            Set<SharedVariable> touched = new TreeSet<>(Comparator.comparingLong(Variable::id));
            touched.addAll(sh);
            touched.addAll(updated);
            for (SharedVariable s : touched) locks.add(s.callLock());
        }
        this.callLocks = List.copyOf(locks);
    }

    /** Calls a function of one output and returns it. */
    public NDArray call(Object... args) {
        if (nOutputs != 1)
            throw new TheonException.InputError(label() + " has " + nOutputs + " outputs; use callAll(...) to get them all");
        return callAll(args).get(0);
    }

    /** Calls the function and returns every output, in the order they were given. */
    public List<NDArray> callAll(Object... args) {
        if (args == null) args = new Object[]{null};
        // f.call(new double[][]{...}) hands Java's varargs the matrix itself as the argument array: undo that
        if (args.getClass().getComponentType().isArray()) args = new Object[]{args};
        long start = profile != null ? System.nanoTime() : 0;
        NDArray[] in = convertArguments(args);
        NDArray[] out;
        int held = 0;
        try {
            for (ReentrantLock l : callLocks) { l.lock(); held++; }
            if (!sharedInputs.isEmpty()) {
                ReentrantReadWriteLock.ReadLock read = STATE.readLock();
                read.lock();
                try {
                    for (int i = 0; i < sharedInputs.size(); i++) in[userInputs.size() + i] = sharedInputs.get(i).current();
                } finally {
                    read.unlock();
                }
            }
            out = executable.run(in);
            if (!updated.isEmpty()) commit(out);
        } finally {
            for (int i = held - 1; i >= 0; i--) callLocks.get(i).unlock();
        }
        if (profile != null) profile.call(System.nanoTime() - start);
        return List.of(out).subList(0, nOutputs);
    }

    private void commit(NDArray[] out) {
        // check every new value before writing any, so a bad update leaves all shared values as they were
        for (int i = 0; i < updated.size(); i++) {
            SharedVariable s = updated.get(i);
            NDArray v = out[nOutputs + i];
            if (v.dtype() != s.dtype() || !s.type().shapeAccepts(v.shape()))
                throw new TheonException.ShapeError(label() + ": the update of shared variable " + s.describe() + " (" + s.type()
                        + ") produced a " + v.dtype() + " value of shape " + Shapes.str(v.shape()) + "; no shared variable was updated");
        }
        ReentrantReadWriteLock.WriteLock write = STATE.writeLock();
        write.lock();
        try {
            for (int i = 0; i < updated.size(); i++) updated.get(i).commit(out[nOutputs + i]);
        } finally {
            write.unlock();
        }
    }

    private NDArray[] convertArguments(Object[] args) {
        int n = userInputs.size();
        if (args.length > n)
            throw new TheonException.InputError(label() + " takes " + n + " argument(s) " + inputNames() + " but was called with " + args.length);
        NDArray[] in = new NDArray[graph.inputs().size()];
        for (int i = 0; i < n; i++) {
            String who = "input " + i + (userInputs.get(i).name() != null ? " ('" + userInputs.get(i).name() + "')" : "") + " of " + label();
            if (i >= args.length) {
                NDArray d = defaults.get(i);
                if (d == null)
                    throw new TheonException.InputError(label() + " takes " + n + " argument(s) " + inputNames() + " but was called with "
                            + args.length + "; " + who + " has no default value");
                in[i] = Conversions.toInput(d, graph.inputs().get(i).type(), declaredX.get(i), true, who + " (default)");
                continue;
            }
            TensorType t = graph.inputs().get(i).type();
            in[i] = Conversions.toInput(args[i], t, declaredX.get(i), options.allowInputDowncast, who);
        }
        return in;
    }

    private String inputNames() {
        List<String> names = new ArrayList<>();
        for (Variable v : userInputs) names.add(v.name() != null ? v.name() : "_");
        return names.toString();
    }

    private String label() { return name != null ? "function '" + name + "'" : "function"; }

    /**
     * The compiled graph, after rewriting: the rewrites that fired, the backend and device, and the kernel that runs
     * each node, followed by the rewritten graph as a tree.
     */
    public String describe() {
        return (name != null ? "function '" + name + "' " : "function ") + inputNames() + " -> " + nOutputs + " output(s)"
                + (updated.isEmpty() ? "" : ", updates " + updated.stream().map(Variable::describe).toList()) + "\n"
                + "rewrites (" + mode + "): " + rewrites + "\n"
                + executable.describe()
                + "graph after rewriting:\n" + dev.theon.print.DebugPrint.print(graph).indent(2);
    }

    /**
     * The time of every call and node since compiling (or {@link dev.theon.backend.Profile#reset()}); its
     * {@code summary()} is the report. Only for functions compiled with {@code Theon.options().profile(true)} (or
     * {@code profile=true} in the configuration) on a backend that times nodes (reference, simd).
     */
    public dev.theon.backend.Profile profile() {
        if (profile != null) return profile;
        throw new TheonException.InputError(label() + " has no profile: compile it with Theon.options().profile(true) (or"
                + " profile=true in THEON_FLAGS) on a backend that times nodes, reference or simd (it was compiled for " + backendName + ")");
    }

    /** The rewrites that fired when this function was compiled, with counts ("merge x2, fusion x1"), or "none". */
    public String rewrites() { return rewrites; }

    public String name() { return name; }
    public FunctionGraph graph() { return graph; }
    public List<Variable> inputs() { return userInputs; }
    public int outputCount() { return nOutputs; }
    public String backend() { return backendName; }
    public DType floatX() { return floatX; }
    public Mode mode() { return mode; }

    @Override public String toString() { return label() + inputNames(); }
}
