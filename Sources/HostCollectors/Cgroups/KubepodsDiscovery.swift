import HostFS

/// Finds the kubepods tree, its QoS slices, pods and containers, and the node's system services.
public enum KubepodsDiscovery {
    /// Every reportable cgroup under `root` (a controller directory relative to the sysfs root).
    /// Directories that vanish while being listed are skipped.
    public static func discover(_ sys: FileTree, root: String) -> [ContainerCgroup] {
        var found: [ContainerCgroup] = []
        for top in ["kubepods.slice", "kubepods"] where sys.isDirectory(root + "/" + top) {
            let topID = "/" + top
            found.append(ContainerCgroup(id: topID, kind: .kubepods))
            walk(sys, root: root, id: topID, into: &found, depth: 0)
        }
        if let services = try? sys.list(root + "/system.slice") {
            for entry in services where entry.kind == .directory && entry.name.hasSuffix(".service") {
                found.append(ContainerCgroup(id: "/system.slice/" + entry.name, kind: .systemService))
            }
        }
        return found
    }

    private static func walk(_ sys: FileTree, root: String, id: String, into found: inout [ContainerCgroup], depth: Int, podUID: String? = nil) {
        guard depth < 4, let entries = try? sys.list(root + id) else { return }
        for entry in entries where entry.kind == .directory {
            let childID = id + "/" + entry.name
            if podUID == nil, KubepodsNaming.isQoSClass(entry.name) {
                found.append(ContainerCgroup(id: childID, kind: .qosClass))
                walk(sys, root: root, id: childID, into: &found, depth: depth + 1)
            } else if podUID == nil, let uid = KubepodsNaming.podUID(entry.name) {
                found.append(ContainerCgroup(id: childID, kind: .pod, podUID: uid))
                walk(sys, root: root, id: childID, into: &found, depth: depth + 1, podUID: uid)
            } else if let uid = podUID, let container = KubepodsNaming.containerID(entry.name) {
                found.append(ContainerCgroup(id: childID, kind: .container, podUID: uid, containerID: container))
            }
        }
    }
}
