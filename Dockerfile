# syntax=docker/dockerfile:1
# Parley's production image. Three stages: `deps` installs the runtime dependencies only (compiling
# better-sqlite3 where the toolchain is), `build` compiles TypeScript and bundles the widget with
# the dev dependencies, and the final stage gets the output of both and nothing else: no compiler,
# no dev dependencies, no sources. tests/ship/production-install.test.ts runs what this file does
# (Docker cannot run in CI here) and reads this file to stay in step with it.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS toolchain
# better-sqlite3 downloads a prebuilt binary when one matches, else compiles (node-gyp).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=/data/parley.db \
    CONTENT_DIR=/app/content
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY public ./public
COPY content ./content
# The SQLite database (and its WAL) lives on a volume owned by the unprivileged user; the app's
# own files stay root's, so a compromised process cannot rewrite them.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Liveness only: /healthz does not fail when the database does (a restart would not fix that);
# load balancers should route on /readyz instead (see compose.yaml and deploy/Caddyfile).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains: /readyz turns 503, streams end with a reconnect hint, requests in flight finish.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/cli.js", "serve"]
