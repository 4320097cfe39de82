import Lab

extension Registry {
    /// Every experiment `caplab` knows, in the order `caplab list` and
    /// `caplab run` (with no names) use. Adding an experiment is one line here.
    public static let all = Registry([
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
        DeltaVsPBS.experiment,
        PACELC.experiment,
        Partition.experiment,
        VersioningExperiment.experiment,
        Linearizability.experiment,
        PACELCThreaded.experiment,
        Allocator.experiment,
        EnginePACELC.experiment,
        EnginePartition.experiment,
        PlanFrontier.experiment,
        RaftPACELC.experiment,
        RaftFailover.experiment,
        RaftCommitPath.experiment,
        RaftVsEtcd.experiment,
    ])
}
