import Hummingbird
import NIOCore

/// The hub's request context: hummingbird's core storage and the connection the request came
/// on, whose TLS peer certificate names the node when client certificates are required.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
