package dev.theon.dsl.jupyter

import dev.theon.dsl.*
import dev.theon.dsl.script.DEFAULT_IMPORTS
import dev.theon.dsl.script.TheonScripts
import dev.theon.tensor.NDArray
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.jetbrains.kotlinx.jupyter.api.FieldValue
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import org.jetbrains.kotlinx.jupyter.api.Notebook
import org.jetbrains.kotlinx.jupyter.api.libraries.ExecutionHost
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration
import org.jetbrains.kotlinx.jupyter.api.libraries.LibraryDefinition
import java.io.File
import java.lang.reflect.Proxy

/** A stand-in for the kernel's objects (the notebook, its current cell, ...): they only need to exist. */
private inline fun <reified T> absent(): T = absent(T::class.java) as T

private fun absent(type: Class<*>): Any = Proxy.newProxyInstance(type.classLoader, arrayOf(type)) { _, m, _ ->
    if (m.returnType.isInterface && m.returnType.name.startsWith("org.jetbrains.kotlinx.jupyter")) absent(m.returnType) else null
}

/** The repository root (tests run in the dsl module's directory). */
private val root = generateSequence(File("").absoluteFile) { it.parentFile }.first { File(it, "theon").isFile }

class TheonIntegrationSpec : FunSpec({
    val definition: LibraryDefinition = TheonIntegration().getDefinitions(absent<Notebook>()).single()

    fun render(value: Any): Map<String, String> {
        val r = definition.renderers.first { it.accepts(value) }
        return r.execution.execute(absent<ExecutionHost>(), FieldValue(value, "v")).value as MimeTypedResult
    }

    test("the integration imports the DSL as scripts do") {
        definition.imports shouldContainAll DEFAULT_IMPORTS
    }

    test("NDArrays render as HTML tables, tensors and functions as SVG graphs") {
        val nd = NDArray.of(1.0, 2.0)
        render(nd)["text/html"]!! shouldContain "<table"
        val x = dvector("x")
        val y = sigmoid(x) * 2.0
        val svg = render(y)
        svg["image/svg+xml"]!! shouldContain "<svg"
        svg["text/plain"] shouldBe pp(y)
        render(y.variable)["image/svg+xml"]!! shouldContain "sigmoid"
        render(fn(x) { y })["image/svg+xml"]!! shouldContain "<svg"
        render(fn(x) { y }.function)["image/svg+xml"]!! shouldContain "<svg"
    }

    test("the jar registers the integration in META-INF/kotlin-jupyter-libraries/libraries.json") {
        val text = javaClass.classLoader.getResource("META-INF/kotlin-jupyter-libraries/libraries.json")!!.readText()
        val fqn = Json.parseToJsonElement(text).jsonObject["producers"]!!.jsonArray.single().jsonObject["fqn"]!!.jsonPrimitive.content
        fqn shouldBe TheonIntegration::class.qualifiedName
        JupyterIntegration::class.java.isAssignableFrom(Class.forName(fqn)) shouldBe true
    }

    test("the %use descriptor names the artifact") {
        val d = Json.parseToJsonElement(File(root, "dsl/jupyter/theon.json").readText()).jsonObject
        d["dependencies"]!!.jsonArray.map { it.jsonPrimitive.content } shouldBe listOf("dev.theon:theon-dsl:\$v")
    }

    test("the tutorial notebook is valid JSON and its code runs with the default imports") {
        val nb = Json.parseToJsonElement(File(root, "samples/notebooks/tutorial.ipynb").readText()).jsonObject
        nb["nbformat"]!!.jsonPrimitive.content shouldBe "4"
        val cells = nb["cells"]!!.jsonArray.map { it.jsonObject }
            .filter { it["cell_type"]!!.jsonPrimitive.content == "code" }
            .map { c -> c["source"]!!.jsonArray.joinToString("") { it.jsonPrimitive.content } }
        // the kernel's magics (%use) are not Kotlin; imports move to the top as they would in one file
        val lines = cells.flatMap { it.lines() + "" }.filterNot { it.startsWith("%") }
        val script = (lines.filter { it.startsWith("import ") } + lines.filterNot { it.startsWith("import ") }).joinToString("\n")
        val last = TheonScripts.run(script, "tutorial.theon.kts")
        (last as NDArray).shape().toList() shouldBe listOf(40L, 40L)
    }
})
