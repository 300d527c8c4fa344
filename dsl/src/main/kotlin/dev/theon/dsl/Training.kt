package dev.theon.dsl

import dev.theon.TheonException
import dev.theon.compile.Function
import dev.theon.tensor.NDArray
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.takeWhile
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.IntFunction
import java.util.function.ToDoubleFunction
import kotlin.coroutines.CoroutineContext

/** One report of a training loop, after step [step] (1-based) of [steps]. */
data class Progress(
    val step: Int,
    val steps: Int,
    /** The loss of this step (by default the step function's first output). */
    val loss: Double,
    /** The named metrics of this step. */
    val metrics: Map<String, Double>,
    /** Steps per second since the previous report. */
    val stepsPerSecond: Double,
    /** Examples per second since the previous report (steps per second times the batch size). */
    val examplesPerSecond: Double,
    /** Seconds since the loop started. */
    val elapsedSeconds: Double,
)

/** The Java face of a progress listener: return false to stop after this step. */
fun interface TrainingCallback {
    fun onProgress(progress: Progress): Boolean
}

/**
 * A training loop around a compiled step function (one whose updates train shared variables): it calls the step
 * [steps] times with the arguments [inputs] gives for each step, and reports [Progress] every [reportEvery] steps.
 *
 * From Kotlin, [flow] is a cold Flow of reports: collecting it runs the loop on [dispatcher] (Dispatchers.Default)
 * without blocking the collector's thread, and cancelling the collector (or taking fewer reports) stops the loop
 * between steps. A step that has started runs to its end and commits its updates, so the shared variables always hold
 * the state after the last completed step ([completedSteps]). From Java, [run] is the blocking form with a callback.
 *
 * Build it with `training(step) { steps = 100; inputs { i -> listOf(x, y) } }` or, from Java,
 * `Trainer.of(function).steps(100).inputs(i -> List.of(x, y)).run(p -> { ...; return true; })`.
 */
@TheonDsl
class Trainer private constructor(private val function: Function) {
    /** How many times to call the step function. */
    var steps: Int = 1
    /** Examples per step, for the throughput figures. */
    var batchSize: Int = 1
    /** Report after every this many steps (and after the last). */
    var reportEvery: Int = 1
    /** Where the steps run. */
    var dispatcher: CoroutineContext = Dispatchers.Default

    private var inputs: IntFunction<out List<Any?>> = IntFunction { emptyList<Any?>() }
    private var loss: ToDoubleFunction<List<NDArray>> = ToDoubleFunction { it.first().toDouble() }
    private val metrics = LinkedHashMap<String, ToDoubleFunction<List<NDArray>>>()
    private val completed = AtomicInteger()

    /** The arguments of step i (1-based): NDArrays, Kotlin/Java arrays or numbers, in the step function's input order. */
    fun inputs(f: IntFunction<out List<Any?>>) = apply { inputs = f }

    /** The loss of a step from the step function's outputs (default: the first output, a scalar). */
    fun loss(f: ToDoubleFunction<List<NDArray>>) = apply { loss = f }

    /** A named metric of a step from the step function's outputs. */
    fun metric(name: String, f: ToDoubleFunction<List<NDArray>>) = apply { metrics[name] = f }

    /** Fluent setters for Java. */
    fun steps(n: Int) = apply { steps = n }
    fun batchSize(n: Int) = apply { batchSize = n }
    fun reportEvery(n: Int) = apply { reportEvery = n }

    /** Steps completed by the current (or last) run: the shared variables hold the state after exactly these. */
    val completedSteps: Int get() = completed.get()

    /** The loop as a cold Flow of reports; each collection is one run of [steps] steps. */
    fun flow(): Flow<Progress> = flow {
        check()
        completed.set(0)
        val start = System.nanoTime()
        var lastTime = start
        var lastStep = 0
        for (i in 1..steps) {
            currentCoroutineContext().ensureActive()
            val args = inputs.apply(i).toTypedArray()
            val outs = withContext(dispatcher) {
                val o = function.callAll(*args)
                completed.incrementAndGet()     // counted as soon as its updates are committed
                o
            }
            if (i % reportEvery == 0 || i == steps) {
                val now = System.nanoTime()
                val rate = (i - lastStep) / ((now - lastTime).coerceAtLeast(1) / 1e9)
                emit(Progress(i, steps, loss.applyAsDouble(outs), metrics.mapValues { (_, m) -> m.applyAsDouble(outs) },
                    rate, rate * batchSize, (now - start) / 1e9))
                lastTime = now
                lastStep = i
            }
        }
    }

    /** Runs the loop on the calling thread's behalf (blocking it), passing each report to [callback]; returns the last report. */
    fun run(callback: TrainingCallback): Progress? = runBlocking {
        var last: Progress? = null
        flow().takeWhile { last = it; callback.onProgress(it) }.collect()
        last
    }

    /** Runs the loop to its end without reports; returns the last report. */
    fun run(): Progress? = run { true }

    private fun check() {
        if (steps < 0) throw TheonException.InputError("training: steps is $steps; expected 0 or more")
        if (batchSize < 1) throw TheonException.InputError("training: batchSize is $batchSize; expected 1 or more")
        if (reportEvery < 1) throw TheonException.InputError("training: reportEvery is $reportEvery; expected 1 or more")
    }

    companion object {
        /** A trainer around a core compiled function (the Java entry point). */
        @JvmStatic
        fun of(function: Function): Trainer = Trainer(function)

        /** A trainer around a DSL compiled function. */
        @JvmStatic
        fun of(step: Compiled<*>): Trainer = Trainer(step.function)
    }
}

/** A training loop around [step], configured by [block]: `training(step) { steps = 100; inputs { listOf(x, y) } }`. */
fun training(step: Compiled<*>, block: Trainer.() -> Unit): Trainer = Trainer.of(step).apply(block)
