/// What happened to one push, in the terms a delivery job acts on.
///
/// The cases are the decisions the caller must make, not the provider's status codes: keep,
/// delete the device, try again later, or give up on this message.
public enum PushDeliveryResult: Sendable, Equatable {
    /// The provider accepted the message.
    case delivered
    /// The device token or Web Push subscription is gone for good; delete it.
    case invalidToken(reason: String)
    /// A transient failure (throttling, provider outage, network); retry with backoff,
    /// no sooner than `retryAfter` when the provider said so.
    case retryLater(reason: String, retryAfter: Duration?)
    /// The provider refused this message; retrying it unchanged will not help.
    case rejected(reason: String)
}
