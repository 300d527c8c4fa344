package dev.theon.dsl

import dev.theon.Theon
import dev.theon.compile.Function
import dev.theon.compile.Options
import dev.theon.tensor.NDArray
import kotlin.experimental.ExperimentalTypeInference

/*
 * `fn(x, y) { x + y }` builds a graph and compiles it into a callable: `f(2.0, 3.0)`. There are overloads for 0 to 4
 * inputs (FnN for a list of inputs), and the block's result decides what a call returns: a tensor gives an NDArray,
 * a Pair or Triple of tensors gives a Pair or Triple of NDArrays, a List of tensors a List of NDArrays.
 * Options are named parameters: updates, givens, backend, floatX, mode, name. Inside the block, [FnScope.update]
 * and [FnScope.given] add updates and givens next to the expressions they belong to.
 */

/** Marks the DSL's builder receivers, so a nested block cannot call an outer builder's functions by accident. */
@DslMarker
annotation class TheonDsl

/** What a compiled function's input can be: a tensor, or a tensor with a default value ([withDefault]). */
sealed interface FnInput

/** An input with a default value, used when a call leaves it out (trailing inputs only). */
class DefaultInput internal constructor(val tensor: Tensor<*>, val default: Any) : FnInput

/** This tensor as a function input with a default value: `fn(x, y withDefault 1.0) { x + y }`. */
infix fun Tensor<*>.withDefault(value: Any): FnInput = DefaultInput(this, value)

/** The receiver of an `fn { }` block: declares updates and givens beside the expressions. */
@TheonDsl
class FnScope internal constructor() {
    internal val updates = mutableListOf<Pair<Tensor<*>, Any>>()
    internal val givens = mutableListOf<Pair<Tensor<*>, Any>>()

    /** After each call, [shared] takes the value [newValue] (all updates computed first, then committed together). */
    fun <D : Element> update(shared: Tensor<D>, newValue: Tensor<D>) { updates += shared to newValue }

    /** Replaces [variable] by [replacement] (a tensor of the same type, or a value) when the function is compiled. */
    fun <D : Element> given(variable: Tensor<D>, replacement: Tensor<D>) { givens += variable to replacement }

    /** Replaces [variable] by a constant value when the function is compiled. */
    fun given(variable: Tensor<*>, value: NDArray) { givens += variable to value }
}

/**
 * A compiled function; [R] is what a call returns. Calls take NDArrays, Kotlin/Java arrays or numbers, converted as
 * the core does (no silent precision loss); they may run from several threads at once.
 */
open class Compiled<R> internal constructor(
    /** The core function. */
    val function: Function,
    private val unpack: (List<NDArray>) -> R,
) {
    /** Calls the function with any number of arguments (trailing inputs with defaults may be left out). */
    fun call(vararg args: Any?): R = unpack(function.callAll(*args))

    /** The compiled graph: backend, device, and the kernel of each node. */
    fun describe(): String = function.describe()

    /** The function's name, or null. */
    val name: String? get() = function.name()

    override fun toString(): String = function.toString()
}

/** A compiled function of no inputs. */
class Fn0<R> internal constructor(f: Function, u: (List<NDArray>) -> R) : Compiled<R>(f, u), () -> R {
    override operator fun invoke(): R = call()
}

/** A compiled function of one input. */
class Fn1<R> internal constructor(f: Function, u: (List<NDArray>) -> R) : Compiled<R>(f, u), (Any) -> R {
    override operator fun invoke(a: Any): R = call(a)
}

/** A compiled function of two inputs. */
class Fn2<R> internal constructor(f: Function, u: (List<NDArray>) -> R) : Compiled<R>(f, u), (Any, Any) -> R {
    override operator fun invoke(a: Any, b: Any): R = call(a, b)
    /** A call that leaves the second input to its default. */
    operator fun invoke(a: Any): R = call(a)
}

/** A compiled function of three inputs. */
class Fn3<R> internal constructor(f: Function, u: (List<NDArray>) -> R) : Compiled<R>(f, u), (Any, Any, Any) -> R {
    override operator fun invoke(a: Any, b: Any, c: Any): R = call(a, b, c)
    /** A call that leaves the trailing input to its default. */
    operator fun invoke(a: Any, b: Any): R = call(a, b)
}

/** A compiled function of four inputs. */
class Fn4<R> internal constructor(f: Function, u: (List<NDArray>) -> R) : Compiled<R>(f, u), (Any, Any, Any, Any) -> R {
    override operator fun invoke(a: Any, b: Any, c: Any, d: Any): R = call(a, b, c, d)
    /** A call that leaves the trailing input to its default. */
    operator fun invoke(a: Any, b: Any, c: Any): R = call(a, b, c)
}

/** A compiled function of any number of inputs. */
class FnN<R> internal constructor(f: Function, u: (List<NDArray>) -> R) : Compiled<R>(f, u) {
    operator fun invoke(vararg args: Any?): R = call(*args)
}

/** The per-function options, as named parameters of every `fn`. */
internal class FnOptions(
    val updates: List<Pair<Tensor<*>, Any>>,
    val givens: List<Pair<Tensor<*>, Any>>,
    val backend: String?,
    val floatX: Precision?,
    val mode: String?,
    val name: String?,
)

/** Builds the graph in a fresh scope and compiles it. */
internal fun <T, R> compileFn(inputs: List<FnInput>, o: FnOptions, block: FnScope.() -> T, outputs: (T) -> List<Tensor<*>>,
                              make: (Function) -> R): R {
    val scope = FnScope()
    val outs = outputs(scope.block())
    val opts: Options = Theon.options()
    build {
        for ((k, v) in o.updates + scope.updates) opts.update(k.variable, if (v is Tensor<*>) v.variable else v)
        for ((k, v) in o.givens + scope.givens) opts.given(k.variable, if (v is Tensor<*>) v.variable else v)
        o.backend?.let { opts.backend(it) }
        o.floatX?.let { opts.floatX(it.dtype) }
        o.mode?.let { opts.mode(it) }
        o.name?.let { opts.name(it) }
    }
    val ins = inputs.map { i ->
        when (i) {
            is Tensor<*> -> i.variable
            is DefaultInput -> Theon.`in`(i.tensor.variable, i.default)
        }
    }
    return make(build { Theon.function(ins, outs.map { it.variable }, opts) })
}

/** Compiles a function of 0 input(s) returning an NDArray. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn0Single")
fun fn(
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Tensor<*>,
): Fn0<NDArray> = compileFn(emptyList(), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it) }) { f -> Fn0(f) { r -> r[0] } }

/** Compiles a function of 0 input(s) returning Pair<NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn0Pair")
fun fn(
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Pair<Tensor<*>, Tensor<*>>,
): Fn0<Pair<NDArray, NDArray>> = compileFn(emptyList(), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second) }) { f -> Fn0(f) { r -> Pair(r[0], r[1]) } }

/** Compiles a function of 0 input(s) returning Triple<NDArray, NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn0Triple")
fun fn(
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Triple<Tensor<*>, Tensor<*>, Tensor<*>>,
): Fn0<Triple<NDArray, NDArray, NDArray>> = compileFn(emptyList(), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second, it.third) }) { f -> Fn0(f) { r -> Triple(r[0], r[1], r[2]) } }

/** Compiles a function of 0 input(s) returning List<NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn0List")
fun fn(
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> List<Tensor<*>>,
): Fn0<List<NDArray>> = compileFn(emptyList(), FnOptions(updates, givens, backend, floatX, mode, name), block, { it }) { f -> Fn0(f) { r -> r } }

/** Compiles a function of 1 input(s) returning an NDArray. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn1Single")
fun fn(
    a: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Tensor<*>,
): Fn1<NDArray> = compileFn(listOf(a), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it) }) { f -> Fn1(f) { r -> r[0] } }

/** Compiles a function of 1 input(s) returning Pair<NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn1Pair")
fun fn(
    a: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Pair<Tensor<*>, Tensor<*>>,
): Fn1<Pair<NDArray, NDArray>> = compileFn(listOf(a), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second) }) { f -> Fn1(f) { r -> Pair(r[0], r[1]) } }

/** Compiles a function of 1 input(s) returning Triple<NDArray, NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn1Triple")
fun fn(
    a: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Triple<Tensor<*>, Tensor<*>, Tensor<*>>,
): Fn1<Triple<NDArray, NDArray, NDArray>> = compileFn(listOf(a), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second, it.third) }) { f -> Fn1(f) { r -> Triple(r[0], r[1], r[2]) } }

/** Compiles a function of 1 input(s) returning List<NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn1List")
fun fn(
    a: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> List<Tensor<*>>,
): Fn1<List<NDArray>> = compileFn(listOf(a), FnOptions(updates, givens, backend, floatX, mode, name), block, { it }) { f -> Fn1(f) { r -> r } }

/** Compiles a function of 2 input(s) returning an NDArray. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn2Single")
fun fn(
    a: FnInput, b: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Tensor<*>,
): Fn2<NDArray> = compileFn(listOf(a, b), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it) }) { f -> Fn2(f) { r -> r[0] } }

/** Compiles a function of 2 input(s) returning Pair<NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn2Pair")
fun fn(
    a: FnInput, b: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Pair<Tensor<*>, Tensor<*>>,
): Fn2<Pair<NDArray, NDArray>> = compileFn(listOf(a, b), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second) }) { f -> Fn2(f) { r -> Pair(r[0], r[1]) } }

/** Compiles a function of 2 input(s) returning Triple<NDArray, NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn2Triple")
fun fn(
    a: FnInput, b: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Triple<Tensor<*>, Tensor<*>, Tensor<*>>,
): Fn2<Triple<NDArray, NDArray, NDArray>> = compileFn(listOf(a, b), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second, it.third) }) { f -> Fn2(f) { r -> Triple(r[0], r[1], r[2]) } }

/** Compiles a function of 2 input(s) returning List<NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn2List")
fun fn(
    a: FnInput, b: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> List<Tensor<*>>,
): Fn2<List<NDArray>> = compileFn(listOf(a, b), FnOptions(updates, givens, backend, floatX, mode, name), block, { it }) { f -> Fn2(f) { r -> r } }

/** Compiles a function of 3 input(s) returning an NDArray. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn3Single")
fun fn(
    a: FnInput, b: FnInput, c: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Tensor<*>,
): Fn3<NDArray> = compileFn(listOf(a, b, c), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it) }) { f -> Fn3(f) { r -> r[0] } }

/** Compiles a function of 3 input(s) returning Pair<NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn3Pair")
fun fn(
    a: FnInput, b: FnInput, c: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Pair<Tensor<*>, Tensor<*>>,
): Fn3<Pair<NDArray, NDArray>> = compileFn(listOf(a, b, c), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second) }) { f -> Fn3(f) { r -> Pair(r[0], r[1]) } }

/** Compiles a function of 3 input(s) returning Triple<NDArray, NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn3Triple")
fun fn(
    a: FnInput, b: FnInput, c: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Triple<Tensor<*>, Tensor<*>, Tensor<*>>,
): Fn3<Triple<NDArray, NDArray, NDArray>> = compileFn(listOf(a, b, c), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second, it.third) }) { f -> Fn3(f) { r -> Triple(r[0], r[1], r[2]) } }

/** Compiles a function of 3 input(s) returning List<NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn3List")
fun fn(
    a: FnInput, b: FnInput, c: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> List<Tensor<*>>,
): Fn3<List<NDArray>> = compileFn(listOf(a, b, c), FnOptions(updates, givens, backend, floatX, mode, name), block, { it }) { f -> Fn3(f) { r -> r } }

/** Compiles a function of 4 input(s) returning an NDArray. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn4Single")
fun fn(
    a: FnInput, b: FnInput, c: FnInput, d: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Tensor<*>,
): Fn4<NDArray> = compileFn(listOf(a, b, c, d), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it) }) { f -> Fn4(f) { r -> r[0] } }

/** Compiles a function of 4 input(s) returning Pair<NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn4Pair")
fun fn(
    a: FnInput, b: FnInput, c: FnInput, d: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Pair<Tensor<*>, Tensor<*>>,
): Fn4<Pair<NDArray, NDArray>> = compileFn(listOf(a, b, c, d), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second) }) { f -> Fn4(f) { r -> Pair(r[0], r[1]) } }

/** Compiles a function of 4 input(s) returning Triple<NDArray, NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn4Triple")
fun fn(
    a: FnInput, b: FnInput, c: FnInput, d: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Triple<Tensor<*>, Tensor<*>, Tensor<*>>,
): Fn4<Triple<NDArray, NDArray, NDArray>> = compileFn(listOf(a, b, c, d), FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second, it.third) }) { f -> Fn4(f) { r -> Triple(r[0], r[1], r[2]) } }

/** Compiles a function of 4 input(s) returning List<NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fn4List")
fun fn(
    a: FnInput, b: FnInput, c: FnInput, d: FnInput, 
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> List<Tensor<*>>,
): Fn4<List<NDArray>> = compileFn(listOf(a, b, c, d), FnOptions(updates, givens, backend, floatX, mode, name), block, { it }) { f -> Fn4(f) { r -> r } }

/** Compiles a function of a list of input(s) returning an NDArray. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fnNSingle")
fun fn(
    inputs: List<FnInput>,
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Tensor<*>,
): FnN<NDArray> = compileFn(inputs, FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it) }) { f -> FnN(f) { r -> r[0] } }

/** Compiles a function of a list of input(s) returning Pair<NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fnNPair")
fun fn(
    inputs: List<FnInput>,
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Pair<Tensor<*>, Tensor<*>>,
): FnN<Pair<NDArray, NDArray>> = compileFn(inputs, FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second) }) { f -> FnN(f) { r -> Pair(r[0], r[1]) } }

/** Compiles a function of a list of input(s) returning Triple<NDArray, NDArray, NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fnNTriple")
fun fn(
    inputs: List<FnInput>,
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> Triple<Tensor<*>, Tensor<*>, Tensor<*>>,
): FnN<Triple<NDArray, NDArray, NDArray>> = compileFn(inputs, FnOptions(updates, givens, backend, floatX, mode, name), block, { listOf(it.first, it.second, it.third) }) { f -> FnN(f) { r -> Triple(r[0], r[1], r[2]) } }

/** Compiles a function of a list of input(s) returning List<NDArray>. */
@OptIn(ExperimentalTypeInference::class)
@OverloadResolutionByLambdaReturnType
@JvmName("fnNList")
fun fn(
    inputs: List<FnInput>,
    updates: List<Pair<Tensor<*>, Any>> = emptyList(),
    givens: List<Pair<Tensor<*>, Any>> = emptyList(),
    backend: String? = null,
    floatX: Precision? = null,
    mode: String? = null,
    name: String? = null,
    block: FnScope.() -> List<Tensor<*>>,
): FnN<List<NDArray>> = compileFn(inputs, FnOptions(updates, givens, backend, floatX, mode, name), block, { it }) { f -> FnN(f) { r -> r } }
