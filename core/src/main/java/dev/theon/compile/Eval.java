package dev.theon.compile;

import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/** {@code Variable.eval}: compiles a function of the given inputs once per variable and input set, then reuses it. */
public final class Eval {
    private Eval() {}

    private static final Map<Variable, Map<List<Long>, Function>> CACHE = java.util.Collections.synchronizedMap(new WeakHashMap<>());

    public static NDArray eval(Variable v, Map<Variable, ?> inputs) {
        List<Variable> ins = new ArrayList<>(inputs.keySet());
        ins.sort(Comparator.comparingLong(Variable::id));
        List<Long> key = ins.stream().map(Variable::id).toList();
        Function f = CACHE.computeIfAbsent(v, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> Compiler.compile(ins, List.of(v), new Options().onUnusedInput(Options.OnUnused.IGNORE)));
        Object[] args = new Object[ins.size()];
        for (int i = 0; i < args.length; i++) args[i] = inputs.get(ins.get(i));
        return f.call(args);
    }
}
