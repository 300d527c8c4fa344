package dev.theon.dsl

import dev.theon.TheonException
import dev.theon.tensor.DType
import dev.theon.tensor.NDArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf

class FnSpec : FunSpec({
    test("fn of 0 to 4 inputs and of a list; a tensor result is an NDArray") {
        val a = dscalar("a"); val b = dscalar("b"); val c = dscalar("c"); val e = dscalar("e")
        val f0: Fn0<NDArray> = fn { constant(d(1.0, 2.0)) * 2.0 }
        shouldBeClose(f0(), d(2.0, 4.0))
        val f1: Fn1<NDArray> = fn(a) { a * a }
        f1(3.0).toDouble() shouldBe 9.0
        val f2: Fn2<NDArray> = fn(a, b) { a - b }
        f2(2.0, 3.0).toDouble() shouldBe -1.0
        val f3: Fn3<NDArray> = fn(a, b, c) { a * b + c }
        f3(2.0, 3.0, 4.0).toDouble() shouldBe 10.0
        val f4: Fn4<NDArray> = fn(a, b, c, e) { (a + b) * (c - e) }
        f4(1.0, 2.0, 5.0, 1.0).toDouble() shouldBe 12.0
        val g = dscalar("g")
        val fl: FnN<NDArray> = fn(listOf(a, b, c, e, g)) { a + b + c + e + g }
        fl(1.0, 2.0, 3.0, 4.0, 0.0).toDouble() shouldBe 10.0
        f2.call(5, 1).toDouble() shouldBe 4.0
        val asKotlin: (Any, Any) -> NDArray = f2
        asKotlin(1.0, 1.0).toDouble() shouldBe 0.0
    }

    test("a Pair, Triple or List of tensors returns them together") {
        val x = dvector("x")
        val p: Fn1<Pair<NDArray, NDArray>> = fn(x) { x.sum() to x * 2.0 }
        val (s, twice) = p(d(1.0, 2.0))
        s.toDouble() shouldBe 3.0
        shouldBeClose(twice, d(2.0, 4.0))
        val t: Fn1<Triple<NDArray, NDArray, NDArray>> = fn(x) { Triple(x.max(), x.min(), x.mean()) }
        val (mx, mn, mu) = t(d(1.0, 5.0))
        listOf(mx.toDouble(), mn.toDouble(), mu.toDouble()) shouldBe listOf(5.0, 1.0, 3.0)
        val l: Fn1<List<NDArray>> = fn(x) { listOf(x, -x, x * x, exp(x)) }
        l(d(2.0)).map { it.toDouble() } shouldBe listOf(2.0, -2.0, 4.0, kotlin.math.exp(2.0))
        val pn: FnN<Pair<NDArray, NDArray>> = fn(listOf(x)) { x to x }
        pn(d(1.0)).first.toDouble() shouldBe 1.0
        val y = dvector("y")
        val t2: Fn2<Triple<NDArray, NDArray, NDArray>> = fn(x, y) { Triple(x, y, x) }
        t2.function.outputCount() shouldBe 3
    }

    test("updates: all computed from one state, then committed together") {
        val w = shared(d(1.0, 2.0), "w")
        val b = shared(10.0, "b")
        val lr = dscalar("lr")
        val step = fn(lr, updates = listOf(w to w - lr * w, b to b + w.sum())) { w.sum() + b }
        step(0.5).toDouble() shouldBe 13.0
        shouldBeClose(w.value, d(0.5, 1.0))
        b.value.toDouble() shouldBe 13.0    // from the old w: 10 + 3
        step(0.5).toDouble() shouldBe 14.5
    }

    test("update and given inside the block; givens as an option") {
        val acc = shared(0L, "acc")
        val inc = lscalar("inc")
        val f = fn(inc) {
            update(acc, acc + inc)
            acc
        }
        f(5L).toLong() shouldBe 0L
        f(2L).toLong() shouldBe 5L
        acc.value.toLong() shouldBe 7L
        val x = dscalar("x"); val y = dscalar("y")
        val g = fn(x, givens = listOf(y to x * 2.0)) { x * y }
        g(3.0).toDouble() shouldBe 18.0
        val h = fn(x) { given(y, x + 1.0); x * y }
        h(3.0).toDouble() shouldBe 12.0
        val k = fn(x) { given(y, NDArray.of(4.0)); x * y }
        k(3.0).toDouble() shouldBe 12.0
    }

    test("backend, floatX, mode and name options reach the compiled function") {
        val x = vector("x")
        val f32 = fn(x, floatX = F32, backend = "reference", mode = "FAST_COMPILE", name = "halve") { x / 2.0 }
        f32(d(1.0)).dtype() shouldBe DType.FLOAT32
        f32.function.floatX() shouldBe DType.FLOAT32
        f32.function.backend() shouldBe "reference"
        f32.function.mode().name shouldBe "FAST_COMPILE"
        f32.name shouldBe "halve"
        f32.describe() shouldContain "halve"
        val f64 = fn(x, floatX = F64) { x / 2.0 }
        f64(d(1.0)).dtype() shouldBe DType.FLOAT64
        val dbg = fn(x, mode = "DEBUG") { log(x) }
        shouldThrow<TheonException> { dbg(d(-1.0)) }
        shouldThrow<TheonException.CompileError> { fn(x, backend = "nonesuch") { x } }.message shouldContain "nonesuch"
    }

    test("inputs with defaults may be left out") {
        val x = dscalar("x"); val y = dscalar("y"); val z = dscalar("z")
        val f = fn(x, y withDefault 1.0) { x + y }
        f(33.0).toDouble() shouldBe 34.0
        f(33.0, 2.0).toDouble() shouldBe 35.0
        val g = fn(x, y, z withDefault 10.0) { x + y + z }
        g(1.0, 2.0).toDouble() shouldBe 13.0
    }

    test("eval, pp, debugprint and toDot") {
        val x = dscalar("x")
        val y = x pow 2
        y.eval(x to 3.0).toDouble() shouldBe 9.0
        pp(y) shouldBe "(x ** 2)"
        debugprint(y) shouldContain "x"
        toDot(y) shouldContain "digraph"
        val f = fn(x) { y }
        debugprint(f) shouldContain "float64"
        toDot(f) shouldContain "digraph"
        toDot(f.function) shouldContain "digraph"
        f.toString() shouldContain "x"
        y.toString() shouldBe "(x ** 2)"
    }

    test("builders nest: an inner fn block has its own scope") {
        val x = dscalar("x")
        val counter = shared(0.0, "counter")
        val outer = fn(x) {
            val inner = fn(x) { update(counter, counter + 1.0); x }
            inner(1.0)
            x * 3.0
        }
        counter.value.toDouble() shouldBe 1.0
        outer(2.0).toDouble() shouldBe 6.0
        counter.value.toDouble() shouldBe 1.0
        outer.shouldBeInstanceOf<Fn1<NDArray>>()
    }
})
