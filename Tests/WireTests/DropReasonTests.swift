import Testing
import Wire

@Test func dropReasonOrdinalsAreTheirPositionsInAllCases() {
    for (i, reason) in DropReason.allCases.enumerated() {
        #expect(reason.ordinal == i, "\(reason)")
    }
}

@Test func dropCountersReadLikeADictionary() {
    var drops = DropCounters()
    #expect(drops[.policed] == nil && drops.values.isEmpty)
    drops[.policed, default: 0] &+= 1
    drops[.policed, default: 0] &+= 1
    drops[.noRoute, default: 0] &+= 1
    #expect(drops[.policed] == 2 && drops[.noRoute] == 1 && drops[.queueFull] == nil)
    #expect(drops.values == [2, 1])
}
