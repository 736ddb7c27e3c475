import Foundation

/// SplitMix64: a small generator whose sequence depends only on its seed, so `--seed` makes the
/// same dataset on every machine and engine.
struct SeedRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Poisson by Knuth's method for small means, a rounded normal for large ones.
    mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 {
            let normal = sqrt(-2 * log(max(unit(), 1e-12))) * cos(2 * .pi * unit())
            return max(0, Int((mean + sqrt(mean) * normal).rounded()))
        }
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            product *= unit()
            count += 1
        }
        return count
    }

    /// An exponentially distributed wait with this mean.
    mutating func exponential(mean: Double) -> Double { -mean * log(max(1 - unit(), 1e-12)) }
}

/// Draws indices in proportion to fixed weights, by binary search over their running sum.
struct WeightedPicker {
    private let cumulative: [Double]

    init(weights: [Double]) {
        var sum = 0.0
        cumulative = weights.map { sum += $0; return sum }
    }

    func pick(using random: inout SeedRandom) -> Int {
        let target = random.unit() * (cumulative.last ?? 0)
        var (low, high) = (0, cumulative.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
