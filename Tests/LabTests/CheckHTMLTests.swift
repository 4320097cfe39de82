import Foundation
import Testing
@testable import Lab
@testable import Tools

/// `caplab check --html`: the page rendered by real headless Chromium
/// (Debian's `chromium`, installed by `make deps`): a screenshot is taken and
/// the DOM Chromium built is searched for the window's marked operations.
@Suite struct CheckHTMLTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// w1; r → 1; a fault starts; w2 invoked (ends info); w3; r → 3; the fault stops; r → 1 (stale); w4.
    /// The window that cannot be ordered: w1, w3, r → 1 (the last read).
    static let history = """
        {:type :invoke, :f :write, :value 1, :process 0}
        {:type :ok, :f :write, :value 1, :process 0}
        {:type :invoke, :f :read, :value nil, :process 1}
        {:type :ok, :f :read, :value 1, :process 1}
        {:type :info, :f :start, :value nil, :process :nemesis}
        {:type :invoke, :f :write, :value 2, :process 2}
        {:type :invoke, :f :write, :value 3, :process 0}
        {:type :ok, :f :write, :value 3, :process 0}
        {:type :invoke, :f :read, :value nil, :process 1}
        {:type :ok, :f :read, :value 3, :process 1}
        {:type :info, :f :stop, :value nil, :process :nemesis}
        {:type :invoke, :f :read, :value nil, :process 3}
        {:type :ok, :f :read, :value 1, :process 3}
        {:type :invoke, :f :write, :value 4, :process 0}
        {:type :ok, :f :write, :value 4, :process 0}
        {:type :info, :f :write, :value 2, :process 2}
        """

    /// Runs Chromium with its profile in `dir` (nothing under the user's home) and
    /// without /dev/shm (a container's is small); killed by its PID after 120 s so a
    /// stuck browser fails the test instead of hanging the suite.
    static func runChromium(_ arguments: [String], profile dir: URL) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--disable-dev-shm-usage", "--user-data-dir=\(dir.appendingPathComponent("chromium-profile").path)"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { if process.isRunning { kill(pid, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Writes `history` to `name` in `dir`, runs `caplab check FILE --html PAGE` (expecting exit 1) and returns the page's path.
    static func checkToPage(_ history: String, _ name: String, in dir: TemporaryDirectory) throws -> String {
        let input = dir.url.appendingPathComponent(name).path
        try history.write(toFile: input, atomically: true, encoding: .utf8)
        let page = dir.url.appendingPathComponent(name + ".html").path
        let r = try CLITests.caplab(["check", input, "--html", page])
        #expect(r.status == 1)
        return page
    }

    @Test(.enabled(if: chromium != nil, "skipped: chromium is not installed (apt-get install chromium, or make deps)"))
    func pageRendersInHeadlessChromiumWithTheWindowMarked() throws {
        let dir = try TemporaryDirectory()
        let page = try Self.checkToPage(Self.history, "h.edn", in: dir)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        // Self-contained: nothing fetched.
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(!html.contains("<link") && !html.contains("@import") && !html.contains("url("))

        let png = dir.url.appendingPathComponent("h.png").path
        let shot = try Self.runChromium(["--screenshot=\(png)", "--window-size=1150,420", "file://\(page)"], profile: dir.url)
        #expect(shot.status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(bytes.count > 1_000)
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))

        let dom = try Self.runChromium(["--dump-dom", "file://\(page)"], profile: dir.url)
        #expect(dom.status == 0)
        let marked = dom.stdout.components(separatedBy: "class=\"op ").dropFirst().map { $0.prefix(while: { $0 != "\"" }) }
        // The window's three operations (lines 1, 7, 12), and no other, carry the class.
        let windowLines = dom.stdout.components(separatedBy: "window\" data-line=\"").dropFirst().map { Int($0.prefix(while: \.isNumber))! }
        #expect(windowLines.sorted() == [1, 7, 12])
        #expect(marked.filter { $0.hasSuffix("window") }.count == 3)
        #expect(marked.contains("write info"))          // w2 drawn open-ended
        #expect(dom.stdout.contains("class=\"fault\""))  // the nemesis start..stop window
        #expect(dom.stdout.contains("class=\"window-span\""))
        #expect(dom.stdout.contains("class=\"linearization\" data-length=\"2\""))
        #expect(dom.stdout.contains("data-verdict=\"not linearizable\""))
    }

    /// A kv history (Porcupine's model), `ConsistencyTests/Fixtures/model-kv-stale-get.jsonl`: put a; append b;
    /// get → ab; a fault starts; append c; get → ab (stale); the fault stops; an append on key y.
    /// Its shrunk window (worked out in ModelWindowTests): append c and the stale get (lines 8 and 10), after put a.
    static let kvHistory = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConsistencyTests/Fixtures/model-kv-stale-get.jsonl"))) ?? Data(), as: UTF8.self)

    /// Invocation lines of the operations marked `window` in a page or DOM.
    static func windowLines(_ html: String) -> [Int] {
        html.components(separatedBy: "window\" data-line=\"").dropFirst().map { Int($0.prefix(while: \.isNumber))! }.sorted()
    }

    /// The model page as written (no browser): the window's two operations marked, the partial linearization's
    /// four points, the fault band, the linearizable key after the failing one.
    @Test func modelPageMarksTheWindow() throws {
        let dir = try TemporaryDirectory()
        let input = dir.url.appendingPathComponent("kv.jsonl").path
        try Self.kvHistory.write(toFile: input, atomically: true, encoding: .utf8)
        let page = dir.url.appendingPathComponent("kv.html").path
        let outcome = HistoryCheck.run(path: input, stepBudgetPerKey: 1_000_000, memoBytesPerKey: 1 << 26, htmlPath: page)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("model: kv (inferred: :put on line 1)"))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(Self.windowLines(html) == [8, 10])
        #expect(html.contains("class=\"op write ok window\" data-line=\"8\""))
        #expect(html.contains("class=\"op read ok window\" data-line=\"10\""))
        #expect(html.contains("class=\"linearization\" data-length=\"4\""))
        #expect(html.contains("class=\"fault\""))
        #expect(html.contains("Verdict: <b>not linearizable (kv model)</b>"))
        let sections = html.components(separatedBy: "<section class=\"key\" data-key=\"").dropFirst().map { $0.prefix(while: { $0 != "\"" }) }
        #expect(sections == ["\"x\"", "\"y\""].map { Substring(HistoryHTML.escape($0)) })
    }

    @Test(.enabled(if: chromium != nil, "skipped: chromium is not installed (apt-get install chromium, or make deps)"))
    func modelPageRendersInHeadlessChromiumWithTheWindowMarked() throws {
        let dir = try TemporaryDirectory()
        let page = try Self.checkToPage(Self.kvHistory, "kv.jsonl", in: dir)
        let dom = try Self.runChromium(["--dump-dom", "file://\(page)"], profile: dir.url)
        #expect(dom.status == 0)
        #expect(Self.windowLines(dom.stdout) == [8, 10])
        #expect(dom.stdout.contains("data-verdict=\"not linearizable\""))
        #expect(dom.stdout.contains("class=\"linearization\" data-length=\"4\""))
    }
}
