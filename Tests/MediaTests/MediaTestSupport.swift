import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation

extension TestApp {
    /// Where the default local blob store keeps files.
    var blobRoot: URL { URL(fileURLWithPath: kernel.config.dataDirectory).appendingPathComponent("blobs") }

    func blobPath(_ id: MediaID, _ path: String) -> String {
        blobRoot.appendingPathComponent("media/\(id)/\(path)").path
    }

    /// Every file under the blob store and the processing scratch space, to prove nothing stayed.
    func storedFiles() -> [String] {
        let data = URL(fileURLWithPath: kernel.config.dataDirectory)
        return ["blobs", "work"].flatMap { folder -> [String] in
            let root = data.appendingPathComponent(folder)
            return (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? [])
                .filter { !$0.hasSuffix("/") && (try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent($0).path)[.type] as? FileAttributeType) == .typeRegular }
        }
    }
}

extension TestAPI {
    /// Uploads, runs the processing job, and answers the media as its owner sees it.
    func uploadAndProcess(_ app: TestApp, _ data: Data, token: String, fields: [String: String] = [:]) async throws -> MediaAttachment {
        let response = try await uploadMedia(data, token: token, fields: fields)
        guard response.status == 202 else { throw TestFailure("upload: \(response.status) \(response.text)") }
        let media = try response.decode(MediaAttachment.self)
        try await app.runJobs()
        return try await get("/api/v1/media/\(media.id)", token: token).decode(MediaAttachment.self)
    }
}

extension MediaAttachment {
    func variant(_ name: String) -> MediaVariant? { variants.first { $0.name == name } }
}

extension MediaVariant {
    /// The path part of the URL, for requests through the test client.
    var path: String { URLComponents(string: url)?.path ?? url }
}
