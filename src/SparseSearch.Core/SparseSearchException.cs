namespace SparseSearch.Core;

/// <summary>
/// An error whose message is meant for the user as it stands: the CLI prints it on one line and exits non-zero,
/// the server turns it into a problem response. Anything else escaping is a bug.
/// </summary>
public class SparseSearchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A corpus, query or qrels file that cannot be read; the message names the file and line.</summary>
public sealed class InvalidCorpusException(string message, Exception? inner = null) : SparseSearchException(message, inner);

/// <summary>An index opened with settings other than the ones it was built with.</summary>
public sealed class IndexMismatchException(string message) : SparseSearchException(message);

/// <summary>A missing index, dataset or model file.</summary>
public sealed class MissingInputException(string message) : SparseSearchException(message);

/// <summary>A configuration value (encoder name, option) that is not valid.</summary>
public sealed class InvalidSettingException(string message) : SparseSearchException(message);

/// <summary>An index another process is writing (serving or building); the message names that process.</summary>
public sealed class IndexInUseException(string message) : SparseSearchException(message);

/// <summary>A weight that quantizes to an impact above <see cref="ImpactQuantizer.MaxImpact"/>.</summary>
public sealed class ImpactOutOfRangeException(string message) : SparseSearchException(message);
