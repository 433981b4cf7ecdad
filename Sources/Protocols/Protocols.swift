// Protocol state machines (OSPFv2, IGMP, PIM-SM) live here, one folder each, talking to the
// fabric through `ControlPlaneProtocol` and `ControlPlaneContext` (Sources/Fabric/ControlPlane.swift).
import Fabric
