/// The fields of uname(2).
public struct SystemIdentity: Sendable, Hashable {
    public var sysname: String
    public var nodename: String
    public var release: String
    public var version: String
    public var machine: String
    public var domainname: String

    public init(sysname: String, nodename: String, release: String, version: String, machine: String, domainname: String) {
        self.sysname = sysname
        self.nodename = nodename
        self.release = release
        self.version = version
        self.machine = machine
        self.domainname = domainname
    }
}
