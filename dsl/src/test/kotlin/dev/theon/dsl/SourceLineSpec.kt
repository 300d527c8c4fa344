package dev.theon.dsl

import dev.theon.TheonException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class SourceLineSpec : FunSpec({
    test("a core TypeError raised while building names the user's file and line") {
        val a = matrixOf<F64>("a", rows = 2, cols = 3)
        val b = matrixOf<F64>("b", rows = 4, cols = 3)
        var line = 0
        val e = shouldThrow<TheonException.TypeError> { line = lineHere(); a + b }
        e.message shouldContain "(at SourceLineSpec.kt:$line)"
        e.cause shouldBe e.cause    // the core's own error is kept as the cause
        (e.cause is TheonException.TypeError) shouldBe true
    }

    test("nested DSL calls add the line once") {
        val p = matrixOf<F64>("p", rows = 2, cols = 3)
        val q = vectorOf<F64>("q", size = 5)
        var line = 0
        val e = shouldThrow<TheonException.TypeError> { line = lineHere(); softmax(p dot q) }
        e.message!!.split("(at ").size shouldBe 2
        e.message shouldContain "SourceLineSpec.kt:$line"
    }

    test("compile errors name the line of the fn call") {
        val x = dscalar("x"); val y = dscalar("y")
        var line = 0
        val e = shouldThrow<TheonException.CompileError> { line = lineHere(); fn(x, y) { x * 2.0 } }
        e.message shouldContain "not used"
        e.message shouldContain "SourceLineSpec.kt:$line"
    }

    test("what counts as user code") {
        isUserCode("dev.theon.dsl.ArithmeticKt") shouldBe false
        isUserCode("dev.theon.T") shouldBe false
        isUserCode("kotlin.collections.CollectionsKt") shouldBe false
        isUserCode("dev.theon.dsl.FooSpec\$1\$2") shouldBe true
        isUserCode("dev.theon.samples.Tutorial") shouldBe true
        isUserCode("com.example.Model") shouldBe true
        isUserCode("Train_theon") shouldBe true
    }
})

class SourceLineCauseSpec : FunSpec({
    test("the located error wraps the core's error exactly once") {
        val a = matrixOf<F64>("a", rows = 2, cols = 3)
        val e = shouldThrow<TheonException.TypeError> { a + matrixOf<F64>("b", rows = 5, cols = 3) }
        e.cause!!::class shouldBe TheonException.TypeError::class
        e.cause!!.cause shouldBe null
    }
})
