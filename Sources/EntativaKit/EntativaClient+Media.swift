import EntativaModels
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension EntativaClient {
    /// Uploads a file of at most 10 MB (`POST /api/v1/media`); larger ones go through tus.
    /// `encrypted` files are ciphertext for a message: stored as they are, served only by the
    /// signed URL of the answer's one variant.
    public func uploadMedia(_ data: Data, fileName: String = "file", isPrivate: Bool = false, encrypted: Bool = false) async throws -> MediaAttachment {
        let boundary = "entativa-\(UUID().uuidString)"
        var body = Data()
        func part(_ name: String, _ value: String) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if isPrivate { part("private", "true") }
        if encrypted { part("encrypted", "true") }
        let safeName = fileName.filter { $0 != "\"" && $0 != "\r" && $0 != "\n" }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(safeName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += data
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return try await send("POST", "/api/v1/media", rawBody: (body, "multipart/form-data; boundary=\(boundary)"))
    }

    /// A media item: its state while processing, then its variants.
    public func media(_ id: MediaID) async throws -> MediaAttachment {
        try await send("GET", "/api/v1/media/\(id)", auth: .optional)
    }

    public func updateMedia(_ id: MediaID, _ form: UpdateMediaRequest) async throws -> MediaAttachment {
        try await send("PATCH", "/api/v1/media/\(id)", body: form)
    }

    /// Deletes media of mine that nothing uses.
    public func deleteMedia(_ id: MediaID) async throws {
        let _: Empty = try await send("DELETE", "/api/v1/media/\(id)")
    }

    /// The bytes at a media URL this server gave out (public, or signed): no credentials go with it.
    public func download(_ url: String) async throws -> Data {
        guard let target = URL(string: url), target.scheme == "http" || target.scheme == "https" else {
            throw EntativaError.transport("not a media URL: \(url)")
        }
        var request = URLRequest(url: target)
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        let (data, status) = try await perform(request)
        guard (200..<300).contains(status) else {
            if let problem = try? EntativaJSON.decoder().decode(Problem.self, from: data) { throw EntativaError.problem(problem) }
            throw EntativaError.unexpectedResponse(status: status, body: String(decoding: data.prefix(512), as: UTF8.self))
        }
        return data
    }
}
