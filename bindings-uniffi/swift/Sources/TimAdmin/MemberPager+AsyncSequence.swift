// Hand-written Swift additions to the generated `TimAdmin` module.

/// Every member of a pager's group as an `AsyncSequence`, one page in memory at a time:
/// `for try await member in try client.members(groupId: "@TGS#_community").allMembers() { ... }`.
/// Cancelling the enclosing task cancels the call in flight. A pager is single-use.
public struct GroupMemberSequence: AsyncSequence {
    public typealias Element = GroupMember
    let pager: MemberPager

    public struct AsyncIterator: AsyncIteratorProtocol {
        let pager: MemberPager
        var buffer: [GroupMember] = []

        public mutating func next() async throws -> GroupMember? {
            while buffer.isEmpty {
                guard let page = try await pager.nextPage() else { return nil }
                buffer = page.members.reversed()
            }
            return buffer.popLast()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pager: pager)
    }
}

extension MemberPager {
    /// The group's members as an `AsyncSequence` (see `GroupMemberSequence`).
    public func allMembers() -> GroupMemberSequence {
        GroupMemberSequence(pager: self)
    }
}
