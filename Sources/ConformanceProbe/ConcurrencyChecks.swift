import CShimProbe
import Dispatch
import Foundation
import Synchronization

private actor Counter {
    var value = 0
    func add(_ n: Int) { value += n }
}

private final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ v: T) { value = v }
}

let concurrencyChecks: [Check] = [
    Check("concurrency.dispatch.serial_order") {
        let q = DispatchQueue(label: "conformance.serial")
        let log = Box<[Int]>([])
        for i in 0..<5 { q.async { log.value.append(i) } }
        q.sync { log.value.append(99) }
        return "\(log.value) label=\(q.label)"
    },
    Check("concurrency.dispatch.concurrent_perform") {
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 1000) { i in total.add(i, ordering: .relaxed) }
        return "\(total.load(ordering: .relaxed))"
    },
    Check("concurrency.dispatch.group") {
        let group = DispatchGroup()
        let sum = Atomic<Int>(0)
        let q = DispatchQueue(label: "conformance.concurrent", attributes: .concurrent)
        for i in 1...100 { q.async(group: group) { sum.add(i, ordering: .relaxed) } }
        let waited = group.wait(timeout: .now() + 10)
        let notified = DispatchSemaphore(value: 0)
        group.notify(queue: .global()) { notified.signal() }
        return "\(waited == .success) \(sum.load(ordering: .relaxed)) notify=\(notified.wait(timeout: .now() + 10) == .success)"
    },
    Check("concurrency.dispatch.semaphore") {
        let sem = DispatchSemaphore(value: 0)
        let items = Box<[Int]>([])
        let lock = NSLock()
        for i in 0..<10 { DispatchQueue.global().async { lock.lock(); items.value.append(i); lock.unlock(); sem.signal() } }
        for _ in 0..<10 { sem.wait() }
        let timeout = DispatchSemaphore(value: 0).wait(timeout: .now() + .milliseconds(20))
        return "\(items.value.sorted()) emptyWait=\(timeout == .timedOut ? "timedOut" : "success")"
    },
    Check("concurrency.dispatch.timer") {
        let fired = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "conformance.timer"))
        timer.schedule(deadline: .now() + .milliseconds(5), repeating: .milliseconds(5))
        timer.setEventHandler {
            if fired.add(1, ordering: .relaxed).newValue == 3 { timer.cancel(); done.signal() }
        }
        timer.resume()
        let ok = done.wait(timeout: .now() + 10)
        return "\(ok == .success) fired=\(fired.load(ordering: .relaxed)) cancelled=\(timer.isCancelled)"
    },
    Check("concurrency.dispatch.after_and_workitem") {
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(10)) { done.signal() }
        let item = DispatchWorkItem { }
        item.cancel()
        DispatchQueue.global().async(execute: item)
        return "after=\(done.wait(timeout: .now() + 10) == .success) cancelled=\(item.isCancelled)"
    },
    Check("concurrency.dispatch.signal_source") {
        signal(SIGUSR2, SIG_IGN)
        let got = DispatchSemaphore(value: 0)
        let src = DispatchSource.makeSignalSource(signal: SIGUSR2, queue: .global())
        src.setEventHandler { got.signal() }
        src.resume()
        // The source registers asynchronously: resend until it sees one.
        var ok = false
        for _ in 0..<200 where !ok {
            kill(getpid(), SIGUSR2)
            ok = got.wait(timeout: .now() + .milliseconds(10)) == .success
        }
        src.cancel()
        return "delivered=\(ok)"
    },
    Check("concurrency.async.taskgroup") {
        let sum = await withTaskGroup(of: Int.self) { g -> Int in
            for i in 1...100 { g.addTask { i * i } }
            return await g.reduce(0, +)
        }
        let thrown: String
        do {
            _ = try await withThrowingTaskGroup(of: Int.self) { g -> Int in
                g.addTask { throw CocoaError(.fileNoSuchFile) }
                return try await g.reduce(0, +)
            }
            thrown = "none"
        } catch { thrown = describe(error) }
        return "\(sum) \(thrown)"
    },
    Check("concurrency.async.actor") {
        let c = Counter()
        await withTaskGroup(of: Void.self) { g in
            for _ in 0..<50 { g.addTask { for _ in 0..<20 { await c.add(1) } } }
        }
        return "\(await c.value)"
    },
    Check("concurrency.async.cancellation") {
        let t = Task { () -> String in
            do { try await Task.sleep(nanoseconds: 10_000_000_000); return "slept" }
            catch is CancellationError { return "CancellationError isCancelled=\(Task.isCancelled)" }
            catch { return describe(error) }
        }
        t.cancel()
        let handler = await withTaskCancellationHandler { await Task { 1 }.value } onCancel: { }
        return "\(await t.value) handler=\(handler)"
    },
    Check("concurrency.async.sleep_continuation") {
        try await Task.sleep(nanoseconds: 1_000_000)
        let v: Int = await withCheckedContinuation { c in
            Thread.detachNewThread { c.resume(returning: 7) }
        }
        let e: String = await withCheckedContinuation { c in DispatchQueue.global().async { c.resume(returning: "dispatch") } }
        return "\(v) \(e)"
    },
    Check("concurrency.async.detached_priority") {
        let p = await Task.detached(priority: .background) { Task.currentPriority }.value
        let local = await Task(priority: .high) { Task.currentPriority >= .medium }.value
        return "background=\(p == .background) high=\(local)"
    },
    Check("concurrency.thread.basic") {
        let done = DispatchSemaphore(value: 0)
        let seen = Box<String>("")
        let t = Thread {
            seen.value = "name=\(Thread.current.name ?? "nil") main=\(Thread.isMainThread)"
            done.signal()
        }
        t.name = "conformance-worker"
        t.stackSize = 1 << 20
        t.start()
        done.wait()
        return "\(seen.value) callerMain=\(Thread.isMainThread) stackSize=\(t.stackSize)"
    },
    Check("concurrency.thread.pthread") {
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        var size = 0
        pthread_attr_getstacksize(&attr, &size)
        pthread_attr_destroy(&attr)
        var name = [CChar](repeating: 0, count: 32)
        cshim_thread_setname("conf-main")
        cshim_thread_getname(&name, name.count)
        var key = pthread_key_t()
        let rc = pthread_key_create(&key, nil)
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 0x1234))
        let back = pthread_getspecific(key).map { Int(bitPattern: $0) } ?? 0
        pthread_key_delete(key)
        return "defaultStack=\(size) name=\(String(cString: name)) key=\(rc)/\(String(back, radix: 16))"
    },
    Check("concurrency.sync.mutex") {
        let m = Mutex<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { m.withLock { $0 += 1 } }
        }
        return "\(m.withLock { $0 }) \(foundationLocks())"
    },
    Check("concurrency.sync.atomic") {
        let a = Atomic<Int>(5)
        let x = a.compareExchange(expected: 5, desired: 9, ordering: .sequentiallyConsistent)
        let y = a.compareExchange(expected: 5, desired: 1, ordering: .sequentiallyConsistent)
        let w = Atomic<UInt8>(250)
        let wrapped = w.wrappingAdd(10, ordering: .relaxed).newValue
        let flag = Atomic<Bool>(false)
        return "\(x.exchanged)/\(x.original) \(y.exchanged)/\(y.original) \(a.exchange(3, ordering: .relaxed)) wrap=\(wrapped) bool=\(flag.logicalXor(true, ordering: .relaxed).newValue)"
    },
]

/// NSRecursiveLock and NSCondition (kept out of async code, where their
/// blocking methods are unavailable).
private func foundationLocks() -> String {
    let lock = NSRecursiveLock(); lock.lock(); lock.lock(); lock.unlock(); lock.unlock()
    let cond = NSCondition(); cond.lock()
    let waited = cond.wait(until: Date(timeIntervalSinceNow: 0.01))
    cond.unlock()
    return "recursive=ok conditionTimedOut=\(!waited)"
}
