using SparseSearch.Encoding;

namespace SparseSearch.Cluster;

/// <summary>What a silo needs to open shards: the sharded index directory (on storage every silo reaches) and the encoder options.</summary>
public sealed record ShardHostOptions(string IndexPath, EncoderOptions EncoderOptions);
