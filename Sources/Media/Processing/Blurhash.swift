import Foundation

/// Encodes the BlurHash of a small RGB picture (the algorithm of woltapp/blurhash): a few DCT
/// components in base 83, from which clients paint a placeholder before the image arrives.
enum Blurhash {
    /// The BlurHash and dominant colour of the picture in `file` (its first frame), from a 32×32
    /// thumbnail ffmpeg makes; nil when ffmpeg gives too few bytes.
    static func placeholder(of file: URL, tools: MediaTools) async throws -> (hash: String, color: String)? {
        let data = try await tools.ffmpeg(["-i", file.path, "-frames:v", "1", "-vf", "scale=32:32", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        guard data.count >= 32 * 32 * 3 else { return nil }
        let pixels = [UInt8](data.prefix(32 * 32 * 3))
        return (encode(pixels: pixels, width: 32, height: 32), dominantColor(pixels: pixels))
    }

    static let characters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~")

    /// `pixels` is row-major RGB, 3 bytes a pixel.
    static func encode(pixels: [UInt8], width: Int, height: Int, componentsX: Int = 4, componentsY: Int = 3) -> String {
        var factors: [(Double, Double, Double)] = []
        for y in 0..<componentsY {
            for x in 0..<componentsX {
                let normalisation: Double = (x == 0 && y == 0) ? 1 : 2
                var r = 0.0, g = 0.0, b = 0.0
                for py in 0..<height {
                    for px in 0..<width {
                        let basis = normalisation * cos(Double.pi * Double(x) * Double(px) / Double(width))
                            * cos(Double.pi * Double(y) * Double(py) / Double(height))
                        let offset = 3 * (py * width + px)
                        r += basis * sRGBToLinear(pixels[offset])
                        g += basis * sRGBToLinear(pixels[offset + 1])
                        b += basis * sRGBToLinear(pixels[offset + 2])
                    }
                }
                let scale = 1 / Double(width * height)
                factors.append((r * scale, g * scale, b * scale))
            }
        }
        let dc = factors[0]
        let ac = factors.dropFirst()
        var hash = encode83((componentsX - 1) + (componentsY - 1) * 9, length: 1)
        let maximum: Double
        if ac.isEmpty {
            maximum = 1
            hash += encode83(0, length: 1)
        } else {
            let actual = ac.map { max(abs($0.0), abs($0.1), abs($0.2)) }.max() ?? 0
            let quantised = Int(max(0, min(82, floor(actual * 166 - 0.5))))
            maximum = Double(quantised + 1) / 166
            hash += encode83(quantised, length: 1)
        }
        hash += encode83((linearToSRGB(dc.0) << 16) + (linearToSRGB(dc.1) << 8) + linearToSRGB(dc.2), length: 4)
        for factor in ac {
            hash += encode83(encodeAC(factor, maximum: maximum), length: 2)
        }
        return hash
    }

    static func encodeAC(_ value: (Double, Double, Double), maximum: Double) -> Int {
        func quantise(_ component: Double) -> Int {
            Int(max(0, min(18, floor(signPow(component / maximum, 0.5) * 9 + 9.5))))
        }
        return quantise(value.0) * 19 * 19 + quantise(value.1) * 19 + quantise(value.2)
    }

    static func encode83(_ value: Int, length: Int) -> String {
        var result = ""
        for index in 1...length {
            let digit = (value / Int(pow(83, Double(length - index)))) % 83
            result.append(characters[digit])
        }
        return result
    }

    static func sRGBToLinear(_ value: UInt8) -> Double {
        let v = Double(value) / 255
        return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    static func linearToSRGB(_ value: Double) -> Int {
        let v = max(0, min(1, value))
        return v <= 0.0031308 ? Int(v * 12.92 * 255 + 0.5) : Int((1.055 * pow(v, 1 / 2.4) - 0.055) * 255 + 0.5)
    }

    static func signPow(_ value: Double, _ exponent: Double) -> Double {
        (value < 0 ? -1 : 1) * pow(abs(value), exponent)
    }

    /// The most common colour of the picture, as `#rrggbb`: pixels are binned by their top four
    /// bits per channel and the fullest bin's average wins, which ignores thin outliers that an
    /// overall average would blend in.
    static func dominantColor(pixels: [UInt8]) -> String {
        var bins: [Int: (count: Int, r: Int, g: Int, b: Int)] = [:]
        for offset in stride(from: 0, to: pixels.count - 2, by: 3) {
            let r = Int(pixels[offset]), g = Int(pixels[offset + 1]), b = Int(pixels[offset + 2])
            let key = (r >> 4) << 8 | (g >> 4) << 4 | (b >> 4)
            let bin = bins[key] ?? (0, 0, 0, 0)
            bins[key] = (bin.count + 1, bin.r + r, bin.g + g, bin.b + b)
        }
        guard let best = bins.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) })?.value, best.count > 0 else {
            return "#000000"
        }
        return String(format: "#%02x%02x%02x", best.r / best.count, best.g / best.count, best.b / best.count)
    }
}
