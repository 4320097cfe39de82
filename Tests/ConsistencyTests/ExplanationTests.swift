import Foundation
import Stats
import Testing
@testable import Consistency

/// The windows printed for a key that is not linearizable are real violations (issue 21).
@Suite struct ExplanationTests {
    let checker = LinearizabilityChecker()

    /// Every window of every non-linearizable history among thousands of small random ones,
    /// checked by the brute-force definition (`BruteForce.isRealWindow`) and by the prefix check.
    @Test func everyWindowIsARealViolation() throws {
        var generator = RandomHistory(rng: Xoshiro256StarStar(seed: 21))
        var histories = 0, windows = 0, spurious = 0, anchored = 0
        var trial = 0
        while histories < 5_000 && trial < 40_000 {
            generator.uniqueValues = trial % 2 == 1
            let h = generator.make(operations: 3 + trial % 6, processes: 2 + trial % 3)
            trial += 1
            let report = try checker.check(h)
            guard report.verdict == .notLinearizable else { continue }
            histories += 1
            for v in report.violations {
                windows += 1
                if v.fromEmptyRegister { anchored += 1 }
                let real = try BruteForce.isRealWindow(v, in: h)
                let prefixFails = try !BruteForce.prefixIsLinearizable(v, in: h)
                if !real || !prefixFails { spurious += 1 }
                #expect(real && prefixFails, "trial \(trial - 1): \(v.rendered())\(HistoryFormat.edn.render(h))")
                #expect(v.minimised)
            }
        }
        #expect(histories == 5_000)
        #expect(windows >= 5_000)
        #expect(spurious == 0)
        // Both kinds of claim occur.
        #expect(anchored > 50 && anchored < windows - 50)
    }

    /// Shrinking leaves nothing that could go: each operation of a window is needed.
    @Test func windowsAreMinimal() throws {
        var generator = RandomHistory(rng: Xoshiro256StarStar(seed: 5))
        var checked = 0
        for trial in 0..<400 {
            generator.uniqueValues = trial % 2 == 0
            let h = generator.make(operations: 6, processes: 3)
            for v in try checker.check(h).violations where v.window.count > 1 {
                #expect(v.minimised)
                checked += 1
                for i in v.window.indices {
                    var smaller = v.window
                    let gone = smaller.remove(at: i)
                    // A write read by a remaining read stays by design.
                    if gone.function == .write && smaller.contains(where: { $0.function == .read && $0.value == gone.value }) { continue }
                    let fewer = LinearizabilityChecker.Violation(key: v.key, window: smaller, overlappingWrites: [],
                                                                 fromEmptyRegister: v.fromEmptyRegister, minimised: false)
                    #expect(try !BruteForce.isRealWindow(fewer, in: h), "trial \(trial) without \(gone.summary): \(v.rendered())\(HistoryFormat.edn.render(h))")
                }
            }
        }
        #expect(checked > 50)
    }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checker-window-key1.edn")

    /// The reproduction of issue 21: key 1 was blamed on two reads (→ 34, → 38) that order fine
    /// once the write of 38, in flight over the first read, may take effect.
    @Test func reproductionGetsARealWindow() throws {
        let h = try HistoryFormat.parse(try Data(contentsOf: Self.fixture).map { $0 })
        let report = try checker.check(h)
        #expect(report.verdict == .notLinearizable)
        #expect(report.violations.count == 1)
        let v = try #require(report.violations.first)
        #expect(v.key == 1)
        #expect(try BruteForce.isRealWindow(v, in: h))
        #expect(try !BruteForce.prefixIsLinearizable(v, in: h))
        // Not the old window: it is no violation.
        let ops = try h.operations()
        let oldWindow = ops.filter { $0.function == .read && ($0.value == 34 || $0.value == 38) && $0.outcome == .ok }
        #expect(oldWindow.count == 2)
        let old = LinearizabilityChecker.Violation(key: 1, window: oldWindow, overlappingWrites: [], fromEmptyRegister: false, minimised: true)
        #expect(try !BruteForce.isRealWindow(old, in: h))
        #expect(v.window != oldWindow)
        // A stale read: the window ends with a read of a value overwritten by a write that completed before it.
        let last = try #require(v.window.last)
        #expect(last.function == .read)
        #expect(v.window.contains { $0.function == .write && $0.value == last.value })
        #expect(v.window.contains { $0.function == .write && $0.value != last.value && $0.completePosition < last.invokePosition })
        let text = report.rendered()
        #expect(text.contains("key 1: these \(v.window.count) operations cannot be ordered, whatever the register held before them:"))
        #expect(text.contains("\"cannot be ordered\": no order of the listed operations"))
    }

    /// A read of a value nobody wrote, first in the history: real only from the empty register.
    @Test func aWindowAtTheStartClaimsTheEmptyRegister() throws {
        var h = HistoryBuilder()
        h.op(0, .read, 7)
        h.op(1, .write, 1)
        let report = try checker.check(h.history)
        let v = try #require(report.violations.first)
        #expect(v.fromEmptyRegister)
        #expect(v.window.map(\.value) == [7])
        #expect(report.rendered().contains("cannot be ordered, starting from the empty register:"))
    }

    /// An in-flight write overlapping the window is listed and allowed to take effect.
    @Test func overlappingWritesAreListed() throws {
        var h = HistoryBuilder()
        h.op(0, .write, 1)
        h.invoke(3, .write, 9) // in flight over the stale read, never completes
        h.op(1, .write, 2)
        h.op(2, .read, 1)
        let report = try checker.check(h.history)
        let v = try #require(report.violations.first)
        #expect(v.overlappingWrites.map(\.value) == [9])
        #expect(try BruteForce.isRealWindow(v, in: h.history))
        #expect(report.rendered().contains("even letting these 1 overlapping writes of key 0 take effect"))
    }
}
