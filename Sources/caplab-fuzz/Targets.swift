import Compare
import Consistency
import Foundation
import Lab
import RaftLog
import Scenarios
import Stats
import Tools

/// One parser under fuzz: its name, seed inputs, extra dictionary tokens,
/// and the call. A target returns normally or throws; anything else (a
/// trap, a signal, an allocation that fails, a hang) is a finding.
struct FuzzTarget: Sendable {
    let name: String
    let seeds: [[UInt8]]
    let tokens: [String]
    let run: @Sendable ([UInt8]) throws -> Void

    init(name: String, seeds: [String] = [], binarySeeds: [[UInt8]] = [], tokens: [String], run: @escaping @Sendable ([UInt8]) throws -> Void) {
        self.name = name
        self.seeds = seeds.map { Array($0.utf8) } + binarySeeds
        self.tokens = tokens
        self.run = run
    }

    /// Scratch directory for parsers that resolve relative paths (latency
    /// models naming an empirical CSV); set by the driver.
    nonisolated(unsafe) static var scratch = "/tmp"

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static let all: [FuzzTarget] = [
        FuzzTarget(
            name: "scenario-yaml",
            seeds: [
                "name: x\noperations: 300\nseed: 7\ncluster: {nodes: 5, virtual_nodes: 8}\ngrid: {n: 3, r: [1, 2], w: 2, model: [ymmr], read_repair: background, sloppy_quorum: [false, true]}\nfaults: {loss: 0.01, partitions: [{start_ms: 50, end_ms: 200, isolated: [0]}], crashes: [{node: 1, start_ms: 5}]}\n",
                "grid:\n  n: [3, 5]\n  protocol: [dynamo, abd]\n  versioning: [lww, vector-clocks]\nworkload:\n  mode: closed\n  clients: 4\n  think_ms: 1\n  key_distribution: zipfian\n  zipf_theta: 0.9\nthreads: {clients: 2, replicas: 2}\n",
            ],
            tokens: ["grid", "n:", "r:", "w:", "model", "cluster", "nodes", "operations", "faults", "partitions", "isolated", "start_ms", "models_file", "workload", "&x", "*x", "<<: *x"],
            run: { _ = try Scenario.parse(text($0), file: "fuzz.yaml") }),
        FuzzTarget(
            name: "latency-json",
            seeds: [
                #"{"models": {"mine": {"W": [{"weight": 0.9, "pareto": {"xm": 0.2, "alpha": 10}}, {"weight": 0.1, "exponential": {"lambda": 1.6}}], "A": "same as W", "R": "as far W", "S": {"log_normal": {"mu": 0, "sigma": 1}}}, "far": {"base": "mine", "remote_delay_ms": 40}}}"#,
                #"{"models": {"u": {"W": {"uniform": {"low": 0, "high": 2}}, "A": {"constant": {"ms": 1}}, "R": {"empirical": {"csv": "rtt.csv"}}, "S": "same as R"}, "w": {"base": "u", "rule": "+75 ms"}}}"#,
            ],
            tokens: ["\"base\"", "\"models\"", "\"same as W\"", "\"as u W\"", "\"weight\"", "\"empirical\"", "\"csv\"", "\"rule\""],
            run: { _ = try LatencyModelCatalog(json: Data($0), source: "fuzz.json", directory: scratch) }),
        FuzzTarget(
            name: "empirical-csv",
            seeds: ["ms\n3\n1\n10\n2\n4\n", "# report\npercentile,ms\n50,1\n99,5\n99.9,20\n", "50,1\r\n99,5\r\n"],
            tokens: ["percentile", "ms", "100", "0.0001"],
            run: { _ = try EmpiricalCSV.parse(text($0), source: "fuzz.csv") }),
        FuzzTarget(
            name: "server-file",
            seeds: ["a:11211\nb:11211 2\n# comment\n[::1]:11211 3\n", "10.0.0.1:1\r\n10.0.0.2:65535 100\r\n"],
            tokens: ["[::1]", ":11211", "localhost", " 65536", " 0"],
            run: { bytes in
                let servers = try RingTool.parseServers(text(bytes), file: "fuzz.txt")
                let keys = RingTool.parseKeys(Data(bytes))
                for algorithm in RingTool.algorithms where servers.count <= 64 {
                    let mapper = try RingTool.mapper(algorithm: algorithm, servers: servers)
                    for key in keys.prefix(16) { precondition(mapper.server(for: key) < servers.count) }
                }
            }),
        FuzzTarget(
            name: "result-csv",
            seeds: [
                "k,t_median,t_ci_low,t_ci_high\na,1,0.9,1.1\nb,2,1.9,2.1\n",
                "name,\"x,y\",v_median,v_min,v_max\n\"q\"\"\",1,5,4,6\n",
                "#datatype measurement,tag,tag,tag,double,long,string\nmeasurement,test,metric,percentile,value,iterations,unit\nm,t,wall,25,1,100,ns\nm,t,wall,50,2,100,ns\nm,t,wall,75,3,100,ns\n",
            ],
            tokens: ["_median", "_ci_low", "_ci_high", "_min", "_max", "percentile", "iterations"],
            run: { bytes in
                _ = try? CSVTable.parseChecked(text(bytes))
                _ = try ResultFile.parse(text(bytes), file: "fuzz.csv")
            }),
        FuzzTarget(
            name: "wal-record",
            binarySeeds: walSeeds(),
            tokens: [],
            run: { bytes in
                try bytes.withUnsafeBytes { segment in
                    var offset = 0, crc: UInt32 = 0
                    while let result = WALRecord.decode(segment, at: offset, previousCRC: crc) {
                        let record = try result.get()
                        precondition(record.framedBytes > 0 && offset + record.framedBytes <= segment.count)
                        offset += record.framedBytes
                        crc = record.crc
                    }
                }
            }),
        FuzzTarget(
            name: "history-edn",
            seeds: [
                "{:type :invoke, :f :write, :value [:x 1], :process 0, :time 1}\n{:type :ok, :f :write, :value [:x 1], :process 0, :time 2}\n{:type :invoke, :f :read, :value [:x nil], :process 1, :time 3}\n{:type :ok, :f :read, :value [:x 1], :process 1, :time 4}\n",
                "[{:type :invoke, :f :write, :value 3, :process 0}\n {:type :info, :f :write, :value 3, :process 0}\n {:type :info, :f :kill, :process :nemesis}]\n",
            ],
            tokens: [":type", ":invoke", ":ok", ":fail", ":info", ":process", ":nemesis", ":value", ":f", ":read", ":write", ":cas", "nil", "#{", "^", "\\newline"],
            run: { _ = try HistoryFormat.parse($0) }),
        FuzzTarget(
            name: "history-jsonl",
            seeds: [
                #"{"type":"invoke","f":"write","value":["x",1],"process":0,"time":1}"# + "\n" + #"{"type":"ok","f":"write","value":["x",1],"process":0,"time":2}"# + "\n",
                #"{"type":"invoke","f":"read","key":"k","value":null,"process":1}"# + "\n" + #"{"type":"fail","f":"read","key":"k","value":null,"process":1}"# + "\n",
            ],
            tokens: ["\"type\"", "\"invoke\"", "\"ok\"", "\"process\"", "\"value\"", "\"key\"", "\\u0000", "\\ud800"],
            run: { _ = try HistoryFormat.parse($0) }),
    ]

    /// Valid WAL segments: a header record and a few entries, encoded by the WAL's own encoder.
    static func walSeeds() -> [[UInt8]] {
        let records: [(WALRecord.Kind, UInt64, UInt64, [UInt8])] = [
            (.segmentHeader, 1, 0, [UInt8](repeating: 0, count: 16)), (.entry, 1, 1, Array("set x 1".utf8)),
            (.entry, 1, 2, Array("set y 22".utf8)), (.commit, 2, 0, []), (.truncate, 1, 0, []), (.compact, 1, 1, []),
        ]
        var segment: [UInt8] = []
        var crc: UInt32 = 0
        for (kind, a, b, payload) in records {
            var frame = [UInt8](repeating: 0, count: WALRecord.framedBytes(payload: payload.count))
            frame.withUnsafeMutableBytes { p in
                payload.withUnsafeBytes { crc = WALRecord.encode(into: p.baseAddress!, kind: kind, a: a, b: b, payload: $0, previousCRC: crc) }
            }
            segment += frame
        }
        return [segment, Array(segment.prefix(WALRecord.framedBytes(payload: 16))), segment + [UInt8](repeating: 0, count: 64)]
    }
}
