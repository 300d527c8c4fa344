package dev.theon.samples

import dev.theon.dsl.*
import dev.theon.tensor.NDArray
import java.io.PrintStream
import java.util.Locale
import java.util.Random
import kotlin.math.abs

/**
 * An autoencoder with a binary code, after the note on `sgn`: an encoder g(X) = tanh(X We + be), a code, and a linear
 * decoder f(code) = code Wd + bd, trained on the mean squared reconstruction error.
 *
 * With the code sgn(g(X)) the encoder learns nothing: sgn is flat wherever it is differentiable, so its gradient is
 * zero and so is every gradient that reaches the encoder through it, exactly. `zeroGrad(e)` does the same to any
 * expression e: its value is e's, its gradient zero. Put together they give the usual way out, the straight-through
 * code g + zeroGrad(sgn(g) - g): its value is sgn(g) (up to rounding), while its gradient is g's.
 *
 * `./theon run dev.theon.samples.SignAutoencoder [STEPS]` prints the gradients of each code and trains with each.
 */
class SignAutoencoder(val data: Array<DoubleArray>, init: Weights, val code: Code) {

    /** The ways of making the code from the encoder's output g. */
    enum class Code(val formula: String) {
        /** The code is g itself: an ordinary autoencoder. */
        PLAIN("g"),
        /** A binary code: the encoder gets zero gradient. */
        SIGN("sgn(g)"),
        /** g's values with zero gradient: the encoder gets zero gradient too. */
        ZERO_GRAD("zeroGrad(g)"),
        /** sgn(g)'s values with g's gradient: the encoder learns again. */
        STRAIGHT_THROUGH("g + zeroGrad(sgn(g) - g)"),
    }

    /** Encoder and decoder parameters. */
    class Weights(val we: Array<DoubleArray>, val be: DoubleArray, val wd: Array<DoubleArray>, val bd: DoubleArray) {
        companion object {
            /** Gaussian weights with deviation 0.5, zero biases, for [features] inputs and a code of [bits]. */
            fun random(features: Int, bits: Int, random: Random) = Weights(
                Array(features) { DoubleArray(bits) { 0.5 * random.nextGaussian() } }, DoubleArray(bits),
                Array(bits) { DoubleArray(features) { 0.5 * random.nextGaussian() } }, DoubleArray(features))
        }
    }

    /** The gradients of the cost with respect to each parameter, at the current parameters and the whole data. */
    class Gradients(val we: NDArray, val be: NDArray, val wd: NDArray, val bd: NDArray) {
        /** The encoder's gradients, We's then be's entries. */
        val encoder: DoubleArray get() = we.toDoubleArray() + be.toDoubleArray()
        /** The decoder's gradients, Wd's then bd's entries. */
        val decoder: DoubleArray get() = wd.toDoubleArray() + bd.toDoubleArray()
    }

    private val x = dmatrix("X")
    private val we = shared(init.we, "We")
    private val be = shared(init.be, "be")
    private val wd = shared(init.wd, "Wd")
    private val bd = shared(init.bd, "bd")
    private val params: List<Tensor<F64>> = listOf(we, be, wd, bd)

    private val g: Matrix<F64> = tanh((x dot we) + be)
    private val coded: Matrix<F64> = when (code) {
        Code.PLAIN -> g
        Code.SIGN -> sgn(g)
        Code.ZERO_GRAD -> zeroGrad(g)
        Code.STRAIGHT_THROUGH -> g + zeroGrad(sgn(g) - g)
    }
    private val reconstruction: Matrix<F64> = (coded dot wd) + bd
    private val cost: Scalar<F64> = sqr(reconstruction - x).mean()
    private val grads = grad(cost, params)

    private val gradientsFn = fn(x, name = "gradients") { grads }
    private val codeFn = fn(x, name = "code") { coded }
    private val costFn = fn(x, name = "cost") { cost }

    /** The gradients of the mean squared error at the data. */
    fun gradients(): Gradients = gradientsFn(data).let { Gradients(it[0], it[1], it[2], it[3]) }

    /** The code of each row of the data. */
    fun codes(): NDArray = codeFn(data)

    /** The mean squared reconstruction error of the data. */
    fun cost(): Double = costFn(data).toDouble()

    /** The current parameters: We, be, Wd, bd. */
    fun parameters(): List<NDArray> = params.map { it.value }

    /** [steps] steps of gradient descent on all four parameters; returns the cost before each step. */
    fun train(steps: Int, learningRate: Double): List<Double> {
        val step = fn(x, updates = params.zip(grads).map { (p, gp) -> p to p - learningRate * gp.asTyped<Tensor<F64>>() }, name = "train") { cost }
        return (1..steps).map { step(data).toDouble() }
    }

    companion object {
        const val FEATURES = 6
        const val BITS = 3
        const val SEED = 7L

        /** Where the data is centred: off the origin, so that the random encoder's signs tell the points apart badly. */
        const val CENTRE = 1.0

        /**
         * 64 points in 6 dimensions, each [CENTRE] in every coordinate plus a combination with signs of 3 fixed
         * directions plus a little noise: data that a 3-bit code and a linear decoder can reconstruct well once the
         * encoder has learnt where the signs are.
         */
        fun data(random: Random): Array<DoubleArray> {
            val directions = Array(BITS) { DoubleArray(FEATURES) { random.nextGaussian() } }
            return Array(64) { i ->
                DoubleArray(FEATURES) { f ->
                    (0 until BITS).sumOf { b -> (if ((i shr b) and 1 == 1) 1.0 else -1.0) * directions[b][f] } + CENTRE + 0.05 * random.nextGaussian()
                }
            }
        }

        /** The sample's autoencoder with the given code, all four starting from the same data and weights. */
        fun sample(code: Code): SignAutoencoder {
            val random = Random(SEED)
            val data = data(random)
            return SignAutoencoder(data, Weights.random(FEATURES, BITS, random), code)
        }

        private fun maxAbs(v: DoubleArray) = v.maxOf { abs(it) }

        /** Prints each code's gradients, then trains with each and shows what moved. */
        fun report(steps: Int, out: PrintStream) {
            out.println("Autoencoder X -> g = tanh(X We + be) -> code -> code Wd + bd, cost = mean squared error; "
                    + "64 points in $FEATURES dimensions, a $BITS-bit code")
            out.println("\nGradients at the starting weights:")
            for (code in Code.entries) {
                val grads = sample(code).gradients()
                val enc = grads.encoder
                out.printf(Locale.ROOT, "  code = %-26s encoder: max |grad| = %.3e, %2d of %2d entries nonzero;  decoder: max |grad| = %.3e%n",
                    code.formula, maxAbs(enc), enc.count { it != 0.0 }, enc.size, maxAbs(grads.decoder))
            }
            out.println("  d cost / d We with code = sgn(g):\n" + sample(Code.SIGN).gradients().we)
            out.println("  d cost / d We with code = zeroGrad(g):\n" + sample(Code.ZERO_GRAD).gradients().we)
            out.println("\nTraining for $steps steps of gradient descent (learning rate 0.1) on all four parameters:")
            for (code in Code.entries) {
                val model = sample(code)
                val before = model.parameters()[0].toDoubleArray()
                val costs = model.train(steps, 0.1)
                val after = model.parameters()[0].toDoubleArray()
                val moved = maxAbs(DoubleArray(before.size) { after[it] - before[it] })
                out.printf(Locale.ROOT, "  code = %-26s cost %.4f -> %.4f;  We moved by at most %.3e%n", code.formula, costs.first(), model.cost(), moved)
            }
        }

        @JvmStatic
        fun main(args: Array<String>) = report(args.firstOrNull()?.toInt() ?: 500, System.out)
    }
}
