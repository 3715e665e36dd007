# syntax=docker/dockerfile:1
# The syntax line above pins the BuildKit Dockerfile frontend; `RUN --mount=type=cache` needs it
# (Docker 23+ builds with BuildKit by default; older engines need DOCKER_BUILDKIT=1).

# ---- builder -----------------------------------------------------------------------------------
# Same Debian release (12, bookworm) as the runtime stage, so the binary links against the same
# glibc and libpq ABI it will meet at run time.
FROM rust:1-bookworm AS builder

# libpq-dev: diesel's PostgreSQL backend (pq-sys) links the system libpq (and finds it via
# pg_config). SQLite needs nothing: libsqlite3-sys is built with its `bundled` feature.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The whole workspace (.dockerignore keeps target/, data/, .git/ and databases out): the
# migrations/ and crates/demo/content/ files are embedded into the binary at compile time, and
# every workspace member's manifest must be present for `--locked` resolution.
COPY . .

# Cache mounts keep the crates.io download cache and the compiled dependencies between builds.
# A cache mount is not part of the image layer, so the binary has to be copied out of
# /app/target within the same RUN.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/app/target,sharing=locked \
    cargo build --release --locked -p frontier-server --bin frontier \
 && install -D -m 0755 target/release/frontier /usr/local/bin/frontier

# ---- runtime -----------------------------------------------------------------------------------
FROM debian:bookworm-slim

# libpq5: runtime half of libpq-dev. ca-certificates: TLS to a remote PostgreSQL (sslmode=require)
# or any other HTTPS peer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Fixed, high uid/gid so volume ownership is predictable across rebuilds and hosts and does not
# collide with host users. The data directory is created and chowned *before* VOLUME: Docker
# seeds a new named volume from the image's directory, ownership included, so the non-root user
# can write the SQLite database there.
RUN groupadd --system --gid 10001 frontier \
 && useradd --system --uid 10001 --gid frontier --home-dir /var/lib/frontier --no-create-home \
        --shell /usr/sbin/nologin frontier \
 && install -d -m 0750 -o frontier -g frontier /var/lib/frontier

COPY --from=builder /usr/local/bin/frontier /usr/local/bin/frontier

WORKDIR /var/lib/frontier
VOLUME /var/lib/frontier

# Numeric USER so orchestrators enforcing runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001

# Listen on all interfaces inside the container (loopback would be unreachable from the host).
# The default database is SQLite in the volume; docker-compose.yml overrides it with PostgreSQL.
ENV FRONTIER_BIND=0.0.0.0:8080 \
    FRONTIER_DATABASE_URL=sqlite:///var/lib/frontier/frontier.db

EXPOSE 8080

# `frontier healthcheck` GETs /healthz on the port of FRONTIER_BIND (loopback for 0.0.0.0) and
# exits 0 on 200, so the image needs no curl/wget. FRONTIER_HEALTHCHECK_URL overrides the URL.
# start-period covers migrations and the demo seed on first start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["frontier", "healthcheck"]

ENTRYPOINT ["frontier"]
CMD ["serve"]
