import GRDB

/// The column conventions every CRM record shares: snake_case columns, Swift camelCase properties.
public protocol CRMRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {}

extension CRMRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
