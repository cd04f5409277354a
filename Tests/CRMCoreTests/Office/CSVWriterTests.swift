@testable import CRMCore
import Foundation
import Testing

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test("fields are quoted only when they must be, with CRLF line ends by default")
    func minimalQuoting() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/out.csv"
            let writer = try CSVWriter(path: path)
            try writer.write(["plain", "two words", "a,b", "say \"hi\"", "", "line\nbreak", " 2/4 "])
            try writer.write([""])
            try writer.close()
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text == "plain,two words,\"a,b\",\"say \"\"hi\"\"\",,\"line\nbreak\", 2/4 \r\n\"\"\r\n")
        }
    }

    @Test("with a BOM and LF ends, the file starts with EF BB BF and has no CR")
    func bomAndLineFeeds() throws {
        try withOfficeScratchDirectory { directory in
            let path = directory + "/bom.csv"
            let writer = try CSVWriter(path: path, delimiter: UInt8(ascii: ";"), lineEnding: .lf, includeBOM: true)
            try writer.write(["名字", "a;b"])
            try writer.close()
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(bytes == [0xEF, 0xBB, 0xBF] + Array("名字;\"a;b\"\n".utf8))
        }
    }

    @Test("what the writer writes, our reader and Python's csv module read back unchanged")
    func roundTrip() throws {
        let records = [
            ["id", "name", "note"],
            ["1", "王芳", "VIP, \"gold\""],
            ["2", "", "multi\r\nline\nnote"],
            [""],
            ["3", "=SUM(A1)", "trailing\\"],
        ]
        try withOfficeScratchDirectory { directory in
            let path = directory + "/round.csv"
            let writer = try CSVWriter(path: path, includeBOM: true)
            for record in records { try writer.write(record) }
            try writer.close()

            #expect(try CSVReader(path: path).readAll().map(\.fields) == records)
            let python = try runOfficePython("""
                import csv, json, sys
                with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
                    print(json.dumps(list(csv.reader(f))))
                """, arguments: [path], as: [[String]].self)
            #expect(python == records)
        }
    }

    @Test("a file in a missing folder cannot be created, and the error says where")
    func unwritable() {
        let error = #expect(throws: CSVError.self) { try CSVWriter(path: "/nonexistent-folder/out.csv") }
        #expect(error?.code == .fileUnwritable)
        #expect(error?.description.contains("/nonexistent-folder/out.csv") == true)
    }
}
