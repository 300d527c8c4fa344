// ./theon run samples/scripts/hello.theon.kts 3
// The logistic function, its derivative, and a few values: the DSL is imported by default.
val x = dvector("x")
val s = sigmoid(x)
val ds = grad(s.sum(), x)                      // s (1 - s), elementwise
val f = fn(x) { s to ds }
val n = args.firstOrNull()?.toInt() ?: 5
val points = DoubleArray(n) { -2.0 + 4.0 * it / maxOf(1, n - 1) }
val (value, slope) = f(points)
points.indices.joinToString("\n") { i -> "x=%+.2f  sigmoid=%.4f  slope=%.4f".format(points[i], value.toDoubleArray()[i], slope.toDoubleArray()[i]) }
