import DeliveryChannels
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Push endpoints")
struct PushEndpointTests {
    @Test("A Web Push endpoint whose name resolves to this machine is refused at registration (unless private endpoints are allowed)")
    func nameResolvingInward() async throws {
        let host = ProcessInfo.processInfo.hostName
        let addresses = (try? await PinnedHTTPClients.resolve(host)) ?? []
        try #require(!addresses.isEmpty, "this machine's name does not resolve here")
        let form = RegisterPushDeviceRequest(
            platform: .web, token: "https://\(host):8443/push/abc", keys: WebPushKeys(p256dh: PushDeviceTests.p256dh, auth: PushDeviceTests.auth))
        try await TestApp.run { _, api in
            let alice = try await api.register("alice")
            let refused = try await api.post("/api/v1/push/devices", form, token: alice.accessToken)
            #expect(refused.status == 422)
            #expect(refused.fieldErrors == ["token"])
        }
        try await TestApp.run(configure: { $0.notifications.allowPrivatePushEndpoints = true }) { _, api in
            let alice = try await api.register("alice")
            #expect(try await api.post("/api/v1/push/devices", form, token: alice.accessToken).status == 201)
        }
    }
}
