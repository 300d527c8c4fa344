package dev.theon.dsl.render

import dev.theon.tensor.DType
import dev.theon.tensor.NDArray
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.w3c.dom.Document
import javax.xml.parsers.DocumentBuilderFactory

/** The HTML is well-formed XML, so the tests read it back as a DOM and count rows and cells. */
private fun dom(html: String): Document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(html.byteInputStream())

private fun Document.tables(): List<List<List<String>>> {
    val ts = getElementsByTagName("table")
    return (0 until ts.length).map { t ->
        val rows = (ts.item(t) as org.w3c.dom.Element).getElementsByTagName("tr")
        (0 until rows.length).map { r ->
            val cells = (rows.item(r) as org.w3c.dom.Element).getElementsByTagName("td")
            (0 until cells.length).map { cells.item(it).textContent }
        }
    }
}

class ArrayHtmlSpec : FunSpec({
    test("a matrix is a table of its elements with a dtype and shape caption") {
        val html = NDArray.of(arrayOf(doubleArrayOf(1.0, 2.5), doubleArrayOf(-3.0, 0.125))).toHtml()
        html shouldContain "float64 (2, 2)"
        dom(html).tables() shouldBe listOf(listOf(listOf("1.", "2.5"), listOf("-3.", "0.125")))
    }

    test("scalars, vectors, integers, bools, special floats") {
        dom(NDArray.of(7L).toHtml()).tables() shouldBe listOf(listOf(listOf("7")))
        dom(NDArray.of(1, 2, 3).toHtml()).tables() shouldBe listOf(listOf(listOf("1", "2", "3")))
        NDArray.of(1, 2, 3).toHtml() shouldContain "int32 (3,)"
        dom(NDArray.of(true, false).toHtml()).tables() shouldBe listOf(listOf(listOf("True", "False")))
        dom(NDArray.of(Double.NaN, Double.NEGATIVE_INFINITY, 1e-7, 123456789.5, 1.0 / 3).toHtml()).tables()[0][0] shouldBe
            listOf("nan", "-inf", "1e-07", "1.23457e+08", "0.333333")
        dom(NDArray.of(0.5f, 2f).toHtml()).tables()[0][0] shouldBe listOf("0.5", "2.")
    }

    test("rank 3 and above: one table per leading index, captioned") {
        val a = NDArray.fromDoubles(DType.FLOAT64, DoubleArray(12) { it.toDouble() }, 2, 2, 3)
        val html = a.toHtml()
        html shouldContain "[0, :, :]"
        html shouldContain "[1, :, :]"
        dom(html).tables() shouldBe listOf(
            listOf(listOf("0.", "1.", "2."), listOf("3.", "4.", "5.")),
            listOf(listOf("6.", "7.", "8."), listOf("9.", "10.", "11.")),
        )
    }

    test("more than 1000 elements are abbreviated as NumPy does: three at each end of every axis") {
        val a = NDArray.of(Array(40) { i -> DoubleArray(40) { j -> i * 40.0 + j } })
        val html = a.toHtml()
        html shouldContain "(abbreviated)"
        val t = dom(html).tables().single()
        t.size shouldBe 7
        t[0] shouldBe listOf("0.", "1.", "2.", "…", "37.", "38.", "39.")
        t[3] shouldBe List(7) { "…" }
        t[6] shouldBe listOf("1560.", "1561.", "1562.", "…", "1597.", "1598.", "1599.")
        // 1000 elements exactly are shown whole
        dom(NDArray.of(*DoubleArray(1000) { it.toDouble() }).toHtml()).tables()[0][0].size shouldBe 1000
        // abbreviation of leading axes of a rank-3 array
        val big = NDArray.fromDoubles(DType.FLOAT64, DoubleArray(10 * 10 * 20) { it.toDouble() }, 10, 10, 20)
        val h3 = big.toHtml()
        dom(h3).tables().size shouldBe 6
        h3 shouldContain "[9, :, :]"
        (h3.contains("[4, :, :]")) shouldBe false
    }
})
