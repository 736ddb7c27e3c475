import EntativaCore
import EntativaModels
import Foundation
import Hummingbird

/// `/api/v1/media…`: uploading small files, reading, describing and deleting media.
struct MediaRoutes {
    let env: MediaEnvironment

    func register(anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        var upload = APIOperation(
            "uploadMedia", "Upload a file of at most 10 MB", tag: "media", access: .signedIn, body: "MediaUpload", status: 202,
            response: "MediaAttachment", errors: [413, 415],
            description: "Multipart form with the file in `file` and optionally `private=true`. The file is checked by its content; processing continues in the background. Larger files go through tus at /api/v1/uploads. With `encrypted=true` the file is a message attachment's ciphertext (≤ 100 MiB): not checked or processed, ready at once, kind `encrypted`, its one variant a signed URL valid for the attachment's 30 days, and it can never be attached to a post or story.")
        upload.bodyContentType = "multipart/form-data"
        upload.idempotency = .streamedBody
        signedIn.add(.post, "/api/v1/media", upload) { request, context in
            try await env.chargeQuota(context.caller.accountID, bytes: 0)
            let received = try await MultipartUpload.receive(
                request, into: env.temporaryFile(), maxFileBytes: env.policy.maxSimpleUploadBytes)
            guard let file = received.file else { throw AppError.invalid(field: "file", code: "required", message: "is required") }
            let media = try await MediaLibrary(env: env).ingest(file, owner: context.caller.accountID, fields: received.fields)
            return Reply(media, status: .accepted)
        }
        anyone.add(
            .get, "/api/v1/media/{id}",
            APIOperation(
                "getMedia", "A media item: state, progress, size, variants", tag: "media", access: .anyone, response: "MediaAttachment",
                description: "Owners see their media in every state; others only ready, public media.")
        ) { _, context in
            Reply(try await MediaLibrary(env: env).get(try context.parameters.id("id"), viewer: context.principal))
        }
        signedIn.add(
            .patch, "/api/v1/media/{id}",
            APIOperation(
                "updateMedia", "Set alt text and focal point", tag: "media", access: .signedIn, body: "UpdateMediaRequest",
                response: "MediaAttachment")
        ) { request, context in
            let form = try await request.decodeJSON(as: UpdateMediaRequest.self, context: context)
            return Reply(try await MediaLibrary(env: env).describe(try context.parameters.id("id"), caller: context.caller, form: form))
        }
        signedIn.add(
            .delete, "/api/v1/media/{id}",
            APIOperation("deleteMedia", "Delete unattached media of mine", tag: "media", access: .signedIn, status: 204, errors: [409])
        ) { _, context in
            try await MediaLibrary(env: env).delete(try context.parameters.id("id"), caller: context.caller)
            return Response.noContent
        }
    }
}
