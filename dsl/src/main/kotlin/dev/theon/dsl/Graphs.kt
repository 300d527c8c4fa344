package dev.theon.dsl

import dev.theon.Theon
import dev.theon.compile.Function
import dev.theon.graph.Variable
import dev.theon.tensor.NDArray

/* Evaluation and printing of graphs. */

/**
 * Compiles (once per tensor and set of inputs, then cached) and evaluates this tensor:
 * `cost.eval(A to a, v to b)`. Values are NDArrays, Kotlin/Java arrays or numbers.
 */
fun Tensor<*>.eval(vararg inputs: Pair<Tensor<*>, Any>): NDArray {
    val m = LinkedHashMap<Variable, Any>()
    for ((t, v) in inputs) m[t.variable] = v
    return build { variable.eval(m) }
}

/** The expression as infix text, e.g. `(x ** 2)`. */
fun pp(t: Tensor<*>): String = Theon.pp(t.variable)

/** The graphs of the given tensors as an indented tree with types. */
fun debugprint(vararg ts: Tensor<*>): String = Theon.debugprint(*ts.map { it.variable }.toTypedArray())

/** The compiled graph of a function as an indented tree with types. */
fun debugprint(f: Compiled<*>): String = Theon.debugprint(f.function)

/** Graphviz DOT of the given tensors' graph. */
fun toDot(vararg ts: Tensor<*>): String = Theon.toDot(*ts.map { it.variable }.toTypedArray())

/** Graphviz DOT of a compiled function's graph. */
fun toDot(f: Compiled<*>): String = Theon.toDot(f.function)

/** Graphviz DOT of a core function's graph. */
fun toDot(f: Function): String = Theon.toDot(f)
