/// A Pod's `status.containerStatuses` (name and runtime id of each container), read leniently:
/// in a Status object `status` is a string, which decodes as no containers.
struct PodStatusField: Decodable, Sendable {
    struct ContainerStatus: Decodable, Sendable {
        var name: String?
        var containerID: String?
    }

    var containerStatuses: [ContainerStatus] = []

    enum CodingKeys: String, CodingKey { case containerStatuses, initContainerStatuses }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
        containerStatuses =
            ((try? container.decodeIfPresent([ContainerStatus].self, forKey: .containerStatuses)) ?? [])
            + ((try? container.decodeIfPresent([ContainerStatus].self, forKey: .initContainerStatuses)) ?? [])
    }
}
