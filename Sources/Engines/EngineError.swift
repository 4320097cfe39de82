/// What can go wrong when CAPLab starts, drives or stops a real engine; every
/// message says what to do about it.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    static func missingBinary(_ binary: String, package: String) -> EngineError {
        EngineError("\(binary) is not installed: install the Debian package \(package) (`make deps` installs it)")
    }
}
