import Foundation

/// Keeps the input being executed where a signal handler can reach it, and
/// on a crash (a trap, SIGSEGV, SIGABRT, …) or a hang (SIGALRM after the
/// per-input time limit) writes that input to the crash file, says so on
/// stderr and exits 1. The handler only calls open, write, close and _exit;
/// it runs on an alternate stack so that a stack overflow is caught too.
enum CrashCapture {
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    nonisolated(unsafe) static var capacity = 1
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar> = strdup("crash")!
    nonisolated(unsafe) static var message: UnsafeMutablePointer<CChar> = strdup("")!

    /// Installs the handlers; the crash file is `path` (written only on a crash).
    static func install(crashFile: String, target: String) {
        path = strdup(crashFile)!
        message = strdup("caplab-fuzz: \(target): CRASH (signal or hang); the input is in \(crashFile)\n")!
        let stackSize = 1 << 16
        var stack = stack_t(ss_sp: UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16), ss_flags: 0, ss_size: stackSize)
        sigaltstack(&stack, nil)
        for signal in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGALRM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                let fd = open(CrashCapture.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                if fd >= 0 {
                    _ = write(fd, CrashCapture.buffer, CrashCapture.length)
                    close(fd)
                }
                _ = write(2, CrashCapture.message, strlen(CrashCapture.message))
                _exit(1)
            }
            action.sa_flags = Int32(SA_ONSTACK)
            sigaction(signal, &action, nil)
        }
    }

    /// Records `input` as the one about to run.
    static func current(_ input: [UInt8]) {
        if input.count > capacity {
            buffer.deallocate()
            capacity = max(input.count, capacity * 2)
            buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        }
        input.withUnsafeBufferPointer { if let base = $0.baseAddress { buffer.update(from: base, count: input.count) } }
        length = input.count
    }
}
