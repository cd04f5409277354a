/// A seeded pseudo-random number generator (xoshiro256**), so that a demo data set is a pure
/// function of its plan, and a bootstrap or a Monte Carlo run gives the same figures every time.
///
/// Each independent concern draws from its own stream (`SeededRandom(seed: plan.seed, stream: …)`),
/// so that, say, one more sign-in per day does not shift every lead after it.
///
/// It deliberately does not conform to `RandomNumberGenerator`: the standard library's
/// `random(in:using:)` and `shuffled(using:)` may change their algorithms between Swift releases,
/// which would silently change every demo data set. Every draw goes through this type and
/// `Distributions.swift`, whose algorithms are fixed.
public struct SeededRandom: Sendable {
    // Inlinable (with the state visible to inlined code), so that the statistics' and the
    // Monte Carlo's hot loops in other modules do not pay a call per draw.
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// The generator for `stream` of `seed`: the state is four SplitMix64 outputs, as the
    /// xoshiro authors recommend, from a start that mixes the stream number in.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(state: seed ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
        self.init(state: (mixer.next(), mixer.next(), mixer.next(), mixer.next()))
    }

    /// A generator in exactly this state (the reference test vectors start from one); the state
    /// must not be all zeros.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotateLeft(s3, by: 45)
        return result
    }

    @usableFromInline
    static func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64: seeds xoshiro's state from one 64-bit number.
struct SplitMix64: Sendable {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser: a bijection that scatters nearby inputs far apart.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
