@testable import CRMCore
import Foundation
import Testing

/// Chunk sizes that split records, quotes, CRLFs and multi-byte characters across reads,
/// and the production size that reads small files in one go.
private let chunkSizes = [1, 2, 3, 5, 17, 256 * 1024]

private func readAll(_ path: String, encoding: CSVTextEncoding = .utf8, chunkSize: Int = 256 * 1024,
                     maxRecordBytes: Int = 16 * 1024 * 1024) throws -> [CSVRecord] {
    let reader = try CSVReader(path: path, encoding: encoding, delimiter: UInt8(ascii: ","),
                               chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    return try reader.readAll()
}

/// The error reading `path` stops with, after the records before it.
private func readError(_ path: String, encoding: CSVTextEncoding = .utf8, chunkSize: Int = 256 * 1024,
                       maxRecordBytes: Int = 16 * 1024 * 1024) throws -> (records: [CSVRecord], error: CSVError) {
    let reader = try CSVReader(path: path, encoding: encoding, delimiter: UInt8(ascii: ","),
                               chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    var records: [CSVRecord] = []
    do {
        while let record = try reader.next() { records.append(record) }
    } catch let error as CSVError {
        return (records, error)
    }
    Issue.record("reading \(path) succeeded with \(records.count) records; an error was expected")
    throw OfficeToolFailure(description: "no error")
}

@Suite("CSVReader")
struct CSVReaderTests {
    @Test("quoted fields keep commas, doubled quotes and line breaks; later records keep their line numbers",
          arguments: chunkSizes)
    func quotedFieldsAndLineNumbers(chunkSize: Int) throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture(
                "name,note\r\n"
                    + "\"Wang, Fang\",\"He said \"\"hi\"\"\"\r\n"
                    + "Li,\"line one\r\nline two\nline three\"\r\n"
                    + "Zhao,\"\"\r\n",
                named: "quoted.csv", in: directory)
            let records = try readAll(path, chunkSize: chunkSize)
            #expect(records.map(\.fields) == [
                ["name", "note"],
                ["Wang, Fang", "He said \"hi\""],
                ["Li", "line one\r\nline two\nline three"],
                ["Zhao", ""],
            ])
            #expect(records.map(\.line) == [1, 2, 3, 6])
            #expect(records.map(\.index) == [1, 2, 3, 4])
        }
    }

    @Test("a UTF-8 byte-order mark is not part of the first field", arguments: chunkSizes)
    func byteOrderMarkIsSkipped(chunkSize: Int) throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture([0xEF, 0xBB, 0xBF] + Array("id,name\n1,王芳\n".utf8), named: "bom.csv", in: directory)
            let records = try readAll(path, chunkSize: chunkSize)
            #expect(records.map(\.fields) == [["id", "name"], ["1", "王芳"]])
        }
    }

    @Test("CRLF, LF and CR all end records; blank lines and the final newline make no records", arguments: chunkSizes)
    func lineEndsAndBlankLines(chunkSize: Int) throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture("a,b\r\n\r\n\n1,2\n3,4\r5,\r\n", named: "ends.csv", in: directory)
            let records = try readAll(path, chunkSize: chunkSize)
            #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"], ["5", ""]])
            #expect(records.map(\.line) == [1, 4, 5, 6])
            #expect(records.map(\.index) == [1, 2, 3, 4])
        }
    }

    @Test("the last record needs no newline, and an empty file has no records")
    func lastRecordWithoutNewline() throws {
        try withOfficeScratchDirectory { directory in
            let last = try writeOfficeFixture("a,\"b\"", named: "last.csv", in: directory)
            let empty = try writeOfficeFixture("", named: "empty.csv", in: directory)
            let bomOnly = try writeOfficeFixture([0xEF, 0xBB, 0xBF, 0x0A], named: "bom-only.csv", in: directory)
            #expect(try readAll(last).map(\.fields) == [["a", "b"]])
            #expect(try readAll(empty).isEmpty)
            #expect(try readAll(bomOnly).isEmpty)
        }
    }

    @Test("GB18030 text from Excel on Chinese Windows reads as the same characters", arguments: chunkSizes)
    func gb18030(chunkSize: Int) throws {
        // 𠮷 (U+20BB7) takes four bytes in GB18030, the CJK characters two.
        let text = "姓名,城市,备注\r\n王芳,北京,\"客户, 重要\"\r\n李伟,上海,𠮷野家\r\n"
        let bytes = try gb18030Bytes(text)
        #expect(bytes.starts(with: [0xD0, 0xD5, 0xC3, 0xFB])) // 姓名, as the GB18030 tables give it
        #expect(bytes.contains([0xCD, 0xF5, 0xB7, 0xBC]))     // 王芳 (D5 F5 B7 BC would be 挣芳)
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture(bytes, named: "gb.csv", in: directory)
            let records = try readAll(path, encoding: .gb18030, chunkSize: chunkSize)
            #expect(records.map(\.fields) == [["姓名", "城市", "备注"], ["王芳", "北京", "客户, 重要"], ["李伟", "上海", "𠮷野家"]])
        }
    }

    @Test("UTF-16 with a byte-order mark reads in either byte order", arguments: ["UTF-16LE", "UTF-16BE"])
    func utf16(byteOrder: String) throws {
        let text = "name;city\r\n王芳;München\r\n"
        let mark: [UInt8] = byteOrder == "UTF-16LE" ? [0xFF, 0xFE] : [0xFE, 0xFF]
        let bytes = mark + [UInt8](try runOfficeTool(["iconv", "-f", "UTF-8", "-t", byteOrder], input: Data(text.utf8)))
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture(bytes, named: "utf16.csv", in: directory)
            for chunkSize in [1, 3, 256 * 1024] {
                let reader = try CSVReader(path: path, encoding: .utf16, delimiter: UInt8(ascii: ";"),
                                           chunkSize: chunkSize, maxRecordBytes: 1 << 20)
                #expect(try reader.readAll().map(\.fields) == [["name", "city"], ["王芳", "München"]])
            }
        }
    }

    @Test("an unterminated quoted field is reported at the line and column where it starts", arguments: chunkSizes)
    func unterminatedQuote(chunkSize: Int) throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture("id,note\n1,ok\n2,\"never closed\n3,more\n", named: "open.csv", in: directory)
            let (records, error) = try readError(path, chunkSize: chunkSize)
            #expect(records.count == 2)
            #expect(error.code == .unterminatedQuote)
            #expect(error.line == 3)
            #expect(error.column == 3)
            #expect(error.description.hasPrefix("\(path), line 3, column 3: a quoted field starts here but has no closing quote"))
        }
    }

    @Test("an unclosed quote in a large file is found without reading the rest of it into memory")
    func unterminatedQuoteWithinRecordLimit() throws {
        try withOfficeScratchDirectory { directory in
            let rest = String(repeating: "4,filler text\n", count: 2_000)
            let path = try writeOfficeFixture("id,note\n1,\"open\n" + rest, named: "big-open.csv", in: directory)
            let reader = try CSVReader(path: path, encoding: .utf8, delimiter: UInt8(ascii: ","), chunkSize: 64, maxRecordBytes: 1_000)
            #expect(try reader.next()?.fields == ["id", "note"])
            let error = try #require(throws: CSVError.self) { try reader.next() }
            #expect(error.code == .unterminatedQuote)
            #expect(error.line == 2)
            #expect(error.column == 3)
            #expect(reader.bytesRead < reader.totalBytes / 2)
        }
    }

    @Test("a quote inside an unquoted field is reported with its line and column")
    func strayQuote() throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture("h1,h2\n1,2\n3,王\"芳\"\n", named: "stray.csv", in: directory)
            let (records, error) = try readError(path)
            #expect(records.count == 2)
            #expect(error.code == .strayQuote)
            #expect(error.line == 3)
            #expect(error.column == 4) // counted in characters, not bytes
        }
    }

    @Test("text after a closing quote is reported where it starts")
    func textAfterClosingQuote() throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture("a,\"b\"c,d\n", named: "after.csv", in: directory)
            let (_, error) = try readError(path)
            #expect(error.code == .textAfterClosingQuote)
            #expect(error.line == 1)
            #expect(error.column == 6)
        }
    }

    @Test("bytes that are not UTF-8 stop the reader at their line with their offset and a hint", arguments: chunkSizes)
    func invalidUTF8(chunkSize: Int) throws {
        try withOfficeScratchDirectory { directory in
            // "café" in Latin-1: E9 is not UTF-8.
            let bytes = Array("id,name\n1,ok\n2,\"Caf".utf8) + [0xE9] + Array("\"\n".utf8)
            let path = try writeOfficeFixture(bytes, named: "latin1.csv", in: directory)
            let (records, error) = try readError(path, chunkSize: chunkSize)
            #expect(records.map(\.fields) == [["id", "name"], ["1", "ok"]])
            #expect(error.code == .invalidEncoding)
            #expect(error.line == 3)
            #expect(error.column == 7)
            #expect(error.byteOffset == 19)
            #expect(error.description.contains("bytes E9"))
            #expect(error.description.contains("--encoding gb18030"))
        }
    }

    @Test("GB18030 text read as UTF-8 fails and suggests GB18030")
    func gb18030ReadAsUTF8() throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture(try gb18030Bytes("name\n王芳\n"), named: "gb.csv", in: directory)
            let (records, error) = try readError(path)
            #expect(records.map(\.fields) == [["name"]])
            #expect(error.line == 2)
            #expect(error.byteOffset == 5)
            #expect(error.suggestion?.contains("--encoding gb18030") == true)
        }
    }

    @Test("bytes that are not GB18030 are reported at their line", arguments: chunkSizes)
    func invalidGB18030(chunkSize: Int) throws {
        try withOfficeScratchDirectory { directory in
            // 0x80 and 0xFF never start a GB18030 character.
            let bytes = try gb18030Bytes("name\n王芳\n") + [0x80, 0xFF, 0x0A]
            let path = try writeOfficeFixture(bytes, named: "bad-gb.csv", in: directory)
            let (records, error) = try readError(path, encoding: .gb18030, chunkSize: chunkSize)
            #expect(records.map(\.fields) == [["name"], ["王芳"]])
            #expect(error.code == .invalidEncoding)
            #expect(error.line == 3)
            #expect(error.byteOffset == 10)
        }
    }

    @Test("a file that ends inside a multi-byte character is an encoding error", arguments: chunkSizes)
    func truncatedCharacter(chunkSize: Int) throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture(Array("a,b\nc,".utf8) + [0xE7, 0x8E], named: "cut.csv", in: directory)
            let (records, error) = try readError(path, chunkSize: chunkSize)
            #expect(records.map(\.fields) == [["a", "b"]])
            #expect(error.code == .invalidEncoding)
            #expect(error.byteOffset == 6)
            #expect(error.reason.contains("ends in the middle of a character"))
        }
    }

    @Test("a UTF-16 file read as UTF-8 suggests --encoding utf-16")
    func utf16ReadAsUTF8() throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture([0xFF, 0xFE, 0x61, 0x00], named: "utf16.csv", in: directory)
            let (_, error) = try readError(path)
            #expect(error.byteOffset == 0)
            #expect(error.suggestion?.contains("--encoding utf-16") == true)
        }
    }

    @Test("progress reaches the file size, and a missing file is a readable error")
    func progressAndMissingFile() throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture("a,b\n1,2\n", named: "p.csv", in: directory)
            let reader = try CSVReader(path: path)
            #expect(reader.totalBytes == 8)
            _ = try reader.readAll()
            #expect(reader.bytesRead == 8)

            let error = try #require(throws: CSVError.self) { try CSVReader(path: directory + "/missing.csv") }
            #expect(error.code == .fileUnreadable)
            #expect(error.description.contains("No such file"))
        }
    }

    @Test("a semicolon delimiter splits on semicolons only; a quote is refused as delimiter")
    func otherDelimiters() throws {
        try withOfficeScratchDirectory { directory in
            let path = try writeOfficeFixture("a;b,c\n\"1;2\";3\n", named: "semi.csv", in: directory)
            let reader = try CSVReader(path: path, delimiter: UInt8(ascii: ";"))
            #expect(try reader.readAll().map(\.fields) == [["a", "b,c"], ["1;2", "3"]])
            #expect(throws: CSVError.self) { try CSVReader(path: path, delimiter: UInt8(ascii: "\"")) }
        }
    }

    @Test("encoding names from a command line map to encodings")
    func encodingNames() {
        #expect(CSVTextEncoding(name: "UTF-8") == .utf8)
        #expect(CSVTextEncoding(name: "gbk") == .gb18030)
        #expect(CSVTextEncoding(name: "GB2312") == .gb18030)
        #expect(CSVTextEncoding(name: "utf16") == .utf16)
        #expect(CSVTextEncoding(name: "latin1") == nil)
    }
}
