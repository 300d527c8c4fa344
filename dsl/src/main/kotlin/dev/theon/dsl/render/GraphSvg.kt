package dev.theon.dsl.render

import dev.theon.Theon
import dev.theon.dsl.Compiled
import dev.theon.dsl.Tensor

/*
 * Graphs as SVG without Graphviz: the core writes a graph as DOT (Theon.toDot); this reads that DOT back and lays it
 * out in layers, as `dot` would for a small graph. Each node sits one layer below the deepest node feeding it (the
 * outputs at the bottom), and each input or constant just above the first node it feeds. Within a layer, nodes are
 * ordered by the mean position of their neighbours over a few sweeps, to reduce crossings. Edges are curves from the
 * bottom of the source to the top of the target, labelled with the type the core wrote on them.
 */

/** The graph of tensors as SVG. */
fun svgOf(vararg ts: Tensor<*>): String = dotToSvg(Theon.toDot(*ts.map { it.variable }.toTypedArray()))

/** The compiled graph of a function as SVG. */
fun svgOf(f: Compiled<*>): String = dotToSvg(Theon.toDot(f.function))

/** A graph in the DOT the core writes (nodes with shape, fillcolor and label; labelled edges) as SVG. */
fun dotToSvg(dot: String): String = layout(DotGraph.parse(dot)).svg()

/** The subset of DOT the core writes: `id [k=v, ...];` and `a -> b [k=v, ...];` lines. */
internal class DotGraph(val nodes: LinkedHashMap<String, Map<String, String>>, val edges: List<Triple<String, String, String>>) {
    companion object {
        private val EDGE = Regex("""^\s*(\w+)\s*->\s*(\w+)\s*(?:\[(.*)])?\s*;?\s*$""")
        private val NODE = Regex("""^\s*(\w+)\s*\[(.*)]\s*;?\s*$""")
        private val ATTR = Regex("""(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\]\s]+)""")

        fun parse(dot: String): DotGraph {
            val nodes = LinkedHashMap<String, Map<String, String>>()
            val edges = ArrayList<Triple<String, String, String>>()
            for (line in dot.lines()) {
                val e = EDGE.matchEntire(line)
                if (e != null) {
                    val (a, b, attrs) = e.destructured
                    nodes.getOrPut(a) { emptyMap() }
                    nodes.getOrPut(b) { emptyMap() }
                    edges += Triple(a, b, attrs(attrs)["label"] ?: "")
                    continue
                }
                val n = NODE.matchEntire(line) ?: continue
                val (id, attrs) = n.destructured
                if (id == "node" || id == "edge" || id == "graph") continue
                nodes[id] = attrs(attrs)
            }
            return DotGraph(nodes, edges)
        }

        private fun attrs(s: String): Map<String, String> = ATTR.findAll(s).associate { m ->
            val v = m.groupValues[2]
            m.groupValues[1] to if (v.startsWith("\"")) v.substring(1, v.length - 1).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\") else v
        }
    }
}

internal class Placed(val id: String, val label: String, val shape: String, val fill: String, var x: Double, val y: Double, val w: Double, val h: Double)

internal class Layout(val nodes: Map<String, Placed>, val edges: List<Triple<String, String, String>>, val width: Double, val height: Double) {
    fun svg(): String {
        val b = StringBuilder()
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"${fmt(width)}\" height=\"${fmt(height)}\" ")
            .append("viewBox=\"0 0 ${fmt(width)} ${fmt(height)}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">")
        b.append("<defs><marker id=\"theon-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" ")
            .append("orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>")
        for ((a, c, label) in edges) {
            val s = nodes.getValue(a); val t = nodes.getValue(c)
            val x1 = s.x; val y1 = s.y + s.h / 2; val x2 = t.x; val y2 = t.y - t.h / 2
            val my = (y1 + y2) / 2
            b.append("<g class=\"edge\"><path d=\"M ${fmt(x1)} ${fmt(y1)} C ${fmt(x1)} ${fmt(my)}, ${fmt(x2)} ${fmt(my)}, ${fmt(x2)} ${fmt(y2)}\" ")
                .append("fill=\"none\" stroke=\"#555\" marker-end=\"url(#theon-arrow)\"/>")
            if (label.isNotEmpty())
                b.append("<text x=\"${fmt((x1 + x2) / 2 + 4)}\" y=\"${fmt(my)}\" font-size=\"9\" fill=\"#777\">").append(esc(label)).append("</text>")
            b.append("</g>")
        }
        for (n in nodes.values) {
            b.append("<g class=\"node\" id=\"${esc(n.id)}\">")
            if (n.shape == "box")
                b.append("<rect x=\"${fmt(n.x - n.w / 2)}\" y=\"${fmt(n.y - n.h / 2)}\" width=\"${fmt(n.w)}\" height=\"${fmt(n.h)}\" rx=\"3\" ")
            else
                b.append("<ellipse cx=\"${fmt(n.x)}\" cy=\"${fmt(n.y)}\" rx=\"${fmt(n.w / 2)}\" ry=\"${fmt(n.h / 2)}\" ")
            b.append("fill=\"${esc(n.fill)}\" stroke=\"#333\"/>")
            val lines = n.label.split("\n")
            for ((k, line) in lines.withIndex()) {
                val y = n.y + (k - (lines.size - 1) / 2.0) * LINE + 4
                b.append("<text x=\"${fmt(n.x)}\" y=\"${fmt(y)}\" text-anchor=\"middle\">").append(esc(line)).append("</text>")
            }
            b.append("</g>")
        }
        return b.append("</svg>").toString()
    }
}

private const val LINE = 14.0
private const val CHAR = 7.0
private const val GAP_X = 24.0
private const val GAP_Y = 56.0
private const val MARGIN = 16.0

internal fun layout(g: DotGraph): Layout {
    val preds = g.nodes.keys.associateWith { mutableListOf<String>() }
    val succs = g.nodes.keys.associateWith { mutableListOf<String>() }
    for ((a, b, _) in g.edges) { preds.getValue(b) += a; succs.getValue(a) += b }

    // layer = longest path from a source (graphs are acyclic; an edge back to a node being visited is ignored)
    val layer = HashMap<String, Int>()
    val visiting = HashSet<String>()
    fun depth(n: String): Int = layer[n] ?: run {
        visiting += n
        val d = preds.getValue(n).filter { it !in visiting }.maxOfOrNull { depth(it) + 1 } ?: 0
        visiting -= n
        layer[n] = d
        d
    }
    g.nodes.keys.forEach { depth(it) }
    // a source (input, constant) sits just above its first consumer rather than at the top, so edges stay short
    for (n in g.nodes.keys) if (preds.getValue(n).isEmpty() && succs.getValue(n).isNotEmpty())
        layer[n] = succs.getValue(n).minOf { layer.getValue(it) } - 1
    val layers = g.nodes.keys.groupBy { layer.getValue(it) }.toSortedMap().values.map { it.toMutableList() }

    // order within layers by the barycentre of neighbours, sweeping down then up
    val pos = HashMap<String, Double>()
    fun number() = layers.forEach { l -> l.forEachIndexed { i, n -> pos[n] = i.toDouble() } }
    number()
    repeat(4) { sweep ->
        val order = if (sweep % 2 == 0) layers.indices else layers.indices.reversed()
        for (li in order) {
            val near = if (sweep % 2 == 0) preds else succs
            layers[li].sortBy { n -> near.getValue(n).map { pos.getValue(it) }.takeIf { it.isNotEmpty() }?.average() ?: pos.getValue(n) }
            layers[li].forEachIndexed { i, n -> pos[n] = i.toDouble() }
        }
    }

    val placed = LinkedHashMap<String, Placed>()
    var width = 0.0
    for ((li, l) in layers.withIndex()) {
        var x = MARGIN
        for (id in l) {
            val a = g.nodes.getValue(id)
            val label = a["label"] ?: id
            val lines = label.split("\n")
            val w = maxOf(60.0, lines.maxOf { it.length } * CHAR + 20)
            val h = maxOf(30.0, lines.size * LINE + 12)
            placed[id] = Placed(id, label, a["shape"] ?: "ellipse", a["fillcolor"] ?: "#ffffff", x + w / 2, MARGIN + 20 + li * GAP_Y, w, h)
            x += w + GAP_X
        }
        width = maxOf(width, x - GAP_X + MARGIN)
    }
    // centre each layer in the widest one
    for (l in layers) {
        val right = l.maxOfOrNull { placed.getValue(it).let { p -> p.x + p.w / 2 } } ?: continue
        val shift = (width - MARGIN - right) / 2
        l.forEach { placed.getValue(it).x += shift }
    }
    val height = MARGIN * 2 + 40 + (layers.size - 1).coerceAtLeast(0) * GAP_Y
    return Layout(placed, g.edges, maxOf(width, 2 * MARGIN), height)
}

private fun fmt(d: Double) = if (d == Math.rint(d)) d.toLong().toString() else "%.1f".format(java.util.Locale.ROOT, d)

private fun esc(s: String) = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
