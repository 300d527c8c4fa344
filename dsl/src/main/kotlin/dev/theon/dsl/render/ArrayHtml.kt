package dev.theon.dsl.render

import dev.theon.tensor.DType
import dev.theon.tensor.NDArray

/*
 * NDArrays as HTML tables, for notebooks. Vectors are one row, matrices a table, higher ranks one table per leading
 * index (`[0, 1, :, :]`). Arrays larger than [threshold] elements are abbreviated as NumPy prints them: along every
 * axis longer than 2 * edgeItems, only the first and last [edgeItems] positions are shown, with "…" between.
 */

/** NumPy's default: arrays of more elements than this are abbreviated. */
const val HTML_THRESHOLD = 1000

/** NumPy's default: positions kept at each end of an abbreviated axis. */
const val HTML_EDGE_ITEMS = 3

/** This array as an HTML table with a caption giving dtype and shape. */
fun NDArray.toHtml(threshold: Int = HTML_THRESHOLD, edgeItems: Int = HTML_EDGE_ITEMS): String {
    val shape = shape()
    val abbreviate = size() > threshold
    val axes = shape.map { n -> positions(n, abbreviate, edgeItems) }
    val b = StringBuilder("<div class=\"theon-ndarray\">")
    b.append("<div style=\"font-family: monospace; color: #555\">").append(dtype()).append(' ').append(shapeText(shape))
        .append(if (abbreviate) " (abbreviated)" else "").append("</div>")
    when (shape.size) {
        0 -> table(b, listOf(listOf(cell(this, longArrayOf()))))
        1 -> table(b, listOf(axes[0].map { i -> if (i < 0) GAP else cell(this, longArrayOf(i)) }))
        else -> blocks(b, this, axes, LongArray(shape.size - 2), 0)
    }
    return b.append("</div>").toString()
}

private const val GAP = "…"

/** The positions shown along an axis of length [n]; -1 marks the gap of an abbreviated axis. */
private fun positions(n: Long, abbreviate: Boolean, edge: Int): List<Long> =
    if (!abbreviate || n <= 2L * edge) (0 until n).toList()
    else (0 until edge.toLong()).toList() + (-1L) + (n - edge until n).toList()

/** One 2-D table per combination of the leading indices (ranks above 2), with a `[i, j, :, :]` caption. */
private fun blocks(b: StringBuilder, a: NDArray, axes: List<List<Long>>, lead: LongArray, depth: Int) {
    val rank = axes.size
    if (depth == rank - 2) {
        if (rank > 2) b.append("<div style=\"font-family: monospace; margin-top: 4px\">[")
            .append(lead.joinToString(", ")).append(", :, :]</div>")
        val rows = axes[rank - 2].map { i ->
            axes[rank - 1].map { j -> if (i < 0 || j < 0) GAP else cell(a, lead + longArrayOf(i, j)) }
        }
        table(b, rows)
        return
    }
    for (i in axes[depth]) {
        if (i < 0) { b.append("<div style=\"font-family: monospace\">…</div>"); continue }
        lead[depth] = i
        blocks(b, a, axes, lead, depth + 1)
    }
}

private fun table(b: StringBuilder, rows: List<List<String>>) {
    b.append("<table style=\"border-collapse: collapse; font-family: monospace\">")
    for (r in rows) {
        b.append("<tr>")
        for (c in r) b.append("<td style=\"border: 1px solid #ccc; padding: 2px 6px; text-align: right\">").append(c).append("</td>")
        b.append("</tr>")
    }
    b.append("</table>")
}

/** One element as NumPy would print it: integers exactly, floats with up to 6 significant digits, bools as True/False. */
internal fun cell(a: NDArray, idx: LongArray): String = when {
    a.dtype() == DType.BOOL -> if (a.getLong(*idx) != 0L) "True" else "False"
    a.dtype().isInteger -> a.getLong(*idx).toString()
    else -> formatFloat(a.getDouble(*idx))
}

internal fun formatFloat(x: Double): String = when {
    x.isNaN() -> "nan"
    x.isInfinite() -> if (x > 0) "inf" else "-inf"
    x == Math.rint(x) && kotlin.math.abs(x) < 1e16 -> x.toLong().toString() + "."
    else -> "%.6g".format(java.util.Locale.ROOT, x).let { s ->
        if ('e' in s) s.replace(Regex("0+e"), "e").replace(".e", "e") else s.trimEnd('0').trimEnd('.')
    }
}

private fun shapeText(s: LongArray) = if (s.size == 1) "(${s[0]},)" else s.joinToString(", ", "(", ")")
