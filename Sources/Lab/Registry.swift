/// Every experiment `caplab` knows, in the order `caplab list` and
/// `caplab run` (with no names) use. Adding an experiment is one line here.
public enum Registry {
    public static let experiments: [Experiment] = [
        RingLookup.experiment,
        RingBalance.experiment,
        RingDisruption.experiment,
        RingBuild.experiment,
        ClockMerge.experiment,
        ClockCompare.experiment,
        ClockSize.experiment,
        RaftLogAppend.experiment,
        RaftLogGroupCommit.experiment,
        RaftLogRecovery.experiment,
        MerkleBuild.experiment,
        MerkleUpdate.experiment,
        MerkleDiffExperiment.experiment,
        ReconcileVsMerkle.experiment,
        PBSTVisibility.experiment,
        PACELC.experiment,
        Partition.experiment,
        VersioningExperiment.experiment,
        Linearizability.experiment,
        PACELCThreaded.experiment,
        Allocator.experiment,
        EnginePACELC.experiment,
        EnginePartition.experiment,
    ]

    public static var names: [String] { experiments.map(\.name) }

    /// The experiments with these names, in the order given; all of them by default.
    /// Throws before anything runs if any name is unknown.
    public static func resolve(_ names: [String]) throws -> [Experiment] {
        if names.isEmpty { return experiments }
        return try names.map { name in
            guard let experiment = experiments.first(where: { $0.name == name }) else {
                throw LabError.unknownExperiment(name, known: self.names)
            }
            return experiment
        }
    }
}
