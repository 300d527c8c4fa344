package dev.theon.samples

import dev.theon.samples.SignAutoencoder.Code
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeExactly
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import kotlin.math.abs
import kotlin.math.sign
import kotlin.math.tanh

/**
 * The sgn note: through sgn the encoder's gradient is exactly zero, zeroGrad does the same to any expression, and
 * the straight-through code gets the encoder its gradient back. Gradients are checked against backpropagation
 * written out by hand.
 */
class SignAutoencoderSpec : FunSpec({

    /** The gradients of mean((code(g) Wd + bd - X)^2) by hand; [encoderLearns] says whether d code / d g is 1 or 0. */
    fun handGradients(x: Array<DoubleArray>, w: List<Array<DoubleArray>>, code: (Double) -> Double, encoderLearns: Boolean): Pair<DoubleArray, DoubleArray> {
        val (we, be, wd, bd) = w
        val n = x.size; val d = x[0].size; val k = be[0].size
        val h = Array(n) { i -> DoubleArray(k) { j -> tanh((0 until d).sumOf { x[i][it] * we[it][j] } + be[0][j]) } }
        val c = Array(n) { i -> DoubleArray(k) { j -> code(h[i][j]) } }
        val dOut = Array(n) { i -> DoubleArray(d) { f -> 2 * ((0 until k).sumOf { c[i][it] * wd[it][f] } + bd[0][f] - x[i][f]) / (n * d) } }
        val gWd = Array(k) { j -> DoubleArray(d) { f -> (0 until n).sumOf { c[it][j] * dOut[it][f] } } }
        val gbd = DoubleArray(d) { f -> (0 until n).sumOf { dOut[it][f] } }
        val dPre = Array(n) { i -> DoubleArray(k) { j ->
            if (!encoderLearns) 0.0 else (0 until d).sumOf { dOut[i][it] * wd[j][it] } * (1 - h[i][j] * h[i][j])
        } }
        val gWe = Array(d) { f -> DoubleArray(k) { j -> (0 until n).sumOf { x[it][f] * dPre[it][j] } } }
        val gbe = DoubleArray(k) { j -> (0 until n).sumOf { dPre[it][j] } }
        return (gWe.flatMap { it.asIterable() } + gbe.asIterable()).toDoubleArray() to
            (gWd.flatMap { it.asIterable() } + gbd.asIterable()).toDoubleArray()
    }

    fun weightsOf(model: SignAutoencoder): List<Array<DoubleArray>> = model.parameters().map { p ->
        if (p.shape().size == 2) p.toDoubleMatrix() else arrayOf(p.toDoubleArray())
    }

    fun close(actual: DoubleArray, expected: DoubleArray) {
        actual.size shouldBe expected.size
        for (i in actual.indices) actual[i] shouldBe (expected[i] plusOrMinus 1e-12 * maxOf(1.0, abs(expected[i])))
    }

    val signCode = { v: Double -> sign(v) }
    val identity = { v: Double -> v }

    test("through sgn the encoder's gradient is exactly zero; the decoder's is the one backpropagation gives") {
        val model = SignAutoencoder.sample(Code.SIGN)
        val grads = model.gradients()
        grads.encoder.forEach { it shouldBeExactly 0.0 }
        val (_, decoder) = handGradients(model.data, weightsOf(model), signCode, encoderLearns = false)
        close(grads.decoder, decoder)
        grads.decoder.maxOf { abs(it) } shouldBeGreaterThan 0.1
        model.codes().toDoubleArray().forEach { (it == -1.0 || it == 1.0) shouldBe true }
    }

    test("zeroGrad keeps the value and zeroes the gradient of any expression: here the encoder's output") {
        val model = SignAutoencoder.sample(Code.ZERO_GRAD)
        val grads = model.gradients()
        grads.encoder.forEach { it shouldBeExactly 0.0 }
        val w = weightsOf(model)
        val (_, decoder) = handGradients(model.data, w, identity, encoderLearns = false)
        close(grads.decoder, decoder)
        // the code is g itself
        val g = model.data.map { row -> DoubleArray(SignAutoencoder.BITS) { j -> tanh(row.indices.sumOf { row[it] * w[0][it][j] } + w[1][0][j]) } }
        close(model.codes().toDoubleArray(), g.flatMap { it.asIterable() }.toDoubleArray())
    }

    test("without sgn, and with the straight-through code, the encoder gets backpropagation's gradient") {
        for ((code, forward) in listOf(Code.PLAIN to identity, Code.STRAIGHT_THROUGH to signCode)) {
            val model = SignAutoencoder.sample(code)
            val grads = model.gradients()
            val (encoder, decoder) = handGradients(model.data, weightsOf(model), forward, encoderLearns = true)
            close(grads.encoder, encoder)
            close(grads.decoder, decoder)
            grads.encoder.maxOf { abs(it) } shouldBeGreaterThan 0.01
        }
        // the straight-through code's value is sgn(g), up to the rounding of g + (sgn(g) - g)
        SignAutoencoder.sample(Code.STRAIGHT_THROUGH).codes().toDoubleArray().forEach { abs(abs(it) - 1.0) shouldBeLessThan 1e-15 }
    }

    test("training leaves the encoder exactly where it was through sgn and zeroGrad, and only the others fit the data") {
        val results = Code.entries.associateWith { code ->
            val model = SignAutoencoder.sample(code)
            val before = model.parameters()
            model.train(300, 0.1)
            val after = model.parameters()
            after[0].toDoubleArray().contentEquals(before[0].toDoubleArray()) to model.cost()
        }
        results.getValue(Code.SIGN).first shouldBe true
        results.getValue(Code.ZERO_GRAD).first shouldBe true
        results.getValue(Code.PLAIN).first shouldBe false
        results.getValue(Code.STRAIGHT_THROUGH).first shouldBe false
        // the noise alone costs 0.05^2 = 0.0025; a fixed random code leaves far more
        results.getValue(Code.STRAIGHT_THROUGH).second shouldBeLessThan 0.02
        results.getValue(Code.SIGN).second shouldBeGreaterThan 10 * results.getValue(Code.STRAIGHT_THROUGH).second
    }

    test("the report prints both zero gradients") {
        val buffer = ByteArrayOutputStream()
        SignAutoencoder.report(50, PrintStream(buffer))
        val text = buffer.toString()
        text shouldContain "code = sgn(g)                     encoder: max |grad| = 0.000e+00,  0 of 21 entries nonzero"
        text shouldContain "code = zeroGrad(g)                encoder: max |grad| = 0.000e+00,  0 of 21 entries nonzero"
        text shouldContain "d cost / d We with code = zeroGrad(g)"
    }
})
