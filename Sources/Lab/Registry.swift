/// A list of experiments, in the order `caplab list` and `caplab run` (with
/// no names) use, looked up by name. The experiments module holds the one
/// list `caplab` runs (`Registry.all`); adding an experiment is one line there.
public struct Registry: Sendable {
    public let experiments: [Experiment]

    public init(_ experiments: [Experiment]) {
        self.experiments = experiments
    }

    public var names: [String] { experiments.map(\.name) }

    /// The experiments with these names, in the order given; all of them by default.
    /// Throws before anything runs if any name is unknown.
    public func resolve(_ names: [String]) throws -> [Experiment] {
        if names.isEmpty { return experiments }
        return try names.map { name in
            guard let experiment = experiments.first(where: { $0.name == name }) else {
                throw LabError.unknownExperiment(name, known: self.names)
            }
            return experiment
        }
    }
}
