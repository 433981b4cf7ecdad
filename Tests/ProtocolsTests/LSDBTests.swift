import Engine
import Testing
import Wire
@testable import Protocols

// MARK: - RFC 2328 §13.1, which of two instances is more recent

private func header(sequence: Int32 = LSAHeader.initialSequenceNumber, checksum: UInt16 = 0x1234,
                    age: UInt16 = 0) -> LSAHeader {
    LSAHeader(age: age, options: .e, type: .router, linkStateID: ip("1.1.1.1"), advertisingRouter: ip("1.1.1.1"),
              sequenceNumber: sequence, checksum: checksum, length: 36)
}

// §13.1: "The LSA having the newer LS sequence number is more recent."
@Test func theHigherSequenceNumberIsNewer() {
    #expect(LSDB.isNewer(header(sequence: Int32(bitPattern: 0x8000_0002)),
                         than: header(sequence: LSAHeader.initialSequenceNumber)))
    #expect(!LSDB.isNewer(header(sequence: LSAHeader.initialSequenceNumber),
                          than: header(sequence: Int32(bitPattern: 0x8000_0002))))
    // Even when the older one has the larger checksum and is younger.
    #expect(LSDB.order(header(sequence: 7, checksum: 1, age: 3000),
                       header(sequence: 6, checksum: 0xFFFF, age: 0)) == .newer)
}

// §12.1.6: sequence numbers are signed; InitialSequenceNumber 0x80000001 is the lowest, below 1.
@Test func sequenceNumbersCompareAsSignedIntegers() {
    #expect(LSDB.isNewer(header(sequence: 1), than: header(sequence: LSAHeader.initialSequenceNumber)))
    #expect(LSDB.isNewer(header(sequence: LSAHeader.maxSequenceNumber), than: header(sequence: 1)))
}

// §13.1: at equal sequence numbers, "the instance having the larger LS checksum (as a 16-bit unsigned integer)".
@Test func atEqualSequenceTheLargerChecksumIsNewer() {
    #expect(LSDB.order(header(checksum: 0x8001), header(checksum: 0x7FFF)) == .newer)
    #expect(LSDB.order(header(checksum: 0x0001), header(checksum: 0xFFFF)) == .older)
}

// §13.1: then "if only one of the instances has its LS age field set to MaxAge, the instance of age MaxAge".
@Test func atEqualChecksumTheMaxAgeInstanceIsNewer() {
    #expect(LSDB.order(header(age: LSAHeader.maxAge), header(age: 10)) == .newer)
    #expect(LSDB.order(header(age: 10), header(age: LSAHeader.maxAge)) == .older)
    #expect(LSDB.order(header(age: LSAHeader.maxAge), header(age: LSAHeader.maxAge)) == .same)
}

// §13.1: then "if the LS age fields differ by more than MaxAgeDiff, the instance having the smaller age".
@Test(arguments: [(UInt16(0), UInt16(901), LSAInstanceOrder.newer), (1000, 99, .older), (0, 900, .same),
                  (100, 1000, .same), (3599, 0, .older)])
func agesFurtherApartThanMaxAgeDiffMakeTheYoungerNewer(a: UInt16, b: UInt16, expected: LSAInstanceOrder) {
    #expect(LSDB.order(header(age: a), header(age: b)) == expected)
}

// §13.1: "Else, the two instances are considered to be identical."
@Test func otherwiseTheInstancesAreTheSame() {
    #expect(LSDB.order(header(age: 5), header(age: 700)) == .same)
    #expect(!LSDB.isNewer(header(), than: header()))
}

// MARK: - The database

private func r1(sequence: Int32, metric: UInt16 = 10) -> LSAInstance {
    LSAInstance(routerLSA("1.1.1.1", sequence: sequence, [stub("10.0.0.0", mask: "255.255.255.0", metric: metric)]))
}

// §13 (5): a newer instance replaces the database copy; §13 (7)/(8): the same or an older one does not.
@Test func installKeepsOnlyTheMoreRecentInstance() {
    var db = LSDB()
    let t = SimTime.zero
    #expect(db.install(r1(sequence: 5), age: 1, now: t) == .installed(contentsChanged: true))
    #expect(db.install(r1(sequence: 4), age: 1, now: t) == .older)
    #expect(db.install(r1(sequence: 5), age: 1, now: t) == .duplicate)
    #expect(db.install(r1(sequence: 6, metric: 20), age: 1, now: t) == .installed(contentsChanged: true))
    #expect(db.count == 1)
    #expect(db[LSAKey(r1(sequence: 6).lsa)]?.lsa.sequenceNumber == 6)
}

// §13.2: a refresh (new sequence number, same contents) installs but needs no routing table calculation.
@Test func aRefreshWithTheSameContentsDoesNotChangeTheContents() {
    var db = LSDB()
    db.install(r1(sequence: 5), age: 0, now: .zero)
    #expect(db.install(r1(sequence: 6), age: 0, now: .seconds(1800)) == .installed(contentsChanged: false))
}

// §13.2: a premature aging (the same instance at MaxAge) is newer, and it changes the contents.
@Test func aMaxAgeCopyOfTheSameInstanceIsInstalledAsAChange() {
    var db = LSDB()
    let instance = r1(sequence: 5)
    db.install(instance, age: 10, now: .zero)
    #expect(db.install(instance, age: LSAHeader.maxAge, now: .seconds(1)) == .installed(contentsChanged: true))
    #expect(db.maxAgeKeys(at: .seconds(1)) == [instance.key])
}

// §14: the age is the age at installation plus the seconds held, never beyond MaxAge.
@Test func theAgeGrowsWithTheTimeHeldAndStopsAtMaxAge() {
    var db = LSDB()
    let instance = r1(sequence: 5)
    db.install(instance, age: 10, now: .seconds(100))
    let entry = db[instance.key]!
    #expect(entry.age(at: .seconds(100)) == 10)
    #expect(entry.age(at: .seconds(100) + .milliseconds(999)) == 10)
    #expect(entry.age(at: .seconds(200)) == 110)
    #expect(entry.age(at: .seconds(10_000)) == LSAHeader.maxAge)
    #expect(entry.header(at: .seconds(200)).checksum == instance.lsa.header.checksum)
    #expect(db.maxAgeKeys(at: .seconds(3689)).isEmpty)
    #expect(db.maxAgeKeys(at: .seconds(3690)) == [instance.key])
}

// Ages are compared as they are now: an instance held long enough is older than a fresh copy (MaxAgeDiff).
@Test func theAgeComparedIsTheCurrentAge() {
    var db = LSDB()
    let instance = r1(sequence: 5)
    db.install(instance, age: 0, now: .zero)
    #expect(db.install(instance, age: 0, now: .seconds(901)) == .installed(contentsChanged: false))
    #expect(db.install(instance, age: 0, now: .seconds(902)) == .duplicate)
}

// Listings come out in (LS type, Link State ID, Advertising Router) order whatever the insertion order.
@Test func entriesAreListedInKeyOrder() {
    let lsas = [
        summaryLSA("10.9.0.0", mask: "255.255.0.0", by: "2.2.2.2", metric: 1),
        routerLSA("3.3.3.3", []),
        summaryLSA("10.9.0.0", mask: "255.255.0.0", by: "1.1.1.1", metric: 1),
        networkLSA(dr: "10.0.0.3", by: "3.3.3.3", mask: "255.255.255.0", attached: ["3.3.3.3"]),
        routerLSA("1.1.1.1", []),
    ]
    let keys = lsdb(lsas).sortedEntries.map(\.key)
    #expect(keys == [LSAKey(lsas[4]), LSAKey(lsas[1]), LSAKey(lsas[3]), LSAKey(lsas[2]), LSAKey(lsas[0])])
    let summaries = lsdb(lsas).sortedEntries(ofType: .summaryNetwork)
    #expect(summaries.map(\.lsa.advertisingRouter) == [ip("1.1.1.1"), ip("2.2.2.2")])
}

// Two databases hold the one instance: sharing it costs a reference, not a copy.
@Test func databasesShareInstances() {
    let instance = r1(sequence: 5)
    var a = LSDB(), b = LSDB()
    a.install(instance, age: 1, now: .zero)
    b.install(instance, age: 2, now: .seconds(5))
    #expect(a[instance.key]!.instance === b[instance.key]!.instance)
    #expect(a[instance.key]!.age(at: .seconds(5)) == 6)
    #expect(b[instance.key]!.age(at: .seconds(5)) == 2)
}

@Test func removeDeletesTheEntry() {
    var db = lsdb([routerLSA("1.1.1.1", [])])
    #expect(db.remove(LSAKey(type: .router, linkStateID: ip("1.1.1.1"), advertisingRouter: ip("1.1.1.1"))) != nil)
    #expect(db.isEmpty)
}
