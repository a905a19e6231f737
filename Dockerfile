# Multi-stage build: the SDK compiles, the ASP.NET runtime image runs the `sparse` binary as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SparseSearch.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN useradd --system --uid 10001 sparse && mkdir -p /data/index /data/models && chown -R sparse /data
USER sparse
VOLUME ["/data/index", "/data/models"]
ENV SPARSESEARCH_DATA=/data/datasets
ENTRYPOINT ["dotnet", "/app/sparse.dll"]
CMD ["--help"]
