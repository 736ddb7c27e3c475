import Hummingbird

/// The shape every domain module has, so the composition root treats them alike and a new
/// domain plugs in without editing the others. What a module cannot declare as a requirement
/// (its settings type and its lower modules differ) is the convention in docs/architecture.md:
///
///     init(kernel: Kernel, settings: ItsSettings, <lower modules' faces>…) async throws
///
/// whose body registers the module's jobs, event consumers (`AccountDeleted` included),
/// notification kinds and target rules, and fills the kernel slots it answers.
public protocol DomainModule: Sendable {
    /// The module's tables and indexes, oldest first; names carry the module's prefix.
    static var migrations: [any SQLMigration] { get }

    /// Adds the module's schemas to the OpenAPI document and its operations to the router.
    func registerRoutes(_ routes: ModuleRoutes)
}

/// Where a module adds its operations: JSON operations open to anyone or to signed-in callers,
/// both documented, and the bare router for the few routes that are not JSON (media files).
public struct ModuleRoutes {
    public let router: Router<AppRequestContext>
    public let anyone: APIRoutes<AppRequestContext>
    public let signedIn: APIRoutes<AuthenticatedContext>

    public init(router: Router<AppRequestContext>, anyone: APIRoutes<AppRequestContext>, signedIn: APIRoutes<AuthenticatedContext>) {
        self.router = router
        self.anyone = anyone
        self.signedIn = signedIn
    }

    public var document: OpenAPIDocument { anyone.document }
}

/// A module's settings: its defaults, its environment variables, and the limits it publishes
/// at `/api/v1/instance`. Variables carry their own names (`ENTATIVA_MAX_UPLOAD_BYTES`), not
/// the module's, so an operator's configuration survives code moving between modules.
public protocol ModuleSettings: Sendable {
    init()
    /// Reads the module's variables; a bad one is a `ConfigurationError` naming it.
    init(reading reader: SettingsReader) throws
    var publicLimits: [String: Double] { get }
}

extension ModuleSettings {
    public var publicLimits: [String: Double] { [:] }
}
