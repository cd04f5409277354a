#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on a file, with the path and the operating system's reason.
struct OfficeSystemError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32

    var reason: String { String(cString: strerror(code)) }
    var description: String { "cannot \(operation) \(path): \(reason)" }
}

/// An append-only file with a 64 KiB buffer in front of `write(2)`, shared by the CSV and
/// XLSX writers so that a million small appends cost a few dozen system calls.
final class OfficeFileOutput {
    let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity = 64 * 1024
    /// Bytes handed to `append` so far, buffered or written.
    private(set) var byteCount: Int64 = 0

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw OfficeSystemError(operation: "create", path: path, code: errno) }
        buffer.reserveCapacity(capacity)
    }

    deinit {
        if descriptor >= 0 { _ = officeClose(descriptor) }
    }

    var isOpen: Bool { descriptor >= 0 }

    func append(_ text: String) throws {
        var text = text
        try text.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    func append(_ byte: UInt8) throws {
        if buffer.count == capacity { try flush() }
        buffer.append(byte)
        byteCount += 1
    }

    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeFully(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
        byteCount += Int64(bytes.count)
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeFully($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; the file stays. Safe to call twice.
    func close() throws {
        guard descriptor >= 0 else { return }
        defer {
            _ = officeClose(descriptor)
            descriptor = -1
        }
        try flush()
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw OfficeSystemError(operation: "write to", path: path, code: EBADF) }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OfficeSystemError(operation: "write to", path: path, code: errno)
            }
            offset += written
        }
    }
}

/// `close(2)`, named apart from the `close()` methods of the types that call it.
func officeClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
