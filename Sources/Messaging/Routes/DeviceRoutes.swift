import EntativaCore
import EntativaModels
import HTTPTypes
import Hummingbird

/// `/api/v1/devices…` and `/api/v1/keys/{account_id}…`.
struct DeviceRoutes {
    let env: MessagingEnvironment

    static let deviceSecretHeader = HTTPField.Name("X-Device-Secret")!
    static let deviceIDSchema = Schema.integer(minimum: SignalKeyFormat.deviceIDs.lowerBound, maximum: SignalKeyFormat.deviceIDs.upperBound)

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        signedIn.add(
            .post, "/api/v1/devices",
            APIOperation(
                "registerDevice", "Register a device's keys", tag: "messaging", access: .signedIn, body: "RegisterDeviceRequest", status: 201,
                response: "RegisteredDevice", errors: [409, 422],
                description: "The account's first device is active at once; later ones are pending until an active device approves them. The signed prekey's signature must verify against the identity key. The answer carries the device's secret, shown this once.")
        ) { request, context in
            let form = try await request.decodeJSON(as: RegisterDeviceRequest.self, context: context)
            return Reply(try await Devices(env: env).register(form, caller: context.caller), status: .created)
        }
        signedIn.add(
            .get, "/api/v1/devices",
            APIOperation("listDevices", "My devices", tag: "messaging", access: .signedIn, response: "DevicePage")
        ) { _, context in
            Reply(Page(items: try await Devices(env: env).list(caller: context.caller), nextCursor: nil))
        }
        var approve = APIOperation(
            "approveDevice", "Approve a pending device from an active one", tag: "messaging", access: .signedIn, body: "ApproveDeviceRequest",
            response: "Device", errors: [409, 422],
            description: "The approving device signs, with its identity key (XEdDSA), the bytes \"Entativa device link v1\", the account ID (8 bytes, big-endian), the pending device's ID (4 bytes, big-endian) and its 33-byte identity key.")
        approve.pathSchemas = ["device_id": Self.deviceIDSchema]
        signedIn.add(.post, "/api/v1/devices/{device_id}/approve", approve) { request, context in
            let form = try await request.decodeJSON(as: ApproveDeviceRequest.self, context: context)
            return Reply(try await Devices(env: env).approve(try Self.deviceID(context), form, caller: context.caller))
        }
        var remove = APIOperation(
            "removeDevice", "Remove a device and its keys", tag: "messaging", access: .signedIn, status: 204,
            description: "Any session of the account may remove any of its devices, so a lost one can be cut off from another.")
        remove.pathSchemas = ["device_id": Self.deviceIDSchema]
        signedIn.add(.delete, "/api/v1/devices/{device_id}", remove) { _, context in
            try await Devices(env: env).remove(try Self.deviceID(context), caller: context.caller)
            return Response.noContent
        }
        var upload = APIOperation(
            "uploadPreKeys", "Replace my signed prekey and add one-time prekeys", tag: "messaging", access: .signedIn, body: "UploadPreKeysRequest",
            response: "Device", errors: [422],
            description: "Only the device itself, proving it with its secret in X-Device-Secret (a wrong one answers 404). A device keeps at most 100 one-time prekeys; an ID it already uploaded keeps its first key.")
        upload.pathSchemas = ["device_id": Self.deviceIDSchema]
        upload.headers = [("X-Device-Secret", true, "The secret the device got when it registered")]
        signedIn.add(.put, "/api/v1/devices/{device_id}/keys", upload) { request, context in
            let form = try await request.decodeJSON(as: UploadPreKeysRequest.self, context: context)
            let secret = request.headers[Self.deviceSecretHeader]
            return Reply(try await PreKeys(env: env).upload(form, device: try Self.deviceID(context), secret: secret, caller: context.caller))
        }
        signedIn.add(
            .get, "/api/v1/keys/{account_id}",
            APIOperation(
                "preKeyBundles", "Prekey bundles of every active device of an account", tag: "messaging", access: .signedIn, response: "PreKeyBundles",
                errors: [429],
                description: "Each bundle carries one one-time prekey, removed from the server as it is handed out (none once a device has run out). Not found when either account blocks the other, when the account is not active or has no active device. Counted against the caller's hourly budget.")
        ) { _, context in
            Reply(try await PreKeys(env: env).bundles(of: try context.parameters.id("account_id"), device: nil, caller: context.caller))
        }
        var one = APIOperation(
            "preKeyBundle", "The prekey bundle of one device", tag: "messaging", access: .signedIn, response: "PreKeyBundles", errors: [429],
            description: "As for all devices, for one active device.")
        one.pathSchemas = ["device_id": Self.deviceIDSchema]
        signedIn.add(.get, "/api/v1/keys/{account_id}/{device_id}", one) { _, context in
            Reply(try await PreKeys(env: env).bundles(of: try context.parameters.id("account_id"), device: try Self.deviceID(context), caller: context.caller))
        }
    }

    /// A device ID from the path; anything but 1–127 names no device.
    static func deviceID(_ context: AuthenticatedContext) throws -> Int {
        guard let text = context.parameters.get("device_id"), let id = OutsideInteger.parseInt(text, in: SignalKeyFormat.deviceIDs) else {
            throw AppError.notFound("device")
        }
        return id
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        let publicKey = Schema.string(
            minLength: 44, maxLength: 44, pattern: "^[A-Za-z0-9+/]{43}=$", description: "base64 of a 33-byte public key (0x05, then the X25519 key)")
        let signature = Schema.string(minLength: 88, maxLength: 88, pattern: "^[A-Za-z0-9+/]{86}==$", description: "base64 of a 64-byte XEdDSA signature")
        let keyID = Schema.integer(minimum: SignalKeyFormat.preKeyIDs.lowerBound, maximum: SignalKeyFormat.preKeyIDs.upperBound)
        document.addSchema(
            "SignedPreKey", Schema.object(["key_id": keyID, "public_key": publicKey, "signature": signature], required: ["key_id", "public_key", "signature"]))
        document.addSchema("OneTimePreKey", Schema.object(["key_id": keyID, "public_key": publicKey], required: ["key_id", "public_key"]))
        document.addSchema(
            "RegisterDeviceRequest",
            Schema.object(
                [
                    "name": Schema.string(minLength: 1, maxLength: RegisterDeviceRequest.maxNameLength),
                    "registration_id": Schema.integer(minimum: SignalKeyFormat.registrationIDs.lowerBound, maximum: SignalKeyFormat.registrationIDs.upperBound),
                    "identity_key": publicKey, "signed_pre_key": Schema.ref("SignedPreKey"),
                    "one_time_pre_keys": Schema.array(Schema.ref("OneTimePreKey"), maxItems: SignalKeyFormat.maxOneTimePreKeys),
                ],
                required: ["name", "registration_id", "identity_key", "signed_pre_key"]))
        document.addSchema(
            "Device",
            Schema.object(
                [
                    "id": deviceIDSchema, "name": Schema.string(), "registration_id": Schema.integer(minimum: 1),
                    "identity_key": publicKey, "status": Schema.string(values: DeviceStatus.allCases.map(\.rawValue)),
                    "signed_pre_key_id": keyID, "one_time_pre_keys": Schema.integer(minimum: 0, maximum: SignalKeyFormat.maxOneTimePreKeys),
                    "created_at": Schema.timestamp,
                ],
                required: ["id", "name", "registration_id", "identity_key", "status", "signed_pre_key_id", "one_time_pre_keys", "created_at"]))
        document.addSchema("DevicePage", Schema.page(of: "Device"))
        document.addSchema(
            "RegisteredDevice",
            Schema.object(["device": Schema.ref("Device"), "device_secret": Schema.string(minLength: 43, maxLength: 43)], required: ["device", "device_secret"]))
        document.addSchema(
            "ApproveDeviceRequest",
            Schema.object(["approver_device_id": deviceIDSchema, "signature": signature], required: ["approver_device_id", "signature"]))
        document.addSchema(
            "UploadPreKeysRequest",
            Schema.object(
                [
                    "signed_pre_key": Schema.ref("SignedPreKey"),
                    "one_time_pre_keys": Schema.array(Schema.ref("OneTimePreKey"), maxItems: SignalKeyFormat.maxOneTimePreKeys),
                ]))
        document.addSchema(
            "PreKeyBundle",
            Schema.object(
                [
                    "device_id": deviceIDSchema, "registration_id": Schema.integer(minimum: 1), "identity_key": publicKey,
                    "signed_pre_key": Schema.ref("SignedPreKey"), "one_time_pre_key": Schema.nullable(Schema.ref("OneTimePreKey")),
                ],
                required: ["device_id", "registration_id", "identity_key", "signed_pre_key", "one_time_pre_key"]))
        document.addSchema(
            "PreKeyBundles", Schema.object(["account_id": Schema.id, "devices": Schema.array(Schema.ref("PreKeyBundle"))], required: ["account_id", "devices"]))
    }
}
