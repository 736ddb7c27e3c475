import EntativaCore
import EntativaModels
import Hummingbird

/// `/api/v1/stories/archive`.
struct StoryRoutes {
    let env: StoriesEnvironment

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        signedIn.add(
            .get, "/api/v1/stories/archive",
            APIOperation(
                "listStoryArchive", "My stories that have left the tray, newest first", tag: "stories", access: .signedIn,
                response: "ArchivedStoryPage", errors: [422], query: [.cursor, .limit])
        ) { request, context in
            try await StoryArchive(env: env).list(caller: context.caller, page: try PageRequest(request, limits: limits)).reply(for: request)
        }
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        document.addSchema(
            "ArchivedStory",
            Schema.object(
                [
                    "id": Schema.id, "caption": Schema.string(), "created_at": Schema.timestamp, "expires_at": Schema.timestamp,
                    "archived_at": Schema.timestamp,
                ],
                required: ["id", "caption", "created_at", "expires_at", "archived_at"]))
        document.addSchema("ArchivedStoryPage", Schema.page(of: "ArchivedStory"))
    }
}
