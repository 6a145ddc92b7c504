import QNetCore
import QNetScheduling

extension NodeMessage {
    /// Controller placement (DESIGN §6): a node's observation for the controller, with the view
    /// it had when it observed it (`scheduler.proto` ObservationReport).
    public struct ObservationReport: Hashable, Sendable {
        public var observation: Observation
        public var view: NodeView
        public init(observation: Observation, view: NodeView) {
            self.observation = observation
            self.view = view
        }
    }

    /// Controller placement: the controller's decisions on one observation (`scheduler.proto`
    /// DecisionSet). The node checks each against what it holds when it arrives.
    public struct DecisionSet: Hashable, Sendable {
        public var decisions: [Decision]
        /// It answers a ``Observation/qubitFree`` (`policies.generationPlacement: controller`):
        /// the node may ask about its free qubits again. Set by the coordinator.
        public var answersQubitFree: Bool
        public init(decisions: [Decision], answersQubitFree: Bool = false) {
            self.decisions = decisions
            self.answersQubitFree = answersQubitFree
        }
    }
}
