# The Prism container image: `prism` and `prismctl` (framework-dependent, Release, ReadyToRun) on the
# ASP.NET Core runtime, run as the image's non-root user `app` (UID 1654).
#   docker build -t prism:0.1.0 .
#   docker run --rm -p 8981:8981 prism:0.1.0 --modules admin          # PRISM_ENV=dev: plaintext allowed
#   docker run --rm --entrypoint prismctl prism:0.1.0 --help
# The entrypoint is `prism serve`; the default arguments run the identity-less production pair
# (`--modules admin,proxy`). Kubernetes manifests override them per Deployment (deploy/kustomize).
# Base images are pinned by digest (DeployImagePinningTests rejects unpinned or `latest` images). The
# digests were taken from public sources, not pulled here: see deploy/README.md.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0.401@sha256:35d40304542c8689331f8cab17c65926cdf48fe711e289321d71924b230a7d29 AS build
ARG TARGETARCH
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY proto/ proto/
COPY src/ src/
# -a accepts Docker's TARGETARCH names (amd64, arm64); both executables share one folder, as `make build` does.
RUN dotnet publish src/Prism.Host -c Release -a "$TARGETARCH" --self-contained false -p:PublishReadyToRun=true -o /app --nologo \
 && dotnet publish src/Prism.Cli -c Release -a "$TARGETARCH" --self-contained false -p:PublishReadyToRun=true -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12@sha256:2d584d8147faddb0d678c5748d47953e5b8e18621ed4fb7049a91381d9d7746f
# PRISM_HOME holds data/ (SQLite admin store, identity keys) when no PostgreSQL is configured; mount a
# volume there (Kubernetes: an emptyDir or PVC) so the root filesystem can stay read-only.
RUN mkdir -p /var/lib/prism && chown "$APP_UID:$APP_UID" /var/lib/prism
COPY --from=build /app /app
# A container is reached through its network interface, so listeners bind every address. With
# PRISM_ENV=production that requires TLS (PRISM_TLS_CERT_FILE/PRISM_TLS_KEY_FILE): see docs/posture.md.
ENV PATH="/app:${PATH}" \
    PRISM_HOME=/var/lib/prism \
    PRISM_BIND_ADDRESS=0.0.0.0
USER $APP_UID
WORKDIR /var/lib/prism
# proxy gRPC, admin gRPC, web console (--modules console), Prometheus; identity 5556 and telemetry
# 3301/4317/4318 when those modules run.
EXPOSE 8980 8981 8090 9090
ENTRYPOINT ["prism", "serve"]
CMD ["--modules", "admin,proxy"]
