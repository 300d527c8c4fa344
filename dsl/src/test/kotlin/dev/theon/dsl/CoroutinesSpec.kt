package dev.theon.dsl

import dev.theon.tensor.NDArray
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.doubles.plusOrMinus
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.newSingleThreadContext
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield

/** Full-batch linear regression by SGD: the model, and the same steps computed in plain Kotlin as the oracle. */
private class Regression(val lr: Double = 0.1) {
    val X0 = arrayOf(d(1.0, 2.0), d(2.0, -1.0), d(0.5, 0.5), d(-1.0, 1.5))
    val y0 = d(5.0, 0.0, 1.5, 2.0)                           // from w* = (1, 2)
    val w = shared(d(0.0, 0.0), "w")
    val X = dmatrix("X"); val y = dvector("y")
    val pred = (X * w).sum(1)                                  // no dot: its gradient is not needed
    val loss = ((pred - y) pow 2).mean()
    val step = fn(X, y, updates = listOf(w to w - lr * grad(loss, w))) { loss to pred }

    /** w after n steps from (0, 0), with the loss of the last one. */
    fun simulate(n: Int): Pair<DoubleArray, Double> {
        var wv = d(0.0, 0.0)
        var last = Double.NaN
        repeat(n) {
            val p = DoubleArray(4) { i -> X0[i][0] * wv[0] + X0[i][1] * wv[1] }
            last = (0 until 4).sumOf { i -> (p[i] - y0[i]) * (p[i] - y0[i]) } / 4
            val g = DoubleArray(2) { j -> (0 until 4).sumOf { i -> 2 * (p[i] - y0[i]) * X0[i][j] } / 4 }
            wv = d(wv[0] - lr * g[0], wv[1] - lr * g[1])
        }
        return wv to last
    }

    fun trainer(steps: Int, block: Trainer.() -> Unit = {}) = training(step) {
        this.steps = steps
        inputs { listOf(X0, y0) }
        block()
    }
}

@OptIn(ExperimentalCoroutinesApi::class, kotlinx.coroutines.DelicateCoroutinesApi::class)
class CoroutinesSpec : FunSpec({
    test("callSuspend runs elsewhere: the caller's only thread keeps serving other coroutines meanwhile") {
        val x = dvector("x")
        var e: Vector<F64> = x
        repeat(12) { e = sin(e) * 1.5 + cos(e) }
        val heavy = fn(x) { e.sum() }
        val big = DoubleArray(1_000_000) { it * 1e-6 }
        newSingleThreadContext("caller").use { caller ->
            runBlocking(caller) {
                var ticks = 0
                var done = false
                val call = async { heavy.callSuspend(big).toDouble().also { done = true } }
                launch { while (!done) { ticks++; yield() } }
                val r = call.await()
                ticks shouldBeGreaterThan 0
                r shouldBe heavy(big).toDouble()
            }
        }
        val s = dscalar("s")
        val twice = fn(s) { s * 2.0 }
        runBlocking { twice.invokeSuspending(4.0).toDouble() shouldBe 8.0 }
    }

    test("invokeSuspending for every arity") {
        val a = dscalar("a"); val b = dscalar("b"); val c = dscalar("c"); val e = dscalar("e")
        runBlocking {
            fn { constant(1.0) }.invokeSuspending().toDouble() shouldBe 1.0
            fn(a, b) { a + b }.invokeSuspending(1.0, 2.0).toDouble() shouldBe 3.0
            fn(a, b, c) { a + b + c }.invokeSuspending(1.0, 2.0, 3.0).toDouble() shouldBe 6.0
            fn(a, b, c, e) { a + b + c + e }.invokeSuspending(1.0, 2.0, 3.0, 4.0).toDouble() shouldBe 10.0
            fn(listOf(a)) { a }.callSuspend(5.0, context = Dispatchers.IO).toDouble() shouldBe 5.0
        }
    }

    test("the training flow reports step, loss, metrics and throughput; the trained values match the oracle") {
        val r = Regression()
        val reports = runBlocking {
            r.trainer(20) {
                reportEvery = 5
                batchSize = 4
                metric("w0") { _ -> r.w.value.toDoubleArray()[0] }
                metric("maxAbsPred") { outs -> outs[1].toDoubleArray().maxOf { kotlin.math.abs(it) } }
            }.flow().toList()
        }
        reports.map { it.step } shouldBe listOf(5, 10, 15, 20)
        for (p in reports) {
            shouldBeClose(d(p.loss), d(r.simulate(p.step).second), 1e-12)
            p.steps shouldBe 20
            (p.stepsPerSecond > 0) shouldBe true
            p.examplesPerSecond shouldBe (p.stepsPerSecond * 4 plusOrMinus 1e-6 * p.examplesPerSecond)
            p.metrics.keys shouldBe setOf("w0", "maxAbsPred")
        }
        reports.zipWithNext().all { (a, b) -> b.loss < a.loss } shouldBe true
        shouldBeClose(r.w.value, r.simulate(20).first, 1e-12)
    }

    test("taking fewer reports stops the loop between steps; shared values are those after the last completed step") {
        val r = Regression()
        val t = r.trainer(1000)
        val got = runBlocking { t.flow().take(7).toList() }
        got.size shouldBe 7
        t.completedSteps shouldBe 7
        shouldBeClose(r.w.value, r.simulate(7).first, 1e-12)
    }

    test("cancelling the collecting coroutine mid-run leaves the state of exactly the completed steps") {
        val r = Regression(lr = 0.01)
        val t = r.trainer(1_000_000)
        val third = CompletableDeferred<Unit>()
        runBlocking {
            val job = launch(Dispatchers.Default) {
                t.flow().collect { if (it.step == 3) third.complete(Unit) }
            }
            third.await()
            job.cancel()
            job.join()
        }
        val k = t.completedSteps
        k shouldBeGreaterThanOrEqual 3
        runBlocking { delay(50) }
        t.completedSteps shouldBe k                                   // nothing runs after the cancellation
        shouldBeClose(r.w.value, r.simulate(k).first, 1e-12)        // and the values are those of step k exactly
        (k < 1_000_000) shouldBe true
    }

    test("the blocking run with a callback (the Java face) stops when the callback says so") {
        val r = Regression()
        val seen = mutableListOf<Int>()
        val last = r.trainer(50).run { p -> seen += p.step; p.step < 4 }
        seen shouldBe listOf(1, 2, 3, 4)
        last!!.step shouldBe 4
        shouldBeClose(r.w.value, r.simulate(4).first, 1e-12)
        val all = Regression().let { it.trainer(3).run() }
        all!!.step shouldBe 3
        io.kotest.assertions.throwables.shouldThrow<dev.theon.TheonException.InputError> { r.trainer(-1).run() }
    }
})

