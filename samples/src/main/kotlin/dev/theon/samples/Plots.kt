package dev.theon.samples

import org.apache.batik.transcoder.TranscoderInput
import org.apache.batik.transcoder.TranscoderOutput
import org.apache.batik.transcoder.image.PNGTranscoder
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.awt.plot.PlotSvgExport
import org.jetbrains.letsPlot.intern.toSpec
import java.io.StringReader
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * Writing Lets-Plot figures as PNG files, with no display.
 *
 * Lets-Plot draws a figure as SVG; Batik rasterises the SVG. This is what Lets-Plot's own image export does, done
 * here so that the samples need only artifacts that resolve from the project's registry. Raster layers are embedded
 * without the CSS `image-rendering: pixelated` hint, which Batik's CSS parser rejects.
 */
object Plots {
    /** The system property naming the default plot directory (the launcher sets it to `samples/out` of the checkout). */
    const val OUT_PROPERTY = "theon.samples.out"

    /** The directory to write plots to: the first argument if there is one, else [OUT_PROPERTY], else `samples/out`. */
    fun outputDirectory(args: Array<String>): Path =
        Paths.get(args.firstOrNull() ?: System.getProperty(OUT_PROPERTY) ?: "samples/out")

    /** Writes [figure] to [file] as a PNG of the figure's own size (see `ggsize`), creating directories as needed. */
    fun savePng(figure: Figure, file: Path): Path {
        // AWT must not look for a display: the samples run in terminals, tests and CI
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true")
        val svg = PlotSvgExport.buildSvgImageFromRawSpecs(figure.toSpec(), null, false)
        file.toAbsolutePath().parent?.let { Files.createDirectories(it) }
        Files.newOutputStream(file).use { PNGTranscoder().transcode(TranscoderInput(StringReader(svg)), TranscoderOutput(it)) }
        return file
    }
}
