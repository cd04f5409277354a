import CRMCore
import Engine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RolloutKit

/// A refusal with its HTTP status and stable code.
struct APIError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// More about the refusal: the field errors of an invalid record, a playbook's diagnostics.
    var details: [String]

    init(_ status: HTTPResponse.Status, code: String, _ message: String, details: [String] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }
}

/// Turns every error into `{"error": {"code", "message"[, "details"]}}` with its status: API
/// refusals, the CRM's (not found, forbidden, invalid, conflict), the engine's (a vote the gate
/// does not take, an unknown task), a playbook that does not compile, and anything else as a
/// 500 without its details (which go to the log).
///
/// Codes: `unauthorized` 401, `forbidden` 403, `not_found` 404, `invalid` 400 (a bad parameter
/// or field), `invalid_body` 400 (not the JSON the route takes), `invalid_file` 400 (an import
/// that is not CSV or XLSX), `conflict` 409 (other records
/// refer to it, a duplicate), `refused` 409 (the project's state does not allow it),
/// `invalid_playbook` 422, `too_large` 413, `internal` 500.
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The API's routes, to tell a path with another method (405, with `Allow`) from no path (404).
    let routes: APIRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try errorResponse(error.status, error.code, error.message, details: error.details)
        } catch let error as CRMError {
            switch error {
            case .notFound: return try errorResponse(.notFound, "not_found", error.description)
            case .forbidden: return try errorResponse(.forbidden, "forbidden", error.description)
            case .conflict: return try errorResponse(.conflict, "conflict", error.description)
            case .invalid(let entity, let errors):
                return try errorResponse(.badRequest, "invalid", "the \(entity) is not valid",
                                         details: errors.map(\.description))
            }
        } catch let error as EngineError {
            return try errorResponse(.conflict, "refused", error.description)
        } catch let error as PlaybookCompilationError {
            return try errorResponse(.unprocessableContent, "invalid_playbook", "the playbook has errors",
                                     details: error.diagnostics.map(\.description))
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(allowedFor: request.uri.path)
            guard !allowed.isEmpty else {
                return try errorResponse(.notFound, "not_found", "no route \(request.uri.path); GET /openapi.yaml lists them")
            }
            var response = try errorResponse(.methodNotAllowed, "method_not_allowed",
                                              "\(request.uri.path) takes " + allowed.joined(separator: ", ")
                                                  + ", not \(request.method.rawValue)")
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        } catch let error as HTTPError {
            let code = switch error.status {
            case .notFound: "not_found"
            case .contentTooLarge: "too_large"
            case .methodNotAllowed: "method_not_allowed"
            default: "http_error"
            }
            return try errorResponse(error.status, code, error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try errorResponse(.internalServerError, "internal", "the server failed; the error is in its log")
        }
    }
}

struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
        var details: [String]?
    }
    var error: Detail
}

func errorResponse(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: [String] = [])
    throws -> Response
{
    var response = try json(ErrorBody(error: .init(code: code, message: message, details: details.isEmpty ? nil : details)))
    response.status = status
    return response
}

let apiEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}()

func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try apiEncoder.encode(value)
    return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// A JSON scalar in a request body, as text the CRM's field parser reads (`FieldParser`).
enum JSONScalar: Decodable {
    case text(String)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .text(flag ? "true" : "false")
        } else if let whole = try? container.decode(Int64.self) {
            self = .text(String(whole))
        } else if let number = try? container.decode(Double.self) {
            self = .text(String(number))
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            throw DecodingError.dataCorruptedError(in: container,
                                                   debugDescription: "a field's value is a string, number, boolean or null")
        }
    }

    var text: String {
        switch self {
        case .text(let text): text
        case .null: ""
        }
    }
}

extension Request {
    /// The body, at most `limit` bytes (413 beyond).
    func bodyBytes(limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "too_large", "the body is larger than \(limit / 1024) KiB")
        }
    }

    /// The body decoded as `T` from JSON; an empty body decodes `empty` when given.
    func decode<T: Decodable>(_ type: T.Type, what: String, empty: T? = nil) async throws -> T {
        let buffer = try await bodyBytes(limit: 1 << 20)
        if buffer.readableBytes == 0, let empty { return empty }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: "invalid_body", "the body must be \(what): \(Self.describe(error))")
        } catch {
            throw APIError(.badRequest, code: "invalid_body", "the body must be \(what)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at " + keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "'\(key.stringValue)' is missing\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.debugDescription + path(context)
        case .dataCorrupted(let context): return (context.underlyingError.map { "\($0)" } ?? context.debugDescription) + path(context)
        @unknown default: return "\(error)"
        }
    }
}

extension Parameters {
    func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = self[name[...]] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError(.badRequest, code: "invalid",
                           "\(name) must be a whole number from \(range.lowerBound)"
                               + (range.upperBound == Int.max ? "" : " to \(range.upperBound)") + ", not '\(text)'")
        }
        return number
    }

    func flag(_ name: String) throws -> Bool {
        guard let text = self[name[...]] else { return false }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError(.badRequest, code: "invalid", "\(name) is true or false, not '\(text)'")
        }
    }
}
