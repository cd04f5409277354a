#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A conversion to UTF-8 with the C library's `iconv`, fed one chunk at a time.
final class OfficeIconv {
    /// Why a conversion stopped.
    enum Stop {
        /// All input converted.
        case finished
        /// The input ends inside a character; feed its bytes again with the next chunk.
        case incomplete
        /// The input has bytes that are not valid in the source encoding.
        case invalid
    }

    private let handle: iconv_t
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    /// `nil` when iconv does not know `source`.
    init?(from source: String) {
        guard let handle = iconv_open("UTF-8", source), handle != iconv_t(bitPattern: -1) else { return nil }
        self.handle = handle
    }

    deinit {
        iconv_close(handle)
    }

    /// Converts as much of `input` as it can, appending UTF-8 to `output`. Returns how many
    /// input bytes it consumed: all of them, or those before an incomplete or invalid character.
    func convert(_ input: UnsafeBufferPointer<UInt8>, appendingTo output: inout [UInt8]) -> (consumed: Int, stop: Stop) {
        guard let start = input.baseAddress, !input.isEmpty else { return (0, .finished) }
        var inPointer: UnsafeMutablePointer<CChar>? =
            UnsafeMutableRawPointer(mutating: start).assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        while true {
            var failureCode: Int32 = 0
            scratch.withUnsafeMutableBytes { out in
                var outPointer: UnsafeMutablePointer<CChar>? = out.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outLeft = out.count
                let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                if result == -1 { failureCode = errno }
                output.append(contentsOf: out.prefix(out.count - outLeft))
            }
            let consumed = input.count - inLeft
            switch failureCode {
            case 0: return (consumed, .finished)
            case E2BIG: continue
            case EINVAL: return (consumed, .incomplete)
            default: return (consumed, .invalid)
            }
        }
    }
}
