import ArgumentParser

/// How `collect` prints samples.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case openmetrics
    case json
}
