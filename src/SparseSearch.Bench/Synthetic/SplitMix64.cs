namespace SparseSearch.Bench.Synthetic;

/// <summary>
/// A tiny, fast, seedable generator (Steele, Lea and Flood's SplitMix64). One per document, seeded from the corpus
/// seed and the document number, so documents can be generated in parallel and still be the same on every run.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public static SplitMix64 For(int seed, long stream) => new(((ulong)(uint)seed << 32) ^ (ulong)stream * 0x9E3779B97F4A7C15UL);

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max].</summary>
    public int Between(int min, int max) => min + (int)(NextDouble() * (max - min + 1));

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian() => Math.Sqrt(-2 * Math.Log(1 - NextDouble())) * Math.Cos(2 * Math.PI * NextDouble());
}
