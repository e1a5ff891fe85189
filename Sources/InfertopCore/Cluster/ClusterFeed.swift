/// A source of cluster updates: a full snapshot first, then deltas.
///
/// The dashboard reads the cluster only through feeds, so an in-process simulator and a
/// gRPC agent stream are interchangeable behind it.
public protocol ClusterFeed: AsyncSequence, Sendable where Element == ClusterUpdate {}
