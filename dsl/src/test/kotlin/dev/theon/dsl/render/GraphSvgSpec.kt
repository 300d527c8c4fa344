package dev.theon.dsl.render

import dev.theon.Theon
import dev.theon.dsl.*
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.w3c.dom.Element
import javax.xml.parsers.DocumentBuilderFactory

private fun parse(svg: String) = DocumentBuilderFactory.newInstance().apply { isNamespaceAware = true }
    .newDocumentBuilder().parse(svg.byteInputStream()).documentElement

private fun Element.groups(cls: String): List<Element> {
    val gs = getElementsByTagName("g")
    return (0 until gs.length).map { gs.item(it) as Element }.filter { it.getAttribute("class") == cls }
}

class GraphSvgSpec : FunSpec({
    test("the DOT the core writes reads back: one node per DOT node, one edge per DOT edge") {
        val x = dvector("x"); val w = dvector("w")
        val y = tanh(x * w + 1.0).sum()
        val dot = Theon.toDot(y.variable)
        val g = DotGraph.parse(dot)
        val dotEdges = dot.lines().count { "->" in it }
        g.edges.size shouldBe dotEdges
        val svg = svgOf(y)
        val root = parse(svg)
        root.tagName shouldBe "svg"
        root.groups("node").size shouldBe g.nodes.size
        root.groups("edge").size shouldBe dotEdges
        svg shouldContain ">x<"
        svg shouldContain ">w<"
        svg shouldContain "tanh"
    }

    test("layers: inputs above the ops they feed, the output at the bottom") {
        val x = dscalar("x"); val y = dscalar("y")
        val z = (x + y) * x
        val l = layout(DotGraph.parse(Theon.toDot(z.variable)))
        val byLabel = l.nodes.values.associateBy { it.label }
        val add = l.nodes.values.first { it.shape == "box" && it.y == l.nodes.values.filter { n -> n.shape == "box" }.minOf { n -> n.y } }
        byLabel.getValue("x").y shouldBe byLabel.getValue("y").y
        (byLabel.getValue("x").y < add.y) shouldBe true
        val out = l.nodes.values.maxBy { it.y }
        out.shape shouldBe "ellipse"
        // every edge points downwards
        for ((a, b, _) in l.edges) (l.nodes.getValue(a).y < l.nodes.getValue(b).y) shouldBe true
        // nodes of one layer do not overlap
        for ((_, layer) in l.nodes.values.groupBy { it.y }) {
            val sorted = layer.sortedBy { it.x }
            sorted.zipWithNext().forEach { (p, q) -> (p.x + p.w / 2 <= q.x - q.w / 2) shouldBe true }
        }
    }

    test("labels are escaped, compiled functions draw too") {
        val a = dvector("a<b")
        val svg = svgOf(a * 2.0)
        svg shouldContain "a&lt;b"
        parse(svg).tagName shouldBe "svg"
        val f = fn(a) { exp(a) }
        parse(svgOf(f)).groups("node").size shouldBe DotGraph.parse(Theon.toDot(f.function)).nodes.size
        dotToSvg("digraph g {\n  p [shape=box, label=\"two\\nlines\"];\n  q [label=\"q\"];\n  p -> q [label=\"t\"];\n}\n") shouldContain ">lines<"
    }
})
