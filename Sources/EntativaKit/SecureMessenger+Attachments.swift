import EntativaCrypto
import EntativaModels
import Foundation

/// What a message says about an encrypted attachment: where its ciphertext is and the secrets
/// to read and check it. It travels inside the message's ciphertext, never beside it.
public struct AttachmentPointer: Codable, Sendable, Equatable {
    public var mediaId: MediaID
    /// The signed URL of the ciphertext, valid as long as the attachment (30 days).
    public var url: String
    /// Base64 of the 64-byte AES and HMAC keys.
    public var key: String
    /// Base64 of the SHA-256 of the ciphertext.
    public var digest: String
    public var size: Int
    public var contentType: String?

    public init(mediaId: MediaID, url: String, key: String, digest: String, size: Int, contentType: String?) {
        self.mediaId = mediaId
        self.url = url
        self.key = key
        self.digest = digest
        self.size = size
        self.contentType = contentType
    }
}

extension SecureMessenger {
    /// Encrypts `data` (≤ 100 MiB of it; this one-request upload takes ≤ 10 MB of ciphertext),
    /// uploads the ciphertext as an encrypted attachment and answers the pointer to send in a message.
    public func uploadAttachment(_ data: [UInt8], contentType: String? = nil) async throws -> AttachmentPointer {
        let sealed = try AttachmentCipher.encrypt(data)
        let media = try await client.uploadMedia(Data(sealed.ciphertext), fileName: "attachment", encrypted: true)
        guard let url = media.variants.first?.url else { throw EntativaError.unexpectedResponse(status: 201, body: "no URL for the attachment") }
        return AttachmentPointer(
            mediaId: media.id, url: url, key: Data(sealed.keys).base64EncodedString(), digest: Data(sealed.digest).base64EncodedString(),
            size: sealed.size, contentType: contentType)
    }

    /// Fetches and decrypts an attachment a message pointed to; throws when what the server
    /// handed over is not exactly what the sender uploaded.
    public func downloadAttachment(_ pointer: AttachmentPointer) async throws -> [UInt8] {
        guard let keys = Data(base64Encoded: pointer.key), let digest = Data(base64Encoded: pointer.digest) else {
            throw AttachmentCipher.Failure.malformed
        }
        let ciphertext = try await client.download(pointer.url)
        return try AttachmentCipher.decrypt([UInt8](ciphertext), keys: [UInt8](keys), digest: [UInt8](digest), size: pointer.size)
    }
}
