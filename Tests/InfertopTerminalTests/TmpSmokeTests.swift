import Foundation
import InfertopTerminal
import InfertopUI
import Testing

@Test func tmpCursesSmoke() throws {
    guard let mode = ProcessInfo.processInfo.environment["SMOKE_MODE"] else { return }
    var log = ""
    let terminal = try CursesTerminal(theme: .default)
    log += "depth=\(terminal.depth) unicode=\(terminal.unicode) size=\(terminal.size)\n"
    var screen = Screen(size: terminal.size)
    screen.put("hello infertop ▁▂▃█ é", x: 0, y: 0, style: Style(.title))
    screen.put("CRIT", x: 0, y: 1, style: Style(.crit))
    screen.put("sel", x: 5, y: 1, style: Style(.selection))
    for i in 0..<10 { screen.put("#", x: i, y: 2, style: Style(StyleRole.heat(Double(i) / 9))) }
    screen.put("Z", x: terminal.size.columns - 1, y: terminal.size.rows - 1)
    terminal.draw(screen.diff(from: nil))
    terminal.draw([])
    if mode == "abort" { abort() }
    var events: [String] = []
    let deadline = Date().addingTimeInterval(8)
    while Date() < deadline {
        if TerminalSignals.stopRequested { events.append("signal \(TerminalSignals.requestedSignal()!)"); break }
        guard let event = terminal.readEvent(timeoutMilliseconds: 100) else { continue }
        events.append("\(event)")
        if case .resize = event {
            terminal.forceFullRedraw()
            var s2 = Screen(size: terminal.size); s2.put("resized \(terminal.size)", x: 0, y: 0)
            terminal.draw(s2.diff(from: nil))
        }
        if event == .key(.char("q")) { break }
    }
    terminal.stop()
    terminal.stop()
    log += events.joined(separator: "\n") + "\nactive=\(TerminalRestore.isActive)\n"
    try log.write(toFile: "/tmp/smoke-\(mode).log", atomically: true, encoding: .utf8)
}
