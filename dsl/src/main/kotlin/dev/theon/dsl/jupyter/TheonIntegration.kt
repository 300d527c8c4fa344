package dev.theon.dsl.jupyter

import dev.theon.compile.Function
import dev.theon.dsl.Compiled
import dev.theon.dsl.Tensor
import dev.theon.dsl.pp
import dev.theon.dsl.render.dotToSvg
import dev.theon.dsl.render.svgOf
import dev.theon.dsl.render.toHtml
import dev.theon.dsl.script.DEFAULT_IMPORTS
import dev.theon.graph.Variable
import dev.theon.tensor.NDArray
import org.jetbrains.kotlinx.jupyter.api.MIME
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration

/**
 * The Kotlin Jupyter kernel's integration (`%use theon`, or found in the jar through
 * META-INF/kotlin-jupyter-libraries/libraries.json): imports the DSL as scripts do, shows NDArrays as HTML tables
 * (abbreviated like NumPy when large) and tensors, core variables and compiled functions as SVG graphs.
 */
class TheonIntegration : JupyterIntegration() {
    override fun Builder.onLoaded() {
        import(*DEFAULT_IMPORTS.toTypedArray())
        render<NDArray> { MIME("text/html" to it.toHtml(), "text/plain" to it.toString()) }
        render<Tensor<*>> { MIME("image/svg+xml" to svgOf(it), "text/plain" to pp(it)) }
        render<Variable> { MIME("image/svg+xml" to dotToSvg(dev.theon.Theon.toDot(it)), "text/plain" to it.toString()) }
        render<Compiled<*>> { MIME("image/svg+xml" to svgOf(it), "text/plain" to it.toString()) }
        render<Function> { MIME("image/svg+xml" to dotToSvg(dev.theon.Theon.toDot(it)), "text/plain" to it.toString()) }
    }
}
