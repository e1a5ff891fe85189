import InfertopOTLP

// Spans a second through the hand-written OTLP decoders and the library alternatives
// (`DecodeComparison`); best of five rounds of 8,192 spans each.
for (name, rate) in DecodeComparison.run(rounds: 5) {
    print(name.padding(toLength: 40, withPad: " ", startingAt: 0), String(Int(rate.rounded())), "spans/s")
}
