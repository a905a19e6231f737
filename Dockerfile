# Multi-stage build: the SDK compiles; the ASP.NET runtime image runs `sparse serve` as a non-root user.
#   docker build -t sparsesearch .
# Listening on 0.0.0.0 needs API keys (a read key for searches, a write key for writes):
#   docker run -p 8080:8080 -e SPARSESEARCH_READ_KEY=r3ad -e SPARSESEARCH_WRITE_KEY=wr1te -v sparse-index:/data/index sparsesearch   # the demo corpus
#   docker run --entrypoint dotnet -v sparse-index:/data/index -v /path/to/beir:/beir:ro sparsesearch \
#       /app/sparse.dll index --dataset /beir/scifact --index /data/index/scifact            # build an index
#   docker run -p 8080:8080 -e SPARSESEARCH_READ_KEY=r3ad -e SPARSESEARCH_WRITE_KEY=wr1te -v sparse-index:/data/index sparsesearch \
#       --index /data/index/scifact --urls http://0.0.0.0:8080
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SparseSearch.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=build /app /app
RUN useradd --system --uid 10001 sparse && mkdir -p /data/index /data/models /data/datasets && chown -R sparse /data
USER sparse
# Relative paths (the demo index under index/) land in the writable /data.
WORKDIR /data
VOLUME ["/data/index", "/data/models"]
ENV SPARSESEARCH_DATA=/data/datasets
EXPOSE 8080
# The runtime image has no curl: bash's /dev/tcp asks /health for its 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "/app/sparse.dll", "serve"]
CMD ["--urls", "http://0.0.0.0:8080"]
