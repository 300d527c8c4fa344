package dev.theon.samples

import io.kotest.matchers.shouldBe
import java.awt.image.BufferedImage
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

/** Reads [file] as a PNG (checking its signature) of the given size. */
fun readPng(file: Path, width: Int, height: Int): BufferedImage {
    val bytes = Files.readAllBytes(file)
    bytes.take(8).map { it.toInt() and 0xff } shouldBe listOf(0x89, 'P'.code, 'N'.code, 'G'.code, 0x0d, 0x0a, 0x1a, 0x0a)
    val image = ImageIO.read(file.toFile())
    (image.width to image.height) shouldBe (width to height)
    return image
}

/** The red, green and blue of the pixel at a fraction of the width and height. */
fun BufferedImage.rgbAt(fx: Double, fy: Double): Triple<Int, Int, Int> {
    val c = getRGB((fx * width).toInt(), (fy * height).toInt())
    return Triple(c shr 16 and 0xff, c shr 8 and 0xff, c and 0xff)
}

/** How many distinct colours the image uses (a blank or failed rendering has one or two). */
fun BufferedImage.colourCount(): Int {
    val seen = HashSet<Int>()
    for (y in 0 until height step 2) for (x in 0 until width step 2) seen += getRGB(x, y)
    return seen.size
}
