import Testing
import Wire
@testable import Protocols

// IOS `area` takes a number (<0-4294967295>) or a dotted quad; both name the same area.
@Test(arguments: [("0", 0), ("51", 51), ("0.0.0.51", 51), ("4294967295", 4_294_967_295), ("1.0.0.0", 16_777_216)])
func areaIDsReadAsIOSWritesThem(text: String, value: UInt32) {
    #expect(AreaID(text)?.rawValue == value)
}

@Test(arguments: ["", "-1", "4294967296", "1.2.3", "area"])
func malformedAreaIDsAreRefused(text: String) {
    #expect(AreaID(text) == nil)
}
