import EntativaCore
import EntativaModels
import Hummingbird

/// `GET /api/v1/instance`: which network this server runs and its public limits.
struct InstanceRoutes {
    let config: EntativaConfig

    func register(on routes: APIRoutes<AppRequestContext>) {
        let info = InstanceInfo(
            name: config.instanceName, platform: config.platform, version: EntativaVersion.current,
            limits: config.publicLimits)
        routes.document.addSchema(
            "InstanceInfo",
            Schema.object(
                [
                    "name": Schema.string(), "platform": Schema.string(values: Platform.allCases.map(\.rawValue)),
                    "version": Schema.string(), "limits": Schema.map(of: ["type": "number"]),
                ],
                required: ["name", "platform", "version", "limits"]))
        routes.add(
            .get, "/api/v1/instance",
            APIOperation("getInstance", "This server's network, version and limits", tag: "instance", access: .anyone, response: "InstanceInfo")
        ) { _, _ in Reply(info) }
    }
}
