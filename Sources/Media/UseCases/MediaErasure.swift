import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// What media does when its owner's account is deleted: every media row and its files, and every
/// tus upload with its partial file. The files already stopped being served when the account was
/// deleted (its standing is hidden); this removes them. Files go before rows, so a crash in
/// between leaves a row that the retried job finds and deletes again.
public struct MediaErasure: Sendable {
    let env: MediaEnvironment

    public init(env: MediaEnvironment) { self.env = env }

    func subscribe() {
        let erasure = self
        env.kernel.events.subscribe(AccountDeleted.self, consumer: "media.account_deleted") { event, _ in
            try await erasure.forget(owner: event.accountId)
        }
    }

    public func forget(owner: AccountID) async throws {
        let database = env.kernel.database.sql
        while true {
            let batch = try await MediaStore.owned(by: owner, limit: 100, on: database)
            if batch.isEmpty { break }
            for id in batch {
                try await env.blobs.deleteAll(prefix: MediaLocation.prefix(id))
                try await MediaStore.delete(id, on: database)
            }
        }
        for upload in try await UploadStore.owned(by: owner, on: database) {
            try? FileManager.default.removeItem(at: env.uploadRoot.appendingPathComponent("\(upload)"))
            try await UploadStore.delete(upload, on: database)
        }
    }
}
