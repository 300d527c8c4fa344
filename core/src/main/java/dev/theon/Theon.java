package dev.theon;

import dev.theon.compile.Compiler;
import dev.theon.compile.Function;
import dev.theon.compile.In;
import dev.theon.compile.Options;
import dev.theon.config.Config;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.print.DebugPrint;
import dev.theon.print.Dot;
import dev.theon.print.Pretty;
import dev.theon.tensor.NDArray;

import java.util.List;

/** Functions, shared variables, printing and configuration, like the top level of {@code theano}. */
public final class Theon {
    private Theon() {}

    // ==== section: functions ====

    /** Compiles a function of one output. Inputs are Variables or {@link #in(Variable, Object)}. */
    public static Function function(List<?> inputs, Variable output) { return function(inputs, output, options()); }

    public static Function function(List<?> inputs, Variable output, Options options) {
        return Compiler.compile(inputs, List.of(output), options);
    }

    /** Compiles a function of several outputs (call it with {@code callAll}). */
    public static Function function(List<?> inputs, List<? extends Variable> outputs) { return function(inputs, outputs, options()); }

    public static Function function(List<?> inputs, List<? extends Variable> outputs, Options options) {
        return Compiler.compile(inputs, outputs, options);
    }

    /** A fresh options builder; unset values come from {@link #config()}. */
    public static Options options() { return new Options(); }

    /** An input with a default value used when a call leaves it out. */
    public static In in(Variable v, Object defaultValue) { return new In(v, defaultValue == null ? null : NDArray.fromJava(defaultValue)); }

    // ==== section: shared variables ====

    /** A shared variable holding a copy of {@code value} (an NDArray, Java array or number). */
    public static SharedVariable shared(Object value, String name) { return new SharedVariable(NDArray.fromJava(value), name, false); }

    public static SharedVariable shared(Object value) { return shared(value, null); }

    /** With {@code borrow}, an NDArray is kept as given, not copied (the caller must not modify it afterwards). */
    public static SharedVariable shared(NDArray value, String name, boolean borrow) { return new SharedVariable(value, name, borrow); }

    /** A shared variable with an explicit static shape (-1 = unknown), e.g. to fix sizes or declare broadcastable dims. */
    public static SharedVariable shared(NDArray value, long[] staticShape, String name) {
        return new SharedVariable(TensorType.of(value.dtype(), staticShape), value, name, false);
    }

    // ==== section: printing ====

    /** The expression as infix text: {@code (x ** 2)}. */
    public static String pp(Variable v) { return Pretty.pp(v); }

    /** The graph as an indented tree with types. */
    public static String debugprint(Variable... vs) { return DebugPrint.print(vs); }

    public static String debugprint(Function f) { return DebugPrint.print(f.graph()); }

    /** Graphviz DOT of a variable's graph. */
    public static String toDot(Variable... vs) { return Dot.of(vs); }

    /** Graphviz DOT of a compiled function's graph. */
    public static String toDot(Function f) { return Dot.of(f.graph()); }

    // ==== section: config ====

    /** The effective configuration; {@code toString()} lists every value and where it came from. */
    public static Config config() { return Config.get(); }

    // ==== section: gradients ====
}
