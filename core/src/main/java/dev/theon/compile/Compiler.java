package dev.theon.compile;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.backend.Backend;
import dev.theon.backend.Backends;
import dev.theon.backend.CompileOptions;
import dev.theon.backend.Executable;
import dev.theon.backend.ReferenceBackend;
import dev.theon.config.Config;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.rewrite.Rewrite;
import dev.theon.rewrite.RewriteContext;
import dev.theon.rewrite.RewriteDB;
import dev.theon.rewrite.Rewriter;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Function}: checks inputs, substitutes givens, adds update outputs, clones the graph with floatX
 * bound, rewrites the clone with the rewrites the mode and the including/excluding tags select ({@link RewriteDB}),
 * and hands the rewritten graph to the chosen backend. In DEBUG mode the executable also runs the graph with only its
 * stability rewrites, op by op on the reference backend, and compares ({@link DebugExecutable}).
 */
public final class Compiler {
    private static final Logger LOG = LoggerFactory.getLogger(Compiler.class);

    private Compiler() {}

    public static Function compile(List<?> inputs, List<? extends Variable> outputs, Options o) {
        Config cfg = Config.get();
        DType floatX = o.floatX != null ? o.floatX : cfg.floatX();
        Mode mode = Mode.parse(o.mode != null ? o.mode : cfg.mode());
        String backendName = Backends.resolve(o.backend != null ? o.backend : cfg.backend());
        boolean nanGuard = o.nanGuard != null ? o.nanGuard : cfg.nanGuard();
        boolean profile = o.profile != null ? o.profile : cfg.profile();
        String device = o.device != null ? o.device : cfg.value("device");

        // explicit inputs
        List<Variable> ins = new ArrayList<>();
        List<NDArray> defaults = new ArrayList<>();
        Set<Variable> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            Object x = inputs.get(i);
            Variable v;
            NDArray d = null;
            if (x instanceof In in) { v = in.variable(); d = in.value() == null ? null : in.value().copy(); }  // the caller may reuse its array
            else if (x instanceof Variable var) v = var;
            else throw new TheonException.CompileError("input " + i + " is a " + (x == null ? "null" : x.getClass().getSimpleName())
                    + "; expected a Variable or Theon.in(variable, default)");
            if (v == null) throw new TheonException.CompileError("input " + i + " is null; expected a Variable or Theon.in(variable, default)");
            if (v instanceof Constant) throw new TheonException.CompileError("input " + i + " (" + v.describe() + ") is a constant; constants cannot be inputs");
            if (v instanceof SharedVariable) throw new TheonException.CompileError("input " + i + " (" + v.describe()
                    + ") is a shared variable; shared variables are implicit inputs and cannot be given explicitly (use givens to replace one)");
            if (!v.isRoot()) throw new TheonException.CompileError("input " + i + " (" + v.describe() + ") is computed from other variables;"
                    + " inputs must be root variables (to substitute an intermediate value, use givens)");
            if (!seen.add(v)) throw new TheonException.CompileError("input " + i + " (" + v.describe() + ") is given twice");
            ins.add(v);
            defaults.add(d);
        }
        if (outputs.isEmpty() && o.updates.isEmpty()) throw new TheonException.CompileError("a function needs at least one output or update");
        for (int i = 0; i < outputs.size(); i++)
            if (outputs.get(i) == null) throw new TheonException.CompileError("output " + i + " is null");

        // givens
        Map<Variable, Variable> givens = new IdentityHashMap<>();
        for (Map.Entry<Variable, Object> e : o.givens.entrySet()) {
            Variable k = e.getKey();
            if (seen.contains(k)) throw new TheonException.CompileError("givens: " + k.describe() + " is an input of the function; it cannot also be replaced");
            Variable r = T.asVariable(e.getValue(), k);
            if (r.ndim() != k.ndim() || r.dtype().bind(floatX) != k.dtype().bind(floatX))
                throw new TheonException.CompileError("givens: " + k.describe() + " of type " + k.type() + " cannot be replaced by "
                        + r.describe() + " of type " + r.type() + " (dtype and rank must match)");
            givens.put(k, r);
        }

        // updates become extra outputs
        List<Variable> all = new ArrayList<>(outputs);
        List<SharedVariable> updated = new ArrayList<>();
        for (Map.Entry<SharedVariable, Object> e : o.updates.entrySet()) {
            SharedVariable s = e.getKey();
            Variable u = T.asVariable(e.getValue(), s);
            if (u.ndim() != s.ndim())
                throw new TheonException.CompileError("updates: shared variable " + s.describe() + " has type " + s.type()
                        + " but its update " + u.describe() + " has rank " + u.ndim() + " (" + u.type() + ")");
            if (u.dtype().bind(floatX) != s.dtype())
                throw new TheonException.CompileError("updates: shared variable " + s.describe() + " holds " + s.dtype()
                        + " but its update " + u.describe() + " is " + u.dtype().bind(floatX) + " (floatX=" + floatX
                        + "); cast the update (T.cast(expr, DType." + s.dtype().name() + ")) so no precision is lost silently");
            all.add(u);
            updated.add(s);
        }

        Map<Variable, Variable> memo = new IdentityHashMap<>();
        FunctionGraph graph = FunctionGraph.clone(ins, all, givens, floatX, memo);

        // inputs nothing depends on
        Set<Variable> used = new HashSet<>(graph.outputs());
        graph.nodes().forEach(n -> used.addAll(n.inputs()));
        for (int i = 0; i < ins.size(); i++) {
            if (used.contains(graph.inputs().get(i))) continue;
            String msg = "input " + i + " (" + ins.get(i).describe() + ") is not used to compute any output or update";
            switch (o.onUnusedInput) {
                case RAISE -> throw new TheonException.CompileError(msg + "; remove it, or pass Theon.options().onUnusedInput(\"ignore\")");
                case WARN -> LOG.warn(msg);
                case IGNORE -> { }
            }
        }

        Backend backend = Backends.get(backendName);
        CompileOptions co = new CompileOptions(backendName, floatX, mode, nanGuard, device, Set.copyOf(o.including), Set.copyOf(o.excluding), updated, o.borrowOutputs, profile);
        List<Rewrite> selected = RewriteDB.get().select(mode, co.including(), co.excluding());
        RewriteContext rewrites = Rewriter.run(graph, selected, cfg.printRewrites());
        Executable exe = backend.compile(graph, co);
        if (mode == Mode.DEBUG) {
            // the oracle: the same function op by op on the reference backend, with only the stability rewrites (which
            // change values on purpose: the unstable form may be inf, or float32-inaccurate, where the stable one is not)
            FunctionGraph plain = FunctionGraph.clone(ins, all, givens, floatX, new IdentityHashMap<>());
            Set<String> noSpeedRewrites = new java.util.HashSet<>(co.excluding());
            noSpeedRewrites.addAll(Set.of("merge", "constant_folding"));
            Rewriter.run(plain, RewriteDB.get().select(Mode.FAST_COMPILE, Set.of(), noSpeedRewrites), false);
            CompileOptions po = new CompileOptions(ReferenceBackend.NAME, floatX, Mode.FAST_COMPILE, false, "", Set.of(), Set.of());
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < outputs.size(); i++) labels.add("output " + i + (outputs.get(i).name() != null ? " ('" + outputs.get(i).name() + "')" : ""));
            for (SharedVariable s : updated) labels.add("the update of " + s.describe());
            exe = new DebugExecutable(exe, new ReferenceBackend().compile(plain, po), labels, rewrites.summary());
        }
        return new Function(o.name, ins, defaults, graph, outputs.size(), updated, exe, o, backendName, floatX, mode, rewrites.summary());
    }

}
