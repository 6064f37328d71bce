import Testing

@testable import EdgewatchHub

/// A pass of upkeep: nodes take turns, so one node's long backlog does not hold back the others.
@Suite struct MaintenancePassTests {
    @Test func nodesTakeTurnsWithinABudget() {
        var due = ["a": 5, "b": 1, "c": 2]
        var order: [String] = []
        let report = HubMaintenancePass.run(nodes: ["a", "b", "c"], tiers: [.raw], budget: 4) { node, _ in
            guard let left = due[node], left > 0 else { return nil }
            due[node] = left - 1
            order.append(node)
            return HubMaintenancePass.Step(deleted: 1, written: 1)
        }
        #expect(order == ["a", "b", "c", "a"])
        #expect(report.steps == 4 && !report.finished && report.deletedBlocks == 4)
        order = []
        let rest = HubMaintenancePass.run(nodes: ["a", "b", "c"], tiers: [.raw], budget: 10) { node, _ in
            guard let left = due[node], left > 0 else { return nil }
            due[node] = left - 1
            order.append(node)
            return HubMaintenancePass.Step()
        }
        #expect(order == ["a", "c", "a", "a"])
        #expect(rest.steps == 4 && rest.finished)
    }
}
