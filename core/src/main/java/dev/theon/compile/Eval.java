package dev.theon.compile;

import dev.theon.config.Config;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Variable.eval}: compiles a function of the given inputs once per variable and input set, then reuses it.
 * The configuration's floatX and mode are part of the key, so changing them at run time compiles afresh.
 */
public final class Eval {
    private Eval() {}

    private static final Map<Variable, Map<List<Object>, Function>> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    public static NDArray eval(Variable v, Map<Variable, ?> inputs) {
        List<Variable> ins = sorted(inputs.keySet());
        Function f = function(v, ins);
        Object[] args = new Object[ins.size()];
        for (int i = 0; i < args.length; i++) args[i] = inputs.get(ins.get(i));
        return f.call(args);
    }

    /** The function {@code eval} uses for {@code v} with these inputs (in id order): compiled on first use, then cached. */
    public static Function function(Variable v, Collection<Variable> inputs) {
        List<Variable> ins = sorted(inputs);
        Config cfg = Config.get();
        List<Object> key = new ArrayList<>();
        for (Variable in : ins) key.add(in.id());
        key.add(cfg.value("floatX"));
        key.add(cfg.mode());
        key.add(cfg.backend());
        return CACHE.computeIfAbsent(v, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> Compiler.compile(ins, List.of(v), new Options().onUnusedInput(Options.OnUnused.IGNORE)));
    }

    private static List<Variable> sorted(Collection<Variable> vs) {
        List<Variable> ins = new ArrayList<>(vs);
        ins.sort(Comparator.comparingLong(Variable::id));
        return ins;
    }
}
