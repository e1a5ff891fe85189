import Foundation
import InfertopCore
import Testing

@testable import InfertopAgent

/// The Slurm executor against a stand-in `scontrol` that keeps the node's state in a file and
/// answers as Slurm 22.05 does (`../shared/tools/README-slurm.md`), and the parser against the
/// verbatim one-line output recorded there.
@Suite struct SlurmExecutorTests {
    /// A shell `scontrol`: logs each call, keeps `State=` and `Reason=` in files, refuses a drain
    /// without a reason with Slurm's own words and exit 1.
    final class FakeScontrol {
        let dir: String
        var path: String { dir + "/scontrol" }
        var calls: [String] {
            ((try? String(contentsOfFile: dir + "/calls", encoding: .utf8)) ?? "").split(separator: "\n").map(
                String.init)
        }

        init() throws {
            dir = NSTemporaryDirectory() + "infertop-slurm-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try "IDLE".write(toFile: dir + "/state", atomically: true, encoding: .utf8)
            let script = """
                #!/bin/sh
                d=\(dir)
                echo "$*" >> $d/calls
                if [ "$1" = show ]; then
                  r=""; [ -s $d/reason ] && r=" Reason=$(cat $d/reason) [root@2026-11-26T19:29:29]"
                  echo "NodeName=$3 Arch=x86_64 OS=Linux 6.1 #1 SMP  RealMemory=100 State=$(cat $d/state) ThreadsPerCore=1 Partitions=debug $r"
                  exit 0
                fi
                state=""; reason=""
                for a in "$@"; do
                  case "$a" in State=*) state=${a#State=};; Reason=*) reason=${a#Reason=};; esac
                done
                if [ "$state" = DRAIN ] && [ -z "$reason" ]; then
                  echo "You must specify a reason when DOWNING or DRAINING a node. Request denied" >&2; exit 1
                fi
                if [ "$state" = DRAIN ]; then echo IDLE+DRAIN > $d/state; printf '%s' "$reason" > $d/reason; fi
                if [ "$state" = RESUME ]; then echo IDLE > $d/state; : > $d/reason; fi
                exit 0
                """
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }
    }

    @Test func drain_setsDRAINWithTheOperatorAndReason_resumeClearsIt() async throws {
        let fake = try FakeScontrol()
        let slurm = SlurmExecutor(runner: ProcessCommandRunner(), scontrol: fake.path)
        try await slurm.drain("node-07", reason: "KV cache full on gpu6", requestedBy: "alice")
        let drained = try await slurm.state(of: "node-07")
        #expect(drained.isDrained && drained.flags == ["DRAIN"])
        #expect(drained.reason == "infertop: alice: KV cache full on gpu6")
        #expect(drained.drainedByInfertop)
        try await slurm.resume("node-07")
        let resumed = try await slurm.state(of: "node-07")
        #expect(resumed.base == "IDLE" && resumed.flags.isEmpty && resumed.reason == nil)
        #expect(fake.calls.first == "update NodeName=node-07 State=DRAIN Reason=infertop: alice: KV cache full on gpu6")
    }

    @Test func aDrainWithoutAReason_isRefusedBeforeSlurmIsCalled() async throws {
        let fake = try FakeScontrol()
        let slurm = SlurmExecutor(runner: ProcessCommandRunner(), scontrol: fake.path)
        await #expect(throws: LifecycleRefusal.missingReason) {
            try await slurm.drain("node-07", reason: "  ", requestedBy: "alice")
        }
        #expect(fake.calls.isEmpty, "scontrol was called: \(fake.calls)")
    }

    /// A cordon may come without a reason, but Slurm's cordon is a DRAIN, which needs one; a
    /// drain without one is still refused before Slurm is called.
    @Test func aCordonWithoutAReason_drainsWithACordonReason_aDrainStillNeedsOne() async throws {
        let fake = try FakeScontrol()
        let node = SlurmNodeExecutor(slurm: SlurmExecutor(runner: ProcessCommandRunner(), scontrol: fake.path))
        await #expect(throws: LifecycleRefusal.missingReason) {
            _ = try await node.drain("node-07", reason: "", requestedBy: "alice")
        }
        #expect(!fake.calls.contains { $0.hasPrefix("update") })
        _ = try await node.cordon("node-07", reason: "", requestedBy: "alice")
        #expect(
            fake.calls.last == "update NodeName=node-07 State=DRAIN Reason=infertop: alice: cordoned", "\(fake.calls)")
        // Resumed: Slurm already shows DRAIN, so nothing is sent again.
        _ = try await node.cordon("node-07", reason: "", requestedBy: "alice")
        #expect(fake.calls.filter { $0.hasPrefix("update") }.count == 1)
    }

    @Test func slurmsOwnRefusal_isAnErrorWithItsWords() async throws {
        let fake = try FakeScontrol()
        let runner = ProcessCommandRunner()
        let result = try await runner.run([fake.path, "update", "NodeName=node-07", "State=DRAIN"], timeoutSeconds: 30)
        let error = SlurmError(node: "node-07", action: "drain", result: result)
        #expect(
            "\(error)"
                == "slurm could not drain node-07: scontrol exit 1: You must specify a reason when DOWNING or DRAINING a node. Request denied"
        )
    }

    @Test func parsesTheRecordedOneLineForm_reasonWithSpacesLast() throws {
        let line =
            "NodeName=vm Arch=x86_64 CoresPerSocket=2  CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=0.29 AvailableFeatures=(null) ActiveFeatures=(null) Gres=(null) NodeAddr=127.0.0.1 NodeHostName=vm Version=22.05.8 OS=Linux 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0  RealMemory=100 AllocMem=0 FreeMem=23283 Sockets=1 Boards=1 State=IDLE+DRAIN ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A Partitions=debug  BootTime=2026-11-26T19:18:48 SlurmdStartTime=2026-11-26T19:29:29 LastBusyTime=2026-11-26T19:29:29 CfgTRES=cpu=2,mem=100M,billing=2 AllocTRES= CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s Reason=infertop test [root@2026-11-26T19:29:29]"
        let state = try #require(SlurmNodeState(oneLine: line))
        #expect(state.base == "IDLE" && state.flags == ["DRAIN"] && state.isDrained && !state.isDraining)
        #expect(state.reason == "infertop test")
        #expect(!state.drainedByInfertop, "a drain set outside infertop keeps Slurm's own reason")
        let busy = try #require(SlurmNodeState(oneLine: "NodeName=vm State=MIXED+DRAIN Partitions=debug"))
        #expect(busy.isDraining && busy.reason == nil)
        let afterResume = try #require(
            SlurmNodeState(oneLine: "NodeName=vm State=IDLE+NOT_RESPONDING Partitions=debug"))
        #expect(afterResume.flags == ["NOT_RESPONDING"] && !afterResume.isDrained)
    }

    @Test func aHungCommand_isKilledAtItsTimeout() async throws {
        let result = try await ProcessCommandRunner().run(["/bin/sleep", "30"], timeoutSeconds: 0.3)
        #expect(result.timedOut && result.summary == "timed out")
    }
}
