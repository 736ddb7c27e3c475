import EntativaCore
import EntativaModels
import Hummingbird

/// Direct messages that reply to a story, sent through another domain's route (Stories checks
/// that the sender may watch the story first). The device acting is proven by the same headers
/// as `/api/v1/messages`, and each envelope names the story; its contents stay opaque.
public struct StoryReplySends: Sendable {
    let env: MessagingEnvironment

    public init(env: MessagingEnvironment) { self.env = env }

    /// `X-Device-ID` and `X-Device-Secret`, for the route's document.
    public static var deviceHeaders: [(String, Bool, String)] { MessageRoutes.deviceHeaders }

    public func send(_ form: SendMessageRequest, replyingTo story: StoryID, request: Request, context: AuthenticatedContext) async throws -> SentMessage {
        let device = try await MessageRoutes.device(request, context, env: env)
        return try await Envelopes(env: env).send(form, sender: device, caller: context.caller, story: story)
    }
}
