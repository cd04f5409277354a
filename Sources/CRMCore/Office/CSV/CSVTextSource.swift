#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes in a CSV file that are not valid in its declared encoding. The text before them has
/// been delivered; the reader turns this into a `CSVError` once it has parsed up to them.
struct CSVDecodingFailure {
    /// Offset of the first offending byte from the start of the file.
    var byteOffset: Int64
    /// Up to four bytes from that offset, for the message.
    var bytes: [UInt8]
    /// The end of the file cuts a multi-byte character short.
    var truncated: Bool
}

/// Reads a file in fixed-size chunks and delivers its text as validated UTF-8, whatever the
/// file's encoding, so the parser can work on bytes and build each `String` without checks.
///
/// A multi-byte character split across two chunks is carried over to the next read; a
/// byte-order mark at the start is dropped.
final class CSVTextSource {
    let path: String
    let encoding: CSVTextEncoding
    let totalBytes: Int64
    private(set) var bytesRead: Int64 = 0
    /// Every byte has been read and converted.
    private(set) var isExhausted = false
    private(set) var failure: CSVDecodingFailure?
    /// The file starts with a UTF-16 byte-order mark although it was declared as something else.
    private(set) var looksLikeUTF16 = false

    private let chunkSize: Int
    private let descriptor: Int32
    /// Raw bytes: first `carried` bytes held over from the previous chunk, then new ones.
    private var raw: [UInt8] = []
    private var carried = 0
    private var converter: OfficeIconv?
    private var deliveredAny = false

    init(path: String, encoding: CSVTextEncoding, chunkSize: Int) throws {
        self.path = path
        self.encoding = encoding
        self.chunkSize = max(chunkSize, 1)
        if encoding == .gb18030 {
            guard let converter = OfficeIconv(from: "GB18030") else {
                throw CSVError(code: .fileUnreadable, path: path,
                               reason: "this system's iconv cannot convert from GB18030")
            }
            self.converter = converter
        }
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            throw CSVError(code: .fileUnreadable, path: path,
                           reason: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        var status = stat()
        totalBytes = fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0
    }

    deinit {
        _ = officeClose(descriptor)
    }

    /// Reads at least one more chunk (and at least `minimum` bytes when the file has them)
    /// and appends its text to `text`. Sets `isExhausted` at the end of the file, or
    /// `failure` at the first invalid bytes; after either, it appends nothing more.
    func read(minimum: Int, appendingTo text: inout [UInt8]) throws {
        guard !isExhausted, failure == nil else { return }
        let wanted = max(chunkSize, minimum)
        if raw.count < carried + wanted { raw += [UInt8](repeating: 0, count: carried + wanted - raw.count) }
        let count = try raw.withUnsafeMutableBytes { buffer -> Int in
            while true {
                let n = readDescriptor(descriptor, buffer.baseAddress! + carried, wanted)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw CSVError(code: .fileUnreadable, path: path,
                               reason: "cannot read the file: \(String(cString: strerror(errno)))")
            }
        }
        bytesRead += Int64(count)
        let available = carried + count
        let startOffset = bytesRead - Int64(available)
        if count == 0 {
            if carried > 0 {
                failure = CSVDecodingFailure(byteOffset: startOffset, bytes: Array(raw[0..<carried]), truncated: true)
            } else {
                isExhausted = true
            }
            return
        }
        // While nothing is consumed the buffer still starts at the file's first byte, so a
        // decision made on a one-byte first read is made again with more.
        if startOffset == 0 { try prepare(firstBytes: raw[0..<available]) }

        var decoded = 0
        var stop = OfficeIconv.Stop.finished
        raw.withUnsafeBufferPointer { all in
            let input = UnsafeBufferPointer(rebasing: all[0..<available])
            if let converter {
                var output: [UInt8] = []
                (decoded, stop) = converter.convert(input, appendingTo: &output)
                output.withUnsafeBufferPointer { deliver($0, to: &text) }
            } else {
                (decoded, stop) = Self.validateUTF8(input)
                deliver(UnsafeBufferPointer(rebasing: input[0..<decoded]), to: &text)
            }
        }
        switch stop {
        case .finished:
            carried = 0
        case .incomplete:
            carried = available - decoded
            for k in 0..<carried { raw[k] = raw[decoded + k] }
        case .invalid:
            failure = CSVDecodingFailure(byteOffset: startOffset + Int64(decoded),
                                         bytes: Array(raw[decoded..<min(decoded + 4, available)]), truncated: false)
        }
    }

    /// Looks at the first bytes of the file: picks the UTF-16 byte order, notices a UTF-16
    /// file declared as something else.
    private func prepare(firstBytes: ArraySlice<UInt8>) throws {
        let bytes = Array(firstBytes.prefix(2))
        let bigEndianMark: [UInt8] = [0xFE, 0xFF], littleEndianMark: [UInt8] = [0xFF, 0xFE]
        if encoding == .utf16 {
            // iconv's "UTF-16" guesses big-endian without a mark; Windows writes little-endian.
            let name = bytes == bigEndianMark ? "UTF-16BE" : "UTF-16LE"
            guard let converter = OfficeIconv(from: name) else {
                throw CSVError(code: .fileUnreadable, path: path, reason: "this system's iconv cannot convert from \(name)")
            }
            self.converter = converter
        } else {
            looksLikeUTF16 = bytes == bigEndianMark || bytes == littleEndianMark
        }
    }

    /// Appends UTF-8 text, dropping a byte-order mark (U+FEFF) at the very start of the file.
    private func deliver(_ utf8: UnsafeBufferPointer<UInt8>, to text: inout [UInt8]) {
        guard !utf8.isEmpty else { return }
        var body = utf8
        if !deliveredAny {
            deliveredAny = true
            if utf8.count >= 3, utf8[0] == 0xEF, utf8[1] == 0xBB, utf8[2] == 0xBF {
                body = UnsafeBufferPointer(rebasing: utf8[3...])
            }
        }
        text.append(contentsOf: body)
    }

    /// The length of the longest valid UTF-8 prefix of `bytes`, and why it ends there: at the
    /// end, in a character the next chunk may complete, or at an invalid byte.
    static func validateUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> (valid: Int, stop: OfficeIconv.Stop) {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return (0, .finished) }
        var i = 0
        while i < n {
            // Eight ASCII bytes at a time: most CSV text is ASCII.
            if n - i >= 8 {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF // the range of the second byte
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0          // no overlong forms
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F         // no UTF-16 surrogates
            case 0xF0: length = 4; low = 0x90          // no overlong forms
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F         // nothing above U+10FFFF
            default: return (i, .invalid)
            }
            for k in 1..<length {
                if i + k >= n { return (i, .incomplete) }
                let byte = base[i + k]
                if byte < (k == 1 ? low : 0x80) || byte > (k == 1 ? high : 0xBF) { return (i, .invalid) }
            }
            i += length
        }
        return (n, .finished)
    }
}

/// `read(2)`, named apart from `CSVTextSource.read`.
private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
